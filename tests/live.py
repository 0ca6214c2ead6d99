"""Clients for tests against the live server (daphne in a subprocess): GraphQL over HTTP and graphql-transport-ws sockets.

Tenant hosts are reached at 127.0.0.1 with the tenant's host name in Host (the URL's host),
as clients may do (docs/api.md).
"""

import asyncio
import json
import socket
import urllib.request
from contextlib import ExitStack

from websockets.asyncio.client import connect as async_connect
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect
from websockets.typing import Origin, Subprotocol

from tests.support import TENANTS

PROTOCOL = Subprotocol("graphql-transport-ws")
SUBSCRIPTION = "subscription { notifications { id message level isRead createdAt } }"
SEND = """
mutation($message: String!, $userId: ID) {
  sendNotification(message: $message, userId: $userId) { id message }
}
"""
ME = "{ me { id email } }"


def domain_of(schema: str) -> str:
    """The host name of a session tenant, or ``<schema>.localhost`` for one a test made."""
    return TENANTS[schema]["domain"] if schema in TENANTS else f"{schema}.localhost"


def ws_url(server, schema: str | None = None, host: str | None = None) -> str:
    if not host:
        if schema is None:
            raise TypeError("ws_url() needs a schema or a host")
        host = domain_of(schema)
    return f"ws://{host}:{server.port}/graphql/"


def origin_of(server, schema: str) -> str:
    return f"http://{domain_of(schema)}:{server.port}"


def http_graphql(server, schema: str, query: str, variables: dict | None = None, token: str | None = None,
                 headers: dict | None = None):  # fmt: skip
    """POST /graphql/ on the tenant's host; returns (JSON body, response headers)."""
    headers = {"Host": f"{domain_of(schema)}:{server.port}", "Content-Type": "application/json", **(headers or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}/graphql/", data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read()), response.headers


def login(server, schema: str, role: str) -> tuple[str, str]:
    """Sign in through the live API as a page of the tenant's origin asking for a session
    (docs/api.md): (bearer token, session cookie value)."""
    from tests.support import PASSWORD

    query = "mutation($email: String!, $password: String!) { login(email: $email, password: $password, session: true) { token } }"
    variables = {"email": f"{role}@{schema}.test", "password": PASSWORD}
    result, headers = http_graphql(server, schema, query, variables, headers={"Origin": origin_of(server, schema)})
    session = next(
        cookie.split(";")[0].split("=", 1)[1]
        for cookie in headers.get_all("Set-Cookie")
        if cookie.startswith("sessionid=")
    )
    return result["data"]["login"]["token"], session


def send_notification(server, schema: str, token: str, message: str, user_id: str | None = None) -> dict:
    result, _ = http_graphql(server, schema, SEND, {"message": message, "userId": user_id}, token)
    assert "errors" not in result, result
    return result["data"]["sendNotification"]


class GraphQLSocket:
    """One graphql-transport-ws connection (websockets' sync client)."""

    def __init__(self, server, schema: str | None = None, *, host: str | None = None, origin: str | None = None,
                 cookie: str | None = None, subprotocol: str = PROTOCOL, timeout: float = 5.0):  # fmt: skip
        self.timeout = timeout
        self._closing = ExitStack()
        self.ws = self._closing.enter_context(connect(
            ws_url(server, schema, host),
            sock=socket.create_connection(("127.0.0.1", server.port), timeout=timeout),
            origin=None if origin is None else Origin(origin),
            subprotocols=[Subprotocol(subprotocol)],
            additional_headers={"Cookie": cookie} if cookie else None,
            proxy=None,
            open_timeout=timeout,
        ))  # fmt: skip

    def __enter__(self) -> "GraphQLSocket":
        return self

    def __exit__(self, *exc_info) -> None:
        self._closing.close()

    def send(self, message: dict) -> None:
        self.ws.send(json.dumps(message))

    def receive(self, timeout: float | None = None) -> dict:
        return json.loads(self.ws.recv(timeout=timeout or self.timeout))

    def init(self, payload: dict | None = None) -> dict:
        self.send({"type": "connection_init", "payload": payload or {}})
        return self.receive()

    def subscribe(self, query: str = SUBSCRIPTION, operation_id: str = "notifications") -> None:
        self.send({"id": operation_id, "type": "subscribe", "payload": {"query": query}})

    def next_notification(self, timeout: float | None = None) -> dict:
        message = self.receive(timeout)
        assert message["type"] == "next", message
        return message["payload"]["data"]["notifications"]

    def execute(self, query: str, variables: dict | None = None, operation_id: str = "op") -> dict:
        """A query or mutation over the socket: the payload of its one ``next`` (or of its ``error``)."""
        self.send({"id": operation_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}})
        message = self.receive()
        assert message["id"] == operation_id and message["type"] in ("next", "error"), message
        if message["type"] == "next":
            assert self.receive() == {"id": operation_id, "type": "complete"}
        return message

    def close_code(self) -> int | None:
        """Wait for the server to close the socket; its close code."""
        try:
            while True:
                self.ws.recv(timeout=self.timeout)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None


def subscribed(server, socket_of_user: GraphQLSocket, schema: str, sender_token: str, user_id: str | None) -> None:
    """Subscribe, then probe until a notification arrives: from then on nothing sent is missed.

    A subscription joins its groups shortly after ``subscribe`` with no acknowledgement in the
    protocol, so the first probe can come too early; probes are retried a few times.
    """
    socket_of_user.subscribe()
    for attempt in range(10):
        probe = f"probe {attempt}"
        send_notification(server, schema, sender_token, probe, user_id)
        try:
            while socket_of_user.next_notification(timeout=1)["message"] != probe:
                pass
            return
        except TimeoutError:
            continue
    raise AssertionError("the subscription never received a probe")


async def open_subscriber(server, schema: str, token: str):
    """An asyncio socket, authenticated and subscribed."""
    ws = await async_connect(
        ws_url(server, schema), host="127.0.0.1", port=server.port, subprotocols=[PROTOCOL], proxy=None,
        open_timeout=30, ping_interval=None,
    )  # fmt: skip
    await ws.send(json.dumps({"type": "connection_init", "payload": {"authToken": token}}))
    assert json.loads(await asyncio.wait_for(ws.recv(), 30))["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "n", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}))
    return ws


async def read_until(ws, message: str) -> None:
    """Read notifications until one with ``message`` arrives."""
    while True:
        payload = json.loads(await ws.recv())
        if payload["payload"]["data"]["notifications"]["message"] == message:
            return
