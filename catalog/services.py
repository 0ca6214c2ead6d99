"""Catalog writes: every write of a product goes through here (GraphQL, admin, demo data).

Each write validates with full_clean() and, in its transaction, has these side effects:
  - search outbox row: written by the ``post_save``/``post_delete`` receivers of
    ``catalog.search.signals``, which stay on the model signals so that even a bare ORM save (a
    script, a shell) reaches the index; the relay pushes it after commit;
  - cache: the product's detail key is deleted and the tenant's list generation bumped on commit
    (``saas.cache.invalidate_product_on_commit``, called below);
  - ``catalog.signals.product_changed(product, action)``, sent below once per write: the
    notifications app writes the tenant-wide notification row in this transaction and publishes
    it on commit (notifications.receivers.product_changed).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction

from catalog.models import Product
from catalog.signals import ProductAction, product_changed
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
    product_changed.send(sender=Product, product=product, action=ProductAction.CREATED)
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
    product_changed.send(sender=Product, product=product, action=ProductAction.UPDATED)
    return product


@transaction.atomic
def product_delete(*, product: Product) -> int:
    """Delete the product; returns the id it had."""
    product_id = product.pk
    product.delete()
    cache_keys.invalidate_product_on_commit(product_id)
    product_changed.send(sender=Product, product=product, action=ProductAction.DELETED)
    return product_id
