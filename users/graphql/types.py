import strawberry
import strawberry_django
from strawberry import auto

from users.models import User


@strawberry_django.type(User, name="User", description="A user of this tenant.")
class UserNode:
    id: auto = strawberry_django.field(description="Id of the user, unique in this tenant.")
    email: auto
    full_name: auto = strawberry_django.field(description="Name shown to other users; may be empty.")
    is_staff: auto = strawberry_django.field(description="Tenant staff: may write products and send notifications.")


@strawberry.type(description="A successful sign-in.")
class AuthPayload:
    token: str = strawberry.field(
        description=(
            "Bearer token: send it as `Authorization: Bearer <token>` or as `authToken` in the websocket "
            "connection_init payload. Valid only on this tenant's hosts, until logout or expiry."
        )
    )
    user: UserNode = strawberry.field(description="The signed-in user.")
