"""Websocket events of the notifications app and the only place channel group names are built.

Groups (ARCHITECTURE.md rule 7): ``<schema>.user.<id>`` reaches every socket of one user and
``<schema>.broadcast`` every socket of one tenant. Two tenants that both have a user 7 get
``acme.user.7`` and ``beta.user.7``, so they never share a group.

Two kinds of events travel through those groups:
  - ``notification.created``: new notification rows, serialized (subscribers never query the
    database). It names its schema and, for every row, the recipient; a subscriber keeps only
    the row addressed to itself in its own tenant, whichever group delivered the event.
  - ``stream.end``: the consumer closes the socket (logout, deactivated user, suspended or
    deleted tenant). It also names its schema and, when it concerns one user, that user.

Publishing never raises: the rows are already committed when it runs, and a client that
missed an event catches up with the ``notifications`` query.
"""

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Sequence
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from notifications.models import Notification

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


def credential_fingerprint(raw_credential: str) -> str:
    """What identifies a token or session key in events, without revealing it."""
    return hashlib.sha256(raw_credential.encode()).hexdigest()


def _send(group: str, event: dict[str, Any]) -> bool:
    try:
        async_to_sync(get_channel_layer().group_send)(group, event)
    except Exception:
        logger.warning("could not publish %s to %s; clients catch up by query", event["type"], group, exc_info=True)
        return False
    return True


def notification_event(*, schema_name: str, notifications: Sequence[Notification]) -> dict[str, Any]:
    """One event for rows that share message, level and time (one send or one broadcast)."""
    first = notifications[0]
    return {
        "type": NOTIFICATION_EVENT,
        "schema": schema_name,
        "message": first.message,
        "level": first.level,
        "created_at": first.created_at.isoformat(),
        "deliveries": [[notification.recipient_id, notification.pk] for notification in notifications],
    }


def publish_notifications(*, schema_name: str, notifications: Sequence[Notification], broadcast: bool) -> None:
    """Push new rows to their recipients: one tenant-wide event, or one event per recipient's group."""
    if not notifications:
        return
    if broadcast:
        _send(broadcast_group(schema_name), notification_event(schema_name=schema_name, notifications=notifications))
        return
    for notification in notifications:
        _send(
            user_group(schema_name, notification.recipient_id),
            notification_event(schema_name=schema_name, notifications=[notification]),
        )


def notification_for(event: dict[str, Any], *, schema_name: str, user_id: int) -> Notification | None:
    """The notification an event holds for this tenant's user, or None when it is not theirs."""
    if event.get("type") != NOTIFICATION_EVENT or event.get("schema") != schema_name:
        return None
    notification_id = next(
        (delivered_id for recipient_id, delivered_id in event.get("deliveries", []) if recipient_id == user_id), None
    )
    if notification_id is None:
        return None
    return Notification(
        pk=notification_id,
        recipient_id=user_id,
        message=event["message"],
        level=event["level"],
        is_read=False,
        created_at=dt.datetime.fromisoformat(event["created_at"]),
    )


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
