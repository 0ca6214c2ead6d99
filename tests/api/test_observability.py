"""Metrics and tracing: latency per operation and tenant (bounded labels), cache hits, outbox
backlog and lag, a scrape endpoint on its own port, and spans tagged with the tenant schema."""

import socket
import threading
import urllib.request

import pytest
from django.test import Client
from django_tenants.utils import tenant_context
from opentelemetry.sdk.trace import ReadableSpan
from prometheus_client import REGISTRY

from saas import observability
from tenants.db import connection
from tests.api.test_cache import execute, signed_in_context

pytestmark = pytest.mark.django_db

NAMED = "query ProductDetail($id: ID!) { product(id: $id) { id name } }"


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_latency_is_recorded_per_operation_and_tenant_and_cache_hits_are_counted(acme, beta, catalog):
    latency = "saas_graphql_operation_duration_seconds_count"
    before = {t: sample(latency, operation="ProductDetail", type="query", tenant=t) for t in ("acme", "beta")}
    hits, misses = sample("saas_cache_requests_total", result="hit"), sample("saas_cache_requests_total", result="miss")
    context = signed_in_context(acme, "member")
    execute(acme, context, NAMED, {"id": catalog[9001]})
    execute(acme, context, NAMED, {"id": catalog[9001]})
    execute(beta, signed_in_context(beta, "member"), NAMED, {"id": catalog[9001]})
    assert sample(latency, operation="ProductDetail", type="query", tenant="acme") == before["acme"] + 2
    assert sample(latency, operation="ProductDetail", type="query", tenant="beta") == before["beta"] + 1
    assert sample("saas_cache_requests_total", result="hit") >= hits + 1
    assert sample("saas_cache_requests_total", result="miss") >= misses + 2


def test_label_values_are_bounded():
    label = observability.BoundedLabel(2)
    assert [label(value) for value in ("acme", "beta", "gamma", "acme")] == ["acme", "beta", "other", "acme"]
    assert label("x" * 65) == "other" and label("drop table;") == "other" and label(None) == "anonymous"


def test_outbox_backlog_and_lag_cover_every_tenant(acme, beta):
    from catalog.models import SearchOutbox
    from catalog.search.outbox import outbox_backlog_and_oldest, outbox_record

    pending, _ = outbox_backlog_and_oldest()
    for tenant in (acme, beta):
        with tenant_context(tenant):
            outbox_record(product_id=424242, op=SearchOutbox.Operation.values[0])
    connection.set_schema_to_public()
    now_pending, oldest = outbox_backlog_and_oldest()
    assert now_pending == pending + 2
    assert oldest is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_metrics_are_served_on_their_own_port_not_by_the_app(settings, client):
    settings.METRICS_PORT, settings.METRICS_ADDRESS = _free_port(), "127.0.0.1"
    port = observability.start_metrics_server()
    assert port
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    for name in ("saas_graphql_operation_duration_seconds", "saas_cache_requests_total", "saas_outbox_backlog",
                 "saas_outbox_relay_lag_seconds", "saas_websocket_connections", "saas_websocket_events_delivered"):  # fmt: skip
        assert f"# TYPE {name}" in body or f"{name} " in body, name
    for host in ("localhost", "acme.localhost"):  # the public app has no /metrics (tenant hosts serve the web app)
        response = client.get("/metrics", HTTP_HOST=host)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"saas_graphql_operation_duration_seconds" not in body


def test_spans_from_django_psycopg_and_redis_carry_the_tenant_schema(catalog):
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.elasticsearch import ElasticsearchInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(observability.tenant_span_processor())
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    observability.instrument(provider)
    try:
        # A new thread opens a new (instrumented) database connection; it sees the committed fixtures.
        def request():
            try:
                Client().post("/graphql/", data={"query": "{ __typename }"}, content_type="application/json",
                              HTTP_HOST="acme.localhost")  # fmt: skip
                with tenant_context_by_name("acme"):
                    from django.core.cache import cache

                    cache.get("tracing-probe")
                    from users.models import User

                    User.objects.count()
            finally:
                connection.close()

        worker = threading.Thread(target=request)
        worker.start()
        worker.join(30)
    finally:
        for instrumentor in (
            DjangoInstrumentor(),
            PsycopgInstrumentor(),
            RedisInstrumentor(),
            ElasticsearchInstrumentor(),
        ):
            instrumentor.uninstrument()
    spans = exporter.get_finished_spans()
    kinds = {_scope(span).rsplit(".", 1)[-1] for span in spans}
    assert {"django", "psycopg", "redis"} <= kinds, kinds
    server = [span for span in spans if _scope(span).endswith("django")]
    sql = [span for span in spans if _scope(span).endswith("psycopg")]
    assert any(_attributes(span).get(observability.TENANT_ATTRIBUTE) == "acme" for span in sql)
    assert all(_attributes(span).get(observability.TENANT_ATTRIBUTE) for span in spans), [
        (span.name, _attributes(span)) for span in spans if not _attributes(span).get(observability.TENANT_ATTRIBUTE)
    ]
    assert server


def _scope(span: ReadableSpan) -> str:
    return span.instrumentation_scope.name if span.instrumentation_scope else ""


def _attributes(span: ReadableSpan) -> dict:
    return dict(span.attributes or {})


def tenant_context_by_name(schema: str):
    from tenants.models import Client as Tenant

    return tenant_context(Tenant.objects.get(schema_name=schema))


@pytest.mark.asyncio
async def test_open_websockets_are_counted(acme):
    from channels.testing import WebsocketCommunicator

    from saas.asgi import application

    before = sample("saas_websocket_connections")
    communicator = WebsocketCommunicator(
        application, "/graphql/", headers=[(b"host", b"acme.localhost")], subprotocols=["graphql-transport-ws"]
    )
    connected, _ = await communicator.connect()
    assert connected
    assert sample("saas_websocket_connections") == before + 1
    await communicator.disconnect()
    assert sample("saas_websocket_connections") == before
