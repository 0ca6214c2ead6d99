from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationLevel(models.TextChoices):
    INFO = "info", "Info"
    SUCCESS = "success", "Success"
    WARNING = "warning", "Warning"
    ERROR = "error", "Error"


class Notification(models.Model):
    """A message for one user of the tenant. Lives in the tenant's schema."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        help_text="The user who receives the notification.",
    )
    message = models.CharField(max_length=1000, help_text="What happened, in at most 1000 characters.")
    level = models.CharField(
        max_length=10,
        choices=NotificationLevel.choices,
        default=NotificationLevel.INFO,
        help_text="How important the notification is.",
    )
    is_read = models.BooleanField(default=False, help_text="Whether the recipient has marked it read.")
    # Not auto_now_add: every copy of one broadcast carries the same timestamp as the event pushed to sockets.
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, db_index=True, help_text="When the notification was created."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "is_read"], name="notif_recipient_read")]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.message[:40]}"
