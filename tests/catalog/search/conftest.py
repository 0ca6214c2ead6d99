"""Search test helpers: products written as if committed, and search servers that are down,
hanging or failing (real sockets and a real HTTP server, no mocks).

The in-memory search server lives for the whole session while each test's database work is
rolled back, so documents written by earlier tests stay in the index: tests use names of their
own and never assume an empty index.
"""

import itertools
import json
import socket
import threading
import uuid
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_tenants.utils import tenant_context

from catalog.search.client import get_client
from tests.catalog.search.helpers import alias_of, unique_sku
from tests.support import free_port, marker


@pytest.fixture(params=["index", "shared"], autouse=True)
def search_strategy(request, settings, django_db_blocker):
    """Every search test runs in both strategies: acme and beta are moved (by a rebuild, as
    ``search_index --migrate-to`` does) to the strategy under test, and new tenants get it."""
    from catalog.search.indexes import alias_target, index_rebuild
    from tenants.models import Client

    strategy = request.param
    settings.SEARCH_INDEX_STRATEGY = strategy
    with django_db_blocker.unblock():
        for tenant in Client.objects.filter(schema_name__in=["acme", "beta"]):
            target = alias_target(get_client(), alias_of(tenant.schema_name))
            if target is None or target.shared != (strategy == "shared"):
                with tenant_context(tenant):
                    index_rebuild(strategy=strategy)
    return strategy


# Explicit primary keys far above anything the sequences reach, so that a test can give the
# same id to products of both tenants (colliding keys), a fresh pair per test.
_colliding_ids = itertools.count(10**12 + uuid.uuid4().int % 10**9 * 1000)


@pytest.fixture
def colliding_id():
    """A product id unused in every tenant, for products that should share it."""
    return next(_colliding_ids)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the block's on-commit hooks (search relay, cache) as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def add_product(committed):
    """Create a committed-looking product through the catalog service in ``tenant``."""
    from catalog.models import Product
    from catalog.services import product_create

    def add(tenant, name: str, *, description: str | None = None, pk: int | None = None, **fields) -> Product:
        schema = tenant.schema_name
        values = {
            "name": name,
            "sku": fields.pop("sku", unique_sku(schema)),
            "price": fields.pop("price", Decimal("9.99")),
            "description": marker(schema) if description is None else f"{description} {marker(schema)}",
            **fields,
        }
        with tenant_context(tenant), committed():
            if pk is None:
                return product_create(**values)
            return Product.objects.create(pk=pk, **values)

    return add


@pytest.fixture
def search_at(settings):
    """``search_at(url)`` points the search client at another server (short timeout, no retries);
    ``search_at(None)`` points it back. The settings fixture restores everything afterwards."""
    original = (settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_TIMEOUT_SECONDS, settings.ELASTICSEARCH_MAX_RETRIES)

    def point(url: str | None, *, timeout: float = 0.5) -> None:
        if url is None:
            (settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_TIMEOUT_SECONDS, settings.ELASTICSEARCH_MAX_RETRIES) = (
                original
            )
        else:
            settings.ELASTICSEARCH_URL = url
            settings.ELASTICSEARCH_TIMEOUT_SECONDS = timeout
            settings.ELASTICSEARCH_MAX_RETRIES = 0
        get_client.cache_clear()

    yield point
    get_client.cache_clear()


@pytest.fixture
def search_down(search_at):
    """Search unreachable (nothing listens on the port); call the returned function to bring it back."""
    search_at(f"http://127.0.0.1:{free_port()}")
    return lambda: search_at(None)


@pytest.fixture
def hanging_search_url():
    """A server that accepts connections and never answers (a hung search node)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


class _FailingSearchHandler(BaseHTTPRequestHandler):
    def _fail(self):
        body = json.dumps({"error": {"type": "internal_error", "reason": "disk on fire"}, "status": 500}).encode()
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _fail

    def log_message(self, *args):
        pass


@pytest.fixture
def failing_search_url():
    """A server that answers every request with HTTP 500 (a broken cluster)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FailingSearchHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
