"""Helpers of the notification tests: a real channel-layer listener and notification rows per tenant."""

import asyncio
import threading

import pytest
from channels_redis.core import RedisChannelLayer
from django.conf import settings
from django_tenants.utils import tenant_context

from tests.support import marker


class GroupListener(threading.Thread):
    """Joins channel-layer groups on the real Redis and collects what arrives, on a thread of its own
    (sync tests hold the database connection; the listener needs an event loop)."""

    def __init__(self, groups: list[str], expected: int = 1, timeout: float = 5.0):
        super().__init__(daemon=True)
        self.groups = groups
        self.expected = expected
        self.timeout = timeout
        self.messages: list[dict] = []
        self.joined = threading.Event()

    def __enter__(self) -> "GroupListener":
        self.start()
        assert self.joined.wait(self.timeout), "the listener could not join its groups"
        return self

    def __exit__(self, *exc_info) -> None:
        self.join(self.timeout + 5)

    def run(self) -> None:
        asyncio.run(self._listen())

    async def _listen(self) -> None:
        layer = RedisChannelLayer(**settings.CHANNEL_LAYERS["default"]["CONFIG"])
        channel = await layer.new_channel()
        for group in self.groups:
            await layer.group_add(group, channel)
        self.joined.set()
        try:
            while len(self.messages) < self.expected:
                self.messages.append(await asyncio.wait_for(layer.receive(channel), self.timeout))
        except TimeoutError:
            pass
        finally:
            for group in self.groups:
                await layer.group_discard(group, channel)
            await layer.close_pools()


@pytest.fixture
def listen():
    """``with listen(["acme.user.2"], expected=1) as listener: ...``; then ``listener.messages``."""
    return GroupListener


def add_notifications(tenant, email: str, count: int = 1, **fields) -> list:
    """``count`` notifications for ``email`` in ``tenant``, each message carrying the tenant's marker."""
    from notifications.models import Notification
    from users.models import User

    with tenant_context(tenant):
        user = User.objects.get(email=email)
        return [
            Notification.objects.create(recipient=user, message=f"{marker(tenant.schema_name)} #{index}", **fields)
            for index in range(count)
        ]


def user_id(tenant, email: str) -> int:
    from users.models import User

    with tenant_context(tenant):
        return User.objects.get(email=email).pk
