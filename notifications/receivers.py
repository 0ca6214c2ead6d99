"""Signal receivers (connected in apps.py): product changes (catalog.signals) notify the tenant; ended sessions,
deactivated users, password resets and unavailable tenants close their live sockets."""

from functools import partial

from django.db import transaction

from catalog.signals import ProductAction
from notifications import events
from notifications.events import StreamEndReason
from notifications.models import NotificationLevel
from notifications.services import notification_send
from saas.schemas import connection, is_public_schema


def _in_tenant_schema() -> bool:
    return not is_public_schema()


def product_changed(sender, product, action: ProductAction, **kwargs) -> None:
    """Every user of the tenant hears of a product write (catalog.signals.product_changed)."""
    level = NotificationLevel.WARNING if action == ProductAction.DELETED else NotificationLevel.INFO
    notification_send(message=f'Product "{product.name}" ({product.sku}) was {action}.', level=level)


def user_logged_out(sender, request, user, **kwargs) -> None:
    """End the streams the revoked token or session opened (every stream of the user if neither is known)."""
    if user is None or not _in_tenant_schema():
        return
    session = getattr(request, "session", None)
    credential = getattr(request, "auth_token", None) or getattr(session, "session_key", None)
    transaction.on_commit(
        partial(
            events.publish_stream_end,
            schema_name=connection.schema_name,
            user_id=user.pk,
            credential=credential,
            reason=StreamEndReason.LOGOUT,
        )
    )


def _end_user_streams_on_commit(user_id: int, reason: str = StreamEndReason.USER_DEACTIVATED) -> None:
    transaction.on_commit(
        partial(events.publish_stream_end, schema_name=connection.schema_name, user_id=user_id, reason=reason)
    )


def user_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw and not instance.is_active and _in_tenant_schema():
        _end_user_streams_on_commit(instance.pk)


def user_deleted(sender, instance, **kwargs) -> None:
    if _in_tenant_schema():
        _end_user_streams_on_commit(instance.pk)


def credentials_revoked(sender, user, **kwargs) -> None:
    """A password reset invalidates every token and session of the user: their sockets close too."""
    if _in_tenant_schema():
        _end_user_streams_on_commit(user.pk, StreamEndReason.CREDENTIALS_REVOKED)


def users_access_revoked(sender, user_ids: list[int], deactivated: bool, **kwargs) -> None:
    """A queryset update deactivated users or replaced their passwords (users.signals): what
    ``user_saved`` and ``credentials_revoked`` do for one user, for each of them."""
    if _in_tenant_schema():
        reason = StreamEndReason.USER_DEACTIVATED if deactivated else StreamEndReason.CREDENTIALS_REVOKED
        for user_id in user_ids:
            _end_user_streams_on_commit(user_id, reason)


def tenant_status_changed(sender, tenant, **kwargs) -> None:
    if not tenant.is_active:
        events.publish_stream_end(schema_name=tenant.schema_name, reason=StreamEndReason.TENANT_UNAVAILABLE)


def tenant_deleting(sender, tenant, **kwargs) -> None:
    events.publish_stream_end(schema_name=tenant.schema_name, reason=StreamEndReason.TENANT_UNAVAILABLE)
