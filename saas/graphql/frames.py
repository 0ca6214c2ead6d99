"""graphql-transport-ws frames, checked before the protocol handler reads them.

Strawberry's handler indexes every frame as the protocol's message objects (``message["type"]``,
``message["payload"]["query"]``). A frame that is valid JSON of another shape (``[]``, ``1``,
``null``, a subscribe whose payload is a string or whose id is an object) raised out of its loop,
which ended the socket's handler but left the socket open, before authentication and past the
init timeout. Here every frame is checked against the message shapes of the protocol
(docs/security.md links them) and anything else closes the socket with 4400, as the protocol
prescribes for invalid messages. JSON that cannot be decoded at all (too deeply nested, a number
too long to convert) is invalid JSON, also 4400. Should the handler still fail, the socket is
closed with 1011 rather than left open without a reader.

Errors the protocol handler words itself get an ``extensions.code`` like every other error:
RATE_LIMITED for a subscribe beyond ``WEBSOCKET_MAX_SUBSCRIPTIONS``, BAD_USER_INPUT otherwise.
"""

import json
import logging
from contextlib import suppress
from typing import Any

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler

from saas.errors import ErrorCode
from saas.graphql.shared_events import frame_body

logger = logging.getLogger(__name__)

CLOSE_BAD_REQUEST = 4400
CLOSE_INTERNAL_ERROR = 1011

# How strawberry words the refusal of a subscribe beyond ``max_subscriptions_per_connection``.
SUBSCRIPTION_LIMIT_MESSAGE = "Subscription limit reached"

_CLIENT_MESSAGE_TYPES = {"connection_init", "ping", "pong", "subscribe", "complete"}
_OPTIONAL_OBJECT = (dict, type(None))
_OPTIONAL_STRING = (str, type(None))


def decode_frame(text: str) -> Any:
    """The frame's JSON value; ``json.JSONDecodeError`` for anything that does not decode."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError) as error:
        # Nesting beyond the recursion limit, or an integer longer than Python converts.
        raise json.JSONDecodeError(f"Undecodable JSON: {error.__class__.__name__}", text[:32], 0) from error


def frame_problem(message: Any) -> str | None:
    """Why ``message`` is not a client message of graphql-transport-ws, or None when it is one.

    The reason is short: it becomes the close frame's reason (at most 123 bytes).
    """
    if not isinstance(message, dict):
        return "Message must be a JSON object"
    kind = message.get("type")
    if not isinstance(kind, str) or kind not in _CLIENT_MESSAGE_TYPES:
        return "Unknown message type"
    if kind in ("connection_init", "ping", "pong"):
        return None if isinstance(message.get("payload"), _OPTIONAL_OBJECT) else "Payload must be an object"
    operation_id = message.get("id")
    if not isinstance(operation_id, str) or not operation_id:
        return "Message id must be a non-empty string"
    if kind == "complete":
        return None
    payload = message.get("payload")
    if not isinstance(payload, dict):
        return "Subscribe payload must be an object"
    if not isinstance(payload.get("query"), str):
        return "Subscribe query must be a string"
    if not isinstance(payload.get("operationName"), _OPTIONAL_STRING):
        return "Subscribe operationName must be a string or null"
    for name in ("variables", "extensions"):
        if not isinstance(payload.get(name), _OPTIONAL_OBJECT):
            return f"Subscribe {name} must be an object or null"
    return None


def next_frame(operation_id: str, payload_body: str) -> str:
    """A ``next`` message around an already serialized payload."""
    return f'{{"id":{json.dumps(operation_id)},"type":"next","payload":{payload_body}}}'


def _with_code(error: dict) -> dict:
    """Every error leaves with ``extensions.code``, those the protocol handler words itself included."""
    if (error.get("extensions") or {}).get("code"):
        return error
    code = ErrorCode.RATE_LIMITED if error.get("message") == SUBSCRIPTION_LIMIT_MESSAGE else ErrorCode.BAD_USER_INPUT
    return {**error, "extensions": {**(error.get("extensions") or {}), "code": str(code)}}


class CheckedTransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    """Strawberry's graphql-transport-ws handler behind a frame check (see the module docstring)."""

    async def handle(self) -> None:
        try:
            await super().handle()
        except Exception:
            logger.exception("websocket protocol handler failed; closing the socket")
            with suppress(Exception):
                await self.websocket.close(code=CLOSE_INTERNAL_ERROR, reason="Internal server error")

    async def send_message(self, message: Any) -> None:
        if message.get("type") == "next":
            body = frame_body(message["payload"])
            if body is not None:
                # A result shared by every subscriber of the process (saas/graphql/shared_events.py):
                # serialized once, framed here with this operation's id.
                await self.view.send(next_frame(message["id"], body))  # type: ignore[attr-defined]  # the consumer
                return
        if message.get("type") == "error":
            message = {**message, "payload": [_with_code(error) for error in message["payload"]]}
        await super().send_message(message)

    async def handle_message(self, message: Any) -> None:
        problem = frame_problem(message)
        if problem is not None:
            await self.handle_invalid_message(problem)
            return
        if message["type"] == "connection_init" and message.get("payload") is None:
            # The protocol allows a null payload; strawberry expects an object.
            message = {**message, "payload": {}}
        await super().handle_message(message)
