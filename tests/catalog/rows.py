"""Catalog rows for the GraphQL and cache tests (the ``catalog`` fixture, shared from tests/conftest.py): the same primary keys and skus in acme and beta, each row
carrying its tenant's marker. Written with bulk_create so no write side effects run."""

from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context
from strawberry import relay

from tests.support import marker

CATALOG = [
    # pk, name, sku, price, is_active
    (9001, "Anvil", "SKU-1", Decimal("10.00"), True),
    (9002, "Rocket skates", "SKU-2", Decimal("99.50"), True),
    (9003, "Giant magnet", "SKU-3", Decimal("45.00"), False),
]


def product_gid(pk: int) -> str:
    return relay.to_base64("Product", pk)


@pytest.fixture
def catalog(acme, beta):
    """Three products per tenant with colliding pks and skus: names end with the tenant's marker."""
    from catalog.models import Product

    for tenant in (acme, beta):
        with tenant_context(tenant):
            Product.objects.bulk_create(
                Product(
                    pk=pk,
                    name=f"{name} {marker(tenant.schema_name)}",
                    sku=sku,
                    price=price,
                    is_active=is_active,
                    description=f"Sold by {marker(tenant.schema_name)}",
                )
                for pk, name, sku, price, is_active in CATALOG
            )
    return {pk: product_gid(pk) for pk, *_ in CATALOG}
