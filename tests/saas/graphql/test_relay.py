"""saas/graphql/relay.py: every id, cursor and page size the API reads goes through it, with one
answer for anything malformed (BAD_USER_INPUT) and only ASCII digits taken for digits."""

import pytest
from django.conf import settings
from strawberry import relay

from saas.errors import BadUserInput
from saas.graphql import relay as relay_ids


def to_base64(prefix: str, value: str) -> str:
    return relay.to_base64(prefix, value)


@pytest.mark.parametrize(
    "global_id",
    [
        "%%%",
        "",
        to_base64("Notification", "5"),  # another type's id
        to_base64("Product", "²"),  # "²".isdigit() is True, int("²") raises
        to_base64("Product", "٣"),  # int("٣") == 3: not an id either
        to_base64("Product", " 5"),  # int(" 5") == 5
        to_base64("Product", "+5"),
        to_base64("Product", "-5"),
        to_base64("Product", "0"),
        to_base64("Product", str(relay_ids.MAX_DATABASE_ID + 1)),
        to_base64("Product", "5.0"),
        to_base64("Product", ""),
    ],
)
def test_malformed_global_ids_are_bad_user_input(global_id):
    with pytest.raises(BadUserInput, match="not a product id"):
        relay_ids.node_id(global_id, type_name="Product", message="This is not a product id.")


def test_well_formed_global_ids_decode_to_the_database_id():
    assert relay_ids.node_id(to_base64("Product", "42"), type_name="Product", message="x") == 42
    biggest = str(relay_ids.MAX_DATABASE_ID)
    assert relay_ids.node_id(to_base64("Product", biggest), type_name="Product", message="x") == int(biggest)


@pytest.mark.parametrize("value", ["²", "١", "abc", "", " 1", "0", str(2**63), "1e3"])
def test_malformed_database_ids_are_bad_user_input(value):
    with pytest.raises(BadUserInput):
        relay_ids.database_id(value, message="'userId' is not a user id.")


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        to_base64("arrayconnection", "²"),
        to_base64("arrayconnection", "٣"),
        to_base64("arrayconnection", "-1"),
        to_base64("arrayconnection", " 1"),
        to_base64("Product", "1"),  # a global id is no cursor
        to_base64("arrayconnection", str(settings.GRAPHQL_MAX_OFFSET)),
    ],
)
def test_malformed_cursors_are_bad_user_input(cursor):
    with pytest.raises(BadUserInput, match="'after' is not a cursor"):
        relay_ids.offset_after(cursor)


def test_cursors_round_trip():
    assert relay_ids.offset_after(None) == 0
    assert relay_ids.offset_after(relay_ids.cursor_for(0)) == 1
    assert relay_ids.cursor_position(relay_ids.cursor_for(41), argument="before") == 41


@pytest.mark.parametrize("size", [-1, settings.GRAPHQL_MAX_PAGE_SIZE + 1, 2**31])
def test_page_sizes_outside_the_range_are_bad_user_input(size):
    with pytest.raises(BadUserInput, match="'first' must be between 0 and"):
        relay_ids.page_size(size, default=20)


def test_page_sizes_inside_the_range_pass():
    assert relay_ids.page_size(None, default=20) == 20
    assert relay_ids.page_size(0, default=20) == 0
    assert relay_ids.page_size(settings.GRAPHQL_MAX_PAGE_SIZE, default=20) == settings.GRAPHQL_MAX_PAGE_SIZE
