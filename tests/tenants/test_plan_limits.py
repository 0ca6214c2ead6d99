"""Plan limits: a tenant at its maximum cannot create more products or users; others are unaffected."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from catalog.models import Product
from catalog.services import product_create
from users.models import User
from users.services import user_create

pytestmark = pytest.mark.django_db


def test_product_limit_blocks_only_the_full_tenant(acme, beta):
    """acme at max_products refuses a new product with a clear error; beta still creates one."""
    with tenant_context(acme):
        product_create(name="ACME-MARKER first", sku="LIMIT-1", price=Decimal("1.00"))
        acme.max_products = Product.objects.count()
        with pytest.raises(ValidationError) as refused:
            product_create(name="ACME-MARKER second", sku="LIMIT-2", price=Decimal("1.00"))
        assert refused.value.code == "limit_reached"
        assert not Product.objects.filter(sku="LIMIT-2").exists()
    with tenant_context(beta):
        assert product_create(name="BETA-MARKER", sku="LIMIT-2", price=Decimal("1.00")).pk
        assert not Product.objects.filter(name__startswith="ACME-MARKER").exists()


def test_user_limit_counts_the_tenants_own_users(acme, beta):
    """max_users is checked against the tenant's own schema."""
    with tenant_context(acme):
        acme.max_users = User.objects.count()
        with pytest.raises(ValidationError):
            user_create(email="extra@acme.test", password=None)
    with tenant_context(beta):
        assert user_create(email="extra@beta.test", password=None).pk


def test_product_limit_surfaces_as_operation_info(gql, acme):
    """Over GraphQL the refusal is an OperationInfo message, not a server error."""
    acme.max_products = 0
    acme.save(update_fields=["max_products"])
    result = (
        gql.on("acme")
        .as_user("owner")
        .execute(
            """mutation { createProduct(input: {name: "ACME-MARKER", sku: "LIMIT-GQL", price: "1.00"}) {
            __typename ... on OperationInfo { messages { kind field message } } } }"""
        )
    )
    payload = result["data"]["createProduct"]
    assert payload["__typename"] == "OperationInfo"
    assert "at most 0 products" in payload["messages"][0]["message"]
