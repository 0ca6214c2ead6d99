"""Browser end-to-end tests: a fresh database with the demo data, the platform on a free port,
then Playwright (Debian's Chromium) against acme.localhost and beta.localhost."""

import os
import socket
import subprocess
import sys
from pathlib import Path

from services import fresh_database_url, stop, wait_until_serving

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database_url(os.environ["DATABASE_URL"], "e2e"),
        "DEBUG": "0",
        "GRAPHIQL_ENABLED": "1",
    }
    env.setdefault("SECRET_KEY", "e2e-only-secret")
    env.setdefault("SECURE_COOKIES", "0")
    port = free_port()
    subprocess.run([PYTHON, "manage.py", "prepare_platform"], cwd=ROOT, env=env, check=True)
    log = open(ROOT / ".data" / "e2e-server.log", "w")  # noqa: SIM115 - open for the server's lifetime
    server = subprocess.Popen(
        [PYTHON, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "saas.asgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    relay = subprocess.Popen([PYTHON, "manage.py", "search_sync", "--interval", "1"], cwd=ROOT, env=env)
    try:
        wait_until_serving(port, server)
        return subprocess.run(
            ["npm", "run", "e2e", "--", *sys.argv[1:]], cwd=ROOT / "web", env={**env, "E2E_PORT": str(port)}
        ).returncode
    finally:
        for process in (relay, server):
            stop(process)
        log.close()


if __name__ == "__main__":
    sys.exit(main())
