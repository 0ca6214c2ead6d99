from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_delete, post_save

        from catalog.signals import product_changed
        from notifications import receivers
        from tenants.signals import tenant_deleting, tenant_status_changed
        from users.signals import credentials_revoked, users_access_revoked

        user_model = get_user_model()
        product_changed.connect(receivers.product_changed, dispatch_uid="notifications.product_changed")
        user_logged_out.connect(receivers.user_logged_out, dispatch_uid="notifications.user_logged_out")
        post_save.connect(receivers.user_saved, sender=user_model, dispatch_uid="notifications.user_saved")
        post_delete.connect(receivers.user_deleted, sender=user_model, dispatch_uid="notifications.user_deleted")
        credentials_revoked.connect(receivers.credentials_revoked, dispatch_uid="notifications.credentials_revoked")
        users_access_revoked.connect(receivers.users_access_revoked, dispatch_uid="notifications.users_access_revoked")
        tenant_status_changed.connect(receivers.tenant_status_changed, dispatch_uid="notifications.tenant_status")
        tenant_deleting.connect(receivers.tenant_deleting, dispatch_uid="notifications.tenant_deleting")

        from notifications.leftovers import tenant_channels_clear
        from tenants import leftovers

        leftovers.register("channels", tenant_channels_clear)
