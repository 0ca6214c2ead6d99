"""Redis restarts: open sockets are closed with 1011, new sockets are accepted as soon as Redis is
back (no stale pooled connection refuses them), notifications flow again within each tenant, and a
subscription that cannot join its groups closes its socket with 1011 instead of going silent."""

import asyncio
import json
import time

from websockets.asyncio.client import connect as async_connect
from websockets.exceptions import ConnectionClosed

from tests.faults.conftest import record_recovery, wait_until
from tests.live import PROTOCOL, SUBSCRIPTION, GraphQLSocket, login, open_subscriber, send_notification, ws_url

NOTIFICATIONS = "{ notifications(first: 100) { edges { node { message } } } }"


async def _fill_the_channel_layer_pool(server, token: str, sockets: int, schema: str = "acme") -> None:
    """Many sockets at once: the server's channel-layer pool ends up holding that many idle connections."""
    opened = await asyncio.gather(*(open_subscriber(server, schema, token) for _ in range(sockets)))
    await asyncio.sleep(0.5)
    await asyncio.gather(*(ws.close() for ws in opened))


def _try_subscribe(server, schema: str, token: str) -> GraphQLSocket | int:
    """A subscribed socket, or the close code of a refused one."""
    socket = GraphQLSocket(server, schema, timeout=3)
    socket.send({"type": "connection_init", "payload": {"authToken": token}})
    try:
        reply = socket.receive()
    except ConnectionClosed as closed:
        socket.__exit__(None, None, None)
        return closed.rcvd.code if closed.rcvd else 1006
    assert reply["type"] == "connection_ack", reply
    return socket


def _delivered(socket: GraphQLSocket, message: str, timeout: float = 3) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if socket.next_notification(timeout=max(0.05, deadline - time.monotonic()))["message"] == message:
                return True
        except TimeoutError:
            return False
    return False


def _probe_until_delivered(server, socket: GraphQLSocket, schema: str, sender_token: str, prefix: str) -> str:
    """Send notifications until one reaches ``socket`` (a subscription joins shortly after
    ``subscribe``, with no acknowledgement); the one that arrived."""
    for attempt in range(30):
        probe = f"{prefix} {attempt}"
        send_notification(server, schema, sender_token, probe)
        if _delivered(socket, probe, timeout=0.5):
            return probe
    raise AssertionError(f"no notification reached the {schema} socket")


def _messages(server, schema: str, token: str) -> set[str]:
    from tests.live import http_graphql

    result, _ = http_graphql(server, schema, NOTIFICATIONS, token=token)
    assert "errors" not in result, result
    return {edge["node"]["message"] for edge in result["data"]["notifications"]["edges"]}


def test_websockets_reconnect_at_once_after_a_redis_restart(fault_stack, server):
    acme_token, _ = login(server, "acme", "owner")
    beta_token, _ = login(server, "beta", "owner")
    asyncio.run(_fill_the_channel_layer_pool(server, acme_token, sockets=24))
    acme_socket = _try_subscribe(server, "acme", acme_token)
    beta_socket = _try_subscribe(server, "beta", beta_token)
    assert not isinstance(acme_socket, int) and not isinstance(beta_socket, int), (acme_socket, beta_socket)
    acme_socket.subscribe()
    beta_socket.subscribe()
    _probe_until_delivered(server, acme_socket, "acme", acme_token, "before restart")
    _probe_until_delivered(server, beta_socket, "beta", beta_token, "before restart")

    fault_stack.redis.kill()
    # Written while Redis is down: committed, published to nobody.
    during = [send_notification(server, schema, token, f"during outage {schema}")["message"]
              for schema, token in (("acme", acme_token), ("beta", beta_token))]  # fmt: skip
    fault_stack.redis.start()
    back = time.monotonic()

    # Sockets open across the restart lost their groups with Redis: closed with 1011, never left silent.
    assert acme_socket.close_code() == 1011
    assert beta_socket.close_code() == 1011

    # Reconnecting right away works: no socket is refused because of stale pooled connections.
    refusals = []
    recovered = {}
    for schema, token in (("acme", acme_token), ("beta", beta_token)):
        socket = _try_subscribe(server, schema, token)
        if isinstance(socket, int):
            refusals.append((schema, socket))

            def accepted(schema: str = schema, token: str = token) -> GraphQLSocket | None:
                attempt = _try_subscribe(server, schema, token)
                return None if isinstance(attempt, int) else attempt

            socket = wait_until(accepted, 15, what=f"a {schema} socket accepted")
        socket.subscribe()
        recovered[schema] = socket
    assert refusals == [], f"sockets refused after Redis came back: {refusals}"

    # Deliveries resume within each tenant only.
    acme_probe = _probe_until_delivered(server, recovered["acme"], "acme", acme_token, "after restart")
    _probe_until_delivered(server, recovered["beta"], "beta", beta_token, "after restart")
    elapsed = time.monotonic() - back
    assert not _delivered(recovered["beta"], acme_probe, timeout=0.5), "an acme notification reached a beta socket"
    for socket in recovered.values():
        socket.__exit__(None, None, None)

    # Nothing committed during the outage was lost, and each tenant holds only its own.
    acme_messages, beta_messages = _messages(server, "acme", acme_token), _messages(server, "beta", beta_token)
    assert during[0] in acme_messages and during[0] not in beta_messages
    assert during[1] in beta_messages and during[1] not in acme_messages
    assert fault_stack.no_drift()
    record_recovery("Redis restart: websockets accepted and delivering again", elapsed)


def test_a_redis_restart_while_no_socket_is_open_does_not_refuse_the_next_one(fault_stack, server):
    """Idle pooled connections are all dead after the restart; the first socket still gets in and
    keeps receiving: a stale connection met while joining groups is replaced, and the socket is
    not mistaken for one that lost its groups (only a receive that loses Redis means that)."""
    token, _ = login(server, "beta", "owner")
    asyncio.run(_fill_the_channel_layer_pool(server, token, sockets=24, schema="beta"))
    fault_stack.redis.kill()
    fault_stack.redis.start()
    back = time.monotonic()
    socket = _try_subscribe(server, "beta", token)
    assert not isinstance(socket, int), f"the first socket after the restart was refused with {socket}"
    with socket:
        socket.subscribe()
        _probe_until_delivered(server, socket, "beta", token, "first after idle restart")
        elapsed = time.monotonic() - back
        later = f"still delivering {time.monotonic()}"
        send_notification(server, "beta", token, later)
        assert _delivered(socket, later)
    record_recovery("Redis restart with no socket open: first socket accepted and delivering", elapsed)


async def _subscribe_while_group_joins_fail(server, token: str, fault_stack) -> tuple[list[dict], int | None]:
    admin = fault_stack.redis.client()
    ws = await async_connect(
        ws_url(server, "acme"), host="127.0.0.1", port=server.port, subprotocols=[PROTOCOL], proxy=None,
        ping_interval=None,
    )  # fmt: skip
    received = []
    try:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authToken": token}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
        # Group joins (ZADD + EXPIRE) now fail while receiving (no EXPIRE) still works.
        admin.execute_command("ACL", "SETUSER", "default", "-expire")
        await ws.send(json.dumps({"id": "n", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}))
        try:
            while True:
                received.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
        except ConnectionClosed as closed:
            return received, closed.rcvd.code if closed.rcvd else None
        except TimeoutError:
            return received, None
    finally:
        admin.execute_command("ACL", "SETUSER", "default", "+@all")
        await ws.close()


def test_a_subscription_that_cannot_join_its_groups_closes_the_socket_with_1011(fault_stack, server):
    token, _ = login(server, "acme", "member")
    started = time.monotonic()
    received, code = asyncio.run(_subscribe_while_group_joins_fail(server, token, fault_stack))
    assert code == 1011, f"socket left open after its subscription failed to join; it received {received}"
    assert all(message.get("type") != "next" for message in received)
    # Once joins work again, a new socket subscribes and receives.
    socket = _try_subscribe(server, "acme", token)
    assert not isinstance(socket, int), socket
    with socket:
        socket.subscribe()
        owner_token, _ = login(server, "acme", "owner")
        _probe_until_delivered(server, socket, "acme", owner_token, "after failed join")
    record_recovery(
        "subscription could not join its groups: closed with 1011, next socket delivers", time.monotonic() - started
    )
