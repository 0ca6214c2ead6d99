import enum
from typing import Any

import strawberry
import strawberry_django
from django.conf import settings
from strawberry import auto, relay
from strawberry.relay.types import PREFIX
from strawberry.relay.utils import from_base64
from strawberry_django.relay import DjangoListConnection

from notifications.models import Notification, NotificationLevel
from saas.errors import BadUserInput


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
    limit = settings.GRAPHQL_MAX_PAGE_SIZE
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 0 <= size <= limit:
            raise BadUserInput(f"'{name}' must be between 0 and {limit}.")
    for name, cursor in (("after", after), ("before", before)):
        if cursor is None:
            continue
        try:
            prefix, offset = from_base64(cursor)
        except ValueError:
            prefix, offset = "", ""
        if prefix != PREFIX or not offset.isdigit() or int(offset) >= settings.GRAPHQL_MAX_OFFSET:
            raise BadUserInput(f"'{name}' is not a cursor of this list.")


@strawberry.type(name="NotificationConnection", description="A page of the signed-in user's notifications.")
class NotificationConnection(DjangoListConnection[NotificationType]):
    @classmethod
    def resolve_connection(
        cls,
        nodes: Any,
        *,
        info: strawberry.Info,
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
