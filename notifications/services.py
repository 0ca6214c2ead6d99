"""Notification writes: persist first, then publish to live sockets once the transaction commits."""

from functools import partial

from django.db import connection, transaction
from django.utils import timezone

from notifications import events
from notifications.models import Notification, NotificationLevel
from users.models import User


@transaction.atomic
def notification_send(
    *, message: str, level: str = NotificationLevel.INFO, recipient_id: int | None = None
) -> list[Notification]:
    """Notify one active user of this tenant, or every active user when ``recipient_id`` is None.

    A broadcast stores one row per active user and publishes a single tenant-wide event.
    Raises ``ValidationError`` for an empty or too long message or an unknown level, and
    ``User.DoesNotExist`` when ``recipient_id`` is not an active user of this tenant.
    """
    template = Notification(message=message.strip(), level=level, created_at=timezone.now())
    template.full_clean(exclude=["recipient"])
    if recipient_id is None:
        recipient_ids = list(User.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    else:
        recipient_ids = [User.objects.only("pk").get(pk=recipient_id, is_active=True).pk]
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id, message=template.message, level=template.level, created_at=template.created_at
            )
            for user_id in recipient_ids
        ]
    )
    transaction.on_commit(
        partial(
            events.publish_notifications,
            schema_name=connection.schema_name,
            notifications=notifications,
            broadcast=recipient_id is None,
        )
    )
    return notifications


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> Notification | None:
    """Mark one of ``user``'s notifications read; None when ``user`` has no notification with that id."""
    notification = Notification.objects.select_for_update().filter(pk=notification_id, recipient=user).first()
    if notification is not None and not notification.is_read:
        notification.is_read = True
        notification.save(update_fields=["is_read"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, is_read=False).update(is_read=True)
