"""Catalog writes. Every write validates with full_clean() and invalidates the cache on commit."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction

from catalog.models import Product
from saas import cache as cache_keys
from tenants.limits import limit_enforce

EDITABLE_FIELDS = ("name", "description", "sku", "price", "is_active")
STRIPPED_FIELDS = ("name", "sku")


def _clean(product: Product) -> None:
    """full_clean(), plus the max_length of text fields, which Django itself checks only in forms."""
    for name in STRIPPED_FIELDS:
        value = getattr(product, name)
        if isinstance(value, str):
            setattr(product, name, value.strip())
    errors: dict[str, list[ValidationError]] = {}
    try:
        product.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    for field in Product._meta.concrete_fields:
        value = getattr(product, field.attname)
        if isinstance(field, models.TextField) and field.max_length and isinstance(value, str):
            try:
                MaxLengthValidator(field.max_length)(value)
            except ValidationError as error:
                errors.setdefault(field.name, []).extend(error.error_list)
    if errors:
        raise ValidationError(errors)


def _save(product: Product) -> None:
    """Save; losing a race for a unique sku fails with the same error full_clean() reports."""
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:
        product.validate_unique()
        raise


@transaction.atomic
def product_create(*, name: str, sku: str, price: Decimal, description: str = "", is_active: bool = True) -> Product:
    """A new product of the active tenant; ``ValidationError`` (by field) when the input is invalid."""
    product = Product(name=name, sku=sku, price=price, description=description, is_active=is_active)
    _clean(product)
    limit_enforce(limit_field="max_products", current_count=Product.objects.count(), label="products")
    _save(product)
    cache_keys.invalidate_product_on_commit(product.pk)
    return product


@transaction.atomic
def product_update(*, product: Product, **changes) -> Product:
    """Apply ``changes`` (any of ``EDITABLE_FIELDS``); ``ValidationError`` (by field) leaves the row as it was."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(product, field, value)
    _clean(product)
    _save(product)
    cache_keys.invalidate_product_on_commit(product.pk)
    return product


@transaction.atomic
def product_delete(*, product: Product) -> int:
    """Delete the product; returns the id it had."""
    product_id = product.pk
    product.delete()
    cache_keys.invalidate_product_on_commit(product_id)
    return product_id
