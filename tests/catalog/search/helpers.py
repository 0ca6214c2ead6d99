"""Plain helpers shared by the search tests."""

import uuid

from django.conf import settings

SEARCH = """
query Search($query: String!, $first: Int) {
  searchProducts(query: $query, first: $first) { id name sku description }
}
"""


def unique_sku(schema: str) -> str:
    return f"{schema.upper()}-{uuid.uuid4().hex[:10]}"


def alias_of(schema: str) -> str:
    """The tenant's index alias as docs/search.md spells it (computed here, not by the code under test)."""
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}_{schema}_products"


def names(result: dict) -> list[str]:
    """Product names of a searchProducts answer, which must have no errors."""
    assert "errors" not in result, result
    return [product["name"] for product in result["data"]["searchProducts"]]


def document_id(schema: str, product_id: int) -> str:
    """The id of a product's document behind the tenant's alias, read from the alias itself
    (a plain alias: the product id; the shared index: ``<schema>:<generation>:<product id>``)."""
    from catalog.search.client import get_client

    (details,) = get_client().indices.get_alias(name=alias_of(schema)).body.values()
    clauses = details["aliases"][alias_of(schema)].get("filter", {}).get("bool", {}).get("filter", [])
    generation = next((clause["term"]["generation"] for clause in clauses if "generation" in clause["term"]), None)
    return f"{schema}:{generation}:{product_id}" if generation else str(product_id)
