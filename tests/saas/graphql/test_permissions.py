"""Declared permissions on async fields (saas/graphql/permissions.py): a loaded user is checked in
place, a lazy one still goes through strawberry-django's own path; the answers are the same."""

import asyncio
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.functional import SimpleLazyObject, empty

from saas.graphql.permissions import IsAuthenticated, IsTenantStaff
from tests.support import first_subscription_result
from users.models import User

DOCUMENT = "subscription PermissionCheck { notifications { id } }"


def _codes(result) -> list[str | None]:
    return [(error.extensions or {}).get("code") for error in result.errors or []]


@pytest.mark.parametrize(
    "user",
    [AnonymousUser(), User(email="gone@acme.test", is_active=False)],
    ids=["anonymous", "deactivated"],
)
def test_a_subscriber_without_an_active_account_is_refused(user):
    assert _codes(first_subscription_result(DOCUMENT, user)) == ["UNAUTHENTICATED"]


def test_a_lazy_user_goes_through_strawberry_djangos_own_path_with_the_same_answer():
    lazy = SimpleLazyObject(AnonymousUser)
    assert lazy._wrapped is empty
    assert _codes(first_subscription_result(DOCUMENT, lazy)) == ["UNAUTHENTICATED"]
    assert lazy._wrapped is not empty  # strawberry-django read it (in a worker thread)


def test_an_active_subscriber_reaches_the_resolver():
    """Past the permission the resolver asks for the socket, which this context has not got: the
    error is the resolver's (masked), not a refusal."""
    result = first_subscription_result(DOCUMENT, User(email="member@acme.test", is_active=True))
    assert result.errors and "UNAUTHENTICATED" not in _codes(result) and "FORBIDDEN" not in _codes(result)


def _resolve(permission, user):
    info = SimpleNamespace(context=SimpleNamespace(request=SimpleNamespace(user=user)))

    async def next_(source, info):
        return "resolved"

    return asyncio.run(permission.resolve_async(next_, None, info))


def test_staff_only_async_fields_refuse_members_and_admit_staff():
    with pytest.raises(PermissionDenied, match="Only tenant staff"):
        _resolve(IsTenantStaff(), User(email="member@acme.test", is_active=True, is_staff=False))
    with pytest.raises(PermissionDenied, match="Sign in"):
        _resolve(IsAuthenticated(), AnonymousUser())
    assert _resolve(IsTenantStaff(), User(email="staff@acme.test", is_active=True, is_staff=True)) == "resolved"
    assert _resolve(IsAuthenticated(), User(email="member@acme.test", is_active=True)) == "resolved"
