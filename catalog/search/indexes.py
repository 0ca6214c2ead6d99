"""Lifecycle of the active tenant's product index: create by rebuild, ensure, drop, drift check.

A rebuild never takes search down and never loses a write made while it runs:

1. take the tenant's rebuild lock and note the database clock;
2. fill a new concrete index from a consistent read of the products, each document at external
   version 0, the weakest claim (every outbox change, id >= 1, outranks it);
3. move the alias from the old index to the new one in one ``update_aliases`` call;
4. re-queue the outbox rows processed since step 1 (their pushes went to the old index) and
   relay everything pending into the new one;
5. delete the old concrete indexes.
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection
from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.helpers import scan, streaming_bulk

from catalog.models import Product
from catalog.search import outbox
from catalog.search.client import get_client
from catalog.search.documents import (
    INDEX_MAPPINGS,
    INDEX_SETTINGS,
    is_concrete_index_of,
    new_concrete_index_name,
    product_document,
    product_index_alias,
)

logger = logging.getLogger(__name__)

LOAD_BATCH_SIZE = 500
REBUILT_DOCUMENT_VERSION = 0


@dataclass(frozen=True)
class RebuildResult:
    """What one rebuild did: the new concrete index, documents loaded, changes re-applied."""

    index: str
    documents: int
    requeued: int
    relayed: outbox.RelayResult
    deleted_indexes: list[str]


@dataclass
class DriftReport:
    """Database and index of one tenant compared by count, id set and ``updated_at``."""

    schema: str
    database_count: int
    index_count: int
    missing: list[int] = field(default_factory=list)
    unexpected: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    pending: int = 0

    @property
    def has_drift(self) -> bool:
        return bool(self.database_count != self.index_count or self.missing or self.unexpected or self.stale)


@dataclass(frozen=True)
class _ExistingIndexes:
    aliased: list[str]
    stray: list[str]
    # A concrete index named like the alias: written by something that bypassed the alias.
    squatter: str | None

    @property
    def all(self) -> list[str]:
        return [*self.aliased, *self.stray]


def _existing_indexes(client: Elasticsearch, alias: str) -> _ExistingIndexes:
    found = client.indices.get_alias(index=f"{alias}*", ignore_unavailable=True, allow_no_indices=True)
    aliased, stray, squatter = [], [], None
    for name, details in found.body.items():
        if name == alias:
            squatter = name
        elif is_concrete_index_of(alias, name):
            (aliased if alias in details.get("aliases", {}) else stray).append(name)
    return _ExistingIndexes(aliased=sorted(aliased), stray=sorted(stray), squatter=squatter)


def index_rebuild(*, on_progress: Callable[[int], None] | None = None) -> RebuildResult:
    """Rebuild the active tenant's index from PostgreSQL with no downtime (see the module doc).

    ``on_progress`` is called with the number of documents each time some are loaded.
    """
    client = get_client()
    alias = product_index_alias()
    with outbox.rebuild_lock():
        started_at = outbox.database_clock()
        existing = _existing_indexes(client, alias)
        index = new_concrete_index_name(alias)
        client.indices.create(index=index, settings=INDEX_SETTINGS, mappings=INDEX_MAPPINGS)
        try:
            documents = _load(client, index, on_progress)
            client.indices.refresh(index=index)
            _move_alias(client, alias, index, existing)
        except BaseException:
            _delete_unfinished(client, index)
            raise
        requeued = outbox.outbox_requeue_since(started_at)
        relayed = outbox.outbox_relay()
        if existing.all:
            client.indices.delete(index=existing.all)
    logger.info("rebuilt %s as %s: %d documents, %d changes re-queued", alias, index, documents, requeued)
    return RebuildResult(
        index=index, documents=documents, requeued=requeued, relayed=relayed, deleted_indexes=existing.all
    )


def _delete_unfinished(client: Elasticsearch, index: str) -> None:
    try:
        client.options(ignore_status=404).indices.delete(index=index)
    except (ApiError, TransportError):
        logger.warning("could not delete the unfinished index %s; the next rebuild will", index, exc_info=True)


def _load(client: Elasticsearch, index: str, on_progress: Callable[[int], None] | None) -> int:
    def actions() -> Iterator[dict]:
        # One server-side cursor: a single consistent snapshot of the products.
        for product in Product.objects.order_by("pk").iterator(chunk_size=LOAD_BATCH_SIZE):
            yield {
                "_index": index,
                "_id": product.pk,
                "_version": REBUILT_DOCUMENT_VERSION,
                "_version_type": "external",
                "_source": product_document(product),
            }

    loaded = 0
    for _ok, _item in streaming_bulk(client, actions(), chunk_size=LOAD_BATCH_SIZE):
        loaded += 1
        if on_progress is not None:
            on_progress(1)
    return loaded


def _move_alias(client: Elasticsearch, alias: str, index: str, existing: _ExistingIndexes) -> None:
    actions: list[dict] = [{"remove": {"index": name, "alias": alias}} for name in existing.aliased]
    if existing.squatter:
        actions.append({"remove_index": {"index": existing.squatter}})
    actions.append({"add": {"index": index, "alias": alias, "is_write_index": True}})
    client.indices.update_aliases(actions=actions)


def index_ensure() -> bool:
    """Create the active tenant's index (by a rebuild) if it is missing; True when it was."""
    if get_client().indices.exists_alias(name=product_index_alias()):
        return False
    index_rebuild()
    return True


def index_drop() -> list[str]:
    """Delete every concrete index of the active tenant (the alias goes with them)."""
    client = get_client()
    existing = _existing_indexes(client, product_index_alias())
    names = [*existing.all, *([existing.squatter] if existing.squatter else [])]
    if names:
        client.indices.delete(index=names)
    return names


def index_document_count() -> int:
    """How many documents the active tenant's index holds."""
    return get_client().count(index=product_index_alias())["count"]


def index_check() -> DriftReport:
    """Compare the active tenant's products in PostgreSQL with the documents in its index."""
    client = get_client()
    alias = product_index_alias()
    client.indices.refresh(index=alias)
    in_database = {pk: updated_at.isoformat() for pk, updated_at in Product.objects.values_list("pk", "updated_at")}
    in_index = {
        int(hit["_id"]): hit.get("_source", {}).get("updated_at")
        for hit in scan(client, index=alias, query={"query": {"match_all": {}}}, _source=["updated_at"], size=1000)
    }
    return DriftReport(
        schema=connection.schema_name,
        database_count=len(in_database),
        index_count=client.count(index=alias)["count"],
        missing=sorted(in_database.keys() - in_index.keys()),
        unexpected=sorted(in_index.keys() - in_database.keys()),
        stale=sorted(pk for pk in in_database.keys() & in_index.keys() if in_index[pk] != in_database[pk]),
        pending=outbox.outbox_pending_count(),
    )
