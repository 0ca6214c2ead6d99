"""Metrics (Prometheus) and tracing (OpenTelemetry). See docs/operations.md, "Telemetry and metrics".

Metrics are served on their own port (``METRICS_PORT``), never through the public front door.
Label values are bounded: a process gives its own label to the first ``METRICS_MAX_TENANTS``
tenants and ``METRICS_MAX_OPERATIONS`` operation names it sees; later ones share ``other``.

Several server processes (``scripts/serve.py --workers N``) share one scrape through
prometheus-client's multiprocess mode: with ``PROMETHEUS_MULTIPROC_DIR`` set, every process writes
its samples to files there, and the one process given ``METRICS_PORT`` serves their sum.

Tracing is off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``..._TRACES_ENDPOINT``) is set; then
Django, psycopg, Redis and Elasticsearch are instrumented, strawberry adds its operation spans,
and every span carries the active tenant schema as ``saas.tenant.schema``.
"""

import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from wsgiref.simple_server import WSGIServer

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, multiprocess, start_http_server
from strawberry.extensions import SchemaExtension

from saas import hooks
from saas.schemas import connection

logger = logging.getLogger(__name__)

OTHER = "other"
TENANT_ATTRIBUTE = "saas.tenant.schema"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


class BoundedLabel:
    """The first ``limit`` distinct values keep their own label; the rest map to ``other``."""

    def __init__(self, limit: int):
        self.limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, value: str | None) -> str:
        if not value or not _NAME.match(value):
            return OTHER if value else "anonymous"
        if value in self._seen:
            return value
        with self._lock:
            if len(self._seen) < self.limit:
                self._seen.add(value)
                return value
        return OTHER


tenant_label = BoundedLabel(int(os.environ.get("METRICS_MAX_TENANTS", "50")))
operation_label = BoundedLabel(int(os.environ.get("METRICS_MAX_OPERATIONS", "200")))

GRAPHQL_LATENCY = Histogram(
    "saas_graphql_operation_duration_seconds",
    "GraphQL query and mutation execution time, by operation name and tenant.",
    ["operation", "type", "tenant"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
CACHE_REQUESTS = Counter(
    "saas_cache_requests", "Cache-aside reads through saas.cache, by result (hit or miss).", ["result"]
)
WEBSOCKET_CONNECTIONS = Gauge(
    "saas_websocket_connections", "Open GraphQL websocket connections.", multiprocess_mode="livesum"
)
WEBSOCKET_EVENTS = Counter("saas_websocket_events_delivered", "Subscription events sent to websocket clients.")


class MetricsExtension(SchemaExtension):
    """Times each query and mutation; subscriptions are long-lived streams and are not timed."""

    def on_execute(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        try:
            kind = context.operation_type.value
        except (AttributeError, RuntimeError):
            return  # the document did not parse or names no operation: nothing was executed
        if kind == "subscription":
            return
        GRAPHQL_LATENCY.labels(
            operation=operation_label(context.operation_name),
            type=kind,
            tenant=tenant_label(getattr(connection, "schema_name", None)),
        ).observe(time.perf_counter() - started)


def cache_lookup(hit: bool) -> None:
    CACHE_REQUESTS.labels(result="hit" if hit else "miss").inc()


_metrics_server: WSGIServer | None = None


def multiprocess_dir() -> str | None:
    """The directory the server processes share their samples through, when there are several."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def scrape_registry() -> CollectorRegistry:
    """What /metrics serves: this process's metrics or, in multiprocess mode, every process's files
    (through a fresh registry, as prometheus-client requires, so nothing is counted twice)."""
    if multiprocess_dir() is None:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def start_metrics_server() -> int | None:
    """Serve /metrics on METRICS_ADDRESS:METRICS_PORT, once per process. Returns the bound port,
    or None when metrics are not configured or the port is taken (another process serves it)."""
    global _metrics_server
    if _metrics_server is not None:
        return _metrics_server.server_address[1]
    port = int(settings.METRICS_PORT or 0)
    if not port:
        return None
    # Gauges read when Prometheus scrapes, from the apps (saas.hooks.metrics_collectors: the search
    # outbox), by the serving process only.
    registry = scrape_registry()
    collectors = [factory() for _name, factory in hooks.metrics_collectors.items()]
    for collector in collectors:
        registry.register(collector)
    try:
        _metrics_server, _thread = start_http_server(port, addr=settings.METRICS_ADDRESS, registry=registry)
    except OSError:
        for collector in collectors:
            registry.unregister(collector)
        logger.warning("metrics port %s is taken; this process serves no metrics", port)
        return None
    mode = f"all processes writing to {multiprocess_dir()}" if multiprocess_dir() else "this process"
    logger.info("metrics of %s on %s:%s/metrics", mode, settings.METRICS_ADDRESS, port)
    return port


# --- tracing ---------------------------------------------------------------------------------


def tracing_enabled() -> bool:
    return bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def _tenant_schema() -> str | None:
    try:
        return getattr(connection, "schema_name", None)
    except Exception:  # no settings or no connection in this thread: nothing to tag
        return None


def tenant_span_processor():
    """A span processor that tags every span, at its start, with the tenant schema active then."""
    from opentelemetry.sdk.trace import SpanProcessor

    class TenantSpanProcessor(SpanProcessor):
        def on_start(self, span, parent_context=None) -> None:
            schema = _tenant_schema()
            if schema:
                span.set_attribute(TENANT_ATTRIBUTE, schema)

    return TenantSpanProcessor()


def instrument(tracer_provider) -> None:
    """Instrument Django, psycopg, Redis and Elasticsearch with ``tracer_provider``."""
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.elasticsearch import ElasticsearchInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    for instrumentor in (DjangoInstrumentor(), PsycopgInstrumentor(), RedisInstrumentor(), ElasticsearchInstrumentor()):
        if not instrumentor.is_instrumented_by_opentelemetry:
            # skip_dep_check: the instrumentations' declared version ranges lag the clients we pin.
            instrumentor.instrument(tracer_provider=tracer_provider, skip_dep_check=True)


def configure_tracing() -> bool:
    """Export spans over OTLP/HTTP when an endpoint is configured. Call before Django loads middleware."""
    if not tracing_enabled():
        return False
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", "saas")}))
    provider.add_span_processor(tenant_span_processor())
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    instrument(provider)
    return True


def schema_extensions() -> list:
    """Strawberry extensions for metrics, and for tracing when it is on."""
    extensions: list = [MetricsExtension]
    if tracing_enabled():
        from strawberry.extensions.tracing import OpenTelemetryExtension

        extensions.append(OpenTelemetryExtension)
    return extensions
