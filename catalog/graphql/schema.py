"""Catalog queries and mutations: members read, tenant staff write."""

from typing import Annotated, cast

import strawberry
import strawberry_django
from django.conf import settings
from strawberry import relay
from strawberry.types import Info

from catalog import selectors, services
from catalog.graphql.types import (
    DeletedProduct,
    DeleteResult,
    ProductConnection,
    ProductFilter,
    ProductInput,
    ProductOrder,
    ProductPatch,
    ProductResult,
    ProductType,
)
from catalog.models import Product
from saas.errors import NotFound
from saas.graphql import relay as relay_ids
from saas.graphql.permissions import IsAuthenticated, IsTenantStaff

PRODUCT_TYPE_NAME = "Product"


def product_id_from(global_id: str) -> int:
    """The database id inside a Product global id (BAD_USER_INPUT for anything else)."""
    return relay_ids.node_id(global_id, type_name=PRODUCT_TYPE_NAME, message="This is not a product id.")


def connection_of(page: selectors.ProductPage) -> ProductConnection:
    edges = [
        relay.Edge(cursor=relay_ids.cursor_for(page.offset + index), node=cast(ProductType, product))
        for index, product in enumerate(page.products)
    ]
    return ProductConnection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=page.total_count,
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="One product of this tenant, or null when this tenant has no product with that id.",
        extensions=[IsAuthenticated()],
    )
    def product(
        self, id: Annotated[strawberry.ID, strawberry.argument(description="Global id of the product.")]
    ) -> ProductType | None:
        return cast(ProductType | None, selectors.product_get(product_id=product_id_from(id)))

    @strawberry.field(
        description=(
            "Products of this tenant, a page at a time (Relay cursor pagination). "
            f"At most {settings.GRAPHQL_MAX_PAGE_SIZE} per page; a larger `first` is BAD_USER_INPUT."
        ),
        extensions=[IsAuthenticated()],
    )
    def products(
        self,
        info: Info,
        first: Annotated[
            int | None,
            strawberry.argument(
                description=f"Page size, 0-{settings.GRAPHQL_MAX_PAGE_SIZE} "
                f"(default {settings.STRAWBERRY_DJANGO['PAGINATION_DEFAULT_LIMIT']})."
            ),
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Return the products after this cursor (endCursor).")
        ] = None,
        filters: Annotated[
            ProductFilter | None, strawberry.argument(description="Only products meeting these conditions.")
        ] = None,
        order: Annotated[ProductOrder | None, strawberry.argument(description="Sort order (default: by id).")] = None,
    ) -> ProductConnection:
        queryset = strawberry_django.filters.apply(filters, selectors.product_queryset(), info)
        queryset = strawberry_django.ordering.apply(order, queryset, info)
        page = selectors.product_page(
            queryset=queryset,
            first=relay_ids.page_size(first, default=settings.STRAWBERRY_DJANGO["PAGINATION_DEFAULT_LIMIT"]),
            offset=relay_ids.offset_after(after),
        )
        return connection_of(page)


def product_to_change(id: str) -> Product:
    product = selectors.product_find(product_id=product_id_from(id))
    if product is None:
        raise NotFound("No product with this id in this tenant.")
    return product


@strawberry.type
class Mutation:
    @strawberry_django.mutation(
        description="Create a product (tenant staff). Invalid fields come back as OperationInfo.",
        handle_django_errors=True,
        extensions=[IsTenantStaff()],
    )
    def create_product(
        self, input: Annotated[ProductInput, strawberry.argument(description="The new product.")]
    ) -> ProductResult:
        product = services.product_create(
            name=input.name,
            sku=input.sku,
            price=input.price,
            description=input.description,
            is_active=input.is_active,
        )
        return cast(ProductType, product)

    @strawberry_django.mutation(
        description="Change some fields of a product (tenant staff). NOT_FOUND when it is not in this tenant.",
        handle_django_errors=True,
        extensions=[IsTenantStaff()],
    )
    def update_product(
        self,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global id of the product.")],
        input: Annotated[ProductPatch, strawberry.argument(description="The fields to change.")],
    ) -> ProductResult:
        return cast(ProductType, services.product_update(product=product_to_change(id), **input.changes()))

    @strawberry_django.mutation(
        description="Delete a product (tenant staff). NOT_FOUND when it is not in this tenant.",
        handle_django_errors=True,
        extensions=[IsTenantStaff()],
    )
    def delete_product(
        self, id: Annotated[strawberry.ID, strawberry.argument(description="Global id of the product.")]
    ) -> DeleteResult:
        product_id = services.product_delete(product=product_to_change(id))
        return DeletedProduct(id=relay_ids.global_id(PRODUCT_TYPE_NAME, product_id))
