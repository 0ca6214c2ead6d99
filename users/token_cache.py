"""Dropping cached token answers (``users.services.token_user_cached``), below the models: the
querysets of users/models.py and the services both forget entries through here."""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django_tenants.utils import schema_context

from saas import cache as cache_keys
from saas.schemas import connection


def forget_token_hashes(key_hashes: Iterable[str], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop cached token -> user entries now and again once the transaction commits (a request
    that read the old rows before the commit could otherwise cache them again). The second drop
    runs in the schema active now, whatever schema is active when the transaction commits."""
    keys = [cache_keys.auth_token_key(key_hash) for key_hash in key_hashes]
    if not keys:
        return
    cache.delete_many(keys)
    schema_name = connection.schema_name

    def forget_again() -> None:
        with schema_context(schema_name):
            cache.delete_many(keys)

    transaction.on_commit(forget_again, using=using)
