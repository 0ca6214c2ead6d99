"""PostgreSQL connections that die under a request: recognised, reads retried once, the rest
reported as SERVICE_UNAVAILABLE.

A connection can be killed (server restart, failover, ``pg_terminate_backend``, a proxy's idle
timeout) between two requests or in the middle of one. Persistent connections are checked before
a request reuses them (``CONN_HEALTH_CHECKS``, saas/settings.py). A read that still meets a dead
connection, outside any transaction, has changed nothing: it runs once more on a fresh
connection. Writes are never repeated here; their failure reaches the client as
SERVICE_UNAVAILABLE, and what they committed stays committed.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.db import InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)

T = TypeVar("T")

# SQLSTATEs of a connection the server closed: admin_shutdown, crash_shutdown, cannot_connect_now.
_SERVER_CLOSED = {"57P01", "57P02", "57P03"}
# query_canceled (statement_timeout, or a cancel request) and lock_not_available (lock_timeout).
_TOO_SLOW = {"57014", "55P03"}

STATEMENT_TIMEOUT_MESSAGE = "The request took too long and was cancelled. Please try again shortly."


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database could not be reached or dropped the connection (as
    opposed to a bad query): the request may succeed if tried again shortly."""
    return isinstance(error, (OperationalError, InterfaceError))


def statement_timed_out(error: BaseException) -> bool:
    """Whether PostgreSQL cancelled the statement for running (or waiting for a lock) too long
    (``DATABASE_STATEMENT_TIMEOUT_MS``): the connection is fine, the statement is not retried."""
    return isinstance(error, OperationalError) and getattr(error.__cause__, "sqlstate", None) in _TOO_SLOW


def connection_lost(error: BaseException) -> bool:
    """Whether ``error`` left the default connection unusable, so a fresh one could do better."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", None) or ""
    if sqlstate.startswith("08") or sqlstate in _SERVER_CLOSED:
        return True
    raw = connection.connection
    return raw is None or bool(getattr(raw, "closed", False)) or bool(getattr(raw, "broken", False))


def may_retry_read(error: BaseException) -> bool:
    """A read failed on a lost connection and no transaction is open: nothing was done, try again."""
    return connection_lost(error) and not connection.in_atomic_block


def reconnect_for_retry(error: BaseException, what: str) -> None:
    logger.warning("database connection lost during %s; retrying once on a fresh connection: %s", what, error)
    connection.close()


def retry_read_once(read: Callable[..., T], *args, **kwargs) -> T:
    """``read(*args, **kwargs)``, once more on a fresh connection if the first one was lost."""
    try:
        return read(*args, **kwargs)
    except (OperationalError, InterfaceError) as error:
        if not may_retry_read(error):
            raise
        reconnect_for_retry(error, getattr(read, "__name__", "a read"))
    return read(*args, **kwargs)
