"""Notification reads, always of one user in the active schema.

A user's notifications are their direct rows and the tenant's broadcasts since they joined.
Each row comes annotated with ``viewer_read``: the direct row's own flag, or for a broadcast,
whether it is at or below the user's read marker or has a receipt. Lists walk the
``(created_at, id)`` indexes newest first, so a page costs the page, not the tenant's history.
"""

from typing import TYPE_CHECKING

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When

from notifications.models import Notification, NotificationReadMarker, NotificationReceipt
from users.models import User

if TYPE_CHECKING:
    from typing import TypeAlias, TypedDict

    from django_stubs_ext import WithAnnotations

    class ViewerRead(TypedDict):
        viewer_read: bool

    # A notification as the reading user sees it.
    NotificationRow: TypeAlias = WithAnnotations[Notification, ViewerRead]


def broadcasts_read_through(*, user: User) -> int:
    """The id up to which every broadcast counts as read by ``user`` (0: none)."""
    marker = NotificationReadMarker.objects.filter(user=user).values_list("broadcasts_read_through", flat=True)
    return marker.first() or 0


def _visible(user: User) -> Q:
    return Q(recipient=user) | Q(recipient__isnull=True, created_at__gte=user.date_joined)


def _broadcast_read(user: User, read_through: int) -> Q:
    receipt = NotificationReceipt.objects.filter(user=user, notification=OuterRef("pk"))
    return Q(pk__lte=read_through) | Q(Exists(receipt))


def unread_broadcasts(*, user: User, read_through: int) -> QuerySet[Notification]:
    """Broadcasts ``user`` can see and has not read, given their read marker."""
    receipt = NotificationReceipt.objects.filter(user=user, notification=OuterRef("pk"))
    return Notification.objects.filter(
        ~Exists(receipt), recipient__isnull=True, created_at__gte=user.date_joined, pk__gt=read_through
    )


def notification_list(*, user: User, unread_only: bool = False) -> "QuerySet[NotificationRow]":
    """The user's notifications (direct and broadcast), newest first, each with ``viewer_read``."""
    read_through = broadcasts_read_through(user=user)
    broadcast_read = _broadcast_read(user, read_through)
    notifications = Notification.objects.filter(_visible(user)).annotate(
        viewer_read=Case(
            When(recipient__isnull=False, then="is_read"),
            When(broadcast_read, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    if unread_only:
        notifications = notifications.filter(
            Q(recipient=user, is_read=False)
            | (Q(recipient__isnull=True, created_at__gte=user.date_joined) & ~broadcast_read)
        )
    return notifications


def notification_unread_count(*, user: User) -> int:
    read_through = broadcasts_read_through(user=user)
    direct = Notification.objects.filter(recipient=user, is_read=False)
    return direct.count() + unread_broadcasts(user=user, read_through=read_through).count()
