"""One channel-layer listener per server process, fanning group messages out to its sockets.

Without it every socket joins its channel groups itself, so a group message is stored in Redis once
per socket and read back once per socket, and opening a socket costs a Redis group join per group.
Here each process (each event loop) has one channel of its own (``ProcessFanout.channel``) that
joins a group when the first local socket listens to it, and leaves it when the last one stops.
A message sent to a group is then one Redis message per process that has sockets in it, and the
process hands it to its local listeners of that group by putting it on their queues; a socket
that opens in a process already listening to its groups makes no Redis call to join them.

Channel-layer messages do not say which group they were sent to, so listeners name a ``route``:
the group a message belongs to, from its own fields (for notification events,
``notifications.events.event_group``). Listeners re-check every message they get anyway.

Faults keep the behaviour of the channel layer (saas/channel_layer.py): a listener that cannot
join its groups raises, and when Redis goes away under the process the sockets' own channels fail
(1011) as before, while this channel is replaced and joins its groups again for the sockets that
open afterwards. channels-redis's pub/sub layer would also send one message per process, but it
keeps group memberships in the process across a Redis restart and has no per-channel failure:
the close-on-restart and close-on-failed-join guarantees would be lost.
"""

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any
from weakref import WeakKeyDictionary

from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

# A burst of sockets (every client reconnecting after a deploy, say) joins groups all at once, and
# the channel layer's Redis pool raises instead of waiting once its connections are all in use.
# Group joins and leaves of one process therefore take turns in a few slots.
GROUP_CHANGES_AT_ONCE = 16
# channels-redis drops a group member after ``group_expiry`` (a day by default): memberships of
# the process channel are renewed long before that.
MEMBERSHIP_RENEWAL_SECONDS = 3600
GROUP_LOCK_STRIPES = 64

Route = Callable[[dict[str, Any]], str | None]


class _Listener:
    __slots__ = ("groups", "message_type", "queue")

    def __init__(self, message_type: str, groups: Sequence[str]):
        self.message_type = message_type
        self.groups = tuple(dict.fromkeys(groups))
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()


class ProcessFanout:
    """The process's channel, its group memberships and its local listeners (one per event loop)."""

    def __init__(self, layer: Any):
        self.layer = layer
        self.channel: str | None = None
        self._listeners: dict[str, set[_Listener]] = defaultdict(set)
        self._joined: set[str] = set()
        # Joins and leaves of one group take turns; striped locks, so their number stays bounded.
        self._group_locks = [asyncio.Lock() for _ in range(GROUP_LOCK_STRIPES)]
        self._background: set[asyncio.Task] = set()
        self._routes: dict[str, Route] = {}
        self._slots = asyncio.Semaphore(GROUP_CHANGES_AT_ONCE)
        self._channel_lock = asyncio.Lock()
        self._receiver: asyncio.Task | None = None
        self._renewer: asyncio.Task | None = None

    # --- the process channel ---------------------------------------------------------------

    def _stale(self) -> bool:
        orphaned = getattr(self.layer, "_orphaned", None)
        return self.channel is None or (orphaned is not None and orphaned(self.channel))

    async def _ensure_channel(self) -> None:
        async with self._channel_lock:
            if not self._stale() and self._receiver is not None and not self._receiver.done():
                return
            # The default prefix: channels-redis reads every process-local channel of one prefix
            # with a single blocking pop, which the sockets' channels already keep going.
            self.channel = await self.layer.new_channel()
            self._joined.clear()
            self._receiver = asyncio.create_task(self._receive_forever(self.channel))
            if self._renewer is None or self._renewer.done():
                self._renewer = asyncio.create_task(self._renew_forever())

    async def _receive_forever(self, channel: str) -> None:
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - Redis went away or the channel was orphaned
                logger.warning("process fan-out channel lost; it is replaced on the next join", exc_info=True)
                if self.channel == channel:
                    self._joined.clear()
                    self.channel = None
                # Sockets open now were made on the lost channel's watch and fail on their own
                # channels; any socket still listening gets a fresh channel and joins again.
                with contextlib.suppress(Exception):
                    await self._rejoin()
                return
            self.dispatch(message)

    async def _rejoin(self) -> None:
        groups = [group for group, listeners in self._listeners.items() if listeners]
        if not groups:
            return
        await asyncio.sleep(0.5)
        await self._ensure_channel()
        await self._join(groups)

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(MEMBERSHIP_RENEWAL_SECONDS)
            for group in list(self._joined):
                if self.channel is None:
                    break
                try:
                    async with self._slots:
                        await self.layer.group_add(group, self.channel)
                except Exception:  # noqa: BLE001 - the next renewal or a rejoin tries again
                    logger.warning("could not renew the process channel's membership of %s", group, exc_info=True)

    # --- memberships -----------------------------------------------------------------------

    @staticmethod
    def _stripe_of(group: str) -> int:
        return hash(group) % GROUP_LOCK_STRIPES

    def _lock_of(self, group: str) -> asyncio.Lock:
        return self._group_locks[self._stripe_of(group)]

    async def _join(self, groups: Sequence[str], refresh: bool = False) -> None:
        """Join ``groups`` not joined yet (all of them with ``refresh``), in one channel-layer call
        where the layer has ``group_add_many`` (saas/channel_layer.py)."""
        async with contextlib.AsyncExitStack() as held:
            # Stripes are taken in one order, so two joins never wait on each other's stripes.
            for stripe in sorted({self._stripe_of(group) for group in groups}):
                await held.enter_async_context(self._group_locks[stripe])
            pending = [group for group in groups if refresh or group not in self._joined]
            if not pending:
                return
            channel = self.channel
            async with self._slots:
                add_many = getattr(self.layer, "group_add_many", None)
                if add_many is not None:
                    await add_many(pending, channel)
                else:
                    for group in pending:
                        await self.layer.group_add(group, channel)
            if channel == self.channel:
                self._joined.update(pending)

    async def _leave_if_unused(self, group: str) -> None:
        async with self._lock_of(group):
            if self._listeners.get(group) or group not in self._joined:
                return
            self._joined.discard(group)
            self._listeners.pop(group, None)
            try:
                async with self._slots:
                    await self.layer.group_discard(group, self.channel)
            except Exception:  # noqa: BLE001 - a stale member only costs a message that nobody takes
                logger.debug("could not leave %s", group, exc_info=True)

    # --- listening -------------------------------------------------------------------------

    def dispatch(self, message: dict[str, Any]) -> int:
        """Hand ``message`` to the local listeners of its group; how many got it."""
        message_type = message.get("type", "")
        route = self._routes.get(message_type)
        try:
            group = route(message) if route is not None else None
        except Exception:  # noqa: BLE001 - a malformed message must not stop the process's deliveries
            logger.warning("undeliverable %s message", message_type, exc_info=True)
            return 0
        if group is None:
            return 0
        delivered = 0
        for listener in self._listeners.get(group, ()):
            if listener.message_type == message_type:
                listener.queue.put_nowait(message)
                delivered += 1
        return delivered

    @contextlib.asynccontextmanager
    async def listen(
        self, message_type: str, groups: Sequence[str], route: Route, *, refresh: bool = False
    ) -> AsyncIterator[AsyncIterator]:
        """Messages of ``message_type`` sent to any of ``groups``; raises when a group cannot be joined.

        A group the process channel is already in costs no Redis call, unless ``refresh``: then the
        membership is renewed in Redis all the same, which fails (and so does this) when Redis
        refuses group changes. Subscriptions refresh, so that one whose deliveries Redis would not
        route closes its socket instead of staying silent (saas/graphql/subscriptions.py).
        """
        self._routes[message_type] = route
        listener = _Listener(message_type, groups)
        for group in listener.groups:
            self._listeners[group].add(listener)
        try:
            if self._stale() or self._receiver is None or self._receiver.done():
                await self._ensure_channel()
            if refresh or not self._joined.issuperset(listener.groups):
                await self._join(listener.groups, refresh=refresh)
            yield _messages(listener.queue)
        finally:
            for group in listener.groups:
                self._listeners[group].discard(listener)
                if not self._listeners[group]:
                    # Left in the background: closing a socket does not wait for Redis.
                    task = asyncio.get_running_loop().create_task(self._leave_if_unused(group))
                    self._background.add(task)
                    task.add_done_callback(self._background.discard)


async def _messages(queue: asyncio.Queue) -> AsyncIterator[dict[str, Any]]:
    while True:
        message = await queue.get()
        yield message


_fanouts: "WeakKeyDictionary[asyncio.AbstractEventLoop, ProcessFanout]" = WeakKeyDictionary()


def process_fanout() -> ProcessFanout:
    """This event loop's fan-out, on the default channel layer."""
    loop = asyncio.get_running_loop()
    fanout = _fanouts.get(loop)
    if fanout is None:
        fanout = _fanouts[loop] = ProcessFanout(get_channel_layer())
    return fanout
