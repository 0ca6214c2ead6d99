"""The Citus suite (`make citus-check`, docs/scaling.md): runs only when the platform's database is
a Citus coordinator (``CITUS_SCHEMA_SHARDING=1``); skipped in every other run."""

import json
import os
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

HERE = Path(__file__).resolve().parent
# What the suite measured, printed by `make citus-check` at the end.
REPORT = Path(os.environ.get("CITUS_CHECK_REPORT", HERE.parents[1] / ".data" / "citus-check.json"))


def pytest_collection_modifyitems(config, items):
    if settings.CITUS_SCHEMA_SHARDING:
        return
    skip = pytest.mark.skip(reason="needs a Citus coordinator (CITUS_SCHEMA_SHARDING=1, `make citus-check`)")
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(skip)


def record(name: str, value) -> None:
    """Keep one measured figure in the suite's report (JSON, merged across tests)."""
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    data[name] = value
    REPORT.write_text(json.dumps(data, indent=2, sort_keys=True))


def coordinator(autocommit: bool = True) -> psycopg.Connection:
    """A connection of its own to the coordinator's test database (outside the test's transaction)."""
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"] or None,
        dbname=db["NAME"], autocommit=autocommit,
    )  # fmt: skip


def placement(conn: psycopg.Connection, schema: str) -> tuple[str, int]:
    """(host, port) of the worker holding every shard of ``schema``; fails if they are split."""
    rows = conn.execute(
        "SELECT DISTINCT sh.nodename, sh.nodeport FROM citus_schemas s "
        "JOIN citus_shards sh ON sh.colocation_id = s.colocation_id WHERE s.schema_name = %s::regnamespace",
        [schema],
    ).fetchall()
    assert len(rows) == 1, f"{schema} is on {rows}"
    return rows[0]


def workers(conn: psycopg.Connection) -> list[tuple[str, int]]:
    return conn.execute(
        "SELECT nodename, nodeport FROM pg_dist_node WHERE shouldhaveshards AND noderole = 'primary' ORDER BY nodeport"
    ).fetchall()
