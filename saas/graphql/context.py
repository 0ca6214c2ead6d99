"""What resolvers see as ``info.context``, on HTTP and on websockets alike.

``request`` is the Django request on HTTP and the consumer on a socket, so ``request.user`` and
``request.tenant`` work on both (strawberry-django's ``get_current_user`` reads them there).
Resolvers that must tell the transports apart ask ``http_request`` / ``socket`` instead of
probing attributes. Annotate ``info`` with ``Info`` from here.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

import strawberry
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from saas.graphql.consumers import TenantGraphQLWSConsumer


@dataclass
class GraphQLContext:
    request: "HttpRequest | TenantGraphQLWSConsumer"
    response: HttpResponse | None = None
    # The graphql-transport-ws connection_init payload (strawberry fills it on a socket).
    connection_params: dict[str, Any] = field(default_factory=dict)

    @property
    def http_request(self) -> HttpRequest | None:
        """The Django request on HTTP, None on a socket."""
        return self.request if isinstance(self.request, HttpRequest) else None

    @property
    def socket(self) -> "TenantGraphQLWSConsumer | None":
        """The consumer on a socket, None on HTTP."""
        return None if isinstance(self.request, HttpRequest) else self.request

    @property
    def tenant(self) -> Any:
        """The host's tenant: set on the request by tenants' HTTP middleware, in the socket's scope by
        its websocket middleware."""
        return self.request.tenant  # type: ignore[union-attr]  # an attribute the tenant middleware adds

    @property
    def ws(self) -> "TenantGraphQLWSConsumer | None":
        return self.socket

    # Dict-style access, as strawberry's own Django context offers it.
    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)


Info: TypeAlias = strawberry.Info[GraphQLContext, None]
