"""The search relay: a backlog nothing drains makes /readyz degraded; a killed relay is restarted by
its supervisor and drains the backlog by itself, with zero drift and nothing crossing tenants."""

import os
import signal
import time

from tests.faults.conftest import http, readiness, record_recovery, wait_until
from tests.live import login
from tests.support import marker

CREATE = """
mutation($input: ProductInput!) {
  createProduct(input: $input) { __typename ... on Product { id sku } ... on OperationInfo { messages { message } } }
}
"""


def _create_products(server, schema: str, token: str, label: str, count: int) -> list[str]:
    skus = []
    for number in range(count):
        sku = f"FAULT-{label}-{schema}-{number}-{time.monotonic_ns() % 10**9}"
        status, _, body = http(
            server, schema, CREATE, {"input": {"name": f"{label} {number}", "sku": sku, "price": "1.00",
                                               "description": marker(schema)}}, token,
        )  # fmt: skip
        assert status == 200 and body["data"]["createProduct"]["__typename"] == "Product", body
        skus.append(sku)
    return skus


def _stored_skus(schema: str, prefix: str) -> set[str]:
    from django_tenants.utils import schema_context

    from catalog.models import Product

    with schema_context(schema):
        return set(Product.objects.filter(sku__startswith=prefix).values_list("sku", flat=True))


def test_readyz_reports_a_backlog_that_nothing_drains(fault_stack, server):
    tokens = {schema: login(server, schema, "owner")[0] for schema in ("acme", "beta")}
    wait_until(fault_stack.no_drift, 15, what="a synced index before the fault")
    fault_stack.stop_relay()
    fault_stack.search.pause()
    try:
        skus = {schema: _create_products(server, schema, tokens[schema], "stale", 2) for schema in tokens}
    finally:
        fault_stack.search.resume()
    # Search answers again, but no relay runs: the changes wait, and readiness must say so.
    status, report = wait_until(
        lambda: (result := readiness(server))[1]["search"].get("outbox_stale") and result, 10, what="a stale backlog"
    )
    assert status == 200
    assert report["status"] == "degraded"
    assert report["search"]["ok"] is False
    assert report["search"]["outbox_pending"] >= 4
    assert report["search"]["outbox_oldest_pending_seconds"] > 2

    started = time.monotonic()
    fault_stack.start_relay()
    wait_until(fault_stack.no_drift, 20, what="the backlog replayed")
    status, report = readiness(server)
    assert (status, report["status"], report["search"]["outbox_stale"]) == (200, "ok", False)
    for schema, own in skus.items():
        assert _stored_skus(schema, "FAULT-stale-") >= set(own)
        assert not _stored_skus(schema, f"FAULT-stale-{'beta' if schema == 'acme' else 'acme'}-")
    record_recovery("stale search backlog: relay back, backlog drained, /readyz ok", time.monotonic() - started)


def test_a_killed_relay_is_restarted_and_drains_the_backlog(fault_stack, server):
    tokens = {schema: login(server, schema, "owner")[0] for schema in ("acme", "beta")}
    relay = fault_stack.relay or fault_stack.start_relay()
    wait_until(fault_stack.no_drift, 15, what="a synced index before the fault")
    killed_pid = relay.process.pid
    fault_stack.search.pause()
    try:
        os.kill(killed_pid, signal.SIGKILL)
        skus = {schema: _create_products(server, schema, tokens[schema], "killed", 3) for schema in tokens}
    finally:
        fault_stack.search.resume()
    started = time.monotonic()
    wait_until(lambda: relay.process.pid != killed_pid and relay.process.poll() is None, 10, what="a restarted relay")
    wait_until(fault_stack.no_drift, 20, what="the backlog replayed by the restarted relay")
    elapsed = time.monotonic() - started
    assert relay.restarts >= 1
    for schema, own in skus.items():
        assert _stored_skus(schema, f"FAULT-killed-{schema}-") == set(own)
    status, report = readiness(server)
    assert (status, report["search"]["outbox_pending"], report["search"]["ok"]) == (200, 0, True)
    record_recovery("search relay killed: restarted, backlog drained, zero drift", elapsed)
