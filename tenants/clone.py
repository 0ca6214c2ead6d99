"""New tenant schemas cloned from the template schema in time that does not grow with the fleet.

django-tenants' ``clone_schema`` (a PL/pgSQL function) reads ``information_schema`` views for
every table, column and constraint it copies. Those views scan the whole catalog, which holds
every tenant's tables: provisioning took 0.5 s with 10 tenants and 9 s with 50 (docs/scaling.md).
This clone reads ``pg_catalog`` filtered by the template's namespace (index lookups) and replays
what Django migrations create, under the template's own names:

1. each table: ``CREATE TABLE ... (LIKE template.table INCLUDING DEFAULTS, IDENTITY, GENERATED,
   STORAGE, COMMENTS)`` and its rows (migration records, content types, permissions);
2. primary key, unique, check and exclusion constraints (``pg_get_constraintdef``), then the
   other indexes (``pg_get_indexdef``), then foreign keys, all with the template's names (later
   migrations drop and alter them by name);
3. identity sequences continue after the copied rows.

The template holds only what migrations create (tables, identity columns, indexes and
constraints); ``tests/tenants/test_clone.py`` compares a clone with the template object by
object, so a migration that adds another kind of object (a view, a trigger) fails there first.
"""

from django.db import connection


def _requalify(definition: str, template: str, schema: str) -> str:
    return definition.replace(f" {template}.", f" {schema}.")


def schema_clone(template: str, schema: str) -> None:
    """Create ``schema`` as a copy of ``template``: tables, rows, indexes, constraints, sequences.
    Both names must be validated schema names (they are not quoted beyond ``quote_name``)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Catalog output names objects relative to the search path: keep only pg_catalog on it so
        # every reference to the template comes out qualified, and can be re-qualified.
        cursor.execute("SELECT current_setting('search_path'), set_config('search_path', 'pg_catalog', false)")
        search_path = cursor.fetchone()[0]
        try:
            _clone(cursor, quote, template, schema)
        finally:
            cursor.execute("SELECT set_config('search_path', %s, false)", [search_path])


def _clone(cursor, quote, template: str, schema: str) -> None:
    source, target = quote(template), quote(schema)
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
        [template],
    )
    tables = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT c.relname, con.conname, pg_get_constraintdef(con.oid), con.contype "
        "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND con.contype IN ('p', 'u', 'c', 'x', 'f') "
        "ORDER BY con.contype = 'f', c.relname, con.conname",
        [template],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND NOT EXISTS ("
        "  SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid "
        "  AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')"
        ") ORDER BY 1",
        [template],
    )
    indexes = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND a.attidentity <> '' AND NOT a.attisdropped",
        [template],
    )
    identities = cursor.fetchall()

    cursor.execute(f"CREATE SCHEMA {target}")
    for table in tables:
        name = quote(table)
        cursor.execute(
            f"CREATE TABLE {target}.{name} (LIKE {source}.{name} INCLUDING DEFAULTS INCLUDING IDENTITY "
            "INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS)"
        )
        cursor.execute(
            f"INSERT INTO {target}.{name} OVERRIDING SYSTEM VALUE SELECT * FROM {source}.{name}"  # noqa: S608
        )
    for table, name, definition, kind in constraints:
        if kind == "f":
            continue
        cursor.execute(f"ALTER TABLE {target}.{quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    for definition in indexes:
        cursor.execute(_requalify(definition, template, schema))
    for table, name, definition, kind in constraints:
        if kind == "f":
            cursor.execute(
                f"ALTER TABLE {target}.{quote(table)} ADD CONSTRAINT {quote(name)} "
                + _requalify(definition, template, schema)
            )
    for table, column in identities:
        # LIKE makes every identity sequence bigint; keep the template's type (integer for AutoField).
        cursor.execute(
            "SELECT format_type(s.seqtypid, NULL) FROM pg_sequence s "
            "WHERE s.seqrelid = pg_get_serial_sequence(%s, %s)::regclass",
            [f"{source}.{quote(table)}", column],
        )
        (sequence_type,) = cursor.fetchone()
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [f"{target}.{quote(table)}", column])
        (sequence,) = cursor.fetchone()
        cursor.execute(f"ALTER SEQUENCE {sequence} AS {sequence_type}")
        cursor.execute(
            f"SELECT setval(%s, COALESCE(MAX({quote(column)}), 1), "  # noqa: S608
            f"MAX({quote(column)}) IS NOT NULL) FROM {target}.{quote(table)}",
            [sequence],
        )
