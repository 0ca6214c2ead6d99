"""Subscription documents are validated once per process, and only their successes are remembered."""

import asyncio
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser

from saas.graphql import known_valid
from saas.schema import schema

DOCUMENT = "subscription KnownValidCheck { notifications { id message isRead } }"


def _first_result(query: str):
    """The first result of the subscription: a validation refusal, or the permission refusal of an
    anonymous caller (which only comes once the document passed validation)."""

    async def run():
        context = SimpleNamespace(request=SimpleNamespace(user=AnonymousUser()))
        stream = await schema.subscribe(query, context_value=context)
        async for result in stream:
            return result

    return asyncio.run(run())


def _codes(result) -> list[str | None]:
    return [(error.extensions or {}).get("code") for error in result.errors or []]


def test_a_valid_subscription_is_remembered_and_a_lower_limit_still_applies(settings):
    known_valid._valid.clear()
    first = _first_result(DOCUMENT)
    assert "UNAUTHENTICATED" in _codes(first) or "FORBIDDEN" in _codes(first), first.errors
    assert any(key[0] == DOCUMENT for key in known_valid._valid)
    again = _first_result(DOCUMENT)
    assert _codes(again) == _codes(first)
    # The same document under a depth limit it exceeds is refused: the limit is part of what was remembered.
    settings.GRAPHQL_MAX_DEPTH = 0
    refused = _first_result(DOCUMENT)
    assert refused.errors and "exceeds maximum operation depth" in refused.errors[0].message


def test_an_invalid_subscription_is_refused_every_time_with_its_code():
    known_valid._valid.clear()
    invalid = "subscription { notifications { id noSuchField } }"
    for _ in range(2):
        result = _first_result(invalid)
        assert _codes(result) == ["BAD_USER_INPUT"], result.errors
    assert not any(key[0] == invalid for key in known_valid._valid)
