"""Catalog GraphQL types: the product node, its connection, filter, order, inputs and results."""

from decimal import Decimal
from typing import Annotated

import strawberry
import strawberry_django
from strawberry import UNSET, auto, relay
from strawberry_django.fields.types import OperationInfo

from catalog.models import Product


@strawberry_django.type(Product, name="Product", description="A product of this tenant's catalog.")
class ProductType(relay.Node):
    name: auto
    description: auto
    sku: auto
    price: auto = strawberry_django.field(description='Unit price, a non-negative decimal string such as "19.99".')
    is_active: auto
    created_at: auto = strawberry_django.field(description="When the product was created.")
    updated_at: auto = strawberry_django.field(description="When the product was last changed.")

    @classmethod
    def resolve_id(cls, root: Product, *, info=None) -> str:  # type: ignore[override]  # root: the model row
        # The primary key, formatted: the inherited resolver re-evaluates class annotations for
        # every node to find the id attribute.
        return str(root.pk)


@strawberry.type(name="ProductConnection", description="One page of products, Relay style.")
class ProductConnection(relay.Connection[ProductType]):
    total_count: int = strawberry.field(description="How many products match the filters, across all pages.")


@strawberry.input(name="TextLookup", description="Conditions on a text field; every one given must hold.")
class TextLookup:
    exact: str | None = strawberry.field(default=UNSET, description="Equal to.")
    i_exact: str | None = strawberry.field(default=UNSET, description="Equal to, ignoring case.")
    contains: str | None = strawberry.field(default=UNSET, description="Contains.")
    i_contains: str | None = strawberry.field(default=UNSET, description="Contains, ignoring case.")
    starts_with: str | None = strawberry.field(default=UNSET, description="Starts with.")
    i_starts_with: str | None = strawberry.field(default=UNSET, description="Starts with, ignoring case.")
    ends_with: str | None = strawberry.field(default=UNSET, description="Ends with.")
    i_ends_with: str | None = strawberry.field(default=UNSET, description="Ends with, ignoring case.")


@strawberry.input(name="DecimalLookup", description="Conditions on a decimal field; every one given must hold.")
class DecimalLookup:
    exact: Decimal | None = strawberry.field(default=UNSET, description="Equal to.")
    gt: Decimal | None = strawberry.field(default=UNSET, description="Greater than.")
    gte: Decimal | None = strawberry.field(default=UNSET, description="Greater than or equal to.")
    lt: Decimal | None = strawberry.field(default=UNSET, description="Less than.")
    lte: Decimal | None = strawberry.field(default=UNSET, description="Less than or equal to.")


@strawberry.input(name="BooleanLookup", description="Condition on a true/false field.")
class BooleanLookup:
    exact: bool | None = strawberry.field(default=UNSET, description="Equal to.")


# strawberry-django applies these lookups (name__icontains, price__gte, ...). They are spelled out
# rather than generated so that clients get no regular expressions and no unbounded lists.
@strawberry_django.filter_type(
    Product, name="ProductFilter", description="Conditions a product must meet to be listed."
)
class ProductFilter:
    name: TextLookup | None = strawberry_django.filter_field(description="On the display name.")
    sku: TextLookup | None = strawberry_django.filter_field(description="On the stock keeping unit.")
    price: DecimalLookup | None = strawberry_django.filter_field(description="On the unit price.")
    is_active: BooleanLookup | None = strawberry_django.filter_field(description="On whether shoppers see it.")


@strawberry_django.order_type(
    Product,
    name="ProductOrder",
    one_of=False,
    description="Sort order of a product list; several keys apply in the order given, ties by id.",
)
class ProductOrder:
    name: auto = strawberry_django.order_field(description="By display name.")
    price: auto = strawberry_django.order_field(description="By unit price.")
    created_at: auto = strawberry_django.order_field(description="By creation time.")


@strawberry.input(name="ProductInput", description="A new product.")
class ProductInput:
    name: str = strawberry.field(description="Display name, 1-200 characters.")
    sku: str = strawberry.field(description="Stock keeping unit, unique in this tenant, at most 64 characters.")
    price: Decimal = strawberry.field(description="Unit price: non-negative, at most 2 decimal places.")
    description: str = strawberry.field(default="", description="Free text, at most 5000 characters.")
    is_active: bool = strawberry.field(default=True, description="Whether shoppers see the product.")


@strawberry.input(name="ProductPatch", description="Changes to a product; fields left out keep their value.")
class ProductPatch:
    name: str | None = strawberry.field(default=UNSET, description="Display name, 1-200 characters.")
    sku: str | None = strawberry.field(default=UNSET, description="Stock keeping unit, unique in this tenant.")
    price: Decimal | None = strawberry.field(default=UNSET, description="Unit price: non-negative, 2 decimal places.")
    description: str | None = strawberry.field(default=UNSET, description="Free text, at most 5000 characters.")
    is_active: bool | None = strawberry.field(default=UNSET, description="Whether shoppers see the product.")

    def changes(self) -> dict:
        """The fields the client sent, by model field name."""
        return {name: value for name, value in vars(self).items() if value is not UNSET}


@strawberry.type(name="DeletedProduct", description="The product that a deleteProduct call removed.")
class DeletedProduct:
    id: relay.GlobalID = strawberry.field(description="Global id the deleted product had.")


ProductResult = Annotated[
    ProductType | OperationInfo,
    strawberry.union("ProductResult", description="The saved product, or why it was not saved."),
]
DeleteResult = Annotated[
    DeletedProduct | OperationInfo,
    strawberry.union("DeleteResult", description="The deleted product's id, or why it was not deleted."),
]
