"""Product search over the tenant's Elasticsearch index."""

from typing import Annotated, cast

import strawberry
import strawberry_django

from catalog.graphql.types import ProductType
from catalog.search.services import MAX_QUERY_LENGTH, product_search
from saas.graphql.permissions import IsAuthenticated


@strawberry.type
class Query:
    @strawberry_django.field(
        description=(
            "Products of this tenant matching `query`, most relevant first: the name weighs most, then the SKU, "
            "then the description; small typos are forgiven. Needs a signed-in user of this tenant. "
            f"A query longer than {MAX_QUERY_LENGTH} characters, or `first` outside 0-100: BAD_USER_INPUT. "
            "Search server unreachable: SEARCH_UNAVAILABLE."
        ),
        extensions=[IsAuthenticated()],
    )
    def search_products(
        self,
        query: Annotated[str, strawberry.argument(description="Words to look for; plain text, no query syntax.")],
        first: Annotated[
            int | None, strawberry.argument(description="How many products at most (0-100, default 20).")
        ] = 20,
    ) -> list[ProductType]:
        return cast(list[ProductType], product_search(query=query, first=first))
