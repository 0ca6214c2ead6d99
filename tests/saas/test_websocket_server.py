"""What saas/asgi.py adjusts in a serving process: start-up objects frozen out of the garbage
collector, and autobahn's per-connection debug formatting done only when debugging."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json
import daphne.server  # what daphne imports before the application: twisted, autobahn, txaio
import txaio
from saas import asgi
from autobahn.websocket import protocol
quiet = protocol.pformat([("openHandshakeTimeout", 5)])
txaio.set_global_log_level("debug")
debugging = protocol.pformat([("openHandshakeTimeout", 5)])
print(json.dumps({"frozen": gc.get_freeze_count(), "quiet": quiet, "debugging": debugging}))
"""


def test_a_serving_process_freezes_start_up_and_formats_autobahn_debug_lines_only_when_debugging():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    # Django, the GraphQL schema and their dependencies: far more than a bare interpreter's objects.
    assert probe["frozen"] > 100_000, probe
    assert probe["quiet"] == "(not formatted: autobahn debug logging is off)"
    assert probe["debugging"] == "[('openHandshakeTimeout', 5)]"
