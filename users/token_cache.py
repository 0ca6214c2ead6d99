"""Dropping cached token answers (``users.services.token_user_cached``), below the models: the
querysets of users/models.py and the services both forget entries through here."""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS

from saas import cache as cache_keys
from saas.schemas import on_commit_in_this_schema


def forget_token_hashes(key_hashes: Iterable[str], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop cached token -> user entries now and again once the transaction commits (a request
    that read the old rows before the commit could otherwise cache them again). The second drop
    runs in the schema active now, whatever schema is active when the transaction commits."""
    keys = [cache_keys.auth_token_key(key_hash) for key_hash in key_hashes]
    if not keys:
        return
    cache.delete_many(keys)
    on_commit_in_this_schema(lambda: cache.delete_many(keys), using=using)
