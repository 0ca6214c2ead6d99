"""migrate_tenants: one query finds the schemas that lack a migration; up-to-date ones are skipped."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tenants.management.commands.migrate_tenants import expected_tenant_migrations, schemas_behind

pytestmark = pytest.mark.django_db


def test_expected_migrations_are_the_tenant_apps_ones():
    expected = expected_tenant_migrations()
    assert "catalog.0001_initial" in expected
    assert not any(name.startswith("tenants.") for name in expected)


def test_only_a_schema_missing_a_migration_is_behind(acme, beta):
    expected = expected_tenant_migrations()
    assert schemas_behind(["acme", "beta"], expected) == []
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM beta.django_migrations WHERE app = 'catalog' AND name = '0001_initial'")
    assert schemas_behind(["acme", "beta"], expected) == ["beta"]
    assert schemas_behind(["acme", "beta"], {*expected, "catalog.9999_future"}) == ["acme", "beta"]


def test_schema_without_migration_table_is_behind():
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA empty_for_migrate")
    assert schemas_behind(["empty_for_migrate"], expected_tenant_migrations()) == ["empty_for_migrate"]


def test_noop_run_migrates_no_tenant(acme, beta):
    out = StringIO()
    call_command("migrate_tenants", tenant=True, interactive=False, stdout=out)
    assert "0 of " in out.getvalue()
