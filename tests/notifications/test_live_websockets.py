"""Notifications over websockets against the running server (daphne, real Redis channel layer):
delivery per tenant and per user, refusals, closing streams, and many concurrent subscribers."""

import asyncio
import os
import time

import pytest
from django_tenants.utils import tenant_context
from websockets.exceptions import InvalidStatus

from tests.live import (
    ME,
    GraphQLSocket,
    http_graphql,
    login,
    open_subscriber,
    origin_of,
    read_until,
    send_notification,
    subscribed,
)
from tests.support import PASSWORD, TENANTS, LiveServer, committed_user, marker

CREATE_PRODUCT = """
mutation($input: ProductInput!) {
  createProduct(input: $input) { ... on Product { id name } ... on OperationInfo { messages { message } } }
}
"""
SKU_PREFIX = "WS-LIVE-"


@pytest.fixture(scope="module")
def accounts(platform_server, django_db_blocker):
    """Tokens (from the live `login` mutation) and user ids of owner and member of both tenants;
    afterwards, the committed products and notifications this module made are removed."""
    found = {}
    for schema in TENANTS:
        for role in ("owner", "member"):
            token, session = login(platform_server, schema, role)
            me, _ = http_graphql(platform_server, schema, ME, token=token)
            found[schema, role] = {"token": token, "session": session, "id": me["data"]["me"]["id"]}
    yield found
    from catalog.models import Product
    from notifications.models import Notification
    from tenants.models import Client

    with django_db_blocker.unblock():
        for tenant in Client.objects.filter(schema_name__in=TENANTS):
            with tenant_context(tenant):
                Product.objects.filter(sku__startswith=SKU_PREFIX).delete()
                Notification.objects.all().delete()


def socket_of(server, accounts, schema: str, role: str) -> GraphQLSocket:
    """An authenticated socket of ``role@schema``."""
    ws = GraphQLSocket(server, schema)
    assert ws.init({"authToken": accounts[schema, role]["token"]})["type"] == "connection_ack"
    return ws


def test_member_gets_own_tenants_product_change_and_beta_gets_nothing(platform_server, accounts):
    """An acme product created through the API reaches acme's member; beta's member (same user id) sees only beta's."""
    acme_owner, beta_owner = accounts["acme", "owner"], accounts["beta", "owner"]
    acme_member, beta_member = accounts["acme", "member"], accounts["beta", "member"]
    assert acme_member["id"] == beta_member["id"]
    with (
        socket_of(platform_server, accounts, "acme", "member") as acme_ws,
        socket_of(platform_server, accounts, "beta", "member") as beta_ws,
    ):
        subscribed(platform_server, acme_ws, "acme", acme_owner["token"], acme_member["id"])
        subscribed(platform_server, beta_ws, "beta", beta_owner["token"], beta_member["id"])
        product = {"name": f"{marker('acme')} kettle", "sku": f"{SKU_PREFIX}1", "price": "12.00"}
        started = time.monotonic()
        created, _ = http_graphql(platform_server, "acme", CREATE_PRODUCT, {"input": product}, acme_owner["token"])
        assert created["data"]["createProduct"]["name"] == product["name"], created
        received = acme_ws.next_notification()
        print(f"product change to subscriber: {(time.monotonic() - started) * 1000:.1f} ms")
        assert received["message"] == f'Product "{marker("acme")} kettle" ({SKU_PREFIX}1) was created.'
        assert (received["level"], received["isRead"]) == ("INFO", False)
        send_notification(platform_server, "beta", beta_owner["token"], marker("beta"), beta_member["id"])
        assert beta_ws.next_notification()["message"] == marker("beta")


def test_direct_notification_reaches_only_its_user(platform_server, accounts):
    """A notification for acme's member is not delivered to acme's owner."""
    owner, member = accounts["acme", "owner"], accounts["acme", "member"]
    with (
        socket_of(platform_server, accounts, "acme", "member") as member_ws,
        socket_of(platform_server, accounts, "acme", "owner") as owner_ws,
    ):
        subscribed(platform_server, member_ws, "acme", owner["token"], member["id"])
        subscribed(platform_server, owner_ws, "acme", owner["token"], owner["id"])
        sent = send_notification(platform_server, "acme", owner["token"], f"{marker('acme')} for member", member["id"])
        received = member_ws.next_notification()
        assert (received["id"], received["message"], received["isRead"]) == (sent["id"], sent["message"], False)
        send_notification(platform_server, "acme", owner["token"], f"{marker('acme')} for owner", owner["id"])
        assert owner_ws.next_notification()["message"] == f"{marker('acme')} for owner"


@pytest.mark.parametrize(
    "payload",
    [{}, {"authToken": "not-a-token"}, {"authToken": ""}, {"authToken": 42}, {"token": "x"}],
    ids=["nothing", "bad-token", "empty-token", "not-a-string", "wrong-key"],
)
def test_connection_init_without_valid_credential_is_closed_4403(platform_server, payload):
    """No credential or an invalid one: the socket closes with 4403 Forbidden."""
    with GraphQLSocket(platform_server, "acme") as ws:
        ws.send({"type": "connection_init", "payload": payload})
        assert ws.close_code() == 4403


def test_another_tenants_token_is_refused(platform_server, accounts):
    """beta's token (valid on beta) opens nothing on acme."""
    with GraphQLSocket(platform_server, "acme") as ws:
        ws.send({"type": "connection_init", "payload": {"authToken": accounts["beta", "member"]["token"]}})
        assert ws.close_code() == 4403


@pytest.mark.parametrize("host", ["nope.localhost", "localhost"])
def test_unknown_or_public_host_is_refused_at_handshake(platform_server, host):
    """Hosts that are not a tenant's never get a socket (HTTP 403 on the upgrade)."""
    with pytest.raises(InvalidStatus) as refused:
        GraphQLSocket(platform_server, host=host)
    assert refused.value.response.status_code == 403


@pytest.mark.parametrize("foreign", ["beta", "evil"])
def test_foreign_origin_is_refused_at_handshake(platform_server, accounts, foreign):
    """A page of another tenant or another site cannot open acme's socket, even with acme's cookie."""
    origin = origin_of(platform_server, "beta") if foreign == "beta" else "http://evil.example"
    with pytest.raises(InvalidStatus) as refused:
        GraphQLSocket(
            platform_server, "acme", origin=origin, cookie=f"sessionid={accounts['acme', 'member']['session']}"
        )
    assert refused.value.response.status_code == 403


def test_session_cookie_needs_the_tenants_own_origin(platform_server, accounts):
    """With its own Origin a browser authenticates by session cookie; without Origin the cookie is not enough."""
    cookie = f"sessionid={accounts['acme', 'member']['session']}"
    with GraphQLSocket(platform_server, "acme", origin=origin_of(platform_server, "acme"), cookie=cookie) as ws:
        assert ws.init()["type"] == "connection_ack"
        me = ws.execute(ME)["payload"]["data"]["me"]
        assert me == {"id": accounts["acme", "member"]["id"], "email": "member@acme.test"}
    with GraphQLSocket(platform_server, "acme", cookie=cookie) as ws:
        ws.send({"type": "connection_init", "payload": {}})
        assert ws.close_code() == 4403


def test_queries_and_mutations_over_the_socket_run_in_its_tenant(platform_server, accounts):
    """Over an acme socket, queries see acme and the user; invalid operations get an error message."""
    with socket_of(platform_server, accounts, "acme", "member") as ws:
        result = ws.execute("{ tenant { schemaName } me { email } unreadNotificationCount }")
        data = result["payload"]["data"]
        assert data["tenant"] == {"schemaName": "acme"} and data["me"] == {"email": "member@acme.test"}
        assert isinstance(data["unreadNotificationCount"], int)
        assert ws.execute("mutation { markAllNotificationsRead }")["payload"]["data"]["markAllNotificationsRead"] >= 0
        forbidden = ws.execute('mutation { sendNotification(message: "hi") { id } }')
        assert forbidden["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        invalid = ws.execute("{ nope }")
        assert invalid["type"] == "error"


def test_only_graphql_transport_ws_is_spoken(platform_server):
    """A client asking for the legacy graphql-ws protocol is closed with 4406."""
    with GraphQLSocket(platform_server, "acme", subprotocol="graphql-ws") as ws:
        assert ws.close_code() == 4406


def test_subscribing_before_connection_init_is_closed(platform_server):
    """The protocol's order is enforced: subscribe before an acknowledged init closes with 4401."""
    with GraphQLSocket(platform_server, "acme") as ws:
        ws.subscribe()
        assert ws.close_code() == 4401


def test_logout_ends_only_the_streams_of_that_sign_in(platform_server, accounts):
    """Logging out with one token closes the socket it opened (4401); a socket of another sign-in stays live."""
    owner, member = accounts["acme", "owner"], accounts["acme", "member"]
    leaving_token, _ = login(platform_server, "acme", "member")
    staying_token, _ = login(platform_server, "acme", "member")
    with GraphQLSocket(platform_server, "acme") as leaving, GraphQLSocket(platform_server, "acme") as staying:
        assert leaving.init({"authToken": leaving_token})["type"] == "connection_ack"
        assert staying.init({"authToken": staying_token})["type"] == "connection_ack"
        subscribed(platform_server, staying, "acme", owner["token"], member["id"])
        logged_out, _ = http_graphql(platform_server, "acme", "mutation { logout }", token=leaving_token)
        assert logged_out == {"data": {"logout": True}}
        assert leaving.close_code() == 4401
        send_notification(platform_server, "acme", owner["token"], marker("acme"), member["id"])
        assert staying.next_notification()["message"] == marker("acme")


@pytest.fixture
def leaver(platform_server, django_db_blocker):
    """A committed extra user of acme (``leaver@acme.test``), removed afterwards."""
    with committed_user(django_db_blocker, "acme", "leaver@acme.test") as acme:
        yield acme


def test_deactivating_a_user_closes_their_sockets(platform_server, accounts, leaver, django_db_blocker):
    """A deactivated user's socket closes with 4401 and cannot reconnect; other users' sockets stay."""
    from users.models import User
    from users.services import user_set_active

    token, _ = login(platform_server, "acme", "leaver")
    with (
        GraphQLSocket(platform_server, "acme") as leaver_ws,
        socket_of(platform_server, accounts, "acme", "owner") as owner_ws,
    ):
        assert leaver_ws.init({"authToken": token})["type"] == "connection_ack"
        with django_db_blocker.unblock(), tenant_context(leaver):
            user_set_active(user=User.objects.get(email="leaver@acme.test"), is_active=False)
        assert leaver_ws.close_code() == 4401
        assert owner_ws.execute(ME)["payload"]["data"]["me"]["id"] == accounts["acme", "owner"]["id"]
    with GraphQLSocket(platform_server, "acme") as again:
        again.send({"type": "connection_init", "payload": {"authToken": token}})
        assert again.close_code() == 4403


def test_resetting_a_password_closes_the_users_sockets(platform_server, accounts, leaver, django_db_blocker):
    """A password reset closes the user's socket with 4401 and its token no longer opens one."""
    from users.models import User
    from users.services import user_set_password

    token, _ = login(platform_server, "acme", "leaver")
    with GraphQLSocket(platform_server, "acme") as leaver_ws:
        assert leaver_ws.init({"authToken": token})["type"] == "connection_ack"
        with django_db_blocker.unblock(), tenant_context(leaver):
            user_set_password(user=User.objects.get(email="leaver@acme.test"), password="a-new-long-password-26")
        assert leaver_ws.close_code() == 4401
    with GraphQLSocket(platform_server, "acme") as again:
        again.send({"type": "connection_init", "payload": {"authToken": token}})
        assert again.close_code() == 4403


def test_each_operation_on_a_socket_runs_as_the_user_the_database_knows_now(platform_server, leaver, django_db_blocker):
    """Rights are read again for every query: a demotion shows at once, a revoked token stops the socket's work."""
    from users.models import User
    from users.services import token_revoke_all

    with django_db_blocker.unblock(), tenant_context(leaver):
        User.objects.filter(email="leaver@acme.test").update(is_staff=True)
    token, _ = login(platform_server, "acme", "leaver")
    staff_query = "{ me { email isStaff } }"
    with GraphQLSocket(platform_server, "acme") as socket:
        assert socket.init({"authToken": token})["type"] == "connection_ack"
        assert socket.execute(staff_query, operation_id="a")["payload"]["data"]["me"]["isStaff"] is True
        with django_db_blocker.unblock(), tenant_context(leaver):
            User.objects.filter(email="leaver@acme.test").update(is_staff=False)
        assert socket.execute(staff_query, operation_id="b")["payload"]["data"]["me"]["isStaff"] is False
        with django_db_blocker.unblock(), tenant_context(leaver):
            token_revoke_all(user=User.objects.get(email="leaver@acme.test"))
        refused = socket.execute(staff_query, operation_id="c")
        assert refused["type"] == "error"
        assert refused["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.fixture
def gamma(platform_server, django_db_blocker):
    """A committed third tenant ``wsgamma`` with a member, deleted afterwards if the test did not."""
    from tenants.models import Client
    from tenants.services import tenant_create, tenant_delete
    from users.services import user_create

    with django_db_blocker.unblock():
        tenant = tenant_create(name="Gamma WS", schema_name="wsgamma", domain="wsgamma.localhost")
        with tenant_context(tenant):
            user_create(email="member@wsgamma.test", password=PASSWORD, full_name="GAMMA-MARKER")
    yield tenant
    with django_db_blocker.unblock():
        leftover = Client.objects.filter(schema_name="wsgamma").first()
        if leftover is not None:
            tenant_delete(tenant=leftover)


def test_suspending_or_deleting_a_tenant_closes_its_sockets_only(platform_server, accounts, gamma, django_db_blocker):
    """Suspension closes the tenant's sockets (4403) and refuses new ones; deletion closes them too; beta's stays."""
    from tenants.services import tenant_delete, tenant_set_active

    token, _ = login(platform_server, "wsgamma", "member")
    with (
        GraphQLSocket(platform_server, "wsgamma") as gamma_ws,
        socket_of(platform_server, accounts, "beta", "member") as beta_ws,
    ):
        assert gamma_ws.init({"authToken": token})["type"] == "connection_ack"
        with django_db_blocker.unblock():
            tenant_set_active(tenant=gamma, is_active=False)
        assert gamma_ws.close_code() == 4403
        with pytest.raises(InvalidStatus):
            GraphQLSocket(platform_server, "wsgamma")
        assert beta_ws.execute(ME)["payload"]["data"]["me"]["email"] == "member@beta.test"
    with django_db_blocker.unblock():
        tenant_set_active(tenant=gamma, is_active=True)
    with GraphQLSocket(platform_server, "wsgamma") as gamma_ws:
        assert gamma_ws.init({"authToken": token})["type"] == "connection_ack"
        with django_db_blocker.unblock():
            tenant_delete(tenant=gamma)
        assert gamma_ws.close_code() == 4403


@pytest.fixture(scope="module")
def impatient_server(platform_server):
    """A second live server that waits only one second for connection_init."""
    from django.conf import settings

    server = LiveServer(
        database_name=settings.DATABASES["default"]["NAME"], env={**os.environ, "WEBSOCKET_INIT_TIMEOUT_SECONDS": "1"}
    )
    server.start()
    yield server
    server.stop()


def test_silent_client_is_closed(impatient_server):
    """A client that never sends connection_init is closed with 4408 once the init timeout passes."""
    with GraphQLSocket(impatient_server, "acme") as ws:
        assert ws.close_code() == 4408


def test_two_hundred_concurrent_subscribers_all_receive_a_broadcast(platform_server, accounts):
    """200 sockets of acme's users in one event loop each receive one tenant-wide notification."""
    owner, member = accounts["acme", "owner"], accounts["acme", "member"]
    tokens = [owner["token"], member["token"]] * 100

    async def scenario() -> float:
        sockets = await asyncio.gather(*(open_subscriber(platform_server, "acme", token) for token in tokens))
        try:
            for attempt in range(10):
                probe = f"probe {attempt}"
                await asyncio.to_thread(send_notification, platform_server, "acme", owner["token"], probe)
                results = await asyncio.gather(
                    *(asyncio.wait_for(read_until(ws, probe), 2) for ws in sockets), return_exceptions=True
                )
                if not any(isinstance(result, BaseException) for result in results):
                    break
            else:
                raise AssertionError("not every subscription received a probe")
            started = time.monotonic()
            await asyncio.to_thread(send_notification, platform_server, "acme", owner["token"], marker("acme"))
            await asyncio.wait_for(asyncio.gather(*(read_until(ws, marker("acme")) for ws in sockets)), 30)
            return time.monotonic() - started
        finally:
            await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)

    elapsed = asyncio.run(scenario())
    print(f"broadcast to 200 subscribers: {elapsed * 1000:.1f} ms")
