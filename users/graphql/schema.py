"""Sign-in, sign-out and the current user."""

from typing import Annotated, cast

import strawberry
from django.http import HttpRequest
from strawberry.types import Info
from strawberry_django.auth.utils import get_current_user

from saas.errors import Forbidden
from saas.graphql.permissions import IsAuthenticated, signed_in_user
from saas.graphql.sessions import may_start_session
from users import services
from users.graphql.types import AuthPayload, UserNode


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in user, or null when anonymous.")
    def me(self, info: Info) -> UserNode | None:
        user = get_current_user(info)
        return cast(UserNode, user) if user.is_authenticated else None


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description=(
            "Sign in on this tenant: returns a bearer token. With `session: true`, sent over HTTP by a page of "
            "this tenant's own origin, also starts a session (cookie); asked by anything else: FORBIDDEN. "
            "Wrong email or password: UNAUTHENTICATED. Too many failures from one address: RATE_LIMITED."
        )
    )
    def login(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="Email address of a user of this tenant.")],
        password: Annotated[str, strawberry.argument(description="The user's password.")],
        session: Annotated[
            bool,
            strawberry.argument(
                description="Also start a cookie session (browsers on this tenant's origin only). Default: token only."
            ),
        ] = False,
    ) -> AuthPayload:
        request = info.context.request
        http_request = request if isinstance(request, HttpRequest) else None
        if session and (http_request is None or not may_start_session(http_request)):
            raise Forbidden("A session is started only for a page of this tenant's own origin; use the token.")
        user, token = services.user_login(
            email=email,
            password=password,
            client_address=services.client_address(request),
            request=http_request,
            start_session=session,
        )
        return AuthPayload(token=token, user=cast(UserNode, user))

    @strawberry.mutation(
        description=(
            "Sign out: revokes the bearer token this request carries and ends its session. "
            "True when a token or session was ended."
        ),
        extensions=[IsAuthenticated()],
    )
    def logout(self, info: Info) -> bool:
        return services.user_logout(request=info.context.request, user=signed_in_user(info))
