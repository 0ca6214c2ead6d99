from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationLevel(models.TextChoices):
    INFO = "info", "Info"
    SUCCESS = "success", "Success"
    WARNING = "warning", "Warning"
    ERROR = "error", "Error"


class Notification(models.Model):
    """A message in the tenant's schema: for one user (``recipient``), or, with no recipient, a
    broadcast for every user of the tenant, stored once whatever the number of users.

    A direct notification's read state is its own ``is_read``. Who has read a broadcast is kept
    apart, per user: ``NotificationReadMarker`` (every broadcast up to an id) and
    ``NotificationReceipt`` (one broadcast after it). A user sees the broadcasts created since
    they joined.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
        help_text="The user who receives the notification; empty for a broadcast to every user of the tenant.",
    )
    message = models.CharField(max_length=1000, help_text="What happened, in at most 1000 characters.")
    level = models.CharField(
        max_length=10,
        choices=NotificationLevel.choices,
        default=NotificationLevel.INFO,
        help_text="How important the notification is.",
    )
    is_read = models.BooleanField(
        default=False, help_text="Whether the recipient has marked it read (direct notifications only)."
    )
    # Not auto_now_add: the row carries the same timestamp as the event pushed to sockets.
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, db_index=True, help_text="When the notification was created."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "is_read"], name="notif_recipient_read"),
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_recipient_recent"),
            models.Index(
                fields=["-created_at", "-id"], name="notif_broadcast_recent", condition=models.Q(recipient__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id or 'everyone'}: {self.message[:40]}"

    @property
    def is_broadcast(self) -> bool:
        return self.recipient_id is None


class NotificationReadMarker(models.Model):
    """Per user: every broadcast with an id up to ``broadcasts_read_through`` is read."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notification_marker"
    )
    broadcasts_read_through = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user_id}: read through {self.broadcasts_read_through}"


class NotificationReceipt(models.Model):
    """One broadcast read by one user, past that user's read marker."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_receipts")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "notification"], name="notif_receipt_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.notification_id}"
