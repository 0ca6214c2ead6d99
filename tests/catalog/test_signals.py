"""catalog.signals.product_changed: every service write sends it once, inside the write's
transaction, in the writing tenant's schema; a refused write sends nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from catalog.models import Product
from catalog.services import product_create, product_delete, product_update
from catalog.signals import ProductAction, product_changed
from saas.schemas import connection
from tests.support import marker


@pytest.fixture
def sent():
    """(schema, sku, action, inside a transaction) of each product_changed while the test runs."""
    calls = []

    def receiver(sender, product, action, **kwargs):
        calls.append((connection.schema_name, product.sku, action, connection.in_atomic_block))

    product_changed.connect(receiver, dispatch_uid="tests.product_changed")
    yield calls
    product_changed.disconnect(dispatch_uid="tests.product_changed")


def test_each_write_sends_one_signal_in_its_own_tenant(acme, beta, sent):
    for tenant in (acme, beta):
        with tenant_context(tenant):
            product = product_create(name=marker(tenant.schema_name), sku="SIGNAL-1", price=Decimal("1.00"))
            product_update(product=product, price=Decimal("2.00"))
            product_delete(product=product)
    assert sent == [
        (schema, "SIGNAL-1", action, True)
        for schema in ("acme", "beta")
        for action in (ProductAction.CREATED, ProductAction.UPDATED, ProductAction.DELETED)
    ]


def test_a_refused_write_sends_nothing(acme, beta, sent):
    with tenant_context(acme):
        product_create(name="Taken", sku="SIGNAL-TAKEN", price=Decimal("1.00"))
    sent.clear()
    with tenant_context(acme), pytest.raises(ValidationError):
        product_create(name="Twin", sku="SIGNAL-TAKEN", price=Decimal("1.00"))
    with tenant_context(beta):
        assert not Product.objects.filter(sku="SIGNAL-TAKEN").exists()
    assert sent == []
