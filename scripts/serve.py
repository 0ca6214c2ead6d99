"""Prepare the database and serve the platform: migrations, demo data, static files, search
outbox relay (restarted whenever it exits), and daphne (HTTP + websockets) on one port. Ctrl-C
stops it all; if daphne itself dies, so does this command (production restarts it, see
docs/operations.md)."""

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

from services import stop
from supervise import Supervised

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default=os.environ.get("BIND_ADDRESS", "127.0.0.1"))
    args = parser.parse_args()

    subprocess.run([PYTHON, "manage.py", "prepare_platform"], cwd=ROOT, check=True)
    # Supervised: a relay that dies is restarted, and its next pass replays what waited meanwhile.
    relay = Supervised("search relay", [PYTHON, "manage.py", "search_sync", "--interval", "5"], cwd=ROOT).start()
    server = subprocess.Popen(
        [PYTHON, "-m", "daphne", "-b", args.host, "-p", str(args.port), "saas.asgi:application"], cwd=ROOT
    )
    print(f"serving on http://localhost:{args.port} (acme.localhost, beta.localhost, admin at /admin/)", flush=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGINT, lambda *_: None)
        relay.stop()
        stop(server)


if __name__ == "__main__":
    sys.exit(main())
