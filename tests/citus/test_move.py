"""A tenant moves to the other worker while it serves: ``citus_tenants --move`` runs
``citus_schema_move`` (logical replication, ``auto`` mode), which copies acme's schema over and
switches, while a reader and a writer in other threads keep using acme's catalog over GraphQL
on a live server, with no error.

The live server runs with the response and token caches off (``CACHE_TTL_SECONDS=0``,
``AUTH_TOKEN_CACHE_SECONDS=0``): every read reaches PostgreSQL, and so the worker that is moving.
"""

import os
import statistics
import threading
import time
from io import StringIO

import httpx
import pytest
from django.conf import settings
from django.core.management import call_command

from tests.citus.conftest import coordinator, placement, record, workers
from tests.support import PASSWORD, TENANTS, LiveServer, marker

PRODUCTS = "{ products(first: 100) { totalCount edges { node { sku name } } } }"
CREATE = "mutation($input: ProductInput!) { createProduct(input: $input) { __typename ... on Product { id } } }"
UPDATE = "mutation($id: ID!, $p: ProductPatch!) { updateProduct(id: $id, input: $p) { __typename } }"
DELETE = "mutation($id: ID!) { deleteProduct(id: $id) { __typename } }"
LOGIN = "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }"
ROWS = 20


@pytest.fixture(scope="module")
def uncached_server(django_db_setup):
    env = {**os.environ, "CACHE_TTL_SECONDS": "0", "AUTH_TOKEN_CACHE_SECONDS": "0", "LOGIN_RATE_LIMIT": "1000"}
    server = LiveServer(database_name=settings.DATABASES["default"]["NAME"], env=env)
    server.start()
    yield server
    server.stop()


class Api:
    def __init__(self, server: LiveServer, schema: str, token: str | None = None):
        self.http = httpx.Client(
            base_url=f"http://127.0.0.1:{server.port}",
            headers={"Host": f"{TENANTS[schema]['domain']}:{server.port}"}, timeout=30,
        )  # fmt: skip
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def run(self, query: str, variables: dict | None = None) -> dict:
        response = self.http.post("/graphql/", json={"query": query, "variables": variables or {}})
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise AssertionError(body["errors"])
        return body["data"]


class Load(threading.Thread):
    """Repeats ``step`` until stopped, recording (start, seconds, error) of each call."""

    def __init__(self, step):
        super().__init__(daemon=True)
        self.step = step
        self.calls: list[tuple[float, float, str | None]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        index = 0
        while not self.stopping.is_set():
            started = time.monotonic()
            try:
                self.step(index)
                error = None
            except Exception as exc:  # noqa: BLE001 - every failure is counted, the test asserts none
                error = f"{type(exc).__name__}: {exc}"[:300]
            self.calls.append((started, time.monotonic() - started, error))
            index += 1

    def between(self, start: float, end: float) -> list[tuple[float, float, str | None]]:
        return [call for call in self.calls if start <= call[0] <= end]


def test_tenant_moves_to_the_other_worker_while_it_is_read(uncached_server, django_db_blocker):
    owner = Api(uncached_server, "acme")
    token = owner.run(LOGIN, {"email": "owner@acme.test", "password": PASSWORD})["login"]["token"]
    owner = Api(uncached_server, "acme", token)
    ids = []
    try:
        for index in range(ROWS):
            made = owner.run(
                CREATE, {"input": {"name": f"Mover {index} {marker('acme')}", "sku": f"MOVE-{index}", "price": "1.00"}}
            )
            ids.append(made["createProduct"]["id"])

        def read(_: int) -> None:
            page = reader.run(PRODUCTS)["products"]
            assert page["totalCount"] == ROWS, page["totalCount"]
            names = [edge["node"]["name"] for edge in page["edges"]]
            assert all(marker("acme") in name for name in names), names

        def write(index: int) -> None:
            result = writer.run(UPDATE, {"id": ids[index % ROWS], "p": {"price": f"{1 + index % 50}.00"}})
            assert result["updateProduct"]["__typename"] == "Product", result

        reader, writer = Api(uncached_server, "acme", token), Api(uncached_server, "acme", token)
        reads, writes = Load(read), Load(write)
        with coordinator() as conn:
            source = placement(conn, "acme")
            target = next(node for node in workers(conn) if node != source)
            reads.start()
            writes.start()
            time.sleep(1)  # both loads running before the move starts
            moves = []
            for to in (target, source):  # over, then back: the suite leaves the cluster as it found it
                started = time.monotonic()
                with django_db_blocker.unblock():
                    call_command("citus_tenants", "--move", "acme", "--to", f"{to[0]}:{to[1]}", stdout=StringIO())
                ended = time.monotonic()
                assert placement(conn, "acme") == to
                moves.append((started, ended))
                time.sleep(1)
        reads.stopping.set()
        writes.stopping.set()
        reads.join(30)
        writes.join(30)
    finally:
        for product_id in ids:
            owner.run(DELETE, {"id": product_id})

    read_errors = [call[2] for call in reads.calls if call[2]]
    write_errors = [call[2] for call in writes.calls if call[2]]
    during = [reads.between(*move) for move in moves]
    written = [writes.between(*move) for move in moves]
    outside = [call for call in reads.calls if not any(start <= call[0] <= end for start, end in moves)]
    record(
        "move",
        {
            "move_seconds": [round(end - start, 2) for start, end in moves],
            "reads_during_each_move": [len(calls) for calls in during],
            "reads_total": len(reads.calls),
            "read_errors": len(read_errors),
            "read_ms_median_during_moves": round(1000 * statistics.median(c[1] for calls in during for c in calls), 1),
            "read_ms_median_outside_moves": round(1000 * statistics.median(c[1] for c in outside), 1),
            "read_ms_max_during_moves": round(1000 * max(c[1] for calls in during for c in calls), 1),
            "writes_during_each_move": [len(calls) for calls in written],
            "write_errors": len(write_errors),
            "write_ms_max_during_moves": round(1000 * max(c[1] for calls in written for c in calls), 1),
            "from_to": [f"{source[1]}->{target[1]}", f"{target[1]}->{source[1]}"],
        },
    )
    assert read_errors == [], read_errors[:5]
    assert all(len(calls) >= 3 for calls in during), "the reader did not overlap each move"
    assert write_errors == [], write_errors[:5]
