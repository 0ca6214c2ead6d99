"""The one question about schemas asked everywhere: is this the public schema?"""

from django.conf import settings
from django.db import connection


def is_public_schema(schema_name: str | None = None) -> bool:
    """Whether ``schema_name`` (by default: the connection's current schema) is the public schema,
    where the platform's own tables and operators live and no tenant's data does."""
    if schema_name is None:
        schema_name = getattr(connection, "schema_name", None)
    return schema_name == settings.PUBLIC_SCHEMA_NAME
