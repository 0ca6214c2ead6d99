"""Routes of tenant hosts: GraphQL, the tenant admin, probes and the React app."""

from django.conf import settings
from django.urls import include, path, re_path

from saas.admin_sites import tenant_admin_site
from saas.graphql.views import TenantGraphQLView
from saas.health import healthz, readyz
from saas.schema import schema
from saas.web import web_app

urlpatterns = [
    path(
        "graphql/",
        TenantGraphQLView.as_view(schema=schema, graphql_ide="graphiql" if settings.GRAPHIQL_ENABLED else None),
        name="graphql",
    ),
    path("admin/", tenant_admin_site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    re_path(r"^(?!admin/|graphql/|static/|assets/).*$", web_app, name="web"),
]

if settings.BENCH_READPATH:
    # Under /graphql/ so that bearer tokens authenticate them exactly as they do GraphQL requests.
    urlpatterns.insert(0, path("graphql/bench/", include("bench.readpath_app")))
