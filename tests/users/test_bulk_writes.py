"""Queryset writes of users and tokens (no ``post_save``) keep the bearer-token cache true: a token
cached by one request stops working at the next one after a bulk deactivation, password change,
deletion or revocation, in the tenant written only; a bulk deactivation also closes live sockets."""

import hashlib
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from saas import cache as cache_keys
from tests.live import GraphQLSocket, http_graphql, login
from tests.support import PASSWORD, committed_user, error_codes, issue_token, marker
from tests.support import post_graphql as post

ME = "{ me { email isStaff } }"
PRODUCTS = "{ products { totalCount } }"


def cached_answer(tenant, token: str):
    """The token cache's entry for ``token`` in ``tenant``'s namespace (None: not cached)."""
    with tenant_context(tenant):
        return cache.get(cache_keys.auth_token_key(hashlib.sha256(token.encode()).hexdigest()))


def me(client, schema: str, token: str) -> Any:
    """What ``me`` answers to a request with this bearer token (None: anonymous)."""
    return post(client, schema, ME, HTTP_AUTHORIZATION=f"Bearer {token}").json()["data"]["me"]


def signed_in_members(client, acme, beta) -> dict[str, str]:
    """Tokens of acme's and beta's member (both user pk 2), each cached by a request."""
    tokens = {"acme": issue_token("acme", "member"), "beta": issue_token("beta", "member")}
    for schema, tenant in (("acme", acme), ("beta", beta)):
        assert cached_answer(tenant, tokens[schema]) is None
        assert me(client, schema, tokens[schema])["email"] == f"member@{schema}.test"
        assert cached_answer(tenant, tokens[schema])["user"]["email"] == f"member@{schema}.test"
    return tokens


def deactivate(User, AuthToken):
    return User.objects.filter(email="member@acme.test").update(is_active=False)


def deactivate_with_bulk_update(User, AuthToken):
    member = User.objects.get(email="member@acme.test")
    member.is_active = False
    return User.objects.bulk_update([member], ["is_active"])


def deactivate_with_an_expression(User, AuthToken):
    from django.db.models import Value

    return User.objects.filter(email="member@acme.test").update(is_active=Value(False))


def replace_password(User, AuthToken):
    return User.objects.filter(email="member@acme.test").update(password=make_password("another-long-password-26"))


def delete_user(User, AuthToken):
    return User.objects.filter(email="member@acme.test").delete()[1]["users.User"]


def revoke_tokens(User, AuthToken):
    return AuthToken.objects.filter(user__email="member@acme.test").update(revoked_at=timezone.now())


def expire_tokens(User, AuthToken):
    return AuthToken.objects.filter(user__email="member@acme.test").update(expires_at=timezone.now())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "write",
    [
        deactivate,
        deactivate_with_bulk_update,
        deactivate_with_an_expression,
        replace_password,
        delete_user,
        revoke_tokens,
        expire_tokens,
    ],
)
def test_a_bulk_write_ends_the_cached_token_at_once_in_its_tenant_only(
    client, acme, beta, write, django_capture_on_commit_callbacks
):
    """After the write the cached entry is gone and the next request is anonymous; beta's member
    (same pk) keeps the cached answer and its access."""
    from users.models import AuthToken, User

    tokens = signed_in_members(client, acme, beta)
    with tenant_context(acme), django_capture_on_commit_callbacks(execute=True):
        assert write(User, AuthToken) >= 1
        assert cached_answer(acme, tokens["acme"]) is None
    assert me(client, "acme", tokens["acme"]) is None
    refused = post(client, "acme", PRODUCTS, HTTP_AUTHORIZATION=f"Bearer {tokens['acme']}").json()
    assert error_codes(refused) == ["UNAUTHENTICATED"]
    assert cached_answer(acme, tokens["acme"]) is None
    assert cached_answer(beta, tokens["beta"])["user"]["email"] == "member@beta.test"
    assert me(client, "beta", tokens["beta"]) == {"email": "member@beta.test", "isStaff": False}


@pytest.mark.django_db
def test_a_bulk_password_change_revokes_the_users_tokens_only(client, acme, beta):
    """Like ``user_set_password``: the member's tokens are revoked in the database, the owner's are not."""
    from users.models import AuthToken, User

    tokens = signed_in_members(client, acme, beta)
    owner_token = issue_token("acme", "owner")
    with tenant_context(acme):
        User.objects.filter(email="member@acme.test").update(password=make_password("another-long-password-26"))
        assert not AuthToken.objects.filter(user__email="member@acme.test", revoked_at__isnull=True).exists()
        assert AuthToken.objects.filter(user__email="owner@acme.test", revoked_at__isnull=True).exists()
    assert me(client, "acme", tokens["acme"]) is None
    assert me(client, "acme", owner_token)["email"] == "owner@acme.test"
    with tenant_context(beta):
        assert AuthToken.objects.filter(user__email="member@beta.test", revoked_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_bulk_demotion_shows_at_the_next_request(client, acme):
    """The cache holds the whole user row: a queryset update of ``is_staff`` drops it as well."""
    from users.models import User

    token = issue_token("acme", "owner")
    assert me(client, "acme", token)["isStaff"] is True
    assert cached_answer(acme, token)["user"]["is_staff"] is True
    with tenant_context(acme):
        User.objects.filter(email="owner@acme.test").update(is_staff=False)
    assert me(client, "acme", token)["isStaff"] is False


def statements(captured: CaptureQueriesContext) -> list[str]:
    """The first word of each statement run, but the schema switches (``SET search_path``)."""
    return [query["sql"].split()[0] for query in captured.captured_queries if not query["sql"].startswith("SET ")]


@pytest.mark.django_db
def test_token_updates_read_rows_only_when_the_cached_answer_depends_on_them(acme):
    """Revoking through a queryset reads the affected hashes once; touching ``created_at`` only reads nothing."""
    from users.models import AuthToken

    issue_token("acme", "member")
    with tenant_context(acme):
        tokens = AuthToken.objects.filter(user__email="member@acme.test")
        held = tokens.count()  # live-server tests may have left other tokens of this member
        assert held >= 1
        with CaptureQueriesContext(connection) as touched:
            assert tokens.update(created_at=timezone.now()) == held
        with CaptureQueriesContext(connection) as revoked:
            assert tokens.update(revoked_at=timezone.now()) == held
    assert statements(touched) == ["UPDATE"]
    assert statements(revoked) == ["SELECT", "UPDATE"]


def test_create_user_still_goes_through_the_manager(db, acme):
    """``UserManager`` keeps ``create_user`` next to the queryset methods."""
    from users.models import User

    with tenant_context(acme):
        user = User.objects.create_user("New.Person@ACME.test", PASSWORD, full_name=marker("acme"))
        assert user.email == "new.person@acme.test" and user.check_password(PASSWORD)
        assert User.objects.filter(pk=user.pk).update(full_name="renamed") == 1


@pytest.fixture
def bulk_leaver(platform_server, django_db_blocker):
    """A committed extra user of acme (``bulkleaver@acme.test``), removed afterwards."""
    with committed_user(django_db_blocker, "acme", "bulkleaver@acme.test") as acme:
        yield acme


def test_a_bulk_deactivation_closes_the_users_socket(platform_server, bulk_leaver, django_db_blocker):
    """The user's open socket closes with 4401 and the token no longer works over HTTP at once."""
    from users.models import User

    token, _ = login(platform_server, "acme", "bulkleaver")
    with GraphQLSocket(platform_server, "acme") as socket:
        assert socket.init({"authToken": token})["type"] == "connection_ack"
        answered, _ = http_graphql(platform_server, "acme", ME, token=token)
        assert answered["data"]["me"]["email"] == "bulkleaver@acme.test"
        with django_db_blocker.unblock(), tenant_context(bulk_leaver):
            assert User.objects.filter(email="bulkleaver@acme.test").update(is_active=False) == 1
        assert socket.close_code() == 4401
    assert http_graphql(platform_server, "acme", ME, token=token)[0]["data"]["me"] is None
