"""Write path: every product write leaves an outbox row in its own transaction; after commit the relay
pushes it with external versioning, so a replay of an old change never overwrites a newer document."""

from decimal import Decimal

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.utils import tenant_context

from catalog.models import Product, SearchOutbox
from catalog.search.client import get_client
from catalog.search.documents import product_document
from catalog.search.outbox import RelayAfterCommit, outbox_prune, push_products, rebuild_lock_key
from catalog.services import product_delete, product_update
from tests.search.helpers import alias_of, document_id, unique_sku
from tests.support import marker

pytestmark = pytest.mark.django_db


def indexed(schema: str, product_id: int) -> dict | None:
    response = get_client().options(ignore_status=404).get(index=alias_of(schema), id=document_id(schema, product_id))
    return response.body if response.body.get("found") else None


def source(schema: str, product_id: int) -> dict:
    """The indexed fields of a product that must be in the index."""
    document = indexed(schema, product_id)
    assert document is not None, f"product {product_id} is not in {schema}'s index"
    return document["_source"]


def outbox_rows(product_id: int) -> list[SearchOutbox]:
    return list(SearchOutbox.objects.filter(product_id=product_id).order_by("pk"))


def test_writes_record_outbox_rows_in_their_own_transaction(acme):
    """Create, update and delete each add a row before commit; a rolled-back write leaves none."""
    from catalog.services import product_create

    with tenant_context(acme):
        product = product_create(
            name="Outbox Lamp", sku=unique_sku("acme"), price=Decimal("5"), description=marker("acme")
        )
        product_update(product=product, name="Outbox Lamp II")
        product_id = product_delete(product=product)
        assert [row.op for row in outbox_rows(product_id)] == ["index", "index", "delete"]
        assert all(row.processed_at is None for row in outbox_rows(product_id))

        with pytest.raises(RuntimeError), transaction.atomic():
            doomed = product_create(
                name="Doomed", sku=unique_sku("acme"), price=Decimal("1"), description=marker("acme")
            )
            raise RuntimeError("roll back")
        assert outbox_rows(doomed.pk) == []


def test_commit_pushes_the_document_and_marks_the_row(acme, add_product):
    """After commit the document equals the product and carries the outbox row id as its version."""
    product = add_product(acme, "Relay Kettle")
    with tenant_context(acme):
        (row,) = outbox_rows(product.pk)
        assert row.processed_at is not None and row.attempts == 0
        document = indexed("acme", product.pk)
        assert document is not None
        source = document["_source"]
        # In the shared index a document also names its tenant and the generation its alias selects.
        if "tenant" in source:
            assert source.pop("tenant") == "acme"
            assert document_id("acme", product.pk) == f"acme:{source.pop('generation')}:{product.pk}"
        assert source == product_document(Product.objects.get(pk=product.pk))
        assert document["_version"] == row.version


def test_update_and_delete_reach_the_index(acme, add_product, committed):
    """An update replaces the document; a delete removes it."""
    product = add_product(acme, "Mutable Teapot")
    with tenant_context(acme):
        with committed():
            product_update(product=product, name="Renamed Teapot")
        assert source("acme", product.pk)["name"] == "Renamed Teapot"
        with committed():
            product_delete(product=Product.objects.get(pk=product.pk))
        assert indexed("acme", product.pk) is None


def test_an_old_replay_never_overwrites_a_newer_document(acme, add_product, committed):
    """Replaying the first change after a later one was indexed leaves the later document in place."""
    product = add_product(acme, "Versioned Vase")
    with tenant_context(acme):
        first_version = outbox_rows(product.pk)[0].version
        with committed():
            product_update(product=product, name="Versioned Vase Deluxe")
        newest = indexed("acme", product.pk)
        Product.objects.filter(pk=product.pk).update(name="Stale state that must not win")
        assert push_products({product.pk: first_version}) == {}
        assert indexed("acme", product.pk) == newest


def test_every_write_path_is_covered(acme, committed):
    """Bare model saves and deletes (admin, scripts) go through the signals like the services do."""
    with tenant_context(acme):
        with committed():
            product = Product.objects.create(name="Raw Save", sku=unique_sku("acme"), price=1, description="x")
        assert source("acme", product.pk)["name"] == "Raw Save"
        with committed():
            Product.objects.filter(pk=product.pk).delete()
        assert indexed("acme", product.pk) is None
        assert [row.op for row in outbox_rows(product.pk)] == ["index", "delete"]


def test_one_relay_per_transaction(acme, django_capture_on_commit_callbacks):
    """Many writes in one transaction register one relay, which pushes all of them."""
    with tenant_context(acme), django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        products = [
            Product.objects.create(name=f"Batch Item {n}", sku=unique_sku("acme"), price=1, description="x")
            for n in range(3)
        ]
    assert sum(isinstance(callback, RelayAfterCommit) for callback in callbacks) == 1
    with tenant_context(acme):
        assert all(indexed("acme", product.pk) for product in products)
        assert not SearchOutbox.objects.filter(product_id__in=[p.pk for p in products], processed_at=None).exists()


def test_relay_pushes_to_the_writing_tenant_only(acme, beta, add_product, colliding_id):
    """Products with the same id in both tenants land in their own tenant's index."""
    add_product(acme, "Twin Acme Widget", pk=colliding_id)
    add_product(beta, "Twin Beta Widget", pk=colliding_id)
    assert source("acme", colliding_id)["description"] == marker("acme")
    assert source("beta", colliding_id)["description"] == marker("beta")


def test_failed_push_keeps_the_row_with_its_error(acme, add_product, search_down):
    """With search unreachable the write commits and its row stays pending with the failure recorded."""
    product = add_product(acme, "Offline Oven")
    with tenant_context(acme):
        (row,) = outbox_rows(product.pk)
        assert row.processed_at is None
        assert row.attempts == 1
        assert "ConnectionError" in row.last_error
    search_down()
    call_command("search_sync", schema="acme")
    with tenant_context(acme):
        assert source("acme", product.pk)["name"] == "Offline Oven"
        assert not SearchOutbox.objects.filter(processed_at__isnull=True).exists()


def test_prune_deletes_processed_rows_but_waits_for_a_rebuild(acme, add_product):
    """Processed rows are pruned, except while another session holds the tenant's rebuild lock."""
    product = add_product(acme, "Prunable Pot")
    params = connection.get_connection_params()
    with tenant_context(acme):
        key = rebuild_lock_key()
        with psycopg.connect(
            dbname=params["dbname"],
            host=params.get("host"),
            port=params.get("port"),
            user=params.get("user"),
            password=params.get("password"),
            autocommit=True,
        ) as rebuild_session:
            rebuild_session.execute("SELECT pg_advisory_lock(%s)", [key])
            assert outbox_prune() == 0
            assert SearchOutbox.objects.filter(product_id=product.pk).exists()
            rebuild_session.execute("SELECT pg_advisory_unlock(%s)", [key])
        assert outbox_prune() >= 1
        assert not SearchOutbox.objects.filter(product_id=product.pk).exists()
