"""The only module that builds cache keys and bumps cache generations.

Django's cache passes every key through django-tenants' ``make_key``, which prefixes the
active schema, so a key built here for ``catalog:products:detail:7`` is stored in Redis as
``acme:<prefix>:1:catalog:products:detail:7`` while acme is active and never meets beta's.

Lists and searches embed a per-tenant generation number: a write bumps it, and every older
list or search entry is simply never read again (it expires by TTL) — no SCAN on the hot path.

Redis is an accelerator, not a dependency: django-redis is configured to swallow and log
connection errors (``DJANGO_REDIS_IGNORE_EXCEPTIONS``), so a Redis outage turns every read
into a miss and every write into a no-op.
"""

import contextlib
import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django_tenants.utils import schema_context

from saas.observability import cache_lookup
from saas.schemas import connection, on_commit_in_this_schema

logger = logging.getLogger(__name__)

_MISSING = object()

PRODUCTS = "catalog:products"


def make_hash_tagged_key(key: str, key_prefix: str, version: int) -> str:
    """django-tenants' key layout with the schema as a Redis Cluster hash tag: ``{acme}:<prefix>:1:<key>``.

    Every key of one tenant then hashes to one slot, so the multi-key commands used here
    (``delete_many``, ``unlink`` of a namespace) stay on one node of a cluster. Selected with
    ``REDIS_HASH_TAGS``; ``django_tenants.cache.reverse_key`` reads these keys as well.
    """
    return f"{{{connection.schema_name}}}:{key_prefix}:{version}:{key}"


def _digest(params: dict[str, Any]) -> str:
    canonical = json.dumps(params, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _generation(namespace: str) -> int:
    return cache.get_or_set(f"{namespace}:gen", time.time_ns, timeout=None) or 0


def bump_generation(namespace: str) -> None:
    cache.set(f"{namespace}:gen", time.time_ns(), timeout=None)


def product_detail_key(product_id: int) -> str:
    return f"{PRODUCTS}:detail:{int(product_id)}"


def product_list_key(params: dict[str, Any]) -> str:
    return f"{PRODUCTS}:list:{_generation(PRODUCTS)}:{_digest(params)}"


def product_search_key(params: dict[str, Any]) -> str:
    return f"{PRODUCTS}:search:{_generation(PRODUCTS)}:{_digest(params)}"


def graphql_response_key(digest: str) -> str:
    """A whole GraphQL response of the active tenant (saas/graphql/response_cache.py). The entry
    stores the catalog generation it was computed under; ``catalog_generation_and`` reads both."""
    return f"graphql:response:{digest}"


def catalog_generation_and(key: str) -> tuple[int, Any]:
    """The active tenant's catalog generation and the value stored at ``key``, in one round trip
    (None for a missing value)."""
    generation_key = f"{PRODUCTS}:gen"
    values = cache.get_many([generation_key, key])
    generation = values.get(generation_key)
    return (generation if generation is not None else _generation(PRODUCTS)), values.get(key)


def auth_token_key(key_hash: str) -> str:
    """The user a bearer token (by its stored hash) signs in, cached briefly (users.services)."""
    return f"auth:token:{key_hash}"


def invalidate_product(product_id: int) -> None:
    """Forget one product's detail entry and every list and search page of the active tenant."""
    cache.delete(product_detail_key(product_id))
    bump_generation(PRODUCTS)


def invalidate_product_on_commit(product_id: int) -> None:
    """``invalidate_product`` once the write commits, in the schema active now (not at commit time)."""
    on_commit_in_this_schema(lambda: invalidate_product(product_id))


def get_or_compute(key: str, compute: Callable[[], Any], timeout: int | None = None) -> Any:
    """Cache-aside read: the cached value on a hit, else ``compute()`` stored for ``timeout``."""
    value = cache.get(key, _MISSING)
    cache_lookup(hit=value is not _MISSING)
    if value is not _MISSING:
        return value
    value = compute()
    cache.set(key, value, timeout=settings.CACHE_TTL_SECONDS if timeout is None else timeout)
    return value


def login_attempts_keys(*, client_address: str, email: str) -> list[str]:
    """Sign-in attempt counters from one client address and for one account; per tenant because
    the schema prefixes them."""
    return [
        f"auth:login-attempts:address:{hashlib.sha256(client_address.encode()).hexdigest()[:32]}",
        f"auth:login-attempts:account:{hashlib.sha256(email.encode()).hexdigest()[:32]}",
    ]


def counter_decrement(key: str) -> None:
    # A counter that expired meanwhile has nothing left to give back.
    with contextlib.suppress(ValueError):
        cache.decr(key)


def counter_increment(key: str, window_seconds: int) -> int:
    """Add one to a counter that expires ``window_seconds`` after its first increment.

    Returns the new count, or 0 when Redis is unreachable (counting fails open like every read).
    """
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key) or 0
    except ValueError:
        # The counter expired between add() and incr(): this failure opens a new window.
        cache.set(key, 1, timeout=window_seconds)
        return 1


def domain_key(hostname: str) -> str:
    return f"tenants:domain:{hashlib.sha256(hostname.encode()).hexdigest()[:32]}"


def tenant_domains_key(tenant_id: int) -> str:
    """Every host name of one tenant (the Origins its websockets accept, saas/graphql/tenancy.py)."""
    return f"tenants:domains:{int(tenant_id)}"


def forget_domains(hostnames: list[str], tenant_ids: Sequence[int] = ()) -> None:
    """Drop cached host -> tenant lookups and the cached host lists of ``tenant_ids`` (kept in the
    public namespace)."""
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        cache.delete_many([domain_key(host) for host in hostnames] + [tenant_domains_key(pk) for pk in tenant_ids])


def tenant_namespace_pattern(schema_name: str) -> str:
    """Every Redis key of one tenant's namespace, generation keys included (see the module doc)."""
    with schema_context(schema_name):
        # make_key puts the schema first; "*" in place of version and key covers every version.
        prefix = cache.make_key("", version=0).rsplit(":", 2)[0]
    # Braces of a hash-tagged key are literal in a SCAN pattern; [ ] ? * never occur in schema names.
    return f"{prefix}:*"


def redis_client() -> Any:
    """The redis-py client behind the default cache (the write side), past the cache's error handling.

    ``Any``: django-redis ships no types, and redis-py's cannot tell bytes from str replies.
    """
    return cache.client.get_client(write=True)  # type: ignore[attr-defined]  # django-redis: not in Django's cache stubs


def clear_tenant_namespace(schema_name: str, hostnames: Sequence[str] = ()) -> int:
    """Delete every cache key of one deleted tenant and its cached host lookups; returns how many.

    Talks to Redis directly rather than through the cache (which swallows connection errors), so
    an unreachable Redis raises and the caller can keep the work queued. SCANs: deletion only.
    """
    redis = redis_client()
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        keys = [cache.make_key(domain_key(host)) for host in hostnames]
    deleted = redis.unlink(*keys) if keys else 0
    batch: list = []
    for key in redis.scan_iter(match=tenant_namespace_pattern(schema_name), count=1000):
        batch.append(key)
        if len(batch) >= 1000:
            deleted += redis.unlink(*batch)
            batch = []
    if batch:
        deleted += redis.unlink(*batch)
    return deleted
