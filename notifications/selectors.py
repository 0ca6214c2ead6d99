"""Notification reads, always of one user in the active schema."""

from django.db.models import QuerySet

from notifications.models import Notification
from users.models import User


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    notifications = Notification.objects.filter(recipient=user)
    return notifications.filter(is_read=False) if unread_only else notifications


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, is_read=False).count()
