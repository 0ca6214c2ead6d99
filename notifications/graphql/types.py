import enum
from typing import Any

import strawberry
import strawberry_django
from strawberry import auto, relay
from strawberry_django.relay import DjangoListConnection

from notifications.models import Notification, NotificationLevel
from saas.graphql import relay as relay_ids
from saas.graphql.context import Info


@strawberry.enum(name="NotificationLevel", description="How important a notification is.")
class NotificationLevelType(enum.Enum):
    INFO = NotificationLevel.INFO.value
    SUCCESS = NotificationLevel.SUCCESS.value
    WARNING = NotificationLevel.WARNING.value
    ERROR = NotificationLevel.ERROR.value


@strawberry_django.type(Notification, name="Notification", description="A message for the signed-in user.")
class NotificationType(relay.Node):
    message: auto
    level: NotificationLevelType
    created_at: auto

    @strawberry.field(description="Whether the signed-in user has read it.")
    def is_read(self, root: Notification) -> bool:
        # Selectors and services annotate ``viewer_read``: a broadcast's read state is per user.
        # A plain field (not a strawberry-django one) resolves in place, with no thread hop, on sockets.
        viewer_read = getattr(root, "viewer_read", None)
        return root.is_read if viewer_read is None else viewer_read

    @classmethod
    def resolve_id_attr(cls) -> str:
        # The id is the primary key: said here once, instead of re-read from annotations for every node.
        return "pk"


def _check_page_arguments(*, first: int | None, last: int | None, after: str | None, before: str | None) -> None:
    for name, size in (("first", first), ("last", last)):
        relay_ids.page_size(size, default=0, argument=name)
    for name, cursor in (("after", after), ("before", before)):
        if cursor is not None:
            relay_ids.cursor_position(cursor, argument=name)


@strawberry.type(name="NotificationConnection", description="A page of the signed-in user's notifications.")
class NotificationConnection(DjangoListConnection[NotificationType]):
    @classmethod
    def resolve_connection(
        cls,
        nodes: Any,
        *,
        info: Info,
        before: str | None = None,
        after: str | None = None,
        first: int | None = None,
        last: int | None = None,
        **kwargs: Any,
    ):
        # Out-of-range sizes and foreign cursors are client mistakes (BAD_USER_INPUT), not server errors.
        _check_page_arguments(first=first, last=last, after=after, before=before)
        return super().resolve_connection(
            nodes, info=info, before=before, after=after, first=first, last=last, **kwargs
        )
