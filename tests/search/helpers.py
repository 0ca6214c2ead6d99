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
    """The tenant's index alias as CONTRACT.md spells it (computed here, not by the code under test)."""
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}_{schema}_products"


def names(result: dict) -> list[str]:
    """Product names of a searchProducts answer, which must have no errors."""
    assert "errors" not in result, result
    return [product["name"] for product in result["data"]["searchProducts"]]
