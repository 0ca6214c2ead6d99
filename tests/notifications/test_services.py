"""Notification services: rows are stored first and pushed on commit through the real Redis
channel layer; product changes notify every active user of their own tenant only."""

import logging
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from notifications import events, selectors
from notifications.models import Notification, NotificationReceipt
from notifications.services import notification_mark_all_read, notification_mark_read, notification_send
from tests.notifications.conftest import add_notifications, user_id
from tests.support import marker
from users.models import User

pytestmark = pytest.mark.django_db


def _messages(tenant) -> list[tuple[str, str]]:
    with tenant_context(tenant):
        return sorted(Notification.objects.values_list("recipient__email", "message"))


def _feed(tenant, email: str, unread_only: bool = False) -> list[tuple[str, bool]]:
    """(message, read) of what ``email`` sees, newest first."""
    from users.models import User

    with tenant_context(tenant):
        user = User.objects.get(email=email)
        rows = selectors.notification_list(user=user, unread_only=unread_only)
        return [(row.message, row.viewer_read) for row in rows]


def _unread(tenant, email: str) -> int:
    from users.models import User

    with tenant_context(tenant):
        return selectors.notification_unread_count(user=User.objects.get(email=email))


def test_direct_notification_is_stored_then_published_on_commit(acme, listen, django_capture_on_commit_callbacks):
    """The row exists inside the transaction; the event leaves only when it commits, to the user's group."""
    member_id = user_id(acme, "member@acme.test")
    with listen([events.user_group("acme", member_id)]) as listener:
        with tenant_context(acme), django_capture_on_commit_callbacks() as callbacks:
            row = notification_send(message=f"  {marker('acme')} hello  ", level="warning", recipient_id=member_id)
            assert Notification.objects.filter(pk=row.pk, message=f"{marker('acme')} hello").exists()
        assert len(callbacks) == 1
        callbacks[0]()
    [event] = listener.messages
    assert event["schema"] == "acme"
    assert (event["id"], event["recipient"]) == (row.pk, member_id)
    assert (event["message"], event["level"]) == (f"{marker('acme')} hello", "warning")


def test_broadcast_stores_one_row_and_sends_one_small_event(acme, beta, listen, django_capture_on_commit_callbacks):
    """A broadcast is one row with no recipient, whatever the number of users, and one event to
    acme's group only, whose fields do not grow with the users; beta stores and receives nothing."""
    from users.services import user_create

    with tenant_context(acme):
        for index in range(30):
            user_create(email=f"extra{index}@acme.test", password=None)
    with listen([events.broadcast_group("acme"), events.broadcast_group("beta")], expected=2) as listener:
        with tenant_context(acme), django_capture_on_commit_callbacks(execute=True):
            row = notification_send(message=marker("acme"))
            assert Notification.objects.filter(message=marker("acme")).count() == 1
        with tenant_context(beta), django_capture_on_commit_callbacks(execute=True):
            notification_send(message=marker("beta"))
    assert row.recipient_id is None
    with tenant_context(beta):
        assert Notification.objects.filter(message__contains=marker("acme")).count() == 0
    event, beta_event = sorted(listener.messages, key=lambda message: message["schema"])
    assert event == {
        "type": events.NOTIFICATION_EVENT,
        "schema": "acme",
        "id": row.pk,
        "recipient": None,
        "message": marker("acme"),
        "level": "info",
        "created_at": row.created_at.isoformat(),
    }
    assert (beta_event["schema"], beta_event["message"]) == ("beta", marker("beta"))


def test_broadcast_read_state_is_per_user(acme, beta):
    """One stored broadcast: the member reading it leaves it unread for the owner, and beta's
    member (same user id) never sees it; reading twice changes nothing."""
    from users.models import User

    with tenant_context(acme):
        broadcast = notification_send(message=marker("acme"))
        member = User.objects.get(email="member@acme.test")
        assert marked_read(user=member, notification_id=broadcast.pk) is True
        assert marked_read(user=member, notification_id=broadcast.pk) is True
        assert NotificationReceipt.objects.filter(notification=broadcast).count() == 1
    assert _feed(acme, "member@acme.test") == [(marker("acme"), True)]
    assert _feed(acme, "owner@acme.test") == [(marker("acme"), False)]
    assert _feed(acme, "member@acme.test", unread_only=True) == []
    assert _feed(acme, "owner@acme.test", unread_only=True) == [(marker("acme"), False)]
    assert (_unread(acme, "member@acme.test"), _unread(acme, "owner@acme.test")) == (0, 1)
    assert _feed(beta, "member@beta.test") == []
    with tenant_context(beta):
        beta_member = User.objects.get(email="member@beta.test")
        assert notification_mark_read(user=beta_member, notification_id=broadcast.pk) is None


def test_mark_all_read_moves_the_marker_and_counts_broadcasts_and_direct_rows(acme):
    """Mark-all counts unread broadcasts (minus those already read one by one) and direct rows,
    leaves other users unread, and later broadcasts start unread again."""
    from users.models import User

    with tenant_context(acme):
        member = User.objects.get(email="member@acme.test")
        first, second, third = (notification_send(message=f"{marker('acme')} {index}") for index in range(3))
        notification_mark_read(user=member, notification_id=second.pk)
        notification_send(message=f"{marker('acme')} direct", recipient_id=member.pk)
        assert notification_mark_all_read(user=member) == 3
        assert notification_mark_all_read(user=member) == 0
        assert not NotificationReceipt.objects.filter(user=member).exists()
        assert marked_read(user=member, notification_id=first.pk) is True
        later = notification_send(message=f"{marker('acme')} later")
    assert _unread(acme, "member@acme.test") == 1
    assert _feed(acme, "member@acme.test", unread_only=True) == [(later.message, False)]
    assert _unread(acme, "owner@acme.test") == 4
    assert third.pk < later.pk


def test_users_see_broadcasts_from_when_they_joined(acme):
    """A user created after a broadcast does not get it; the next one reaches them."""
    from users.services import user_create

    with tenant_context(acme):
        notification_send(message=f"{marker('acme')} before")
        user_create(email="new@acme.test", password=None)
        notification_send(message=f"{marker('acme')} after")
    assert _feed(acme, "new@acme.test") == [(f"{marker('acme')} after", False)]
    assert _unread(acme, "new@acme.test") == 1
    assert _unread(acme, "member@acme.test") == 2


def test_product_save_writes_one_row_whatever_the_number_of_users(acme):
    """Saving a product stores one notification row; the query count does not depend on the users."""
    from catalog.services import product_create
    from users.services import user_create

    def queries_of_a_save(sku: str) -> int:
        with tenant_context(acme), CaptureQueriesContext(connection) as captured:
            product_create(name=f"{marker('acme')} {sku}", sku=sku, price=Decimal("1.00"))
        return len(captured)

    few = queries_of_a_save("FEW-1")
    with tenant_context(acme):
        for index in range(50):
            user_create(email=f"bulk{index}@acme.test", password=None)
    assert queries_of_a_save("MANY-1") == few
    with tenant_context(acme):
        assert Notification.objects.filter(message__contains="MANY-1").count() == 1


def marked_read(*, user: User, notification_id: int) -> bool:
    """The read state ``notification_mark_read`` answers for a notification ``user`` has."""
    notification = notification_mark_read(user=user, notification_id=notification_id)
    assert notification is not None
    return notification.viewer_read


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"message": ""}, ValidationError),
        ({"message": "   "}, ValidationError),
        ({"message": "x" * 1001}, ValidationError),
        ({"message": "ok", "level": "shout"}, ValidationError),
        ({"message": "ok", "recipient_id": 999_999}, User.DoesNotExist),
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
    for email in ("owner@acme.test", "member@acme.test"):
        assert sorted(message for message, _ in _feed(acme, email)) == sorted(
            f'Product "{marker("acme")} lamp" (LAMP-1) was {action}.' for action in ("created", "updated", "deleted")
        )
    assert _messages(beta) == []
    assert _feed(beta, "member@beta.test") == []


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
        row = notification_send(message=marker("acme"), recipient_id=member_id)
    with caplog.at_level(logging.WARNING, logger="notifications.events"):
        events.publisher.flush()
    assert _messages(acme) == [("member@acme.test", marker("acme"))]
    assert row.pk
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
        assert marked_read(user=member, notification_id=mine.pk) is True
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
            request: Any = HttpRequest()
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


def test_data_migration_collapses_old_broadcast_copies_and_keeps_read_state(acme, beta):
    """Old-style broadcasts (one copy per user, same message, level and time) become one row with
    receipts for the users who had read theirs; direct rows and beta's rows are left as they were."""
    import importlib

    from django.utils import timezone

    from users.models import User

    collapse = importlib.import_module("notifications.migrations.0004_collapse_broadcast_copies").COLLAPSE
    with tenant_context(beta):
        beta_copy = Notification.objects.create(recipient_id=1, message=marker("beta"), created_at=timezone.now())
    with tenant_context(acme):
        owner, member = User.objects.get(email="owner@acme.test"), User.objects.get(email="member@acme.test")
        sent_at = timezone.now()
        first = Notification.objects.create(recipient=owner, message=marker("acme"), created_at=sent_at)
        Notification.objects.create(recipient=member, message=marker("acme"), created_at=sent_at, is_read=True)
        direct = Notification.objects.create(recipient=member, message=f"{marker('acme')} direct", is_read=True)
        with connection.cursor() as cursor:
            cursor.execute(collapse)
        [broadcast] = Notification.objects.filter(message=marker("acme"))
        assert (broadcast.pk, broadcast.recipient_id, broadcast.is_read) == (first.pk, None, False)
        assert list(NotificationReceipt.objects.values_list("user_id", "notification_id")) == [(member.pk, first.pk)]
        assert Notification.objects.get(pk=direct.pk).recipient_id == member.pk
    assert _feed(acme, "member@acme.test") == [(f"{marker('acme')} direct", True), (marker("acme"), True)]
    assert _feed(acme, "owner@acme.test") == [(marker("acme"), False)]
    with tenant_context(beta):
        assert Notification.objects.get(pk=beta_copy.pk).recipient_id == 1
