"""Subscriptions' side of the channel layer: a subscription that cannot listen closes its socket.

A subscription joins its channel groups when it starts. If that fails (Redis down, a pooled
connection that cannot be replaced, Redis refusing the command), the subscription would otherwise
end with an error the client may never act on, and the socket would stay open and silent.
Instead the socket is closed with 1011, which clients treat as "reconnect with backoff"
(docs/websockets.md); the new socket joins its groups again.

Only the ASGI server sends 1011 (for an application that failed; an application may not choose
that code itself), so the channel layer fails the consumer's own channel
(``ResilientRedisChannelLayer.fail_channel``) and the consumer ends with that error.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from saas.graphql.fanout import Route, process_fanout

logger = logging.getLogger(__name__)


async def _nothing() -> AsyncIterator[dict]:
    return
    yield  # pragma: no cover - makes this an async generator


@asynccontextmanager
async def group_messages(
    consumer, message_type: str, groups: list[str], route: Route
) -> AsyncIterator[AsyncIterator[dict]]:
    """Messages of ``message_type`` sent to ``groups``, through the process's fan-out
    (saas/graphql/fanout.py; ``route`` names a message's group); when the groups cannot be
    joined, the socket is closed with 1011 and no message comes."""
    async with AsyncExitStack() as stack:
        try:
            messages = await stack.enter_async_context(
                process_fanout().listen(message_type, groups, route, refresh=True)
            )
        except Exception:
            logger.warning("subscription could not join its channel groups; websocket closed with 1011", exc_info=True)
            fail_channel = getattr(consumer.channel_layer, "fail_channel", None)
            if fail_channel is not None:
                await fail_channel(consumer.channel_name)
            else:  # a channel layer without fail_channel: close as the application may (1000)
                await consumer.close()
            messages = _nothing()
        yield messages
