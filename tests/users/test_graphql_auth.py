"""Sign-in and sign-out over HTTP: bearer tokens and sessions, one error for wrong credentials,
rate-limited failures, logout revoking exactly the sign-in used, tokens bound to their tenant."""

import pytest
from django.contrib.auth.signals import user_logged_out
from django.test import Client
from django_tenants.utils import tenant_context

from saas import cache as cache_keys
from tests.support import PASSWORD, error_codes, marker
from tests.support import post_graphql as post

pytestmark = pytest.mark.django_db

LOGIN = "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token user { id email isStaff fullName } } }"
SESSION_LOGIN = "mutation($email: String!, $password: String!) { login(email: $email, password: $password, session: true) { token } }"
LOGOUT = "mutation { logout }"
ME = "{ me { email fullName isStaff } }"
PRODUCTS = "{ products { totalCount } }"


def get(client: Client, schema: str, query: str) -> dict:
    return client.get("/graphql/", {"query": query}, HTTP_HOST=f"{schema}.localhost").json()


@pytest.fixture
def logouts():
    """The user_logged_out signals sent during the test."""
    received = []

    def receiver(sender, request, user, **kwargs):
        received.append({"sender": sender, "request": request, "user": user})

    user_logged_out.connect(receiver, dispatch_uid="tests.api.logouts")
    yield received
    user_logged_out.disconnect(dispatch_uid="tests.api.logouts")


def test_login_returns_a_token_that_authenticates(gql, acme):
    """login answers token and user; the token signs in later requests on the same tenant."""
    result = gql.on("acme").execute(LOGIN, {"email": "owner@acme.test", "password": PASSWORD})
    payload = result["data"]["login"]
    assert payload["user"]["email"] == "owner@acme.test"
    assert payload["user"]["isStaff"] is True
    assert payload["user"]["fullName"] == marker("acme")
    me = gql.on("acme").with_token(payload["token"]).execute(ME)["data"]["me"]
    assert me == {"email": "owner@acme.test", "fullName": marker("acme"), "isStaff": True}


def browser_login(browser: Client, schema: str, email: str):
    """``login(session: true)`` sent as a page of the tenant's own origin sends it."""
    return post(
        browser, schema, SESSION_LOGIN, {"email": email, "password": PASSWORD}, HTTP_ORIGIN=f"http://{schema}.localhost"
    )


def test_login_asked_by_the_tenants_page_also_starts_a_session(acme):
    """The login response sets the session cookie; that cookie alone authenticates queries."""
    browser = Client()
    response = browser_login(browser, "acme", "member@acme.test")
    assert response.status_code == 200
    assert "sessionid" in response.cookies
    assert post(browser, "acme", ME).json()["data"]["me"]["email"] == "member@acme.test"
    assert post(browser, "acme", PRODUCTS).json()["data"]["products"]["totalCount"] == 0


def test_email_is_case_insensitive(gql, acme):
    """Emails are stored lower-case; the sign-in form may not be."""
    result = gql.on("acme").execute(LOGIN, {"email": " Owner@ACME.test ", "password": PASSWORD})
    assert result["data"]["login"]["user"]["email"] == "owner@acme.test"


@pytest.mark.parametrize(
    ("email", "password"),
    [("owner@acme.test", "wrong-password"), ("nobody@acme.test", PASSWORD), ("owner@beta.test", PASSWORD)],
)
def test_wrong_credentials_get_one_error_that_reveals_nothing(gql, acme, email, password):
    """Wrong password, unknown email and another tenant's user all get the same UNAUTHENTICATED error."""
    result = gql.on("acme").execute(LOGIN, {"email": email, "password": password})
    assert result["data"] is None
    assert error_codes(result) == ["UNAUTHENTICATED"]
    assert result["errors"][0]["message"] == "Invalid email or password."


def test_inactive_user_cannot_sign_in(gql, acme):
    """A deactivated user's correct password is refused like a wrong one."""
    from users.models import User

    with tenant_context(acme):
        User.objects.filter(email="member@acme.test").update(is_active=False)
    result = gql.on("acme").execute(LOGIN, {"email": "member@acme.test", "password": PASSWORD})
    assert error_codes(result) == ["UNAUTHENTICATED"]


def test_failures_are_rate_limited_per_tenant_address_and_account(acme, beta, settings):
    """After LOGIN_RATE_LIMIT failures from one address against one account, that address and that
    account are refused on that tenant only; other accounts from other addresses sign in."""
    settings.LOGIN_RATE_LIMIT = 3
    client = Client()
    wrong = {"email": "owner@acme.test", "password": "wrong-password"}
    right = {"email": "owner@acme.test", "password": PASSWORD}
    for _ in range(3):
        result = post(client, "acme", LOGIN, wrong, REMOTE_ADDR="10.0.0.1").json()
        assert error_codes(result) == ["UNAUTHENTICATED"]
    limited = post(client, "acme", LOGIN, right, REMOTE_ADDR="10.0.0.1").json()
    assert error_codes(limited) == ["RATE_LIMITED"]
    assert limited["data"] is None
    same_account = post(client, "acme", LOGIN, right, REMOTE_ADDR="10.0.0.2").json()
    assert error_codes(same_account) == ["RATE_LIMITED"]
    other_account = {"email": "member@acme.test", "password": PASSWORD}
    assert post(client, "acme", LOGIN, other_account, REMOTE_ADDR="10.0.0.2").json()["data"]["login"]["token"]
    other_tenant = post(
        client, "beta", LOGIN, {"email": "owner@beta.test", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert other_tenant.json()["data"]["login"]["token"]


def test_failure_counter_lives_in_the_tenants_cache_namespace(acme):
    """The counter keys (address and account) are built in saas/cache.py and carry the schema prefix."""
    post(Client(), "acme", LOGIN, {"email": "owner@acme.test", "password": "nope"}, REMOTE_ADDR="10.0.0.9")
    keys = [key.decode() for key in cache_keys.redis_client().keys("*login-attempts*")]
    assert len(keys) == 2 and all(key.startswith("acme:") for key in keys)


def test_logout_revokes_the_bearer_token_used(gql, acme, logouts):
    """logout revokes the token it was sent with (and only that one) and sends user_logged_out."""
    from users.models import User

    first = gql.on("acme").as_user("owner")
    second = gql.on("acme").as_user("owner")
    assert first.execute(LOGOUT) == {"data": {"logout": True}}
    assert first.execute(ME)["data"]["me"] is None
    assert error_codes(first.execute(PRODUCTS)) == ["UNAUTHENTICATED"]
    assert second.execute(ME)["data"]["me"]["email"] == "owner@acme.test"
    assert len(logouts) == 1
    assert logouts[0]["sender"] is User
    assert logouts[0]["user"].email == "owner@acme.test"
    assert logouts[0]["request"].auth_token == first.token


def test_logout_ends_the_session_and_needs_csrf(acme, logouts):
    """A cookie-authenticated logout must carry the CSRF token; it then ends the session and signals."""
    browser = Client(enforce_csrf_checks=True)
    browser_login(browser, "acme", "member@acme.test")
    refused = post(browser, "acme", LOGOUT)
    assert refused.status_code == 403
    assert error_codes(refused.json()) == ["FORBIDDEN"]
    assert get(browser, "acme", ME)["data"]["me"]["email"] == "member@acme.test"

    csrf = browser.cookies["csrftoken"].value
    assert post(browser, "acme", LOGOUT, HTTP_X_CSRFTOKEN=csrf).json() == {"data": {"logout": True}}
    assert get(browser, "acme", ME)["data"]["me"] is None
    assert [signal["user"].email for signal in logouts] == ["member@acme.test"]


def test_logout_when_anonymous_is_unauthenticated(gql, acme, logouts):
    """There is nothing to end without a sign-in."""
    assert error_codes(gql.on("acme").execute(LOGOUT)) == ["UNAUTHENTICATED"]
    assert logouts == []


def test_me_is_null_when_anonymous(gql, acme):
    """me needs no sign-in: anonymous callers get null, not an error."""
    assert gql.on("acme").execute(ME) == {"data": {"me": None}}


def test_session_of_one_tenant_is_anonymous_on_the_other(acme, beta):
    """A session cookie from acme means nothing on beta (sessions live in the tenant's schema)."""
    browser = Client()
    browser_login(browser, "acme", "owner@acme.test")
    assert "sessionid" in browser.cookies
    result = post(browser, "beta", ME).json()
    assert result == {"data": {"me": None}}
    assert marker("acme") not in str(result)


def test_concurrent_guesses_cannot_slip_under_the_limit(acme, settings):
    """Attempts are counted before the password check: a burst of parallel guesses is cut at the limit."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from saas.errors import RateLimited, Unauthenticated
    from users.services import user_authenticate

    settings.LOGIN_RATE_LIMIT = 5

    def guess(_):
        try:
            with tenant_context(acme):
                user_authenticate(email="owner@acme.test", password="wrong", client_address="10.9.9.9")
        except RateLimited:
            return "limited"
        except Unauthenticated:
            return "checked"
        finally:
            connection.close()
        return "signed in"

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(guess, range(20)))
    # Both counters (address, account) must admit an attempt, so interleaving may refuse some of the
    # first five; never more than five passwords are checked.
    assert 1 <= outcomes.count("checked") <= 5
    assert outcomes.count("limited") == 20 - outcomes.count("checked")


def test_successful_sign_ins_do_not_use_up_the_limit(acme, settings):
    """A user who signs in correctly again and again is never rate limited."""
    from users.services import user_authenticate

    settings.LOGIN_RATE_LIMIT = 2
    with tenant_context(acme):
        for _ in range(5):
            assert user_authenticate(email="owner@acme.test", password=PASSWORD, client_address="10.8.8.8").pk


def test_spent_tokens_are_pruned_at_the_next_sign_in(acme):
    """Revoked and expired tokens of a user are deleted when that user signs in again."""
    from users.models import AuthToken, User
    from users.services import token_issue, token_revoke, token_user_uncached

    with tenant_context(acme):
        owner = User.objects.get(email="owner@acme.test")
        spent = token_issue(user=owner)
        token_revoke(raw_token=spent)
        assert AuthToken.objects.filter(user=owner, revoked_at__isnull=False).exists()
        fresh = token_issue(user=owner)
        assert not AuthToken.objects.filter(user=owner, revoked_at__isnull=False).exists()
        assert token_user_uncached(raw_token=fresh) == owner
