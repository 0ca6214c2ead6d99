"""Subscription documents are validated once per process, and only their successes are remembered."""

from django.contrib.auth.models import AnonymousUser

from saas.graphql import known_valid
from tests.support import first_subscription_result

DOCUMENT = "subscription KnownValidCheck { notifications { id message isRead } }"


def _codes(result) -> list[str | None]:
    return [(error.extensions or {}).get("code") for error in result.errors or []]


def test_a_valid_subscription_is_remembered_and_a_lower_limit_still_applies(settings):
    known_valid._valid.clear()
    first = first_subscription_result(DOCUMENT, AnonymousUser())
    assert "UNAUTHENTICATED" in _codes(first) or "FORBIDDEN" in _codes(first), first.errors
    assert any(key[0] == DOCUMENT for key in known_valid._valid)
    again = first_subscription_result(DOCUMENT, AnonymousUser())
    assert _codes(again) == _codes(first)
    # The same document under a depth limit it exceeds is refused: the limit is part of what was remembered.
    settings.GRAPHQL_MAX_DEPTH = 0
    refused = first_subscription_result(DOCUMENT, AnonymousUser())
    assert refused.errors and "exceeds maximum operation depth" in refused.errors[0].message


def test_an_invalid_subscription_is_refused_every_time_with_its_code():
    known_valid._valid.clear()
    invalid = "subscription { notifications { id noSuchField } }"
    for _ in range(2):
        result = first_subscription_result(invalid, AnonymousUser())
        assert _codes(result) == ["BAD_USER_INPUT"], result.errors
    assert not any(key[0] == invalid for key in known_valid._valid)
