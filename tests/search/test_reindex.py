"""Reindex and drift: a rebuild fills a new index, swaps the alias in one step and deletes the old one,
losing no write made while it runs; the check compares database and index and fails on drift."""

import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import tenant_context

from catalog.models import Product
from catalog.search.client import get_client
from catalog.search.indexes import index_check, index_rebuild
from catalog.search.outbox import outbox_relay
from catalog.search.services import product_search
from catalog.services import product_create, product_delete, product_update
from tenants.services import tenant_create, tenant_delete
from tests.search.helpers import alias_of, document_id, unique_sku

pytestmark = pytest.mark.django_db


def aliased_indexes(schema: str) -> list[str]:
    return list(get_client().indices.get_alias(name=alias_of(schema)).body)


def test_rebuild_command_swaps_the_alias_and_deletes_the_old_index(acme, add_product, capsys, search_strategy):
    """The alias moves to a new concrete index holding every product and the old index is gone;
    in the shared index, to a new generation of the tenant's documents, and the old one is gone."""
    product = add_product(acme, "Rebuild Compass")
    (old_index,) = aliased_indexes("acme")
    old_document = document_id("acme", product.pk)
    out = StringIO()
    call_command("search_index", rebuild=True, schema="acme", stdout=out)
    (new_index,) = aliased_indexes("acme")
    assert f"in {new_index}" in out.getvalue()
    if search_strategy == "index":
        assert new_index != old_index
        assert not get_client().indices.exists(index=old_index)
    else:
        assert new_index == old_index
        assert document_id("acme", product.pk) != old_document
        assert not get_client().exists(index=new_index, id=old_document, routing="acme")
        assert get_client().exists(index=new_index, id=document_id("acme", product.pk), routing="acme")
    assert "acme" in capsys.readouterr().err  # the tqdm progress bar
    with tenant_context(acme):
        assert [p.pk for p in product_search(query="rebuild compass")][:1] == [product.pk]
        assert not index_check().has_drift


def test_rebuild_loses_no_write_made_while_it_runs(acme, add_product, committed):
    """Creates, updates and deletes committed after the rebuild's snapshot, before its swap, all survive."""
    stays = add_product(acme, "Midway Original Lamp")
    goes = add_product(acme, "Midway Doomed Lamp")
    written_meanwhile: dict[str, Product] = {}

    def write_during_the_rebuild(_count: int) -> None:
        if written_meanwhile:
            return
        with committed():
            written_meanwhile["created"] = product_create(
                name="Midway Newborn Lamp", sku=unique_sku("acme"), price=Decimal("2"), description="ACME-MARKER"
            )
            product_update(product=Product.objects.get(pk=stays.pk), name="Midway Renamed Lamp")
            product_delete(product=Product.objects.get(pk=goes.pk))

    with tenant_context(acme):
        result = index_rebuild(on_progress=write_during_the_rebuild)
        assert result.requeued >= 3
        assert [p.name for p in product_search(query="midway newborn lamp")][:1] == ["Midway Newborn Lamp"]
        assert [p.name for p in product_search(query="midway renamed lamp")][:1] == ["Midway Renamed Lamp"]
        assert goes.pk not in [p.pk for p in product_search(query="midway doomed lamp")]
        report = index_check()
    assert not report.has_drift, report
    assert aliased_indexes("acme") == [result.index]


def test_check_reports_drift_and_exits_non_zero(acme, add_product, committed):
    """Missing, unexpected and stale documents are each reported; a rebuild brings the index back in line."""
    call_command("search_index", rebuild=True, schema="acme")
    stale = add_product(acme, "Drift Stale Shelf")
    extra = add_product(acme, "Drift Extra Shelf")
    with tenant_context(acme):
        # Writes that bypass the signals (queryset update/delete, uncommitted relay) are what drift means.
        missing = product_create(
            name="Drift Missing Shelf", sku=unique_sku("acme"), price=Decimal("1"), description="x"
        )
        Product.objects.filter(pk=stale.pk).update(name="Changed behind the index's back", price=77)
        Product.objects.filter(pk=stale.pk).update(updated_at=stale.updated_at.replace(year=2001))
        Product.objects.filter(pk=extra.pk).delete()
        report = index_check()
    assert (report.missing, report.unexpected, report.stale) == ([missing.pk], [extra.pk], [stale.pk])
    out = StringIO()
    with pytest.raises(CommandError, match="drift"):
        call_command("search_index", check=True, schema="acme", stdout=out)
    assert "DRIFT" in out.getvalue() and str(missing.pk) in out.getvalue()
    call_command("search_index", rebuild=True, schema="acme", stdout=StringIO())
    out = StringIO()
    call_command("search_index", check=True, schema="acme", stdout=out)
    assert "in sync" in out.getvalue()


def test_commands_refuse_unknown_schemas():
    """--schema must name an existing tenant; the public schema is not one."""
    for command, options in [("search_index", {"check": True}), ("search_sync", {})]:
        for schema in ("nope", "public"):
            with pytest.raises(CommandError, match="no tenant"):
                call_command(command, schema=schema, **options)


def test_search_sync_interval_must_be_positive():
    """--interval 0 or below is refused instead of spinning."""
    with pytest.raises(CommandError, match="positive"):
        call_command("search_sync", interval=0)


OTHER_STRATEGY = {"index": "shared", "shared": "index"}


def test_migrate_to_moves_tenants_to_the_other_strategy(acme, beta, add_product, search_strategy, colliding_id):
    """``search_index --migrate-to`` rebuilds tenants into the other strategy: same alias names,
    same search results, no drift, and each tenant still sees only its own document of a shared id."""
    from catalog.search.indexes import alias_target

    add_product(acme, "Migrating Ocarina", pk=colliding_id)
    add_product(beta, "Migrating Bagpipe", pk=colliding_id)
    target = OTHER_STRATEGY[search_strategy]
    out = StringIO()
    for schema in ("acme", "beta"):
        call_command("search_index", migrate_to=target, schema=schema, stdout=out)
    assert f"now use the '{target}' strategy" in out.getvalue()
    for tenant, name, other in ((acme, "Migrating Ocarina", "bagpipe"), (beta, "Migrating Bagpipe", "ocarina")):
        now = alias_target(get_client(), alias_of(tenant.schema_name))
        assert now is not None and now.shared == (target == "shared")
        with tenant_context(tenant):
            assert [p.name for p in product_search(query="migrating")] == [name]
            assert product_search(query=other) == []
            assert not index_check().has_drift
    out = StringIO()
    call_command("search_index", check=True, schema="acme", stdout=out)
    assert f"acme ({target})" in out.getvalue()


@pytest.mark.parametrize("migrate", [False, True], ids=["rebuild", "migrate"])
def test_rebuild_with_concurrent_writers_loses_nothing(migrate, search_strategy):
    """Real concurrency: writer threads commit creates, updates and deletes on their own connections
    while a rebuild runs on another (in the same strategy, or moving the tenant to the other one, as
    ``--migrate-to`` does on a live fleet); afterwards database and index agree exactly."""
    from tenants.models import Client

    schema = "race_search"
    strategy = OTHER_STRATEGY[search_strategy] if migrate else search_strategy

    def in_thread(work):
        errors: list[BaseException] = []

        def run():
            try:
                work()
            except BaseException as error:  # reported to the test thread
                errors.append(error)
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread, errors

    def provision():
        tenant_create(name="Race Search", schema_name=schema, domain="race-search.localhost")

    thread, errors = in_thread(provision)
    thread.join()
    assert not errors, errors
    tenant = Client.objects.get(schema_name=schema)
    try:
        _race(tenant, in_thread, strategy)
    finally:
        thread, errors = in_thread(lambda: tenant_delete(tenant=Client.objects.get(schema_name=schema)))
        thread.join()
        assert not errors, errors


def _race(tenant, in_thread, strategy: str) -> None:
    loading = threading.Event()
    writes_while_loading = threading.Semaphore(0)
    rebuild_done = threading.Event()
    writers = 3

    def seed():
        with tenant_context(tenant):
            for n in range(60):
                product_create(name=f"Race Seed {n}", sku=f"RACE-SEED-{n}", price=Decimal("1"), description="seed")

    def write(writer: int):
        def work():
            with tenant_context(tenant):
                n = 0
                while not rebuild_done.is_set() or n < 10:
                    created = product_create(name=f"Race W{writer} N{n}", sku=f"RACE-{writer}-{n}", price=Decimal("1"))
                    product_update(product=created, name=f"Race W{writer} N{n} renamed")
                    if n % 2:
                        product_delete(product=created)
                    seed_product = Product.objects.filter(sku=f"RACE-SEED-{writer * 20 + n % 20}").first()
                    if seed_product:
                        product_update(product=seed_product, description=f"touched by {writer} at {n}")
                    if loading.is_set():
                        writes_while_loading.release()
                    n += 1

        return work

    def rebuild():
        def wait_for_concurrent_writes(_count: int) -> None:
            if not loading.is_set():
                loading.set()
                for _ in range(writers * 3):
                    writes_while_loading.acquire(timeout=30)

        with tenant_context(tenant):
            index_rebuild(on_progress=wait_for_concurrent_writes, strategy=strategy)
        rebuild_done.set()

    thread, errors = in_thread(seed)
    thread.join()
    assert not errors, errors
    threads = [in_thread(write(writer)) for writer in range(writers)] + [in_thread(rebuild)]
    for thread, _ in threads:
        thread.join(120)
    assert not [error for _, errors in threads for error in errors]

    def verify():
        with tenant_context(tenant):
            outbox_relay()
            report = index_check()
            assert not report.has_drift, report
            assert report.strategy == strategy
            assert report.database_count > 60

    thread, errors = in_thread(verify)
    thread.join()
    assert not errors, errors
