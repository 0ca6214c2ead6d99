"""Caps on concurrent websockets, per user and per client address, shared by every server process.

Each open socket holds a lease in two Redis sorted sets (``<prefix>:ws:user:<schema>:<id>`` and
``<prefix>:ws:address:<address>``), scored by when the lease runs out. Taking a slot is one Lua
call: drop run-out leases, refuse when a set is full, else add the socket to both. Closing a
socket removes it; each process renews its sockets' leases every third of
``WEBSOCKET_SLOT_LEASE_SECONDS``, so the slots of a process that died free themselves.

When Redis cannot be reached the caps are not enforced (and the failure is logged): the socket
needs the channel layer anyway, which then refuses it on its own terms.
"""

import asyncio
import logging
import time
from weakref import WeakKeyDictionary

from django.conf import settings
from redis.asyncio import Redis

logger = logging.getLogger(__name__)

_TAKE = """
local now, lease, member = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
for index, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  local cap = tonumber(ARGV[3 + index])
  if cap > 0 and redis.call('ZCARD', key) >= cap then return index end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now + lease, member)
  redis.call('EXPIRE', key, math.ceil(lease))
end
return 0
"""

USER, ADDRESS = "user", "address"


class _ProcessSlots:
    """The Redis client and the slots held by this process's sockets (one per event loop)."""

    def __init__(self) -> None:
        self.redis = Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
        self.take = self.redis.register_script(_TAKE)
        self.held: dict[str, tuple[str, ...]] = {}
        self.renewer: asyncio.Task | None = None

    async def renew_forever(self) -> None:
        lease = settings.WEBSOCKET_SLOT_LEASE_SECONDS
        while True:
            await asyncio.sleep(lease / 3)
            if not self.held:
                continue
            try:
                async with self.redis.pipeline(transaction=False) as pipe:
                    until = time.time() + lease
                    for member, keys in list(self.held.items()):
                        for key in keys:
                            pipe.zadd(key, {member: until}, xx=True)
                            pipe.expire(key, int(lease) + 1)
                    await pipe.execute()
            except Exception:
                logger.warning("could not renew websocket slots", exc_info=True)


_slots: "WeakKeyDictionary[asyncio.AbstractEventLoop, _ProcessSlots]" = WeakKeyDictionary()


def _process_slots() -> _ProcessSlots:
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = _ProcessSlots()
    slots = _slots[loop]
    if slots.renewer is None or slots.renewer.done():
        slots.renewer = loop.create_task(slots.renew_forever())
    return slots


def _keys(schema_name: str, user_id: int, address: str) -> tuple[str, str]:
    prefix = settings.REDIS_KEY_PREFIX
    return f"{prefix}:ws:user:{schema_name}:{int(user_id)}", f"{prefix}:ws:address:{address}"


async def take_slot(*, socket_id: str, schema_name: str, user_id: int, address: str) -> str | None:
    """Reserve a slot for this socket; None when taken, else which cap is full (``USER`` or ``ADDRESS``)."""
    caps = (settings.WEBSOCKET_MAX_PER_USER, settings.WEBSOCKET_MAX_PER_ADDRESS)
    if not any(caps):
        return None  # both caps off: nothing to count
    slots = _process_slots()
    keys = _keys(schema_name, user_id, address)
    try:
        full = await slots.take(keys=keys, args=[time.time(), settings.WEBSOCKET_SLOT_LEASE_SECONDS, socket_id, *caps])
    except Exception:
        logger.warning("could not check websocket caps; admitting the socket", exc_info=True)
        return None
    if full:
        return (USER, ADDRESS)[int(full) - 1]
    slots.held[socket_id] = keys
    return None


async def release_slot(*, socket_id: str) -> None:
    """Give back the slot a socket took (nothing when it took none)."""
    slots = _process_slots()
    keys = slots.held.pop(socket_id, None)
    if not keys:
        return
    try:
        async with slots.redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.zrem(key, socket_id)
            await pipe.execute()
    except Exception:
        logger.warning("could not release a websocket slot; its lease runs out", exc_info=True)
