"""The search outbox: product changes recorded with the product, pushed to the index after commit.

Write path: a Product signal adds a ``SearchOutbox`` row in the transaction that changes the
product; once that transaction commits, one relay per transaction pushes its rows. A push reads
each product's current row from PostgreSQL (a product that is gone becomes a delete) and writes
it with external version = the newest outbox id of that product, so pushes may repeat or arrive
out of order and the index still ends with the newest state. Rows that could not be pushed stay
pending with ``attempts`` and ``last_error``; ``search_sync`` replays them.

Pushed rows are marked processed, not deleted: a rebuild that runs meanwhile re-queues every row
processed after it started, because those changes went to the index it is replacing. Pruning
processed rows therefore waits while a rebuild of that tenant holds the rebuild lock.
"""

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, F, Func
from django_tenants.utils import schema_context
from elasticsearch import ApiError, TransportError
from elasticsearch.helpers import streaming_bulk

from catalog.models import Product, SearchOutbox
from catalog.search.client import get_client
from catalog.search.documents import IndexTarget, document_id, product_document, product_id_of, product_index_alias
from saas import cache as cache_keys
from tenants.db import connection

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_ERROR_LENGTH = 2000


class StatementTimestamp(Func):
    """PostgreSQL's wall clock when the statement starts (``now()`` stops at transaction start).

    ``statement_timestamp()``, not ``clock_timestamp()``: it is STABLE, so a Citus coordinator
    evaluates it before routing the UPDATE to a tenant's worker, where a VOLATILE function is
    refused (docs/scaling.md).
    """

    template = "statement_timestamp()"
    output_field = DateTimeField()


@dataclass
class RelayResult:
    """How many outbox rows one relay run pushed and how many stay pending after failing."""

    pushed: int = 0
    failed: int = 0


def outbox_record(*, product_id: int, op: str) -> SearchOutbox:
    """Record a product change in the active transaction and relay it once that commits."""
    row = SearchOutbox.objects.create(product_id=product_id, op=op)
    _relay_after_commit(first_id=row.pk)
    return row


class RelayAfterCommit:
    """Pushes the outbox rows of one committed transaction (ids from ``first_id`` on)."""

    def __init__(self, schema: str, first_id: int):
        self.schema = schema
        self.first_id = first_id
        self.done = False

    def __call__(self) -> None:
        self.done = True
        try:
            with schema_context(self.schema):
                outbox_relay(min_id=self.first_id)
        except Exception:
            # The change is committed and its outbox row too; search_sync will push it.
            logger.exception("search outbox relay failed for %s; search_sync will replay it", self.schema)


def _relay_after_commit(*, first_id: int) -> None:
    schema = connection.schema_name
    # django-stubs declares the entries as pairs; Django 5 stores (savepoint ids, callback, robust).
    for _savepoints, callback, _robust in connection.run_on_commit:  # type: ignore[misc]
        if isinstance(callback, RelayAfterCommit) and callback.schema == schema and not callback.done:
            return
    transaction.on_commit(RelayAfterCommit(schema, first_id), robust=True)


def outbox_relay(*, min_id: int = 0) -> RelayResult:
    """Push the active tenant's pending rows (from ``min_id`` on), a batch at a time.

    Rows are locked while pushed (``SKIP LOCKED``), so concurrent relays never push the same row
    twice at once. Stops at the first batch with a failure instead of retrying in a loop.
    """
    result = RelayResult()
    while True:
        with transaction.atomic():
            rows = list(
                SearchOutbox.objects.select_for_update(skip_locked=True)
                .filter(processed_at__isnull=True, pk__gte=min_id)
                .order_by("pk")[:BATCH_SIZE]
            )
            if not rows:
                break
            failures = _push(rows)
            _settle(rows, failures)
        failed = sum(1 for row in rows if row.product_id in failures)
        result.pushed += len(rows) - failed
        result.failed += failed
        if failed or len(rows) < BATCH_SIZE:
            break
    if result.pushed:
        cache_keys.bump_generation(cache_keys.PRODUCTS)
    return result


def _push(rows: list[SearchOutbox]) -> dict[int, str]:
    versions: dict[int, int] = {}
    for row in rows:
        versions[row.product_id] = max(versions.get(row.product_id, 0), row.version)
    return push_products(versions)


def push_products(versions: dict[int, int]) -> dict[int, str]:
    """Write each product's current state (or its deletion) at the given version.

    Returns why each product that did not make it failed; an empty dict when all did.
    """
    from catalog.search.indexes import alias_target

    alias = product_index_alias()
    schema = connection.schema_name
    products = Product.objects.in_bulk(list(versions))

    def actions(target: IndexTarget) -> Iterator[dict]:
        for product_id, version in versions.items():
            action = {
                "_index": alias,
                "_id": document_id(product_id, target, schema),
                "_version": version,
                "_version_type": "external",
            }
            product = products.get(product_id)
            if product is None:
                yield {**action, "_op_type": "delete"}
            else:
                yield {**action, "_op_type": "index", "_source": product_document(product, target, schema)}

    failures: dict[int, str] = {}
    try:
        # Writes follow the alias, whatever the strategy setting says: id and fields of the
        # index it points at now (a strategy migration may be under way).
        target = alias_target(get_client(), alias)
        if target is None:
            return dict.fromkeys(versions, f"index_not_found_exception: no alias {alias}")
        # require_alias: a missing alias is an error here, never an auto-created unmapped index.
        # refresh: a search right after the write (and its cache entry) already sees the change.
        for _ok, item in streaming_bulk(
            get_client(), actions(target), chunk_size=BATCH_SIZE, raise_on_error=False, require_alias=True, refresh=True
        ):
            ((op, outcome),) = item.items()
            if not _applied(op, outcome):
                failures[product_id_of(outcome["_id"])] = (
                    _describe(outcome.get("error")) or f"status {outcome.get('status')}"
                )
    except (ApiError, TransportError) as error:
        logger.warning("search index unreachable, %d product changes stay in the outbox: %s", len(versions), error)
        return dict.fromkeys(versions, f"{error.__class__.__name__}: {error}")
    if failures:
        logger.warning("search index refused %d product changes: %s", len(failures), next(iter(failures.values())))
    return failures


def _applied(op: str, outcome: dict) -> bool:
    status = outcome.get("status", 500)
    if 200 <= status < 300:
        return True
    if status == 409:
        # version_conflict: a newer version of this document is already indexed.
        return True
    # Deleting a document that is not there: already done (without "error", the index exists).
    return op == "delete" and status == 404 and "error" not in outcome


def _describe(error) -> str:
    if isinstance(error, dict):
        return f"{error.get('type')}: {error.get('reason')}"
    return str(error or "")


def _settle(rows: list[SearchOutbox], failures: dict[int, str]) -> None:
    pushed = [row.pk for row in rows if row.product_id not in failures]
    if pushed:
        SearchOutbox.objects.filter(pk__in=pushed).update(processed_at=StatementTimestamp())
    failed_by_error: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.product_id in failures:
            failed_by_error[failures[row.product_id][:MAX_ERROR_LENGTH]].append(row.pk)
    for error, ids in failed_by_error.items():
        SearchOutbox.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1, last_error=error)


def database_clock() -> datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def outbox_requeue_since(started_at: datetime) -> int:
    """Make rows processed since ``started_at`` pending again (a rebuild missed their pushes).

    Relays still pushing hold their rows locked; their push may have reached the index the alias
    has just left, yet they mark the rows processed only when they commit. Waiting on those locks
    first lets such rows be re-queued too.
    """
    with transaction.atomic():
        list(SearchOutbox.objects.select_for_update().filter(processed_at__isnull=True).values_list("pk", flat=True))
        return SearchOutbox.objects.filter(processed_at__gte=started_at).update(processed_at=None)


def rebuild_lock_key(schema: str | None = None) -> int:
    schema = schema or connection.schema_name
    digest = hashlib.blake2b(f"catalog.search.rebuild:{schema}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def rebuild_lock(schema: str | None = None) -> Iterator[None]:
    """Hold a tenant's rebuild lock (a PostgreSQL advisory lock of this session): of ``schema``,
    or of the active tenant.

    Waits for a running prune or rebuild of the same tenant to finish first.
    """
    key = rebuild_lock_key(schema)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def outbox_prune() -> int:
    """Delete the active tenant's processed rows, unless a rebuild of this tenant is running."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s)", [rebuild_lock_key()])
            if not cursor.fetchone()[0]:
                return 0
        deleted, _ = SearchOutbox.objects.filter(processed_at__isnull=False).delete()
    return deleted


def outbox_pending_count() -> int:
    """Changes of the active tenant not yet in its index."""
    return SearchOutbox.objects.filter(processed_at__isnull=True).count()


def outbox_backlog_and_oldest() -> tuple[int, datetime | None]:
    """Changes not yet in the index over every tenant, and when the oldest of them was recorded
    (the relay's lag), in one query."""
    # Identifiers cannot be query parameters; these are schema names validated at tenant creation, quoted.
    from tenants.models import Client

    schemas = list(
        Client.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).values_list("schema_name", flat=True)
    )
    if not schemas:
        return 0, None
    quote = connection.ops.quote_name
    table = quote(SearchOutbox._meta.db_table)
    per_tenant = " UNION ALL ".join(
        f"SELECT count(*) AS pending, min(created_at) AS oldest FROM {quote(schema)}.{table}"  # noqa: S608
        " WHERE processed_at IS NULL"
        for schema in schemas
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(sum(pending), 0), min(oldest) FROM ({per_tenant}) AS t")  # noqa: S608
        pending, oldest = cursor.fetchone()
    return int(pending), oldest
