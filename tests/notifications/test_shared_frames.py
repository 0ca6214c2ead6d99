"""Shared delivery: one channel-layer message per process, one execution and one serialized frame per
event and subscription document, and still each user's and each tenant's own notifications only."""

import asyncio
import json
import time

import pytest
from channels_redis.core import RedisChannelLayer
from django.conf import settings

from notifications import events
from saas.channel_layer import ResilientRedisChannelLayer
from saas.graphql.fanout import ProcessFanout
from saas.graphql.shared_events import frame_body
from tests.live import send_notification, subscribed
from tests.notifications.test_live_websockets import accounts, socket_of  # noqa: F401 - fixture
from tests.support import marker

SHORT = "subscription Short { notifications { message } }"
WITH_LEVEL = "subscription Levelled { alerts: notifications { message level isRead } }"


def _next(ws, timeout: float = 5) -> dict:
    message = ws.receive(timeout)
    assert message["type"] == "next", message
    return message


def _drain(ws) -> None:
    """Read what is pending (probes of the other sockets' subscriptions) until nothing comes."""
    try:
        while True:
            ws.receive(0.7)
    except TimeoutError:
        pass


def _quiet(ws, timeout: float = 0.7) -> None:
    with pytest.raises(TimeoutError):
        ws.receive(timeout)


def test_shared_frames_keep_each_document_user_and_tenant_apart(platform_server, accounts):  # noqa: F811
    """Sockets of two tenants and two users, with two different documents on one socket: a broadcast
    reaches its tenant's sockets, each in the shape and under the operation id it asked for; a direct
    notification reaches only its user (not the other tenant's user with the same id); nothing crosses
    tenants, even with the same message text."""
    acme_owner, acme_member = accounts["acme", "owner"], accounts["acme", "member"]
    beta_owner, beta_member = accounts["beta", "owner"], accounts["beta", "member"]
    assert acme_member["id"] == beta_member["id"]
    with (
        socket_of(platform_server, accounts, "acme", "member") as acme_member_ws,
        socket_of(platform_server, accounts, "acme", "owner") as acme_owner_ws,
        socket_of(platform_server, accounts, "beta", "member") as beta_member_ws,
    ):
        for ws, schema, sender in ((acme_member_ws, "acme", acme_owner), (acme_owner_ws, "acme", acme_owner),
                                   (beta_member_ws, "beta", beta_owner)):  # fmt: skip
            subscribed(platform_server, ws, schema, sender["token"], None)
        acme_member_ws.send({"id": "short", "type": "subscribe", "payload": {"query": SHORT}})
        acme_member_ws.send({"id": "levelled", "type": "subscribe", "payload": {"query": WITH_LEVEL}})
        acme_owner_ws.send({"id": "short", "type": "subscribe", "payload": {"query": SHORT}})
        # The joins of the new subscriptions have no acknowledgement: let them land.
        time.sleep(0.5)
        for ws in (acme_member_ws, acme_owner_ws, beta_member_ws):
            _drain(ws)

        same_text = f"{marker('acme')} {marker('beta')} shared text"
        send_notification(platform_server, "acme", acme_owner["token"], same_text)
        got = {}
        for _ in range(3):
            message = _next(acme_member_ws)
            got[message["id"]] = message["payload"]
        assert got == {
            "notifications": got["notifications"],
            "short": {"data": {"notifications": {"message": same_text}}},
            "levelled": {"data": {"alerts": {"message": same_text, "level": "INFO", "isRead": False}}},
        }
        assert got["notifications"]["data"]["notifications"]["message"] == same_text
        owner_got = {message["id"]: message["payload"] for message in (_next(acme_owner_ws), _next(acme_owner_ws))}
        assert owner_got == {"notifications": got["notifications"], "short": got["short"]}
        _quiet(beta_member_ws)

        send_notification(platform_server, "beta", beta_owner["token"], same_text)
        beta_got = _next(beta_member_ws)
        assert beta_got["payload"]["data"]["notifications"]["message"] == same_text
        assert beta_got["payload"]["data"]["notifications"]["id"] != got["notifications"]["data"]["notifications"]["id"]
        _quiet(acme_member_ws, 0.3)
        _quiet(acme_owner_ws, 0.3)

        direct = f"{marker('acme')} for the member only"
        send_notification(platform_server, "acme", acme_owner["token"], direct, acme_member["id"])
        ids = sorted(_next(acme_member_ws)["id"] for _ in range(3))
        assert ids == ["levelled", "notifications", "short"]
        _quiet(acme_owner_ws)
        _quiet(beta_member_ws, 0.3)


def test_a_result_with_anything_but_data_is_never_a_shared_frame():
    """Only payloads of data alone that the shared executor produced are served from the shared bodies."""
    assert frame_body({"data": {"notifications": {"message": "x"}}}) is None
    assert frame_body({"data": None, "errors": [{"message": "boom"}]}) is None


async def _process_and_sender():
    config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
    # Layers of this test's own event loop (the process-wide one may be bound to another test's loop).
    return ProcessFanout(ResilientRedisChannelLayer(**config)), RedisChannelLayer(**config)


@pytest.mark.asyncio
async def test_one_process_channel_takes_a_groups_message_for_all_its_local_listeners():
    """Three local listeners of acme's broadcast group make one group member in Redis (one message per
    process); each gets the message; beta's and another user's events reach none of acme's user 7."""
    fanout, sender = await _process_and_sender()
    layer = fanout.layer
    broadcast, user7, user8 = (events.broadcast_group("acme"), events.user_group("acme", 7),
                               events.user_group("acme", 8))  # fmt: skip
    try:
        async with (
            fanout.listen(events.NOTIFICATION_EVENT, [user7, broadcast], events.event_group) as first,
            fanout.listen(events.NOTIFICATION_EVENT, [user7, broadcast], events.event_group) as second,
            fanout.listen(events.NOTIFICATION_EVENT, [user8, broadcast], events.event_group) as third,
            fanout.listen(events.NOTIFICATION_EVENT, [events.user_group("beta", 7)], events.event_group) as beta,
        ):
            connection = layer.connection(layer.consistent_hash(broadcast))
            assert await connection.zcard(layer._group_key(broadcast)) == 1
            assert await connection.zcard(layer._group_key(user7)) == 1

            def event(schema: str, recipient: int | None, message: str) -> dict:
                return {"type": events.NOTIFICATION_EVENT, "schema": schema, "id": 1, "recipient": recipient,
                        "message": message, "level": "info", "created_at": "2026-01-01T00:00:00+00:00"}  # fmt: skip

            await sender.group_send(events.user_group("beta", 7), event("beta", 7, "beta's 7"))
            await sender.group_send(user8, event("acme", 8, "acme's 8"))
            await sender.group_send(broadcast, event("acme", None, "everyone at acme"))
            for listener in (first, second):
                assert (await asyncio.wait_for(anext(listener), 5))["message"] == "everyone at acme"
            assert (await asyncio.wait_for(anext(third), 5))["message"] == "acme's 8"
            assert (await asyncio.wait_for(anext(third), 5))["message"] == "everyone at acme"
            assert (await asyncio.wait_for(anext(beta), 5))["message"] == "beta's 7"
            for listener in (first, second, third, beta):
                with pytest.raises(TimeoutError):
                    await asyncio.wait_for(anext(listener), 0.3)
        # The last listener gone, the process channel leaves the group (in the background).
        for _ in range(50):
            if await connection.zcard(layer._group_key(broadcast)) == 0:
                break
            await asyncio.sleep(0.05)
        assert await connection.zcard(layer._group_key(broadcast)) == 0
    finally:
        await sender.close_pools()
        await layer.close_pools()


def test_a_forged_or_foreign_event_has_no_group():
    """Routing reads the event's own schema and user; what names neither a schema nor a user id has none."""
    assert (
        events.event_group({"type": events.NOTIFICATION_EVENT, "schema": "acme", "recipient": None}) == "acme.broadcast"
    )
    assert events.event_group({"type": events.STREAM_END_EVENT, "schema": "beta", "user_id": 3}) == "beta.user.3"
    assert events.event_group({"type": events.NOTIFICATION_EVENT, "schema": "ac me", "recipient": None}) is None
    assert events.event_group({"type": events.NOTIFICATION_EVENT, "schema": "acme", "recipient": "7"}) is None
    assert events.event_group({"type": events.NOTIFICATION_EVENT}) is None


def test_json_of_a_shared_frame_matches_the_protocol():
    """The shared body is a complete ``next`` payload: what a client parses equals the unshared form."""
    from saas.graphql import shared_events

    data = {"notifications": {"message": "hello", "isRead": False}}
    shared_events._remember_body(data)
    body = frame_body({"data": data})
    assert body is not None and json.loads(body) == {"data": data}
    assert frame_body({"data": dict(data)}) is None
