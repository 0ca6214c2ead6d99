"""Against the running server: a program with a cookie jar (httpx.Client, as requests.Session and
gql's transports keep one) signs in as often as it likes and never meets a CSRF error."""

import httpx
import pytest

from tests.live import GraphQLSocket, domain_of, login, origin_of
from tests.support import PASSWORD, error_codes

LOGIN = "mutation($email: String!, $password: String!, $session: Boolean! = false) { login(email: $email, password: $password, session: $session) { token user { email } } }"
ME = "{ me { email } }"


@pytest.fixture
def jar_client(platform_server):
    """An httpx.Client (cookie jar on) speaking to acme's host."""
    with httpx.Client(
        base_url=f"http://127.0.0.1:{platform_server.port}",
        headers={"Host": f"{domain_of('acme')}:{platform_server.port}"},
        timeout=10,
    ) as client:
        yield client


def graphql(client: httpx.Client, query: str, variables: dict | None = None, **headers) -> httpx.Response:
    return client.post("/graphql/", json={"query": query, "variables": variables or {}}, headers=headers)


def test_cookie_jar_client_signs_in_twice_without_csrf_errors(jar_client):
    """Two sign-ins in a row (another user the second time) and the tokens of both work."""
    member = graphql(jar_client, LOGIN, {"email": "member@acme.test", "password": PASSWORD})
    owner = graphql(jar_client, LOGIN, {"email": "owner@acme.test", "password": PASSWORD})
    assert member.status_code == owner.status_code == 200, (member.text, owner.text)
    assert dict(jar_client.cookies) == {}
    for response, email in ((member, "member@acme.test"), (owner, "owner@acme.test")):
        token = response.json()["data"]["login"]["token"]
        me = graphql(jar_client, ME, Authorization=f"Bearer {token}").json()
        assert me == {"data": {"me": {"email": email}}}
    assert graphql(jar_client, ME).json() == {"data": {"me": None}}


def test_cookie_jar_holding_a_session_can_still_sign_in(platform_server, jar_client):
    """The jar holds a live session cookie (and its csrftoken) but the program sends no
    X-CSRFToken: its next login works and the cookie is not what signs the request in."""
    _, session = login(platform_server, "acme", "member")
    jar_client.cookies.set("sessionid", session)
    assert jar_client.get("/graphql/", params={"query": ME}).json() == {"data": {"me": {"email": "member@acme.test"}}}

    response = graphql(jar_client, LOGIN, {"email": "owner@acme.test", "password": PASSWORD})
    assert response.status_code == 200, response.text
    token = response.json()["data"]["login"]["token"]
    assert graphql(jar_client, ME, Authorization=f"Bearer {token}").json() == {
        "data": {"me": {"email": "owner@acme.test"}}
    }
    refused = graphql(jar_client, "mutation { logout }")
    assert refused.status_code == 403 and error_codes(refused.json()) == ["FORBIDDEN"]


def test_browser_like_request_gets_a_session(platform_server, jar_client):
    """With the Origin and Sec-Fetch-Site a page of the tenant sends, session: true sets the cookie."""
    origin = origin_of(platform_server, "acme")
    variables = {"email": "member@acme.test", "password": PASSWORD, "session": True}
    response = graphql(jar_client, LOGIN, variables, Origin=origin, **{"Sec-Fetch-Site": "same-origin"})
    assert response.json()["data"]["login"]["user"] == {"email": "member@acme.test"}
    cookies = dict(response.cookies)  # Secure cookies (production settings): the jar keeps them for https only
    assert {"sessionid", "csrftoken"} <= set(cookies)
    jar_client.cookies.clear()
    me = graphql(
        jar_client,
        ME,
        None,
        Cookie="; ".join(f"{k}={v}" for k, v in cookies.items()),
        **{"X-CSRFToken": cookies["csrftoken"]},
    )
    assert me.json() == {"data": {"me": {"email": "member@acme.test"}}}


def test_session_cannot_be_asked_for_over_a_websocket(platform_server):
    """A socket cannot set a cookie: login there gives the token only, session: true is refused."""
    token, _ = login(platform_server, "acme", "owner")
    with GraphQLSocket(platform_server, "acme") as ws:
        assert ws.init({"authToken": token})["type"] == "connection_ack"
        plain = ws.execute(LOGIN, {"email": "member@acme.test", "password": PASSWORD})
        assert plain["payload"]["data"]["login"]["user"] == {"email": "member@acme.test"}, plain
        asked = ws.execute(LOGIN, {"email": "member@acme.test", "password": PASSWORD, "session": True})
        assert error_codes(asked["payload"]) == ["FORBIDDEN"], asked
