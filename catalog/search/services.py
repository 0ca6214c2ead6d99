"""Product search: relevance-ordered ids from the tenant's index, products from PostgreSQL.

The client's text only ever becomes the ``query`` of ``multi_match``/``match`` clauses, which
analyze it as plain words: no query syntax, no field names, no index names or wildcards reach
Elasticsearch from a client, and the index is always the active tenant's alias.
"""

import logging

from django.conf import settings
from django.utils import timezone
from elasticsearch import ApiError, TransportError

from catalog.models import Product
from catalog.search.client import get_client
from catalog.search.documents import product_id_of, product_index_alias
from catalog.search.indexes import index_document_count
from catalog.search.outbox import outbox_backlog_and_oldest, outbox_pending_count
from saas import cache as cache_keys
from saas.errors import BadUserInput, SearchUnavailable
from saas.graphql.relay import page_size

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 256
DEFAULT_RESULTS = 20
# Field boosts: a hit in the name counts three times a hit in the description, in the SKU twice.
TEXT_FIELDS = ("name^3", "sku_parts^2", "description")
PREFIX_FIELDS = ("name^3", "sku_parts^2")
EXACT_SKU_BOOST = 6


def search_health() -> dict:
    info = get_client().info()
    return {"ok": True, "version": info.get("version", {}).get("number")}


def search_figures() -> dict:
    """Document count of the active tenant's index and its changes still waiting in the outbox
    (the tenant console, tenants.admin_views)."""
    try:
        return {"ok": True, "documents": index_document_count(), "backlog": outbox_pending_count()}
    except Exception as exc:
        logger.warning("search figures unavailable: %s", exc.__class__.__name__)
        return {"ok": False, "error": exc.__class__.__name__}


def search_readiness() -> dict:
    """The ``search`` part of /readyz (saas.health): the search server's answer, how many product
    changes wait in the tenants' outboxes (reported even while search is down, when the number
    grows) and how long the oldest has waited. A backlog older than ``SEARCH_BACKLOG_STALE_SECONDS``
    means nothing is draining it (the relay is down or cannot reach search): search is then not ok,
    even if it answers."""
    try:
        report = search_health()
    except Exception as exc:
        logger.warning("readiness check search failed: %s", exc.__class__.__name__)
        report = {"ok": False, "error": exc.__class__.__name__}
    report["outbox_pending"], oldest = outbox_backlog_and_oldest()
    age = None if oldest is None else max(0.0, (timezone.now() - oldest).total_seconds())
    report["outbox_oldest_pending_seconds"] = None if age is None else round(age, 1)
    report["outbox_stale"] = age is not None and age > settings.SEARCH_BACKLOG_STALE_SECONDS
    if report["outbox_stale"]:
        logger.warning("search outbox backlog is stale: oldest pending change waited %.0f s", age)
        report["ok"] = False
    return report


def _relevance_query(text: str) -> dict:
    return {
        "bool": {
            "should": [
                # Whole words, typos forgiven (AUTO: 1 edit from 3 letters, 2 from 6).
                {"multi_match": {"query": text, "fields": list(TEXT_FIELDS), "fuzziness": "AUTO", "prefix_length": 1}},
                # The word being typed: "rock" finds "Rocket".
                {"multi_match": {"query": text, "type": "phrase_prefix", "fields": list(PREFIX_FIELDS)}},
                # The exact SKU, whatever its case, comes first.
                {"match": {"sku": {"query": text, "boost": EXACT_SKU_BOOST}}},
            ],
            "minimum_should_match": 1,
        }
    }


def _search_ids(text: str, size: int) -> list[int]:
    try:
        response = get_client().search(
            index=product_index_alias(),
            query=_relevance_query(text),
            size=size,
            source=False,
            track_total_hits=False,
        )
    except (ApiError, TransportError) as error:
        logger.warning("product search failed: %s: %s", error.__class__.__name__, error)
        raise SearchUnavailable() from error
    return [product_id_of(hit["_id"]) for hit in response["hits"]["hits"]]


def product_search_cached(*, query: str, first: int | None = DEFAULT_RESULTS) -> list[Product]:
    """Up to ``first`` products of the active tenant matching ``query``, most relevant first.

    ``query`` is trimmed and its whitespace collapsed; longer than ``MAX_QUERY_LENGTH`` characters
    it is refused (BAD_USER_INPUT), blank it matches nothing. ``first`` is 0 to
    ``GRAPHQL_MAX_PAGE_SIZE`` (BAD_USER_INPUT otherwise). Result ids are cached for
    ``SEARCH_CACHE_TTL_SECONDS`` under the tenant's search generation; products are read from
    PostgreSQL each time, so one deleted meanwhile is left out. Search down: SEARCH_UNAVAILABLE.
    """
    size = page_size(first, default=DEFAULT_RESULTS)
    text = " ".join(query.split())
    if len(text) > MAX_QUERY_LENGTH:
        raise BadUserInput(f"The search text is limited to {MAX_QUERY_LENGTH} characters.")
    if not text or not size:
        return []
    ids = cache_keys.get_or_compute(
        cache_keys.product_search_key({"query": text, "first": size}),
        lambda: _search_ids(text, size),
        timeout=settings.SEARCH_CACHE_TTL_SECONDS,
    )
    products = Product.objects.in_bulk(ids)
    return [products[product_id] for product_id in ids if product_id in products]
