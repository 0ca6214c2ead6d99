"""Channel groups of live sockets and the stream-end protocol: the only place group names are built.

Groups (docs/architecture.md, rule 7): ``<schema>.user.<id>`` reaches every socket of one user and
``<schema>.broadcast`` every socket of one tenant. Two tenants that both have a user 7 get
``acme.user.7`` and ``beta.user.7``, so they never share a group. The websocket consumer joins
them and closes a socket on a ``stream.end`` event that concerns it; apps publish into them
(notifications.events).
"""

import hashlib
import re
from typing import Any

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


def stream_ends(event: dict[str, Any], *, schema_name: str, user_id: int, fingerprint: str) -> bool:
    """Whether a ``stream.end`` event concerns this tenant's user's socket authenticated by ``fingerprint``."""
    if event.get("type") != STREAM_END_EVENT or event.get("schema") != schema_name:
        return False
    if event.get("user_id") not in (None, user_id):
        return False
    return event.get("credential") in (None, fingerprint)


def event_group(event: dict[str, Any]) -> str | None:
    """The group an event was sent to, from its own fields (``schema``, ``user_id``; None when they
    name none): what the process's fan-out (saas/graphql/fanout.py) uses to reach local sockets."""
    schema_name = event.get("schema")
    if not isinstance(schema_name, str) or not _SCHEMA_NAME.match(schema_name):
        return None
    user_id = event.get("user_id")
    if user_id is None:
        return broadcast_group(schema_name)
    return user_group(schema_name, user_id) if isinstance(user_id, int) else None
