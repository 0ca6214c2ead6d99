"""Websocket events of the notifications app and the only place channel group names are built.

Groups (docs/architecture.md, rule 7): ``<schema>.user.<id>`` reaches every socket of one user and
``<schema>.broadcast`` every socket of one tenant. Two tenants that both have a user 7 get
``acme.user.7`` and ``beta.user.7``, so they never share a group.

Two kinds of events travel through those groups:
  - ``notification.created``: one new notification, serialized (subscribers never query the
    database): its id, message, level, time and recipient, which is None for a broadcast. Its
    size does not depend on the number of users. It names its schema; a subscriber keeps it only
    when it is in its own tenant and is either a broadcast or addressed to itself.
  - ``stream.end``: the consumer closes the socket (logout, deactivated user, suspended or
    deleted tenant). It also names its schema and, when it concerns one user, that user.

Publishing never raises and never makes the caller wait: ``publisher`` hands each event to a
thread of its own with a long-lived event loop (and its own channel-layer connections), so a
request that commits a notification answers at once, and an event whose request has ended is
still sent. The process flushes what is queued when it exits. The rows are already committed
when publishing runs, and a client that missed an event catches up with the ``notifications``
query.
"""

import asyncio
import atexit
import concurrent.futures
import datetime as dt
import functools
import hashlib
import logging
import os
import re
import threading
from typing import TYPE_CHECKING, Any, cast

from channels.layers import get_channel_layer

from notifications.models import Notification
from saas.graphql.shared_events import share_results

if TYPE_CHECKING:
    from notifications.selectors import NotificationRow

logger = logging.getLogger(__name__)

NOTIFICATION_EVENT = "notification.created"
STREAM_END_EVENT = "stream.end"

# PostgreSQL schema names of tenants; with the suffixes below they stay within what channel
# layers accept as a group name ([a-zA-Z0-9_.-], fewer than 100 characters).
_SCHEMA_NAME = re.compile(r"^[a-zA-Z0-9_]{1,63}$")


class StreamEndReason:
    LOGOUT = "logout"
    USER_DEACTIVATED = "user_deactivated"
    CREDENTIALS_REVOKED = "credentials_revoked"
    TENANT_UNAVAILABLE = "tenant_unavailable"


def _group(schema_name: str, suffix: str) -> str:
    if not _SCHEMA_NAME.match(schema_name):
        raise ValueError(f"not a tenant schema name: {schema_name!r}")
    return f"{schema_name}.{suffix}"


def user_group(schema_name: str, user_id: int) -> str:
    """The group of every socket of one user of one tenant."""
    return _group(schema_name, f"user.{int(user_id)}")


def broadcast_group(schema_name: str) -> str:
    """The group of every socket of one tenant."""
    return _group(schema_name, "broadcast")


def subscriber_groups(schema_name: str, user_id: int) -> list[str]:
    """Every group a socket of this user joins."""
    return [user_group(schema_name, user_id), broadcast_group(schema_name)]


def event_group(event: dict[str, Any]) -> str | None:
    """The group an event of this module was sent to, from its own fields (None: not one of ours)."""
    schema_name = event.get("schema")
    if not isinstance(schema_name, str) or not _SCHEMA_NAME.match(schema_name):
        return None
    user_id = event.get("recipient") if event.get("type") == NOTIFICATION_EVENT else event.get("user_id")
    if user_id is None:
        return broadcast_group(schema_name)
    return user_group(schema_name, user_id) if isinstance(user_id, int) else None


def credential_fingerprint(raw_credential: str) -> str:
    """What identifies a token or session key in events, without revealing it."""
    return hashlib.sha256(raw_credential.encode()).hexdigest()


class Publisher:
    """Sends channel-layer events, in the order they were submitted, from a background thread
    that runs one event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue | None = None
        self._pid = 0
        self._pending: set[concurrent.futures.Future] = set()

    def _start(self) -> None:
        loop = asyncio.new_event_loop()
        queue: asyncio.Queue[tuple[str, dict[str, Any], concurrent.futures.Future]] = asyncio.Queue()
        self._loop, self._queue, self._pid, self._pending = loop, queue, os.getpid(), set()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self._drain(queue))

        threading.Thread(target=run, name="channel-events", daemon=True).start()

    def submit(self, group: str, event: dict[str, Any]) -> concurrent.futures.Future:
        """Queue ``event`` for ``group`` and return at once."""
        future: concurrent.futures.Future = concurrent.futures.Future()
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                self._start()
            assert self._loop is not None and self._queue is not None  # set by _start()
            self._pending.add(future)
            self._loop.call_soon_threadsafe(self._queue.put_nowait, (group, event, future))
        return future

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until every queued event has been sent or given up on."""
        with self._lock:
            pending = list(self._pending)
        concurrent.futures.wait(pending, timeout=timeout)

    async def _drain(self, queue: asyncio.Queue) -> None:
        while True:
            group, event, future = await queue.get()
            try:
                await get_channel_layer().group_send(group, event)
            except Exception:
                logger.warning(
                    "could not publish %s to %s; clients catch up by query", event["type"], group, exc_info=True
                )
                future.set_result(False)
            else:
                future.set_result(True)
            finally:
                with self._lock:
                    self._pending.discard(future)


publisher = Publisher()
atexit.register(publisher.flush)


def _send(group: str, event: dict[str, Any]) -> None:
    publisher.submit(group, event)


def notification_event(*, schema_name: str, notification: Notification) -> dict[str, Any]:
    """The event of one stored notification; the same few fields for a broadcast to any number of users."""
    return {
        "type": NOTIFICATION_EVENT,
        "schema": schema_name,
        "id": notification.pk,
        "recipient": notification.recipient_id,
        "message": notification.message,
        "level": notification.level,
        "created_at": notification.created_at.isoformat(),
    }


def publish_notification(*, schema_name: str, notification: Notification) -> None:
    """Push a new row: a broadcast to the tenant's group, a direct one to its recipient's group."""
    group = (
        broadcast_group(schema_name)
        if notification.recipient_id is None  # a broadcast
        else user_group(schema_name, notification.recipient_id)
    )
    _send(group, notification_event(schema_name=schema_name, notification=notification))


def notification_for(event: dict[str, Any], *, schema_name: str, user_id: int) -> "NotificationRow | None":
    """The notification an event holds for this tenant's user, or None when it is not theirs.

    Every subscriber of one process gets the same (read-only) instance for one event: a
    broadcast to a thousand sockets builds one model instance, not a thousand, and its
    ``shared_results`` let them share one execution per subscription document. A new
    notification is unread by everyone, so the read state is the same for all who get it.
    """
    if event.get("type") != NOTIFICATION_EVENT or event.get("schema") != schema_name:
        return None
    recipient_id = event.get("recipient")
    if recipient_id is not None and recipient_id != user_id:
        return None
    return _delivered(schema_name, event["id"], recipient_id, event["message"], event["level"], event["created_at"])


@functools.lru_cache(maxsize=256)
def _delivered(
    schema_name: str, notification_id: int, recipient_id: int | None, message: str, level: str, created_at: str
) -> "NotificationRow":
    notification = Notification(
        pk=notification_id,
        recipient_id=recipient_id,
        message=message,
        level=level,
        is_read=False,
        created_at=dt.datetime.fromisoformat(created_at),
    )
    row = cast("NotificationRow", notification)
    row.viewer_read = False  # as the selectors annotate it
    # One execution of each subscription document per event, shared by the sockets that get this
    # instance: this tenant's subscribers (a broadcast) or the recipient's (saas/graphql/shared_events.py).
    return share_results(row)


def publish_stream_end(
    *, schema_name: str, reason: str, user_id: int | None = None, credential: str | None = None
) -> None:
    """Close live sockets: of one user (and, given ``credential``, only those it authenticated), or of the tenant."""
    group = broadcast_group(schema_name) if user_id is None else user_group(schema_name, user_id)
    _send(
        group,
        {
            "type": STREAM_END_EVENT,
            "schema": schema_name,
            "user_id": user_id,
            "credential": credential_fingerprint(credential) if credential else None,
            "reason": reason,
        },
    )


def stream_ends(event: dict[str, Any], *, schema_name: str, user_id: int, fingerprint: str) -> bool:
    """Whether a ``stream.end`` event concerns this tenant's user's socket authenticated by ``fingerprint``."""
    if event.get("type") != STREAM_END_EVENT or event.get("schema") != schema_name:
        return False
    if event.get("user_id") not in (None, user_id):
        return False
    return event.get("credential") in (None, fingerprint)
