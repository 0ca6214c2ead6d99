"""What a tenant's product index is called, how it is mapped, and what a product looks like in it.

A tenant's index is the alias ``<ELASTICSEARCH_INDEX_PREFIX>_<schema>_products`` (built only by
``product_index_alias``) over one concrete, versioned index ``<alias>_v<UTC timestamp>``. Readers
and writers use the alias; a rebuild fills a new concrete index and moves the alias in one step.
"""

import re

from django.conf import settings
from django.db import connection
from django.utils import timezone

from catalog.models import Product

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

INDEX_MAPPINGS = {
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


class NoTenantSchema(RuntimeError):
    """Search was used while the connection is on the public schema, which has no products."""


def product_index_alias() -> str:
    """The name of the active tenant's product index (an alias), from ``connection.schema_name``."""
    schema = connection.schema_name
    if not schema or schema == settings.PUBLIC_SCHEMA_NAME:
        raise NoTenantSchema("No tenant schema is active, so there is no product index to use.")
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}_{schema}_products"


def new_concrete_index_name(alias: str) -> str:
    return f"{alias}_v{timezone.now():%Y%m%d%H%M%S%f}"


def is_concrete_index_of(alias: str, index: str) -> bool:
    """Whether ``index`` is one of ``alias``'s versioned indexes (and not another tenant's whose
    schema name merely starts the same way)."""
    return re.fullmatch(rf"{re.escape(alias)}_v\d+", index) is not None


def product_document(product: Product) -> dict:
    """The indexed form of a product; ``updated_at`` lets the drift check spot stale documents."""
    return {
        "name": product.name,
        "description": product.description,
        "sku": product.sku,
        "sku_parts": product.sku,
        "price": str(product.price),
        "is_active": product.is_active,
        "created_at": product.created_at.isoformat(),
        "updated_at": product.updated_at.isoformat(),
    }
