"""What a tenant's product index is called, how it is mapped, and what a product looks like in it.

A tenant's index is the alias ``<ELASTICSEARCH_INDEX_PREFIX>_<schema>_products`` (built only by
``product_index_alias``). Readers and writers only ever use the alias. What it points at depends
on the strategy (``SEARCH_INDEX_STRATEGY``) the tenant's last rebuild used:

- ``index`` (default): one concrete, versioned index ``<alias>_v<UTC timestamp>`` per tenant.
  Simple and fast to drop, but every tenant costs a shard: a fleet of thousands of tenants runs
  into the cluster's shard budget.
- ``shared``: one physical index ``<prefix>__shared_products`` for every tenant. Each document
  carries its ``tenant`` (schema) and the ``generation`` of that tenant's last rebuild, its id is
  ``<schema>:<generation>:<product id>`` (two tenants' product 7 never collide), and it is routed
  by schema. The tenant's alias is a filtered alias (tenant and generation) with routing by
  schema, so searches through it see only that tenant's current documents and writes through it
  land on that tenant's shard.

A rebuild fills a new concrete index (or a new generation) and moves the alias in one step.
Writers follow the alias (``IndexTarget``), not the setting, so switching strategy is a rebuild.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from catalog.models import Product
from tenants.db import connection

INDEX_SETTINGS = {
    "number_of_shards": 1,
    "analysis": {
        "analyzer": {
            # Names: every word, case and accents folded ("Crème" finds "creme"), no stemming.
            "product_name": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["apostrophe", "lowercase", "asciifolding"],
            },
            # Descriptions: also drop English stop words and stem ("running" finds "run").
            "product_text": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["apostrophe", "lowercase", "asciifolding", "english_stop", "english_stemmer"],
            },
            # SKUs split at every non-alphanumeric character, so "0013" finds "ACME-0013" and "acme_0013".
            "sku_parts": {
                "type": "custom",
                "char_filter": ["sku_separators"],
                "tokenizer": "standard",
                "filter": ["lowercase", "asciifolding"],
            },
        },
        # A char filter rather than a pattern tokenizer: the emulator indexes only standard-tokenized text.
        "char_filter": {
            "sku_separators": {"type": "pattern_replace", "pattern": "[^\\p{L}\\p{N}]+", "replacement": " "}
        },
        "filter": {
            "english_stop": {"type": "stop", "stopwords": "_english_"},
            "english_stemmer": {"type": "stemmer", "language": "english"},
        },
        "normalizer": {"sku": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
    },
}

INDEX_MAPPINGS: dict[str, Any] = {
    # A field the mapping does not know is an error, not a silently guessed type.
    "dynamic": "strict",
    "properties": {
        "name": {"type": "text", "analyzer": "product_name"},
        "description": {"type": "text", "analyzer": "product_text"},
        "sku": {"type": "keyword", "normalizer": "sku"},
        # A separate field rather than a multi-field of sku: the in-memory emulator does not index multi-fields.
        "sku_parts": {"type": "text", "analyzer": "sku_parts"},
        "price": {"type": "scaled_float", "scaling_factor": 100},
        "is_active": {"type": "boolean"},
        "created_at": {"type": "date"},
        "updated_at": {"type": "date"},
    },
}


SHARED_MAPPINGS = {
    **INDEX_MAPPINGS,
    "properties": {
        **INDEX_MAPPINGS["properties"],
        "tenant": {"type": "keyword"},
        "generation": {"type": "keyword"},
    },
}

PER_TENANT = "index"
SHARED = "shared"
STRATEGIES = (PER_TENANT, SHARED)


@dataclass(frozen=True)
class IndexTarget:
    """What a tenant's alias points at: a concrete index, and in the shared index a generation."""

    index: str
    generation: str | None = None

    @property
    def shared(self) -> bool:
        return self.generation is not None


class NoTenantSchema(RuntimeError):
    """Search was used while the connection is on the public schema, which has no products."""


def product_index_alias(schema: str | None = None) -> str:
    """The name of a tenant's product index (an alias): of ``schema``, or of the active tenant."""
    schema = schema or connection.schema_name
    if not schema or schema == settings.PUBLIC_SCHEMA_NAME:
        raise NoTenantSchema("No tenant schema is active, so there is no product index to use.")
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}_{schema}_products"


def new_concrete_index_name(alias: str) -> str:
    return f"{alias}_v{timezone.now():%Y%m%d%H%M%S%f}"


def is_concrete_index_of(alias: str, index: str) -> bool:
    """Whether ``index`` is one of ``alias``'s versioned indexes (and not another tenant's whose
    schema name merely starts the same way)."""
    return re.fullmatch(rf"{re.escape(alias)}_v\d+", index) is not None


def shared_index_name() -> str:
    """The physical index of the shared strategy (no schema name can produce it: they start with a letter)."""
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}__shared_products"


def new_generation() -> str:
    return f"v{timezone.now():%Y%m%d%H%M%S%f}"


def shared_alias_filter(schema: str, generation: str) -> dict:
    return {"bool": {"filter": [{"term": {"tenant": schema}}, {"term": {"generation": generation}}]}}


def generation_of(alias_details: dict) -> str | None:
    """The generation a shared-index alias filters on (None for a plain alias)."""
    for clause in alias_details.get("filter", {}).get("bool", {}).get("filter", []):
        if "generation" in clause.get("term", {}):
            value = clause["term"]["generation"]
            return value["value"] if isinstance(value, dict) else value
    return None


def document_id(product_id: int, target: IndexTarget, schema: str) -> str:
    if target.shared:
        return f"{schema}:{target.generation}:{int(product_id)}"
    return str(int(product_id))


def product_id_of(document_id: str) -> int:
    """The product id in a document id of either strategy."""
    return int(document_id.rsplit(":", 1)[-1])


def product_document(product: Product, target: IndexTarget | None = None, schema: str | None = None) -> dict:
    """The indexed form of a product; ``updated_at`` lets the drift check spot stale documents.
    In the shared index it also names its tenant and generation."""
    document = {
        "name": product.name,
        "description": product.description,
        "sku": product.sku,
        "sku_parts": product.sku,
        "price": str(product.price),
        "is_active": product.is_active,
        "created_at": product.created_at.isoformat(),
        "updated_at": product.updated_at.isoformat(),
    }
    if target is not None and target.shared:
        document["tenant"] = schema or connection.schema_name
        document["generation"] = target.generation
    return document
