"""Channel groups and event payloads: one builder for group names, and every event re-checked
against the subscriber's tenant and user."""

import datetime as dt

import pytest
from channels.layers import get_channel_layer

from notifications import events
from notifications.models import Notification


def test_same_user_id_in_two_tenants_never_shares_a_group():
    """User 7 of acme and user 7 of beta get different user and broadcast groups."""
    acme_groups = set(events.subscriber_groups("acme", 7))
    beta_groups = set(events.subscriber_groups("beta", 7))
    assert acme_groups == {"acme.user.7", "acme.broadcast"}
    assert acme_groups.isdisjoint(beta_groups)


def test_group_names_are_valid_for_the_channel_layer():
    """The longest schema name still yields a name the channel layer accepts."""
    schema = "s" * 63
    layer = get_channel_layer()
    for group in events.subscriber_groups(schema, 2**63 - 1):
        assert layer.require_valid_group_name(group)


@pytest.mark.parametrize("schema", ["bad schema", "evil*", "acme.user.1", "x" * 64, ""])
def test_invalid_group_names_are_refused(schema):
    """A name the channel layer would reject fails where groups are built."""
    with pytest.raises(ValueError):
        events.broadcast_group(schema)


def _event(schema: str, recipient_id: int | None, notification_id: int = 11) -> dict:
    row = Notification(pk=notification_id, recipient_id=recipient_id, message="ACME-MARKER", level="info",
                       created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))  # fmt: skip
    return events.notification_event(schema_name=schema, notification=row)


def test_broadcast_event_yields_the_row_to_every_subscriber_of_its_tenant():
    """A broadcast event names no user: every subscriber of acme builds the same unread row from it."""
    event = _event("acme", None)
    for user_id in (1, 2):
        mine = events.notification_for(event, schema_name="acme", user_id=user_id)
        assert mine is not None
        assert (mine.pk, mine.message, mine.viewer_read) == (11, "ACME-MARKER", False)
        assert mine.created_at == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_direct_event_yields_only_to_its_recipient():
    """A direct event gives its row to its recipient and to nobody else."""
    event = _event("acme", 2, notification_id=12)
    delivered = events.notification_for(event, schema_name="acme", user_id=2)
    assert delivered is not None and delivered.pk == 12
    assert events.notification_for(event, schema_name="acme", user_id=3) is None


def test_event_of_another_tenant_is_dropped():
    """Even if it reached a beta socket, an acme event never yields a row there."""
    for event in (_event("acme", 7), _event("acme", None)):
        assert events.notification_for(event, schema_name="beta", user_id=7) is None
        assert (
            events.notification_for({**event, "type": events.STREAM_END_EVENT}, schema_name="acme", user_id=7) is None
        )


def test_stream_end_matches_tenant_user_and_credential():
    """A stream end closes only sockets of its tenant, its user and (when given) its credential."""
    fingerprint = events.credential_fingerprint("token-a")
    logout = {"type": events.STREAM_END_EVENT, "schema": "acme", "user_id": 7, "credential": fingerprint}
    assert events.stream_ends(logout, schema_name="acme", user_id=7, fingerprint=fingerprint)
    assert not events.stream_ends(logout, schema_name="acme", user_id=7, fingerprint="other")
    assert not events.stream_ends(logout, schema_name="beta", user_id=7, fingerprint=fingerprint)
    assert not events.stream_ends(logout, schema_name="acme", user_id=8, fingerprint=fingerprint)
    tenant_wide = {"type": events.STREAM_END_EVENT, "schema": "acme", "user_id": None, "credential": None}
    assert events.stream_ends(tenant_wide, schema_name="acme", user_id=8, fingerprint="any")
    assert not events.stream_ends(tenant_wide, schema_name="beta", user_id=8, fingerprint="any")
