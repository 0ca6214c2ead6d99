"""Bearer-token authentication for HTTP, in the schema of the tenant that issued the token."""

from saas.db import retry_read_once
from users.services import token_user_cached

BEARER_PATHS = ("/graphql/",)


class BearerTokenMiddleware:
    """``Authorization: Bearer <token>`` authenticates the request as the token's user.

    A bearer header is not ambient (a browser never adds it by itself), so such requests are
    exempt from CSRF. A token that is unknown in this tenant's schema leaves the request
    anonymous: tokens of other tenants live in other schemas and cannot match. The answer comes
    from the short-lived token cache (``token_user_cached``), so a repeated request runs no SQL.

    Tokens count on the GraphQL endpoint only (``BEARER_PATHS``). Elsewhere, the HTML admin above
    all, the header is ignored: those pages accept only their own session sign-in, with CSRF.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _, raw_token = header.partition(" ")
        if (
            scheme.lower() == "bearer"
            and raw_token
            and getattr(request, "tenant", None) is not None
            and request.path_info.startswith(BEARER_PATHS)
        ):
            from django.contrib.auth.models import AnonymousUser

            request.user = retry_read_once(token_user_cached, raw_token=raw_token.strip()) or AnonymousUser()
            request.auth_token = raw_token.strip()
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)
