"""Catalog reads, cache-aside: a hit is answered from Redis without SQL, a miss reads PostgreSQL
and stores plain rows (dicts) for ``CACHE_TTL_SECONDS``.

Writes (catalog.services) delete the product's detail key and retire every cached page of the
tenant on commit, so a read right after a write sees it. Callers get ``Product`` instances rebuilt
in memory from the cached rows; a product has no relations, so nothing on them loads lazily.

Names say where an answer comes from: ``*_cached`` reads through Redis (cache-aside),
``*_uncached`` always reads PostgreSQL (the starting point of a write). The same convention
holds across apps (``catalog.search.services.product_search_cached``,
``users.services.token_user_cached``).
"""

from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet

from catalog.models import Product
from saas import cache as cache_keys

PRODUCT_FIELDS = tuple(field.attname for field in Product._meta.concrete_fields)


@dataclass(frozen=True)
class ProductPage:
    """One page of an ordered, filtered product list."""

    products: list[Product]
    offset: int
    total_count: int

    @property
    def has_next_page(self) -> bool:
        return self.offset + len(self.products) < self.total_count


def _instance(row: dict[str, Any]) -> Product:
    return Product.from_db(DEFAULT_DB_ALIAS, list(row), list(row.values()))


def product_queryset() -> QuerySet[Product]:
    """Every product of the active tenant, the base of filtered lists."""
    return Product.objects.all()


def product_get_uncached(*, product_id: int) -> Product | None:
    """The product from PostgreSQL, uncached: the starting point of a write."""
    return Product.objects.filter(pk=product_id).first()


def product_get_cached(*, product_id: int) -> Product | None:
    """The product of the active tenant with this id, or None; absent ids are cached too."""

    def load() -> dict[str, Any] | None:
        return Product.objects.filter(pk=product_id).values(*PRODUCT_FIELDS).first()

    row = cache_keys.get_or_compute(cache_keys.product_detail_key(product_id), load)
    return _instance(row) if row is not None else None


def product_page_cached(*, queryset: QuerySet[Product], first: int, offset: int) -> ProductPage:
    """``first`` products of ``queryset`` starting at ``offset``, and how many match in total.

    The cache key is derived from the queryset's own WHERE, ORDER BY and DISTINCT, so every way of
    spelling the same filter shares one entry and no filter can be left out of the key.
    """
    queryset = queryset.order_by(*queryset.query.order_by, "pk")
    fingerprint = {
        "where": str(queryset.query.where),
        "order_by": [str(term) for term in queryset.query.order_by],
        "distinct": queryset.query.distinct,
        "first": first,
        "offset": offset,
    }

    def load() -> dict[str, Any]:
        rows = list(queryset.values(*PRODUCT_FIELDS)[offset : offset + first]) if first else []
        return {"rows": rows, "total_count": queryset.count()}

    page = cache_keys.get_or_compute(cache_keys.product_list_key(fingerprint), load)
    return ProductPage(
        products=[_instance(row) for row in page["rows"]], offset=offset, total_count=page["total_count"]
    )


def product_first_word() -> str | None:
    """The first word of the tenant's first product (the GraphiQL console's starter search), or None."""
    name = Product.objects.order_by("pk").values_list("name", flat=True).first()
    return name.split()[0] if name and name.split() else None
