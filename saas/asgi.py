"""ASGI entry point: HTTP through Django (tenant middleware runs), websockets through the
tenant-resolving middleware to the GraphQL consumer."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")
django_asgi_app = get_asgi_application()

from saas.observability import configure_tracing, start_metrics_server  # noqa: E402
from saas.websocket_server import defer_autobahn_debug_formatting  # noqa: E402

# Tracing first: the Django instrumentation must be in place before the first request loads middleware.
configure_tracing()
start_metrics_server()
defer_autobahn_debug_formatting()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from saas.graphql.consumers import TenantGraphQLWSConsumer  # noqa: E402
from saas.schema import schema  # noqa: E402
from tenants.websocket import TenantWebsocketMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": TenantWebsocketMiddleware(
            URLRouter([path("graphql/", TenantGraphQLWSConsumer.for_schema(schema))])
        ),
    }
)

# What is loaded by now (Django, the GraphQL schema, the URL conf) lives as long as the process.
# Frozen out of the garbage collector's generations, it is no longer walked by every full
# collection, which otherwise ran often while sockets opened (a socket's objects outlive the young
# generations) and took a large share of the server's CPU (docs/benchmarks.md, socket opening).
gc.freeze()
