"""The Redis channel layer, made to recover from a Redis restart by itself.

channels-redis keeps a pool of Redis connections per event loop. When Redis restarts, every idle
connection in that pool is dead, and redis-py only finds out when a command fails on it: without
help, each stale connection fails one group join (a refused websocket) before the pool is clean.
A Redis restart also empties Redis, and with it every group membership: a socket that kept
receiving afterwards would never hear from its groups again.

``ResilientRedisChannelLayer`` therefore:

- on a connection error, drops every idle connection of the pool at once (the next command dials
  a fresh one), and retries ``group_add``, ``group_discard``, ``send`` and ``group_send`` once.
  They are safe to repeat: group changes are idempotent, and a message is only sent twice when
  Redis fails between storing it and answering, where the notifications it carries are
  delivered at most once anyway and clients re-read by query;
- never retries ``receive``. When a receive meets a connection error, Redis may have restarted
  and lost the groups of every channel this process handed out so far: those channels' receives
  fail (``ChannelLayerReset``), so their websockets close with 1011 and clients reconnect and
  join again. Channels made afterwards are unaffected;
- lets a caller fail one channel (``fail_channel``): a subscription that could not join its
  groups ends its socket with 1011 that way (saas/graphql/subscriptions.py).
"""

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Iterable

from channels_redis.core import RedisChannelLayer
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What a dead or restarted Redis raises; other Redis errors (permissions, scripts) are not retried.
CONNECTION_ERRORS = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError)


class ChannelLayerReset(RedisConnectionError):
    """The channel was made before Redis went away, or it could not join its groups: what it
    should receive may never reach it."""


class ResilientRedisChannelLayer(RedisChannelLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Bumped when a receive loses Redis; channel names carry the generation they were made in.
        self.generation = 0
        self._failed_channels: set[str] = set()
        # Receives in progress (task -> channel), and those this layer cancelled on purpose.
        self._receiving: dict[asyncio.Task, str] = {}
        self._interrupted: set[asyncio.Task] = set()

    # --- channels ---------------------------------------------------------------------------

    async def new_channel(self, prefix="specific"):
        name = await super().new_channel(prefix)
        local, _, suffix = name.partition("!")
        return f"{local}!g{self.generation}-{suffix}"

    @staticmethod
    def _generation_of(channel: str) -> int | None:
        _, _, suffix = channel.partition("!")
        if not suffix.startswith("g") or "-" not in suffix:
            return None
        try:
            return int(suffix[1:].split("-", 1)[0])
        except ValueError:
            return None

    def _orphaned(self, channel: str) -> bool:
        made_in = self._generation_of(channel)
        return made_in is not None and made_in < self.generation

    def _check_receivable(self, channel: str) -> None:
        if channel in self._failed_channels:
            self._failed_channels.discard(channel)
            raise ChannelLayerReset(f"{channel} could not join its groups")
        if self._orphaned(channel):
            raise ChannelLayerReset(f"Redis went away after {channel} was made")

    def _interrupt_receives(self) -> None:
        """Stop the pending receives of failed and orphaned channels (they raise ChannelLayerReset)."""
        for task, channel in list(self._receiving.items()):
            if (channel in self._failed_channels or self._orphaned(channel)) and task not in self._interrupted:
                self._interrupted.add(task)
                task.cancel()

    async def fail_channel(self, channel: str) -> None:
        """Make the pending (or next) receive of ``channel`` raise: its consumer then ends with an
        error, which the ASGI server reports to a websocket client as close code 1011."""
        self._failed_channels.add(channel)
        self._interrupt_receives()

    async def _drop_idle_connections(self, error: BaseException) -> None:
        """A pooled connection failed: the others idle beside it are likely dead too (Redis restarted)."""
        logger.warning("channel layer lost a Redis connection (%s); idle connections dropped", error)
        layer = self._layers.get(asyncio.get_running_loop())
        for client in list(getattr(layer, "_connections", {}).values()):
            try:
                await client.connection_pool.disconnect(inuse_connections=False)
            except Exception:  # noqa: BLE001 - closing a dead socket may fail too; it is dropped either way
                logger.debug("dropping idle channel layer connections failed", exc_info=True)

    async def _receive_failed(self, error: BaseException) -> None:
        """Redis went away under this process's listening channels: they may have lost their groups.

        Every open socket has a receive pending, and one of them waits in Redis for the whole
        process, so a Redis that goes away always fails a receive: that is the signal to orphan
        the channels made so far."""
        self.generation += 1
        self._interrupt_receives()
        await self._drop_idle_connections(error)

    async def _once_more_on_connection_error(self, operation, *args):
        try:
            return await operation(*args)
        except CONNECTION_ERRORS as error:
            await self._drop_idle_connections(error)
        return await operation(*args)

    # --- operations ---------------------------------------------------------------------------

    async def send(self, channel, message):
        return await self._once_more_on_connection_error(super().send, channel, message)

    async def group_add(self, group, channel):
        return await self._once_more_on_connection_error(super().group_add, group, channel)

    async def group_add_many(self, groups: Iterable[str], channel: str) -> None:
        """``group_add`` for several groups at once: one pipelined round trip per Redis shard instead
        of two per group (a subscription renews its user's and its tenant's group as it starts).
        Written against the same channels-redis helpers its ``group_add`` uses (``_group_key``,
        ``consistent_hash``, ``connection``), with the same sorted-set entry and expiry."""
        return await self._once_more_on_connection_error(self._group_add_many, list(groups), channel)

    async def _group_add_many(self, groups: list[str], channel: str) -> None:
        assert self.require_valid_channel_name(channel), "Channel name not valid"
        by_shard: dict[int, list[str]] = defaultdict(list)
        for group in groups:
            assert self.require_valid_group_name(group), "Group name not valid"
            by_shard[self.consistent_hash(group)].append(group)
        now = time.time()
        for shard, shard_groups in by_shard.items():
            async with self.connection(shard).pipeline(transaction=False) as pipe:
                for group in shard_groups:
                    key = self._group_key(group)
                    pipe.zadd(key, {channel: now})
                    pipe.expire(key, self.group_expiry)
                await pipe.execute()

    async def group_discard(self, group, channel):
        return await self._once_more_on_connection_error(super().group_discard, group, channel)

    async def group_send(self, group, message):
        return await self._once_more_on_connection_error(super().group_send, group, message)

    async def receive(self, channel):
        self._check_receivable(channel)
        task = asyncio.current_task()
        assert task is not None  # a coroutine runs in a task
        self._receiving[task] = channel
        try:
            return await super().receive(channel)
        except asyncio.CancelledError:
            if task not in self._interrupted:
                raise
            # Cancelled by this layer, not by the caller: report why instead.
            task.uncancel()
            self._check_receivable(channel)
            raise ChannelLayerReset(f"{channel} can no longer be received") from None
        except CONNECTION_ERRORS as error:
            self._receiving.pop(task, None)
            await self._receive_failed(error)
            raise
        finally:
            self._receiving.pop(task, None)
            self._interrupted.discard(task)
