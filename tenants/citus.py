"""Citus schema-based sharding (``CITUS_SCHEMA_SHARDING=1``, docs/scaling.md).

With the setting on, the database is a Citus coordinator and every tenant schema is a
*distributed schema*: its tables live together on one worker node and the coordinator routes each
query by ``search_path``.

A tenant schema is built as on one server (the template clone, or migrations) as a plain schema
on the coordinator, then distributed as a whole with ``citus_schema_distribute``, in the
transaction that created it (``built_then_distributed``). Citus turns each table into a
single-shard table of the schema's colocation group, on a worker it picks (round robin over the
colocation groups), and copies the rows there. Cloning straight into a distributed schema
(``citus.enable_schema_based_sharding`` on at ``CREATE SCHEMA``) is refused by Citus: the clone
restores each identity sequence's type with ``ALTER SEQUENCE ... AS``, which Citus forbids on a
distributed table's sequence, and a ``setval`` in a query over a distributed table runs on the
worker, against that node's own sequence range.

The template schema and the public schema stay plain schemas on the coordinator. Tenant tables
reference only tables of their own schema (users, content types and permissions are tenant apps
too): no foreign key crosses into ``public``, so no public table has to become a reference
table (``tenant_foreign_keys_to_public`` lists any that would).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection


@contextmanager
def built_then_distributed(schema: str) -> Iterator[None]:
    """Inside a transaction: ``schema`` is created plain by the body, then distributed. Outside
    Citus mode it does nothing."""
    if not settings.CITUS_SCHEMA_SHARDING:
        yield
        return
    with connection.cursor() as cursor:
        # Whatever the server's default, the body creates a plain schema: distributed at the end.
        cursor.execute("SELECT set_config('citus.enable_schema_based_sharding', 'off', true)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT citus_schema_distribute(%s::regnamespace)", [schema])


def distributed_schemas() -> dict[str, tuple[str, int]]:
    """Distributed schema -> ``(host, port)`` of the worker holding its tables (``citus_shards``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT s.schema_name::text, sh.nodename, sh.nodeport FROM citus_schemas s "
            "JOIN citus_shards sh ON sh.colocation_id = s.colocation_id ORDER BY 1"
        )
        return {schema: (host, port) for schema, host, port in cursor.fetchall()}


def schema_move(schema: str, host: str, port: int, mode: str = "auto") -> None:
    """Move every table of ``schema`` to the worker ``host:port`` (``citus_schema_move``). ``auto``
    copies with logical replication: reads and writes continue, writes wait only for the switch."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT citus_schema_move(%s::regnamespace, %s, %s, %s::citus.shard_transfer_mode)",
            [schema, host, port, mode],
        )


def distribute_existing(schemas: list[str]) -> list[str]:
    """Distribute those of ``schemas`` that are plain schemas (tenants created before the server
    became a coordinator, or before ``CITUS_SCHEMA_SHARDING`` was on); returns those distributed."""
    done = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT schema_name::text FROM citus_schemas")
        already = {row[0] for row in cursor.fetchall()}
        for schema in schemas:
            if schema not in already:
                cursor.execute("SELECT citus_schema_distribute(%s::regnamespace)", [schema])
                done.append(schema)
    return done


def tenant_foreign_keys_to_public() -> list[tuple[str, str, str]]:
    """Foreign keys from a non-public schema to a table of ``public``: ``(table, constraint, target)``.
    Citus accepts them only towards reference tables; the platform has none."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT con.conrelid::regclass::text, con.conname, con.confrelid::regclass::text "
            "FROM pg_constraint con JOIN pg_class src ON src.oid = con.conrelid "
            "JOIN pg_class dst ON dst.oid = con.confrelid "
            "WHERE con.contype = 'f' AND src.relnamespace <> dst.relnamespace "
            "AND dst.relnamespace = 'public'::regnamespace"
        )
        return cursor.fetchall()
