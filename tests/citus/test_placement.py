"""Where tenants live on a Citus cluster: each tenant schema is one distributed schema whose
tables are all on one worker, new tenants spread over the workers, and the public and template
schemas stay on the coordinator."""

import time
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tenants.citus import distributed_schemas, tenant_foreign_keys_to_public
from tenants.services import tenant_create
from tests.citus.conftest import coordinator, placement, record, workers
from tests.support import TENANTS

pytestmark = pytest.mark.django_db


def tables_of(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = %s::regnamespace AND c.relkind IN ('r', 'p')",
            [schema],
        )
        return {row[0] for row in cursor.fetchall()}


def test_each_tenant_schema_is_distributed_whole_on_one_worker():
    """acme and beta are distributed schemas; every table of each has exactly one shard, and all
    of a tenant's shards are on the same worker (never the coordinator)."""
    with coordinator() as conn:
        nodes = workers(conn)
        for schema in TENANTS:
            host, port = placement(conn, schema)
            assert (host, port) in nodes, f"{schema} is on {host}:{port}, not a worker"
            sharded = {
                row[0]
                for row in conn.execute(
                    "SELECT p.logicalrelid::regclass::text FROM pg_dist_partition p "
                    "JOIN citus_schemas s ON s.colocation_id = p.colocationid WHERE s.schema_name = %s::regnamespace",
                    [schema],
                ).fetchall()
            }
            assert {name.split(".", 1)[1] for name in sharded} == tables_of(schema)
            assert "catalog_product" in tables_of(schema)


def test_public_and_template_stay_on_the_coordinator():
    """The registry, domains and platform users are plain tables of the coordinator; the template is
    not distributed; no tenant table has a foreign key into public."""
    schemas = distributed_schemas()
    assert settings.TENANT_BASE_SCHEMA not in schemas and "public" not in schemas
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::regclass::text LIKE ANY(%s)",
            [["tenants_%", "users_user", "public.%", f"{settings.TENANT_BASE_SCHEMA}.%"]],
        )
        assert cursor.fetchone()[0] == 0
    assert tenant_foreign_keys_to_public() == []


def test_new_tenants_spread_over_both_workers():
    """Four more tenants (rolled back with the test): together with acme and beta they use both
    workers, and each is provisioned in about the time of one server's clone plus a copy."""
    durations = []
    for index in range(4):
        started = time.monotonic()
        tenant_create(name=f"Spread {index}", schema_name=f"spread_{index}", domain=f"spread{index}.localhost")
        durations.append(time.monotonic() - started)
    schemas = distributed_schemas()
    with coordinator() as conn:
        nodes = {port for _, port in workers(conn)}
    fleet = {schema: schemas[schema][1] for schema in [*TENANTS, *(f"spread_{i}" for i in range(4))]}
    assert set(fleet.values()) == nodes, fleet
    assert len(nodes) == 2
    durations.sort()
    record("provision_seconds_median_of_4", round(durations[len(durations) // 2], 3))
    record("provision_seconds_max_of_4", round(durations[-1], 3))
    record("placement_after_6_tenants", fleet)


def _scalar(conn: psycopg.Connection, sql: str) -> Any:
    row = conn.execute(sql).fetchone()
    assert row is not None, sql
    return row[0]


def test_rows_are_on_the_worker_not_the_coordinator():
    """A tenant's user rows are in the shard on its worker; the coordinator's table is an empty shell."""
    with coordinator() as conn:
        host, port = placement(conn, "acme")
        shard = _scalar(
            conn, "SELECT sh.shard_name FROM citus_shards sh WHERE sh.table_name = 'acme.users_user'::regclass"
        )
        # The shell table on the coordinator has no pages of its own.
        local_bytes = _scalar(conn, "SELECT pg_relation_size('acme.users_user')")
    with psycopg.connect(host=host, port=port, user="postgres", dbname=settings.DATABASES["default"]["NAME"]) as worker:
        emails = {row[0] for row in worker.execute(f"SELECT email FROM {shard}").fetchall()}  # noqa: S608
    assert {"owner@acme.test", "member@acme.test"} <= emails
    assert not any(email.endswith("@beta.test") for email in emails)
    assert local_bytes == 0


def test_tenants_created_before_sharding_are_distributed_by_the_command(settings, capsys):
    """A tenant provisioned with the setting off is a plain schema on the coordinator until
    ``citus_tenants --distribute``; then it is on a worker and still reads its rows."""
    from django.core.management import call_command
    from django_tenants.utils import tenant_context

    from users.models import User
    from users.services import user_create

    settings.CITUS_SCHEMA_SHARDING = False
    tenant = tenant_create(name="Before", schema_name="before_citus", domain="before.localhost")
    with tenant_context(tenant):
        user_create(email="owner@before.test", password="x-pass-2026-long")
    settings.CITUS_SCHEMA_SHARDING = True
    assert "before_citus" not in distributed_schemas()
    call_command("citus_tenants")
    assert "before_citus\tcoordinator (not distributed)" in capsys.readouterr().out
    call_command("citus_tenants", "--distribute")
    out = capsys.readouterr().out
    assert "distributed 1 tenant schema(s): before_citus" in out
    assert distributed_schemas()["before_citus"][1] in {5442, 5443}
    with tenant_context(tenant):
        assert list(User.objects.values_list("email", flat=True)) == ["owner@before.test"]


def test_command_refuses_bad_input_clearly(settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no tenant with schema 'nobody'"):
        call_command("citus_tenants", "--move", "nobody", "--to", "127.0.0.1:5442")
    with pytest.raises(CommandError, match="host:port"):
        call_command("citus_tenants", "--move", "acme", "--to", "nowhere")
    settings.CITUS_SCHEMA_SHARDING = False
    with pytest.raises(CommandError, match="CITUS_SCHEMA_SHARDING is off"):
        call_command("citus_tenants")
