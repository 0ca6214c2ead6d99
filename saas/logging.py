"""Log context: every record carries the tenant schema and the request id."""

import contextvars
import logging

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
schema_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("schema", default=None)


def current_schema() -> str:
    schema = schema_var.get()
    if schema:
        return schema
    from django.apps import apps

    if not apps.ready:
        # Records written while Django starts (asyncio's selector line at DEBUG, for one) come
        # before the database connections can be looked at: they belong to no tenant.
        return "-"
    from django.db import connection

    return getattr(connection, "schema_name", None) or "-"


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.schema = current_schema()
        return True


class CacheOutageFilter(logging.Filter):
    """django-redis reports every swallowed Redis error at ERROR with a traceback; a cache outage
    is a degraded mode we serve through, so it becomes one WARNING line naming the error."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            record.msg = "cache unavailable, serving without it: %s: %s"
            record.args = (error.__class__.__name__, error)
            record.exc_info = None
            record.exc_text = None
        record.levelno = logging.WARNING
        record.levelname = "WARNING"
        return True


class StatementTimeoutFilter(logging.Filter):
    """Django logs an exception that escapes a middleware or view at ERROR with its traceback, then
    the 503 answered for it at ERROR again. A statement cancelled by the statement timeout is a
    bounded, expected failure (``DATABASE_STATEMENT_TIMEOUT_MS``, docs/operations.md): both become
    WARNING lines, the first naming the error without the traceback. Other records pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        from saas.db import statement_timed_out

        request = getattr(record, "request", None)
        error = record.exc_info[1] if record.exc_info else getattr(request, "uncaught_exception", None)
        if error is None or not statement_timed_out(error):
            return True
        if record.exc_info:
            record.msg = "statement cancelled at %s (statement timeout): %s"
            record.args = (getattr(request, "path", "-"), str(error).strip())
            record.exc_info = None
            record.exc_text = None
        record.levelno = logging.WARNING
        record.levelname = "WARNING"
        return True
