"""Websocket tenancy against a running server: many sockets of two tenants, whose ORM work shares
Channels' database thread, each only ever see their own tenant's rows."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.live import GraphQLSocket, login
from tests.support import marker

# Declares the test database (pytest-django sets it up only for tests that ask for it); the
# assertions themselves only talk to the server.
pytestmark = pytest.mark.django_db

ME = "{ me { id email fullName } tenant { schemaName } }"
SOCKETS_PER_TENANT = 10
QUERIES_PER_SOCKET = 10


@pytest.fixture(scope="module")
def tokens(platform_server):
    return {schema: login(platform_server, schema, "member")[0] for schema in ("acme", "beta")}


def ask_repeatedly(platform_server, schema: str, token: str) -> list[dict]:
    with GraphQLSocket(platform_server, schema) as socket:
        assert socket.init({"authToken": token})["type"] == "connection_ack"
        return [socket.execute(ME, operation_id=f"q{index}")["payload"]["data"] for index in range(QUERIES_PER_SOCKET)]


def test_interleaved_sockets_of_two_tenants_never_cross(platform_server, tokens):
    """20 concurrent sockets (10 per tenant, same user ids) each get their own tenant's user every time."""
    jobs = [schema for schema in ("acme", "beta") for _ in range(SOCKETS_PER_TENANT)]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(lambda schema: ask_repeatedly(platform_server, schema, tokens[schema]), jobs))
    for schema, answers in zip(jobs, results, strict=True):
        other = "beta" if schema == "acme" else "acme"
        assert len(answers) == QUERIES_PER_SOCKET
        for answer in answers:
            assert answer["tenant"]["schemaName"] == schema
            assert answer["me"]["email"] == f"member@{schema}.test"
            assert answer["me"]["fullName"] == marker(schema)
            assert marker(other) not in str(answer)
    assert {answers[0]["me"]["id"] for answers in results} == {results[0][0]["me"]["id"]}
