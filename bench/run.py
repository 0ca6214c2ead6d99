"""Benchmarks: each fast path timed against its baseline in the same run, reported as a ratio.

    make bench            # all scenarios
    make bench BENCH=...  # a comma-separated subset (names below)

Runs against a fresh database ``<name>_bench`` on the configured PostgreSQL, with the demo
data. Results are printed as a table and written to .data/bench.json.
"""

import json
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from services import fresh_database_url  # noqa: E402

os.environ["DATABASE_URL"] = fresh_database_url(os.environ["DATABASE_URL"], "bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

SCENARIOS: dict[str, Callable[[], dict | list[dict]]] = {}


def scenario(function: Callable[[], dict]) -> Callable[[], dict]:
    SCENARIOS[function.__name__] = function
    return function


def _rows(result: dict | list[dict]) -> list[dict]:
    return result if isinstance(result, list) else [result]


def median_seconds(action: Callable[[], object], repeat: int, before: Callable[[], object] | None = None) -> float:
    samples = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def compare(name: str, baseline: float, fast: float, unit: str = "ms") -> dict:
    scale = 1000 if unit == "ms" else 1
    return {
        "scenario": name,
        "baseline": round(baseline * scale, 3),
        "fast": round(fast * scale, 3),
        "unit": unit,
        "speedup": round(baseline / fast, 1) if fast else None,
    }


@scenario
def tenant_provisioning() -> dict:
    """Cloning the template schema vs running every migration for a new tenant."""
    from tenants.models import Client
    from tenants.services import tenant_create, tenant_delete

    counter = iter(range(1000))

    def provision():
        index = next(counter)
        tenant = tenant_create(name=f"Bench {index}", schema_name=f"bench_{index}", domain=f"bench{index}.localhost")
        provisioned.append(tenant)

    provisioned: list[Client] = []
    fast = median_seconds(provision, repeat=3)
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
        baseline = median_seconds(provision, repeat=3)
    for tenant in provisioned:
        tenant_delete(tenant=tenant)
    return compare("provision one tenant (clone vs migrate)", baseline, fast, unit="s")


def _graphql(client: HttpClient, token: str, query: str, variables: dict | None = None) -> dict:
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        HTTP_HOST="acme.localhost",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    body = response.json()
    assert "errors" not in body, body
    return body


def _member_token() -> str:
    from users.models import User
    from users.services import token_issue

    with schema_context("acme"):
        return token_issue(user=User.objects.get(email="member@acme.test"))


def _clear_cache() -> None:
    cache.clear()


def _http_hit_vs_miss(label: str, query: str, repeat: int = 30) -> dict:
    """One GraphQL request over HTTP, timed with an empty cache and then with a warm one."""
    client, token = HttpClient(), _member_token()
    baseline = median_seconds(lambda: _graphql(client, token, query), repeat=repeat, before=_clear_cache)
    _graphql(client, token, query)
    fast = median_seconds(lambda: _graphql(client, token, query), repeat=repeat)
    return compare(label, baseline, fast)


@scenario
def product_page_http() -> dict:
    """products(first: 100) over HTTP: served from Redis vs read from PostgreSQL."""
    query = "query { products(first: 100) { totalCount edges { node { id name sku price } } } }"
    return _http_hit_vs_miss("GraphQL products(first: 100), cache hit vs miss", query)


@scenario
def product_detail() -> dict:
    """Product detail selector: Redis hit vs PostgreSQL."""
    from catalog import selectors
    from catalog.models import Product

    with schema_context("acme"):
        product_id = Product.objects.order_by("pk").values_list("pk", flat=True).first()
        if product_id is None:
            raise SystemExit("The acme tenant has no products to read.")
        baseline = median_seconds(lambda: selectors.product_get(product_id=product_id), 200, before=_clear_cache)
        selectors.product_get(product_id=product_id)
        fast = median_seconds(lambda: selectors.product_get(product_id=product_id), 200)
    return compare("product detail selector, cache hit vs miss", baseline, fast)


@scenario
def search_cached() -> dict:
    """searchProducts over HTTP: cached result vs Elasticsearch round trip and hydration."""
    query = 'query { searchProducts(query: "rocket skate", first: 20) { id name } }'
    return _http_hit_vs_miss("GraphQL searchProducts, cache hit vs miss", query)


@scenario
def page_memory() -> dict:
    """Peak Python memory of building products(first: 100): cache hit vs miss."""
    client, token = HttpClient(), _member_token()
    query = "query { products(first: 100) { edges { node { id name description sku price } } } }"

    def peak(warm: bool) -> float:
        cache.clear()
        if warm:
            _graphql(client, token, query)
        tracemalloc.start()
        _graphql(client, token, query)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top / 1024

    baseline, fast = peak(warm=False), peak(warm=True)
    return {
        "scenario": "peak memory of products(first: 100), hit vs miss",
        "baseline": round(baseline, 1),
        "fast": round(fast, 1),
        "unit": "KiB",
        "speedup": round(baseline / fast, 2),
    }


from bench.live import SCENARIOS as LIVE_SCENARIOS  # noqa: E402

SCENARIOS.update(LIVE_SCENARIOS)

from bench.scale import scale  # noqa: E402

SCENARIOS["scale"] = scale

from bench.readpath import read_path  # noqa: E402

SCENARIOS["read_path"] = read_path


def main() -> int:
    chosen = [name for name in os.environ.get("BENCH", "").split(",") if name] or list(SCENARIOS)
    call_command("migrate_schemas", verbosity=0)
    call_command("bootstrap_demo", verbosity=0)
    call_command("search_index", "--rebuild", verbosity=0)
    results = [row for name in chosen for row in _rows(SCENARIOS[name]())]
    details = [row for row in results if "detail" in row]
    results = [row for row in results if "detail" not in row]
    width = max(len(result["scenario"]) for result in results)
    print(f"{'scenario':<{width}}  {'baseline':>10}  {'fast':>10}  unit  ratio")
    for result in results:
        print(
            f"{result['scenario']:<{width}}  {result['baseline']:>10}  {result['fast']:>10}  "
            f"{result['unit']:<4}  {result['speedup']}x"
        )
    output = ROOT / ".data" / "bench.json"
    output.parent.mkdir(exist_ok=True)
    output.write_text(json.dumps(results + details, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
