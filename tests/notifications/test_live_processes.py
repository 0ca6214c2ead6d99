"""Several server processes: events cross processes through the shared channel layer, and the
socket caps per user and per client address hold across them."""

import os
import time

import pytest

from tests.live import GraphQLSocket, send_notification, subscribed
from tests.notifications.test_live_websockets import accounts, socket_of  # noqa: F401 - fixture
from tests.support import LiveServer, marker, start_platform_server

CLOSE_TOO_MANY_SOCKETS = 4430


@pytest.fixture(scope="module")
def second_server(platform_server):
    """Another daphne process on the same database and Redis as ``platform_server``."""
    server = start_platform_server()
    yield server
    server.stop()


def test_a_write_served_by_one_process_reaches_sockets_held_by_another(platform_server, second_server, accounts):  # noqa: F811
    """Sockets on the second process receive broadcasts and direct notifications sent through the
    first, each in its own tenant only: beta's member (same user id as acme's) gets none of acme's."""
    acme_owner, beta_owner = accounts["acme", "owner"]["token"], accounts["beta", "owner"]["token"]
    acme_member_id = accounts["acme", "member"]["id"]
    with (
        socket_of(second_server, accounts, "acme", "member") as acme_ws,
        socket_of(second_server, accounts, "beta", "member") as beta_ws,
    ):
        subscribed(platform_server, acme_ws, "acme", acme_owner, None)
        subscribed(platform_server, beta_ws, "beta", beta_owner, None)
        send_notification(platform_server, "acme", acme_owner, marker("acme"))
        send_notification(platform_server, "acme", acme_owner, f"{marker('acme')} direct", acme_member_id)
        send_notification(platform_server, "beta", beta_owner, marker("beta"))
        assert acme_ws.next_notification()["message"] == marker("acme")
        assert acme_ws.next_notification()["message"] == f"{marker('acme')} direct"
        assert beta_ws.next_notification()["message"] == marker("beta")
        with pytest.raises(TimeoutError):
            acme_ws.next_notification(timeout=1)
        with pytest.raises(TimeoutError):
            beta_ws.next_notification(timeout=0.5)


def _socket_once_a_slot_frees(server, accounts, schema: str, role: str) -> GraphQLSocket:  # noqa: F811
    """The server frees a closed socket's slot just after the close handshake: try a few times."""
    for _ in range(20):
        ws = GraphQLSocket(server, schema)
        if ws.init({"authToken": accounts[schema, role]["token"]}).get("type") == "connection_ack":
            return ws
        time.sleep(0.1)
    raise AssertionError("the closed socket's slot was never freed")


@pytest.fixture(scope="module")
def capped_servers(platform_server):
    """Two processes sharing caps of 2 sockets per user and 5 per client address."""
    from django.conf import settings

    env = {
        **os.environ,
        "WEBSOCKET_MAX_PER_USER": "2",
        "WEBSOCKET_MAX_PER_ADDRESS": "5",
        "REDIS_KEY_PREFIX": f"{settings.REDIS_KEY_PREFIX}-caps",
    }
    servers = [LiveServer(database_name=settings.DATABASES["default"]["NAME"], env=env) for _ in range(2)]
    for server in servers:
        server.start()
    yield servers
    for server in servers:
        server.stop()


def test_socket_caps_per_user_and_address_hold_across_processes(capped_servers, accounts):  # noqa: F811
    """A user's third socket is closed with 4430 even on another process, and a closed socket frees
    its slot; beta's member, with acme's member's user id, has slots of their own; the sixth socket
    from one address is closed with 4430 whoever opens it."""
    first, second = capped_servers
    opened = []
    try:
        opened += [socket_of(first, accounts, "acme", "member"), socket_of(second, accounts, "acme", "member")]
        third = GraphQLSocket(second, "acme")
        third.send({"type": "connection_init", "payload": {"authToken": accounts["acme", "member"]["token"]}})
        assert third.close_code() == CLOSE_TOO_MANY_SOCKETS
        opened.pop().ws.close()
        opened.append(_socket_once_a_slot_frees(first, accounts, "acme", "member"))
        opened += [socket_of(second, accounts, "beta", "member"), socket_of(first, accounts, "beta", "member")]
        opened.append(socket_of(second, accounts, "acme", "owner"))
        sixth = GraphQLSocket(first, "beta")
        sixth.send({"type": "connection_init", "payload": {"authToken": accounts["beta", "owner"]["token"]}})
        assert sixth.close_code() == CLOSE_TOO_MANY_SOCKETS
    finally:
        for ws in opened:
            ws.ws.close()
