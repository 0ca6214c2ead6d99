"""Notification GraphQL over HTTP: each user sees, counts and marks only their own rows, per tenant;
sending is for tenant staff and validates its input."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context
from strawberry import relay

from notifications.models import Notification
from tests.notifications.conftest import add_notifications, user_id
from tests.support import error_codes, marker

pytestmark = pytest.mark.django_db

LIST = """
query($first: Int, $after: String, $unreadOnly: Boolean) {
  notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
    totalCount
    edges { node { id message level isRead createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
COUNT = "{ unreadNotificationCount }"
MARK = "mutation($id: ID!) { markNotificationRead(id: $id) { id isRead } }"
MARK_ALL = "mutation { markAllNotificationsRead }"
SEND = """
mutation($message: String!, $userId: ID, $level: NotificationLevel) {
  sendNotification(message: $message, userId: $userId, level: $level) { id message level isRead }
}
"""


# Set on a row of each tenant, as primary keys of different tenants collide.
COLLIDING_PK = 900_001


def global_id(notification: Notification) -> str:
    return relay.to_base64("Notification", notification.pk)


def _messages(result: dict) -> list[str]:
    return [edge["node"]["message"] for edge in result["data"]["notifications"]["edges"]]


def test_list_shows_only_the_users_own_rows_in_this_tenant(gql, acme, beta):
    """acme's member sees their two rows, newest first; never acme owner's rows nor beta's (same ids)."""
    add_notifications(acme, "member@acme.test", count=2)
    add_notifications(acme, "owner@acme.test")
    add_notifications(beta, "member@beta.test", count=3)
    result = gql.on("acme").as_user("member").execute(LIST)
    assert _messages(result) == [f"{marker('acme')} #1", f"{marker('acme')} #0"]
    assert result["data"]["notifications"]["totalCount"] == 2
    assert not any(marker("beta") in message for message in _messages(result))
    beta_result = gql.on("beta").as_user("member").execute(LIST)
    assert len(_messages(beta_result)) == 3
    assert not any(marker("acme") in message for message in _messages(beta_result))


def test_list_pages_and_filters_unread(gql, acme):
    """first/after page through the rows; unreadOnly hides read ones."""
    rows = add_notifications(acme, "member@acme.test", count=3)
    with tenant_context(acme):
        Notification.objects.filter(pk=rows[2].pk).update(is_read=True)
    client = gql.on("acme").as_user("member")
    first_page = client.execute(LIST, {"first": 2})["data"]["notifications"]
    assert first_page["pageInfo"]["hasNextPage"] is True
    second_page = client.execute(LIST, {"first": 2, "after": first_page["pageInfo"]["endCursor"]})
    assert _messages(second_page) == [f"{marker('acme')} #0"]
    unread = client.execute(LIST, {"unreadOnly": True})
    assert _messages(unread) == [f"{marker('acme')} #1", f"{marker('acme')} #0"]
    assert unread["data"]["notifications"]["edges"][0]["node"]["level"] == "INFO"


HUGE_CURSOR = base64.b64encode(b"arrayconnection:99999999999999999999999").decode()


@pytest.mark.parametrize(
    "variables",
    [{"first": 101}, {"first": -1}, {"after": "not-a-cursor"}, {"after": "YQ=="}, {"after": HUGE_CURSOR}],
)
def test_bad_page_arguments_are_user_errors(gql, acme, variables):
    """Page sizes above 100, negative sizes, foreign cursors and absurd offsets answer BAD_USER_INPUT."""
    result = gql.on("acme").as_user("member").execute(LIST, variables)
    assert error_codes(result) == ["BAD_USER_INPUT"]


def test_list_query_count_does_not_grow_with_the_page(gql, acme):
    """Two rows or twenty, the list costs the same number of SQL queries."""
    add_notifications(acme, "member@acme.test", count=20)
    client = gql.on("acme").as_user("member")
    client.execute(LIST, {"first": 1})
    counts = []
    for size in (2, 20):
        with CaptureQueriesContext(connection) as queries:
            assert len(_messages(client.execute(LIST, {"first": size}))) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_anonymous_users_are_refused(gql, acme):
    """Every notification field needs a signed-in user of the tenant."""
    client = gql.on("acme")
    for query in (LIST, COUNT, MARK_ALL):
        assert error_codes(client.execute(query)) == ["UNAUTHENTICATED"]
    assert error_codes(client.execute(MARK, {"id": "x"})) == ["UNAUTHENTICATED"]
    assert error_codes(client.execute(SEND, {"message": "hi"})) == ["UNAUTHENTICATED"]
    assert error_codes(gql.on("acme").as_user("member", schema="beta").execute(COUNT)) == ["UNAUTHENTICATED"]


def test_unread_count_is_per_user_and_per_tenant(gql, acme, beta):
    """Counts reflect only the caller's unread rows in the host's tenant."""
    add_notifications(acme, "member@acme.test", count=2)
    add_notifications(acme, "member@acme.test", is_read=True)
    add_notifications(acme, "owner@acme.test", count=4)
    add_notifications(beta, "member@beta.test", count=7)
    assert gql.on("acme").as_user("member").execute(COUNT) == {"data": {"unreadNotificationCount": 2}}
    assert gql.on("acme").as_user("owner").execute(COUNT) == {"data": {"unreadNotificationCount": 4}}
    assert gql.on("beta").as_user("member").execute(COUNT) == {"data": {"unreadNotificationCount": 7}}


def test_mark_read_changes_only_own_rows(gql, acme, beta):
    """Own row: marked. Someone else's id: null and untouched. The same id in beta stays unread."""
    [mine] = add_notifications(acme, "member@acme.test", pk=COLLIDING_PK)
    [owners] = add_notifications(acme, "owner@acme.test")
    [beta_row] = add_notifications(beta, "member@beta.test", pk=COLLIDING_PK)
    member = gql.on("acme").as_user("member")
    assert member.execute(MARK, {"id": global_id(owners)}) == {"data": {"markNotificationRead": None}}
    marked = member.execute(MARK, {"id": global_id(mine)})
    assert marked == {"data": {"markNotificationRead": {"id": global_id(mine), "isRead": True}}}
    assert member.execute(COUNT) == {"data": {"unreadNotificationCount": 0}}
    with tenant_context(acme):
        assert Notification.objects.get(pk=owners.pk).is_read is False
    with tenant_context(beta):
        assert Notification.objects.get(pk=beta_row.pk).is_read is False


def test_mark_read_with_odd_ids(gql, acme):
    """Anything that is not a notification id (malformed, another type's id, out of range, not an
    ASCII number) is a user error; a well-formed id the user has no notification with finds nothing."""
    member = gql.on("acme").as_user("member")
    for other in (
        "%%%",
        relay.to_base64("Product", 1),
        relay.to_base64("Notification", 2**63),
        relay.to_base64("Notification", "x"),
        relay.to_base64("Notification", "²"),
    ):
        assert error_codes(member.execute(MARK, {"id": other})) == ["BAD_USER_INPUT"], other
    assert member.execute(MARK, {"id": relay.to_base64("Notification", 999999)}) == {
        "data": {"markNotificationRead": None}
    }


def test_mark_all_read_counts_only_own_unread_rows(gql, acme, beta):
    """The count is the caller's unread rows; other users and tenants keep theirs."""
    add_notifications(acme, "member@acme.test", count=3)
    add_notifications(acme, "owner@acme.test", count=2)
    add_notifications(beta, "member@beta.test", count=2)
    member = gql.on("acme").as_user("member")
    assert member.execute(MARK_ALL) == {"data": {"markAllNotificationsRead": 3}}
    assert member.execute(MARK_ALL) == {"data": {"markAllNotificationsRead": 0}}
    assert gql.on("acme").as_user("owner").execute(COUNT) == {"data": {"unreadNotificationCount": 2}}
    assert gql.on("beta").as_user("member").execute(COUNT) == {"data": {"unreadNotificationCount": 2}}


def test_staff_sends_to_one_user(gql, acme, beta, django_capture_on_commit_callbacks):
    """The recipient gets one row; the owner and beta's user with the same id get none."""
    member_id = user_id(acme, "member@acme.test")
    with django_capture_on_commit_callbacks(execute=True):
        result = (
            gql.on("acme")
            .as_user("owner")
            .execute(SEND, {"message": marker("acme"), "userId": str(member_id), "level": "WARNING"})
        )
    sent = result["data"]["sendNotification"]
    assert (sent["message"], sent["level"], sent["isRead"]) == (marker("acme"), "WARNING", False)
    assert _messages(gql.on("acme").as_user("member").execute(LIST)) == [marker("acme")]
    assert _messages(gql.on("acme").as_user("owner").execute(LIST)) == []
    assert _messages(gql.on("beta").as_user("member").execute(LIST)) == []


def test_staff_broadcast_returns_the_senders_copy(gql, acme, beta):
    """userId null notifies every acme user; the answer is the sender's own row."""
    result = gql.on("acme").as_user("owner").execute(SEND, {"message": marker("acme")})
    owner_rows = gql.on("acme").as_user("owner").execute(LIST)["data"]["notifications"]["edges"]
    assert result["data"]["sendNotification"]["id"] == owner_rows[0]["node"]["id"]
    assert _messages(gql.on("acme").as_user("member").execute(LIST)) == [marker("acme")]
    assert _messages(gql.on("beta").as_user("member").execute(LIST)) == []


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"message": ""}, "BAD_USER_INPUT"),
        ({"message": "   "}, "BAD_USER_INPUT"),
        ({"message": "x" * 1001}, "BAD_USER_INPUT"),
        ({"message": "hi", "userId": "999999"}, "NOT_FOUND"),
        ({"message": "hi", "userId": "abc"}, "BAD_USER_INPUT"),
        ({"message": "hi", "userId": "²"}, "BAD_USER_INPUT"),
        ({"message": "hi", "userId": str(2**63)}, "BAD_USER_INPUT"),
        ({"message": "hi", "level": "SHOUT"}, "BAD_USER_INPUT"),
    ],
)
def test_send_rejects_bad_input(gql, acme, variables, code):
    """Invalid messages, malformed user ids, unknown users and unknown levels are client errors and store nothing."""
    result = gql.on("acme").as_user("owner").execute(SEND, variables)
    assert error_codes(result) == [code]
    with tenant_context(acme):
        assert Notification.objects.count() == 0


def test_members_cannot_send(gql, acme):
    """Sending is tenant staff only."""
    result = gql.on("acme").as_user("member").execute(SEND, {"message": "hi"})
    assert error_codes(result) == ["FORBIDDEN"]
    with tenant_context(acme):
        assert Notification.objects.count() == 0
