import strawberry
from strawberry.types import Info

from users.graphql.types import UserNode


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in user, or null when anonymous.")
    def me(self, info: Info) -> UserNode | None:
        user = info.context.request.user
        return user if user.is_authenticated else None
