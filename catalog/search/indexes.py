"""Lifecycle of the active tenant's product index: create by rebuild, ensure, drop, drift check.

A rebuild never takes search down and never loses a write made while it runs:

1. take the tenant's rebuild lock and note the database clock;
2. fill a new concrete index from a consistent read of the products, each document at external
   version 0, the weakest claim (every outbox change, id >= 1, outranks it);
3. move the alias from the old index to the new one in one ``update_aliases`` call;
4. re-queue the outbox rows processed since step 1 (their pushes went to the old index) and
   relay everything pending into the new one;
5. delete the old concrete indexes (or, in the shared index, the tenant's older generations).

Both strategies (see ``documents``) go through the same steps, and a rebuild may move a tenant
from one to the other: that is how a live fleet changes strategy (``search_index --migrate-to``).
A rebuild of a tenant that is no longer registered (deleted meanwhile) creates nothing.
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.helpers import scan, streaming_bulk

from catalog.models import Product
from catalog.search import outbox
from catalog.search.client import get_client
from catalog.search.documents import (
    INDEX_MAPPINGS,
    INDEX_SETTINGS,
    SHARED,
    SHARED_MAPPINGS,
    IndexTarget,
    document_id,
    generation_of,
    is_concrete_index_of,
    new_concrete_index_name,
    new_generation,
    product_document,
    product_id_of,
    product_index_alias,
    shared_alias_filter,
    shared_index_name,
)
from tenants.db import connection

logger = logging.getLogger(__name__)

LOAD_BATCH_SIZE = 500
REBUILT_DOCUMENT_VERSION = 0


class TenantGone(RuntimeError):
    """The tenant was deleted: its index must not be created again."""


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
    strategy: str = "index"

    @property
    def has_drift(self) -> bool:
        return bool(self.database_count != self.index_count or self.missing or self.unexpected or self.stale)


@dataclass(frozen=True)
class _ExistingIndexes:
    aliased: list[str]
    stray: list[str]
    # A concrete index named like the alias: written by something that bypassed the alias.
    squatter: str | None
    # The generation the alias selects in the shared index, when it points there.
    shared_generation: str | None = None

    @property
    def all(self) -> list[str]:
        return [*self.aliased, *self.stray]


def alias_target(client: Elasticsearch, alias: str) -> IndexTarget | None:
    """What ``alias`` points at now (its write index), or None when it does not exist."""
    found = client.options(ignore_status=404).indices.get_alias(name=alias)
    for index, details in found.body.items():
        if not isinstance(details, dict) or alias not in details.get("aliases", {}):
            continue
        return IndexTarget(index=index, generation=generation_of(details["aliases"][alias]))
    return None


def _existing_indexes(client: Elasticsearch, alias: str) -> _ExistingIndexes:
    found = client.indices.get_alias(index=f"{alias}*", ignore_unavailable=True, allow_no_indices=True)
    aliased: list[str] = []
    stray: list[str] = []
    squatter: str | None = None
    for name, details in found.body.items():
        if name == alias:
            squatter = name
        elif is_concrete_index_of(alias, name):
            (aliased if alias in details.get("aliases", {}) else stray).append(name)
    target = alias_target(client, alias)
    shared_generation = target.generation if target is not None and target.index == shared_index_name() else None
    return _ExistingIndexes(
        aliased=sorted(aliased), stray=sorted(stray), squatter=squatter, shared_generation=shared_generation
    )


def shared_index_ensure(client: Elasticsearch) -> str:
    """Create the shared index if it is missing; returns its name."""
    index = shared_index_name()
    if not client.indices.exists(index=index):
        client.options(ignore_status=400).indices.create(
            index=index,
            settings={**INDEX_SETTINGS, "number_of_shards": settings.SEARCH_SHARED_INDEX_SHARDS},
            mappings=SHARED_MAPPINGS,
        )
    return index


def shared_index_drop_if_unused() -> str | None:
    """Delete the shared index once no tenant's alias points at it; returns its name if deleted."""
    client = get_client()
    index = shared_index_name()
    found = client.options(ignore_status=404).indices.get_alias(index=index)
    details = found.body.get(index)
    if not isinstance(details, dict) or details.get("aliases"):
        return None
    client.options(ignore_status=404).indices.delete(index=index)
    return index


def _tenant_registered(schema: str) -> bool:
    from tenants.models import Client

    return Client.objects.filter(schema_name=schema).exists()


def index_rebuild(*, on_progress: Callable[[int], object] | None = None, strategy: str | None = None) -> RebuildResult:
    """Rebuild the active tenant's index from PostgreSQL with no downtime (see the module doc),
    in ``strategy`` (default: ``SEARCH_INDEX_STRATEGY``).

    ``on_progress`` is called with the number of documents each time some are loaded. Raises
    ``TenantGone`` when the tenant is no longer registered.
    """
    client = get_client()
    schema = connection.schema_name
    alias = product_index_alias()
    strategy = strategy or settings.SEARCH_INDEX_STRATEGY
    with outbox.rebuild_lock():
        # Under the lock that tenant deletion takes before dropping the index: a rebuild that
        # raced the deletion either finished first (and its index is dropped) or stops here.
        if not _tenant_registered(schema):
            raise TenantGone(schema)
        started_at = outbox.database_clock()
        existing = _existing_indexes(client, alias)
        if strategy == SHARED:
            target = IndexTarget(index=shared_index_ensure(client), generation=new_generation())
        else:
            target = IndexTarget(index=new_concrete_index_name(alias))
            client.indices.create(index=target.index, settings=INDEX_SETTINGS, mappings=INDEX_MAPPINGS)
        try:
            documents = _load(client, target, schema, on_progress)
            client.indices.refresh(index=target.index)
            _move_alias(client, alias, target, existing, schema)
        except BaseException:
            _delete_unfinished(client, target, schema)
            raise
        requeued = outbox.outbox_requeue_since(started_at)
        relayed = outbox.outbox_relay()
        if existing.all:
            client.indices.delete(index=existing.all)
        if target.shared or existing.shared_generation:
            _delete_shared_documents(client, schema, keep_generation=target.generation)
    logger.info(
        "rebuilt %s into %s%s: %d documents, %d changes re-queued",
        alias,
        target.index,
        f" (generation {target.generation})" if target.shared else "",
        documents,
        requeued,
    )
    return RebuildResult(
        index=target.index, documents=documents, requeued=requeued, relayed=relayed, deleted_indexes=existing.all
    )


def _delete_shared_documents(client: Elasticsearch, schema: str, *, keep_generation: str | None = None) -> int:
    """Delete the tenant's documents from the shared index (all, or all but one generation)."""
    index = shared_index_name()
    if not client.indices.exists(index=index):
        return 0
    query: dict = {"bool": {"filter": [{"term": {"tenant": schema}}]}}
    if keep_generation:
        query["bool"]["must_not"] = [{"term": {"generation": keep_generation}}]
    response = client.delete_by_query(index=index, query=query, routing=schema, conflicts="proceed", refresh=True)
    return response.get("deleted", 0)


def _delete_unfinished(client: Elasticsearch, target: IndexTarget, schema: str) -> None:
    try:
        if target.generation is not None:  # shared
            client.delete_by_query(
                index=target.index,
                query={"bool": {"filter": shared_alias_filter(schema, target.generation)["bool"]["filter"]}},
                routing=schema,
                conflicts="proceed",
            )
        else:
            client.options(ignore_status=404).indices.delete(index=target.index)
    except (ApiError, TransportError):
        logger.warning("could not delete the unfinished %s; the next rebuild will", target, exc_info=True)


def _load(client: Elasticsearch, target: IndexTarget, schema: str, on_progress: Callable[[int], object] | None) -> int:
    def actions() -> Iterator[dict]:
        # One server-side cursor: a single consistent snapshot of the products.
        for product in Product.objects.order_by("pk").iterator(chunk_size=LOAD_BATCH_SIZE):
            action = {
                "_index": target.index,
                "_id": document_id(product.pk, target, schema),
                "_version": REBUILT_DOCUMENT_VERSION,
                "_version_type": "external",
                "_source": product_document(product, target, schema),
            }
            if target.shared:
                action["_routing"] = schema
            yield action

    loaded = 0
    for _ok, _item in streaming_bulk(client, actions(), chunk_size=LOAD_BATCH_SIZE):
        loaded += 1
        if on_progress is not None:
            on_progress(1)
    return loaded


def _move_alias(
    client: Elasticsearch, alias: str, target: IndexTarget, existing: _ExistingIndexes, schema: str
) -> None:
    actions: list[dict] = [{"remove": {"index": name, "alias": alias}} for name in existing.aliased]
    if existing.shared_generation:
        actions.append({"remove": {"index": shared_index_name(), "alias": alias}})
    if existing.squatter:
        actions.append({"remove_index": {"index": existing.squatter}})
    if target.generation is not None:  # shared
        add = {
            "index": target.index,
            "alias": alias,
            "filter": shared_alias_filter(schema, target.generation),
            "routing": schema,
            "is_write_index": True,
        }
    else:
        add = {"index": target.index, "alias": alias, "is_write_index": True}
    actions.append({"add": add})
    client.indices.update_aliases(actions=actions)


def index_ensure() -> bool:
    """Create the active tenant's index (by a rebuild) if it is missing; True when it was.
    A tenant deleted meanwhile gets none (False)."""
    if get_client().indices.exists_alias(name=product_index_alias()):
        return False
    try:
        index_rebuild()
    except TenantGone:
        return False
    return True


def index_drop(schema: str | None = None) -> list[str]:
    """Delete every index and document of a tenant (``schema``, or the active one) in both
    strategies, the alias with them. Holds the tenant's rebuild lock, so a rebuild racing a
    deletion cannot create the index again afterwards. Raises when search is unreachable."""
    client = get_client()
    schema = schema or connection.schema_name
    alias = product_index_alias(schema)
    with outbox.rebuild_lock(schema):
        existing = _existing_indexes(client, alias)
        names = [*existing.all, *([existing.squatter] if existing.squatter else [])]
        if names:
            client.indices.delete(index=names)
        if existing.shared_generation:
            client.options(ignore_status=404).indices.delete_alias(index=shared_index_name(), name=alias)
        if _delete_shared_documents(client, schema) or existing.shared_generation:
            names.append(shared_index_name())
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
        product_id_of(hit["_id"]): hit.get("_source", {}).get("updated_at")
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
        strategy=SHARED if (alias_target(client, alias) or IndexTarget("")).shared else "index",
    )
