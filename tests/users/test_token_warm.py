"""Signing in fills the token cache once the token commits (users/services.py ``token_issue``), in
the issuing tenant's cache namespace only, so the first request or socket reads no SQL."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django_tenants.utils import tenant_context

from saas import cache as cache_keys
from users.models import User
from users.services import _hash, token_issue, token_user_cached

pytestmark = pytest.mark.django_db


def test_a_new_token_is_cached_on_commit_in_its_own_tenant_only(acme, beta, django_capture_on_commit_callbacks):
    with tenant_context(acme):
        user = User.objects.get(email="member@acme.test")
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            raw = token_issue(user=user)
            key = cache_keys.auth_token_key(_hash(raw))
            assert cache.get(key) is None  # nothing is cached before the token row commits
        assert cache.get(key)["user"]["id"] == user.pk
    with tenant_context(beta):
        assert cache.get(key) is None  # beta's namespace never holds acme's tokens
        assert token_user_cached(raw_token=raw) is None


def test_the_first_lookup_of_a_new_token_reads_no_sql(
    acme, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with tenant_context(acme):
        user = User.objects.get(email="member@acme.test")
        with django_capture_on_commit_callbacks(execute=True):
            raw = token_issue(user=user)
        with django_assert_num_queries(0):
            found = token_user_cached(raw_token=raw)
        assert found is not None and found.pk == user.pk


def test_a_token_revoked_before_its_commit_is_not_cached(acme, django_capture_on_commit_callbacks):
    """The cache is filled by reading the committed rows, so a token that is already revoked when the
    transaction commits is not cached as valid."""
    from users.services import token_revoke

    with tenant_context(acme):
        user = User.objects.get(email="member@acme.test")
        with django_capture_on_commit_callbacks(execute=True):
            raw = token_issue(user=user)
            token_revoke(raw_token=raw)
        assert cache.get(cache_keys.auth_token_key(_hash(raw))) is None
        assert token_user_cached(raw_token=raw) is None
