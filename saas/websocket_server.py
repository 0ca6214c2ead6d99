"""One adjustment to the websocket server stack (daphne, on twisted and autobahn), made by saas/asgi.py.

autobahn pretty-prints the settings of every new connection for a debug log line
(``WebSocketProtocol._connectionMade``: ``log.debug("...", attrs=pformat(...))``). The argument is
formatted before the logger can decide to drop the line, so every socket paid for ``pprint`` even
with debug logging off: 5 % of the server CPU of opening a socket (docs/benchmarks.md, socket
opening). autobahn's module-level ``pformat`` is replaced with one that formats only while txaio,
autobahn's logging layer, is at ``debug`` or ``trace``; otherwise the log line is dropped anyway.
"""

import pprint
from typing import Any

NOT_FORMATTED = "(not formatted: autobahn debug logging is off)"


def _pformat_when_debugging(value: Any, *args: Any, **kwargs: Any) -> str:
    import txaio

    # txaio binds its API when a framework is chosen (daphne chooses twisted): unknown to mypy.
    if txaio.get_global_log_level() in ("debug", "trace"):  # type: ignore[attr-defined]
        return pprint.pformat(value, *args, **kwargs)
    return NOT_FORMATTED


def defer_autobahn_debug_formatting() -> None:
    """Install ``_pformat_when_debugging`` in autobahn's websocket protocol module (where installed)."""
    try:
        from autobahn.websocket import protocol
    except ImportError:  # a server without autobahn (no daphne): nothing to adjust
        return
    # Same calls as pprint.pformat (the argument names differ): autobahn passes one value.
    protocol.pformat = _pformat_when_debugging  # type: ignore[assignment]
