"""Notification services: rows are stored first and pushed on commit through the real Redis
channel layer; product changes notify every active user of their own tenant only."""

import logging
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from notifications import events
from notifications.models import Notification
from notifications.services import notification_mark_all_read, notification_mark_read, notification_send
from tests.notifications.conftest import add_notifications, user_id
from tests.support import marker

pytestmark = pytest.mark.django_db


def _messages(tenant) -> list[tuple[str, str]]:
    with tenant_context(tenant):
        return sorted(Notification.objects.values_list("recipient__email", "message"))


def test_direct_notification_is_stored_then_published_on_commit(acme, listen, django_capture_on_commit_callbacks):
    """The row exists inside the transaction; the event leaves only when it commits, to the user's group."""
    member_id = user_id(acme, "member@acme.test")
    with listen([events.user_group("acme", member_id)]) as listener:
        with tenant_context(acme), django_capture_on_commit_callbacks() as callbacks:
            [row] = notification_send(message=f"  {marker('acme')} hello  ", level="warning", recipient_id=member_id)
            assert Notification.objects.filter(pk=row.pk, message=f"{marker('acme')} hello").exists()
        assert len(callbacks) == 1
        callbacks[0]()
    [event] = listener.messages
    assert event["schema"] == "acme"
    assert event["deliveries"] == [[member_id, row.pk]]
    assert (event["message"], event["level"]) == (f"{marker('acme')} hello", "warning")


def test_broadcast_stores_one_row_per_active_user_and_sends_one_event(
    acme, beta, listen, django_capture_on_commit_callbacks
):
    """Every active user of acme gets a row; inactive users and beta get none; one event goes to acme's group only."""
    from users.services import user_create, user_set_active

    with tenant_context(acme):
        user_set_active(user=user_create(email="gone@acme.test", password=None), is_active=False)
    with listen([events.broadcast_group("acme"), events.broadcast_group("beta")], expected=2) as listener:
        with tenant_context(acme), django_capture_on_commit_callbacks(execute=True):
            rows = notification_send(message=marker("acme"))
        with tenant_context(beta), django_capture_on_commit_callbacks(execute=True):
            notification_send(message=marker("beta"))
    assert sorted(row.recipient_id for row in rows) == sorted(
        user_id(acme, email) for email in ("member@acme.test", "owner@acme.test")
    )
    assert len({row.created_at for row in rows}) == 1
    with tenant_context(beta):
        assert Notification.objects.filter(message__contains=marker("acme")).count() == 0
    event, later_beta_event = listener.messages
    assert (event["schema"], event["message"]) == ("acme", marker("acme"))
    assert sorted(event["deliveries"]) == sorted([row.recipient_id, row.pk] for row in rows)
    assert (later_beta_event["schema"], later_beta_event["message"]) == ("beta", marker("beta"))


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"message": ""}, ValidationError),
        ({"message": "   "}, ValidationError),
        ({"message": "x" * 1001}, ValidationError),
        ({"message": "ok", "level": "shout"}, ValidationError),
        ({"message": "ok", "recipient_id": 999_999}, Notification.recipient.field.related_model.DoesNotExist),
    ],
)
def test_invalid_sends_store_nothing(acme, fields, error):
    """Empty, whitespace-only or too long messages, unknown levels and unknown recipients are refused."""
    with tenant_context(acme), pytest.raises(error):
        notification_send(**fields)
    assert _messages(acme) == []


def test_inactive_recipient_is_not_found(acme):
    """A deactivated user cannot be notified directly."""
    from users.models import User

    with tenant_context(acme):
        member = User.objects.get(email="member@acme.test")
        User.objects.filter(pk=member.pk).update(is_active=False)
        with pytest.raises(User.DoesNotExist):
            notification_send(message="hi", recipient_id=member.pk)


def test_product_changes_notify_every_user_of_their_tenant_only(acme, beta, django_capture_on_commit_callbacks):
    """Create, update and delete each notify acme's owner and member; beta, with the same user ids, gets nothing."""
    from catalog.services import product_create, product_delete, product_update

    with tenant_context(acme), django_capture_on_commit_callbacks(execute=True):
        product = product_create(name=f"{marker('acme')} lamp", sku="LAMP-1", price=Decimal("9.50"))
        product_update(product=product, price=Decimal("10.00"))
        product_delete(product=product)
    texts = _messages(acme)
    for email in ("owner@acme.test", "member@acme.test"):
        mine = [message for recipient, message in texts if recipient == email]
        assert mine == sorted(
            f'Product "{marker("acme")} lamp" (LAMP-1) was {action}.' for action in ("created", "updated", "deleted")
        )
    assert _messages(beta) == []
    assert not any(marker("beta") in message for _, message in texts)


def test_channel_layer_down_still_stores_rows(acme, settings, caplog, django_capture_on_commit_callbacks):
    """With Redis for channels unreachable the send succeeds, the row is kept and the failure is logged."""
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
    }
    member_id = user_id(acme, "member@acme.test")
    with (
        caplog.at_level(logging.WARNING, logger="notifications.events"),
        tenant_context(acme),
        django_capture_on_commit_callbacks(execute=True),
    ):
        rows = notification_send(message=marker("acme"), recipient_id=member_id)
    assert _messages(acme) == [("member@acme.test", marker("acme"))]
    assert rows[0].pk
    assert "could not publish" in caplog.text


def test_mark_read_touches_only_the_users_own_rows(acme, beta):
    """Marking one row or all rows read never changes another user's or another tenant's rows."""
    from users.models import User

    [mine] = add_notifications(acme, "member@acme.test", pk=900_002)
    [owners] = add_notifications(acme, "owner@acme.test")
    [beta_same_pk] = add_notifications(beta, "member@beta.test", pk=900_002)
    with tenant_context(acme):
        member = User.objects.get(email="member@acme.test")
        assert notification_mark_read(user=member, notification_id=owners.pk) is None
        assert notification_mark_read(user=member, notification_id=mine.pk).is_read is True
        add_notifications(acme, "member@acme.test", count=2)
        assert notification_mark_all_read(user=member) == 2
        assert notification_mark_all_read(user=member) == 0
        assert Notification.objects.get(pk=owners.pk).is_read is False
    with tenant_context(beta):
        assert Notification.objects.get(pk=beta_same_pk.pk).is_read is False


def test_deactivation_logout_and_suspension_publish_stream_ends(acme, listen, django_capture_on_commit_callbacks):
    """Deactivating a user or logging out ends that user's streams; suspending the tenant ends all of its streams."""
    from django.contrib.auth.signals import user_logged_out
    from django.http import HttpRequest

    from tenants.services import tenant_set_active
    from users.models import User
    from users.services import user_set_active

    member_id = user_id(acme, "member@acme.test")
    groups = [events.user_group("acme", member_id), events.broadcast_group("acme")]
    with listen(groups, expected=3) as listener:
        with tenant_context(acme), django_capture_on_commit_callbacks(execute=True):
            member = User.objects.get(pk=member_id)
            request = HttpRequest()
            request.auth_token = "raw-token"
            user_logged_out.send(sender=User, request=request, user=member)
            user_set_active(user=member, is_active=False)
        tenant_set_active(tenant=acme, is_active=False)
    logout, deactivated, suspended = listener.messages
    assert (logout["reason"], logout["user_id"]) == ("logout", member_id)
    assert logout["credential"] == events.credential_fingerprint("raw-token")
    assert (deactivated["reason"], deactivated["user_id"], deactivated["credential"]) == (
        "user_deactivated", member_id, None,
    )  # fmt: skip
    assert (suspended["reason"], suspended["schema"], suspended["user_id"]) == ("tenant_unavailable", "acme", None)
