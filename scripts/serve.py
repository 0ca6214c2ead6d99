"""Prepare the database and serve the platform: migrations, demo data, static files, search
outbox relay (restarted whenever it exits), and daphne (HTTP + websockets) on one port. Ctrl-C
stops it all; if a daphne worker dies, so does this command (production restarts it, see
docs/operations.md).

The port is served by ``--workers`` daphne processes (default ``WEB_CONCURRENCY``, else one per
core, at most 4) that share one listening socket: this script binds it and hands it to each
worker (daphne's ``--fd``); the kernel spreads new connections over them. Every worker uses the
same Redis channel layer, so an event reaches a socket whatever worker holds it.

With ``METRICS_PORT`` set and more than one worker, the workers share their Prometheus samples
through prometheus-client's multiprocess mode: this script gives them a fresh
``PROMETHEUS_MULTIPROC_DIR`` (the one in the environment, emptied, else a temporary one), the first
worker serves the sum of all of them on ``METRICS_PORT``, and the files of a worker that exits are
marked dead. One worker alone keeps the ordinary single-process registry.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from prometheus_client import multiprocess
from services import stop
from supervise import Supervised

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def default_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or min(os.cpu_count() or 1, 4))


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1024)
    listener.set_inheritable(True)
    return listener


def metrics_dir(workers: int) -> tuple[str | None, bool]:
    """The directory the workers share their samples through, and whether this script made it:
    ``PROMETHEUS_MULTIPROC_DIR`` when set, emptied (prometheus-client would add a previous run's
    files to the sums), else a temporary one when several workers serve metrics; else None."""
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        return given, False
    if workers < 2 or not int(os.environ.get("METRICS_PORT") or 0):
        return None, False
    return tempfile.mkdtemp(prefix="saas-metrics-"), True


def worker_environments(count: int, shared_metrics: str | None) -> list[dict[str, str] | None]:
    """In multiprocess mode every worker writes to ``shared_metrics`` and only the first serves the
    metrics port (all of them would fight over it); otherwise workers inherit this environment."""
    if shared_metrics is None:
        return [None] * count
    shared = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": shared_metrics}
    return [shared if index == 0 else {**shared, "METRICS_PORT": ""} for index in range(count)]


def start_workers(
    listener: socket.socket, count: int, extra: list[str] | None = None, shared_metrics: str | None = None
) -> list[subprocess.Popen]:
    """``count`` daphne processes serving the platform on ``listener``."""
    fd = listener.fileno()
    command = [PYTHON, "-m", "daphne", "--fd", str(fd), *(extra or []), "saas.asgi:application"]
    return [
        subprocess.Popen(command, cwd=ROOT, pass_fds=(fd,), env=env)
        for env in worker_environments(count, shared_metrics)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default=os.environ.get("BIND_ADDRESS", "127.0.0.1"))
    parser.add_argument("--workers", type=int, default=default_workers(), help="daphne processes on the port")
    parser.add_argument("--skip-prepare", action="store_true", help="serve without migrating or seeding first")
    parser.add_argument("--no-relay", action="store_true", help="do not start the search outbox relay")
    args = parser.parse_args()

    if not args.skip_prepare:
        subprocess.run([PYTHON, "manage.py", "prepare_platform"], cwd=ROOT, check=True)
    listener = listening_socket(args.host, args.port)
    # Supervised: a relay that dies is restarted, and its next pass replays what waited meanwhile.
    relay = (
        None
        if args.no_relay
        else Supervised("search relay", [PYTHON, "manage.py", "search_sync", "--interval", "5"], cwd=ROOT).start()
    )
    count = max(1, args.workers)
    shared_metrics, made_metrics_dir = metrics_dir(count)
    workers = start_workers(listener, count, shared_metrics=shared_metrics)
    listener.close()  # the workers hold it now
    print(
        f"serving on http://localhost:{args.port} with {len(workers)} daphne worker(s) "
        "(acme.localhost, beta.localhost, admin at /admin/)",
        flush=True,
    )
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        while all(worker.poll() is None for worker in workers):
            time.sleep(0.5)
        return next(worker.returncode for worker in workers if worker.returncode is not None)
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGINT, lambda *_: None)
        if relay is not None:
            relay.stop()
        for worker in workers:
            stop(worker)
            if shared_metrics:
                multiprocess.mark_process_dead(worker.pid, shared_metrics)  # its live gauges end with it
        if made_metrics_dir and shared_metrics:
            shutil.rmtree(shared_metrics, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
