"""What a deleted tenant leaves outside PostgreSQL, queued until it is gone.

A tenant owns resources in other services: its search documents, its cache namespace (the
generation keys included, which never expire), its channel groups and live sockets. Each app
registers a cleaner for its kind with ``register``; a cleaner removes one schema's resources and
raises when its service cannot be reached.

``tenant_delete`` records one ``TenantLeftover`` row per kind in the transaction that drops the
schema, then runs the cleaners: a row is deleted when its cleaner succeeded and kept, with the
error, when it did not. ``leftovers_clean`` retries what is queued; the search relay
(``search_sync``) runs it on every pass and ``clean_leftovers`` runs it once. A schema name with
leftovers still queued cannot be provisioned again (``tenant_create`` tries to clean them first),
so a re-created tenant never meets its predecessor's documents, cache entries or groups.
"""

import logging
from collections.abc import Callable

from django.db import transaction

from tenants.models import TenantLeftover

logger = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 2000

Cleaner = Callable[[str, dict], object]  # the return value, if any, is not used
_cleaners: dict[str, Cleaner] = {}


def register(kind: str, cleaner: Cleaner) -> None:
    """Clean ``kind`` resources of deleted tenants with ``cleaner(schema_name, detail)``."""
    _cleaners[kind] = cleaner


def leftovers_record(*, schema_name: str, detail: dict) -> None:
    """Queue every registered kind for ``schema_name`` (call inside the deleting transaction)."""
    for kind in _cleaners:
        TenantLeftover.objects.update_or_create(
            schema_name=schema_name, kind=kind, defaults={"detail": detail, "attempts": 0, "last_error": ""}
        )


def leftovers_clean(*, schema_name: str | None = None) -> list[TenantLeftover]:
    """Run the cleaners of queued leftovers (of one schema, or all); returns those still queued."""
    queued = TenantLeftover.objects.all()
    if schema_name is not None:
        queued = queued.filter(schema_name=schema_name)
    remaining = []
    for leftover in queued:
        cleaner = _cleaners.get(leftover.kind)
        if cleaner is None:
            remaining.append(leftover)
            continue
        try:
            cleaner(leftover.schema_name, leftover.detail)
        except Exception as error:
            leftover.attempts += 1
            leftover.last_error = f"{error.__class__.__name__}: {error}"[:MAX_ERROR_LENGTH]
            TenantLeftover.objects.filter(pk=leftover.pk).update(
                attempts=leftover.attempts, last_error=leftover.last_error
            )
            logger.warning(
                "could not clean the %s of deleted tenant %s yet: %s",
                leftover.kind,
                leftover.schema_name,
                leftover.last_error,
            )
            remaining.append(leftover)
            continue
        with transaction.atomic():
            TenantLeftover.objects.filter(pk=leftover.pk).delete()
        logger.info("cleaned the %s of deleted tenant %s", leftover.kind, leftover.schema_name)
    return remaining


def leftovers_pending(schema_name: str) -> list[str]:
    """Kinds still queued for ``schema_name``."""
    return list(TenantLeftover.objects.filter(schema_name=schema_name).values_list("kind", flat=True))
