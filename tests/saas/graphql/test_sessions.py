"""Sessions only for browsers that ask: bearer clients stay cookie-free, a stale cookie never blocks
a sign-in, and no other site (or other tenant's host) can sign a browser in (login CSRF)."""

import json

import pytest
from django.test import Client, RequestFactory

from tests.support import PASSWORD, error_codes
from tests.support import post_graphql as post

pytestmark = pytest.mark.django_db

LOGIN = "mutation($email: String!, $password: String!, $session: Boolean! = false) { login(email: $email, password: $password, session: $session) { token user { email } } }"
ME = "{ me { email } }"
LOGOUT = "mutation { logout }"


def sign_in(client: Client, email: str, *, session: bool = False, **headers):
    return post(client, "acme", LOGIN, {"email": email, "password": PASSWORD, "session": session}, **headers)


def browser_session(email: str) -> Client:
    """A browser (CSRF enforced) signed in with a session, as a page of acme's origin does."""
    browser = Client(enforce_csrf_checks=True)
    response = sign_in(browser, email, session=True, HTTP_ORIGIN="http://acme.localhost")
    assert "sessionid" in response.cookies, response.json()
    return browser


def test_plain_login_sets_no_cookie(acme):
    """A client that does not ask for a session gets a token and nothing to keep in a cookie jar."""
    response = sign_in(Client(), "owner@acme.test")
    assert response.json()["data"]["login"]["token"]
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies


def test_session_from_the_tenants_own_page(acme):
    """A browser request with Origin and Sec-Fetch-Site of the tenant's own page gets a session."""
    browser = Client(enforce_csrf_checks=True)
    response = sign_in(
        browser,
        "member@acme.test",
        session=True,
        HTTP_ORIGIN="http://acme.localhost",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.json()["data"]["login"]["user"]["email"] == "member@acme.test"
    assert "sessionid" in response.cookies and "csrftoken" in response.cookies
    csrf = {"HTTP_X_CSRFTOKEN": browser.cookies["csrftoken"].value}
    assert post(browser, "acme", ME, None, **csrf).json() == {"data": {"me": {"email": "member@acme.test"}}}


@pytest.mark.parametrize(
    "headers",
    [
        {},  # no Origin: not a browser page; such clients use the token
        {"HTTP_ORIGIN": "http://evil.example"},
        {"HTTP_ORIGIN": "http://beta.localhost"},  # another tenant's host is another site for sessions
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "http://acme.localhost", "HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "http://acme.localhost", "HTTP_SEC_FETCH_SITE": "same-site"},
    ],
)
def test_no_session_for_any_other_page(acme, beta, headers):
    """Login CSRF: a page of another origin cannot sign the visitor's browser in to any account,
    and the refusal comes before the password is checked (no token issued, nothing counted)."""
    response = sign_in(Client(enforce_csrf_checks=True), "owner@acme.test", session=True, **headers)
    assert error_codes(response.json()) == ["FORBIDDEN"]
    assert response.json()["data"] is None
    assert "sessionid" not in response.cookies


def test_stale_cookie_without_csrf_token_can_still_sign_in(acme):
    """A cookie-jar client holding an old session cookie and no CSRF token: login ignores the
    cookie and signs in; the token then works, and the cookie still cannot be used for writes."""
    jar = Client(enforce_csrf_checks=True)
    jar.cookies["sessionid"] = "expired-or-unknown-session"
    first = sign_in(jar, "member@acme.test")
    assert first.status_code == 200
    assert first.json()["data"]["login"]["user"]["email"] == "member@acme.test"

    signed_in = browser_session("member@acme.test")  # a live session, cookie kept, no CSRF header sent
    second = sign_in(signed_in, "owner@acme.test")
    token = second.json()["data"]["login"]["token"]
    assert post(signed_in, "acme", ME, HTTP_AUTHORIZATION=f"Bearer {token}").json()["data"]["me"]["email"] == (
        "owner@acme.test"
    )
    refused = post(signed_in, "acme", LOGOUT)
    assert refused.status_code == 403 and error_codes(refused.json()) == ["FORBIDDEN"]


def test_stale_cookie_is_not_used_by_the_sign_in(acme):
    """The refused cookie does not authenticate anything in the sign-in request itself."""
    browser = browser_session("member@acme.test")
    query = "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } __typename }"
    response = post(browser, "acme", query, {"email": "owner@acme.test", "password": "wrong"})
    assert error_codes(response.json()) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize(
    "query",
    [
        "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } logout }",
        "mutation { logout }",
        "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }"
        " mutation Out { logout }",
        "not graphql at all",
    ],
)
def test_only_a_sign_in_skips_the_csrf_check(acme, query):
    """A mutation that does anything besides login still needs the CSRF token with a cookie."""
    browser = browser_session("member@acme.test")
    body = {"query": query, "variables": {"email": "owner@acme.test", "password": PASSWORD}}
    if "Out" in query:
        body["operationName"] = "Out"
    response = browser.post(
        "/graphql/", data=json.dumps(body), content_type="application/json", HTTP_HOST="acme.localhost"
    )
    assert response.status_code == 403
    assert error_codes(response.json()) == ["FORBIDDEN"]
    still = browser.get("/graphql/", {"query": ME}, HTTP_HOST="acme.localhost").json()
    assert still["data"]["me"] == {"email": "member@acme.test"}


def test_same_origin_means_scheme_host_and_port():
    """Another port or scheme of the same host name is another origin."""
    from saas.graphql.sessions import may_start_session

    def request(origin: str):
        return RequestFactory().post("/graphql/", HTTP_HOST="acme.localhost:8080", HTTP_ORIGIN=origin)

    assert may_start_session(request("http://acme.localhost:8080"))
    assert not may_start_session(request("http://acme.localhost:8081"))
    assert not may_start_session(request("https://acme.localhost:8080"))
