"""Notification writes: persist first, then publish to live sockets once the transaction commits.

A broadcast is one row whatever the number of users, and one small event to the tenant's
group; publishing is handed to a background publisher (``events``), so neither the write nor
the request that made it waits for delivery.
"""

from functools import partial

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from notifications import events, selectors
from notifications.models import Notification, NotificationLevel, NotificationReadMarker, NotificationReceipt
from tenants.db import connection
from users.models import User


@transaction.atomic
def notification_send(
    *, message: str, level: str = NotificationLevel.INFO, recipient_id: int | None = None
) -> Notification:
    """Notify one active user of this tenant, or every user when ``recipient_id`` is None.

    Either way one row is stored and one event is published on commit: to the user's group,
    or to the tenant's broadcast group (a broadcast in a tenant without active users stores
    nothing and returns the unsaved notification). Raises ``ValidationError`` for an empty or too long
    message or an unknown level, and ``User.DoesNotExist`` when ``recipient_id`` is not an
    active user of this tenant.
    """
    notification = Notification(message=message.strip(), level=level, created_at=timezone.now())
    notification.full_clean(exclude=["recipient"])
    if recipient_id is not None:
        notification.recipient_id = User.objects.only("pk").get(pk=recipient_id, is_active=True).pk
    elif not User.objects.filter(is_active=True).exists():
        return notification  # nobody to tell, and users who join later see only later broadcasts
    notification.save(force_insert=True)
    transaction.on_commit(
        partial(events.publish_notification, schema_name=connection.schema_name, notification=notification)
    )
    return notification


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> "selectors.NotificationRow | None":
    """Mark one of ``user``'s notifications read; None when ``user`` sees no notification with that id.

    A direct row flips its own flag; a broadcast gets a receipt for this user, unless the
    user's read marker already covers it.
    """
    notification = selectors.notification_list(user=user).filter(pk=notification_id).first()
    if notification is None or notification.viewer_read:
        return notification
    if notification.is_broadcast:
        NotificationReceipt.objects.bulk_create(
            [NotificationReceipt(user=user, notification=notification)], ignore_conflicts=True
        )
    else:
        Notification.objects.filter(pk=notification.pk).update(is_read=True)
        notification.is_read = True
    notification.viewer_read = True
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many changed.

    Broadcasts: the user's read marker moves to the newest unread one and the receipts it now
    covers are dropped, so the cost does not grow with the tenant's history.
    """
    direct = Notification.objects.filter(recipient=user, is_read=False).update(is_read=True)
    marker, _ = NotificationReadMarker.objects.select_for_update().get_or_create(user=user)
    unread = selectors.unread_broadcasts(user=user, read_through=marker.broadcasts_read_through).aggregate(
        count=Count("pk"), newest=Max("pk")
    )
    if unread["count"]:
        marker.broadcasts_read_through = unread["newest"]
        marker.save(update_fields=["broadcasts_read_through"])
        NotificationReceipt.objects.filter(user=user, notification_id__lte=unread["newest"]).delete()
    return direct + unread["count"]
