"""Log context: every record carries the tenant schema and the request id."""

import contextvars
import logging

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
schema_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("schema", default=None)


def current_schema() -> str:
    schema = schema_var.get()
    if schema:
        return schema
    from django.db import connection

    return getattr(connection, "schema_name", None) or "-"


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.schema = current_schema()
        return True
