"""Notifications in the tenant admin: read what was sent, send or broadcast new ones.

Sending goes through notifications.services.notification_send, like the API's sendNotification,
so the rows are stored first and pushed to live subscribers on commit.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse

from notifications.models import Notification, NotificationLevel
from notifications.services import notification_send
from saas.admin_sites import TenantStaffPermissions, add_service_errors, render_form_page, tenant_admin_site
from users.models import User


class NotificationSendForm(forms.Form):
    recipient = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("email"),
        required=False,
        empty_label="Everyone in this tenant (broadcast)",
    )
    message = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    level = forms.ChoiceField(choices=NotificationLevel.choices, initial=NotificationLevel.INFO)


@admin.register(Notification, site=tenant_admin_site)
class NotificationAdmin(TenantStaffPermissions, admin.ModelAdmin):
    list_display = ["created_at", "audience", "level", "message", "is_read"]
    list_filter = ["level", "is_read"]
    search_fields = ["message", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["broadcast_again", "delete_selected"]
    fields = ["recipient", "message", "level", "is_read", "created_at"]

    @admin.display(description="Recipient", ordering="recipient__email")
    def audience(self, notification: Notification) -> str:
        return str(notification.recipient) if notification.recipient_id else "Everyone (broadcast)"

    def has_change_permission(self, request, obj=None):
        # Read state belongs to the recipient; the admin only reads, sends and deletes.
        return False

    def add_view(self, request, form_url="", extra_context=None):
        """A send form in place of the model form: one recipient, or everyone when left empty."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = NotificationSendForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            recipient = form.cleaned_data["recipient"]
            try:
                notification_send(
                    message=form.cleaned_data["message"],
                    level=form.cleaned_data["level"],
                    recipient_id=recipient.pk if recipient else None,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                audience = recipient.email if recipient else "every user"
                messages.success(request, f"Notification sent to {audience}.")
                return HttpResponseRedirect(
                    reverse("admin:notifications_notification_changelist", current_app=self.admin_site.name)
                )
        return render_form_page(
            self, request, title="Send notification", form=form, submit_label="Send", extra_context=extra_context
        )

    @admin.action(description="Broadcast the selected messages again to every user", permissions=["add"])
    def broadcast_again(self, request, queryset):
        sent = 0
        for message, level in queryset.order_by().values_list("message", "level").distinct():
            notification_send(message=message, level=level)
            sent += 1
        messages.success(request, f"Broadcast {sent} message(s) to every user.")
