"""A tenant schema cloned from the template is the template, object by object: tables and columns,
defaults and identity, constraints and indexes under the same names, the template's rows, and
sequences that continue after them."""

import pytest
from django.conf import settings

from tenants.db import connection
from tenants.services import tenant_create, tenant_delete

pytestmark = pytest.mark.django_db


def catalog_of(schema: str) -> dict:
    """Every object of a schema, described without the schema's name."""
    with connection.cursor() as cursor:
        cursor.execute("SET search_path TO pg_catalog")
        cursor.execute(
            "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s ORDER BY 1",
            [schema],
        )
        relations = cursor.fetchall()
        cursor.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity, "
            "character_maximum_length, numeric_precision, numeric_scale "
            "FROM information_schema.columns WHERE table_schema = %s ORDER BY 1, 2",
            [schema],
        )
        columns = cursor.fetchall()
        cursor.execute(
            "SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid) FROM pg_constraint con "
            "JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s ORDER BY 1, 2",
            [schema],
        )
        constraints = [(t, n, k, d.replace(f" {schema}.", " SCHEMA.")) for t, n, k, d in cursor.fetchall()]
        cursor.execute(
            "SELECT indexname, replace(indexdef, %s, ' SCHEMA.') FROM pg_indexes WHERE schemaname = %s ORDER BY 1",
            [f" {schema}.", schema],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT sequencename, data_type, increment_by FROM pg_sequences WHERE schemaname = %s ORDER BY 1",
            [schema],
        )
        sequences = cursor.fetchall()
        rows = {}
        for (table,) in {(name,) for name, kind in relations if kind == "r"}:
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')  # noqa: S608
            rows[table] = cursor.fetchone()[0]
    connection.set_schema_to_public()
    return {
        "relations": relations,
        "columns": columns,
        "constraints": constraints,
        "indexes": indexes,
        "sequences": sequences,
        "rows": rows,
    }


def test_clone_matches_the_template_object_by_object():
    tenant = tenant_create(name="Clone", schema_name="clone_check", domain="clone-check.localhost")
    try:
        template, clone = catalog_of(settings.TENANT_BASE_SCHEMA), catalog_of("clone_check")
        for part in ("relations", "columns", "constraints", "indexes", "sequences", "rows"):
            assert clone[part] == template[part], part
        assert template["rows"]["django_migrations"] > 10
        assert any(kind == "f" for _, _, kind, _ in clone["constraints"])
        assert all(
            "SCHEMA." not in definition or "tenant_template" not in definition
            for _, _, _, definition in clone["constraints"]
        )
    finally:
        tenant_delete(tenant=tenant)


def test_cloned_sequences_continue_after_the_copied_rows():
    from django.contrib.contenttypes.models import ContentType
    from django_tenants.utils import tenant_context

    tenant = tenant_create(name="Clone", schema_name="clone_seq", domain="clone-seq.localhost")
    try:
        with tenant_context(tenant):
            highest = ContentType.objects.order_by("-pk").values_list("pk", flat=True).first()
            created = ContentType.objects.create(app_label="clone", model="probe")
            assert highest is not None and created.pk == highest + 1
    finally:
        tenant_delete(tenant=tenant)
