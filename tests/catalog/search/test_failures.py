"""Failure: search down, hanging or erroring answers SEARCH_UNAVAILABLE in bounded time and is logged;
the rest of the API and every product write keep working, and search_sync catches up afterwards."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tenants.utils import tenant_context

from catalog.models import SearchOutbox
from catalog.search.client import get_client
from catalog.services import product_delete, product_update
from tests.catalog.search.helpers import SEARCH, alias_of, names
from tests.support import error_codes, free_port

pytestmark = pytest.mark.django_db

CREATE = """
mutation Create($input: ProductInput!) {
  createProduct(input: $input) { ... on Product { id name } ... on OperationInfo { messages { message } } }
}
"""


def search(gql, query: str) -> dict:
    return gql.on("acme").as_user("member").execute(SEARCH, {"query": query})


def test_outage_keeps_writes_and_search_sync_catches_up(acme, gql, client, add_product, committed, search_at):
    """Down: SEARCH_UNAVAILABLE, other fields and all writes work, changes wait in the outbox.
    Back: search_sync makes every change searchable and the drift check is clean."""
    call_command("search_index", rebuild=True, schema="acme")
    renamed = add_product(acme, "Outage Original Name")
    doomed = add_product(acme, "Outage Doomed Gadget")

    search_at(f"http://127.0.0.1:{free_port()}")
    assert error_codes(search(gql, "outage")) == ["SEARCH_UNAVAILABLE"]
    assert gql.on("acme").as_user("member").execute("{ tenant { schemaName } }") == {
        "data": {"tenant": {"schemaName": "acme"}}
    }
    with committed():
        created = (
            gql.on("acme")
            .as_user("owner")
            .execute(CREATE, {"input": {"name": "Outage Fresh Gizmo", "sku": "ACME-OUTAGE-1", "price": "3.50"}})
        )
    assert created["data"]["createProduct"]["name"] == "Outage Fresh Gizmo"
    with tenant_context(acme), committed():
        product_update(product=renamed, name="Outage Renamed Thing")
        product_delete(product=doomed)
    with tenant_context(acme):
        pending = list(SearchOutbox.objects.filter(processed_at__isnull=True))
    assert len(pending) == 3
    assert all(row.attempts == 1 and "ConnectionError" in row.last_error for row in pending)
    readiness = client.get("/readyz", HTTP_HOST="acme.localhost")
    assert readiness.status_code == 200
    assert readiness.json()["search"]["ok"] is False
    assert readiness.json()["search"]["outbox_pending"] >= 3

    search_at(None)
    call_command("search_sync")
    assert names(search(gql, "outage fresh gizmo"))[0] == "Outage Fresh Gizmo"
    assert names(search(gql, "outage renamed thing"))[0] == "Outage Renamed Thing"
    assert "Outage Doomed Gadget" not in names(search(gql, "outage doomed gadget"))
    assert "Outage Original Name" not in names(search(gql, "outage original name"))
    call_command("search_index", check=True, schema="acme")
    readiness = client.get("/readyz", HTTP_HOST="acme.localhost").json()["search"]
    assert readiness["ok"] is True


@pytest.mark.parametrize("server", ["hanging_search_url", "failing_search_url"])
def test_hanging_or_erroring_search_is_unavailable_and_logged(acme, gql, search_at, request, caplog, server):
    """A node that never answers (timeout) or answers 500 gives SEARCH_UNAVAILABLE and a log line."""
    search_at(request.getfixturevalue(server), timeout=0.2)
    assert error_codes(search(gql, "anything at all")) == ["SEARCH_UNAVAILABLE"]
    assert any(record.name == "catalog.search.services" for record in caplog.records)


def test_search_sync_reports_failure_while_search_is_down(acme, add_product, search_down):
    """search_sync exits non-zero and leaves the changes pending while the server is unreachable."""
    add_product(acme, "Sync Fails Gadget")
    with pytest.raises(CommandError, match="still pending"):
        call_command("search_sync", schema="acme")
    with tenant_context(acme):
        assert SearchOutbox.objects.filter(processed_at__isnull=True).exists()


def test_rebuild_while_search_is_down_fails_cleanly_and_keeps_the_old_index(acme, search_at):
    """search_index --rebuild exits non-zero when search is unreachable; the serving index is untouched."""
    (serving,) = get_client().indices.get_alias(name=alias_of("acme")).body
    search_at(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(CommandError, match="could not be rebuilt"):
        call_command("search_index", rebuild=True, schema="acme")
    search_at(None)
    assert list(get_client().indices.get_alias(name=alias_of("acme")).body) == [serving]
