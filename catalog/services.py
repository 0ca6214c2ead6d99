"""Catalog writes. Every write validates with full_clean() and invalidates the cache on commit."""

from decimal import Decimal
from functools import partial

from django.db import transaction

from catalog.models import Product
from saas import cache as cache_keys

EDITABLE_FIELDS = ("name", "description", "sku", "price", "is_active")


def _invalidate_on_commit(product_id: int) -> None:
    transaction.on_commit(partial(cache_keys.invalidate_product, product_id))


@transaction.atomic
def product_create(*, name: str, sku: str, price: Decimal, description: str = "", is_active: bool = True) -> Product:
    product = Product(name=name, sku=sku, price=price, description=description, is_active=is_active)
    product.full_clean()
    product.save()
    _invalidate_on_commit(product.pk)
    return product


@transaction.atomic
def product_update(*, product: Product, **changes) -> Product:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(product, field, value)
    product.full_clean()
    product.save()
    _invalidate_on_commit(product.pk)
    return product


@transaction.atomic
def product_delete(*, product: Product) -> int:
    product_id = product.pk
    product.delete()
    _invalidate_on_commit(product_id)
    return product_id
