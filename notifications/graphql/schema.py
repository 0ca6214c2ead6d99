from collections.abc import AsyncGenerator, Iterable
from typing import Annotated, cast

import strawberry
import strawberry_django
from django.conf import settings
from django.core.exceptions import ValidationError

from notifications import events, selectors, services
from notifications.graphql.types import NotificationConnection, NotificationLevelType, NotificationType
from notifications.models import Notification
from saas.errors import BadUserInput
from saas.graphql import relay as relay_ids
from saas.graphql.permissions import IsAuthenticated, IsTenantStaff, signed_in_user
from saas.graphql.shared_events import SharedDelivery
from saas.graphql.subscriptions import group_messages
from saas.observability import WEBSOCKET_EVENTS

NOTIFICATION_TYPE_NAME = "Notification"


def _notification_pk(global_id: str) -> int:
    return relay_ids.node_id(global_id, type_name=NOTIFICATION_TYPE_NAME, message="'id' is not a notification id.")


def _user_pk(user_id: strawberry.ID) -> int:
    return relay_ids.database_id(user_id, message="'userId' is not a user id.")


def _describe(error: ValidationError) -> str:
    return " ".join(f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages)


@strawberry.type
class Query:
    @strawberry_django.connection(
        NotificationConnection,
        description="Notifications of the signed-in user, newest first.",
        extensions=[IsAuthenticated()],
        max_results=settings.GRAPHQL_MAX_PAGE_SIZE,
    )
    def notifications(
        self,
        info: strawberry.Info,
        unread_only: Annotated[bool | None, strawberry.argument(description="Only the unread ones.")] = False,
    ) -> Iterable[Notification]:
        return selectors.notification_list(user=signed_in_user(info), unread_only=bool(unread_only))

    @strawberry_django.field(
        description="How many notifications of the signed-in user are unread.", extensions=[IsAuthenticated()]
    )
    def unread_notification_count(self, info: strawberry.Info) -> int:
        return selectors.notification_unread_count(user=signed_in_user(info))


@strawberry.type
class Mutation:
    @strawberry_django.mutation(
        description="Marks one notification of the signed-in user as read; null when the user has none with this id.",
        extensions=[IsAuthenticated()],
    )
    def mark_notification_read(
        self,
        info: strawberry.Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The notification's id.")],
    ) -> NotificationType | None:
        notification = services.notification_mark_read(user=signed_in_user(info), notification_id=_notification_pk(id))
        return cast(NotificationType | None, notification)

    @strawberry_django.mutation(
        description="Marks every notification of the signed-in user as read; returns how many changed.",
        extensions=[IsAuthenticated()],
    )
    def mark_all_notifications_read(self, info: strawberry.Info) -> int:
        return services.notification_mark_all_read(user=signed_in_user(info))

    @strawberry_django.mutation(
        description=(
            "Sends a notification to one user (userId), or to every user of the tenant (userId null); tenant staff "
            "only. Returns the stored notification (a tenant-wide one is stored once, for every user)."
        ),
        extensions=[IsTenantStaff()],
    )
    def send_notification(
        self,
        info: strawberry.Info,
        message: Annotated[str, strawberry.argument(description="1 to 1000 characters.")],
        user_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The recipient's user id; null notifies every user of the tenant."),
        ] = None,
        level: Annotated[
            NotificationLevelType | None, strawberry.argument(description="How important it is; null means INFO.")
        ] = NotificationLevelType.INFO,
    ) -> NotificationType:
        recipient_id = None if user_id is None else _user_pk(user_id)
        try:
            notification = services.notification_send(
                message=message, level=(level or NotificationLevelType.INFO).value, recipient_id=recipient_id
            )
        except ValidationError as error:
            raise BadUserInput(_describe(error)) from error
        return cast(NotificationType, notification)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Every new notification for the signed-in user.", extensions=[IsAuthenticated()]
    )
    async def notifications(self, info: strawberry.Info) -> AsyncGenerator[NotificationType, None]:
        consumer = info.context.request
        schema_name, user_id = consumer.tenant.schema_name, consumer.user.pk
        groups = events.subscriber_groups(schema_name, user_id)
        shared = SharedDelivery(info)
        async with group_messages(consumer, events.NOTIFICATION_EVENT, groups, events.event_group) as messages:
            async for message in messages:
                notification = events.notification_for(message, schema_name=schema_name, user_id=user_id)
                if notification is not None:
                    WEBSOCKET_EVENTS.inc()
                    # Sent as the frame another socket of this process got for the same event and
                    # document when there is one (saas/graphql/shared_events.py), else executed.
                    if not await shared.sent(notification):
                        yield cast(NotificationType, notification)
