"""Relay ids, cursors and page sizes as clients send them: decoded and checked in one place.

Every malformed value is the client's mistake and raises ``BadUserInput`` (BAD_USER_INPUT):
a global id that does not decode, names another type, or whose database id is not a plain
ASCII number within PostgreSQL's bigint range; a cursor that is not one of our list cursors;
a page size outside ``0..GRAPHQL_MAX_PAGE_SIZE``. Only ASCII digits count as digits:
``"²".isdigit()`` is true but ``int("²")`` raises, and ``int("٣")`` is 3.
"""

from django.conf import settings
from strawberry import relay
from strawberry.relay.types import PREFIX as CURSOR_PREFIX

from saas.errors import BadUserInput

# Primary keys are PostgreSQL bigints: a larger number cannot name a row (and must not reach SQL).
MAX_DATABASE_ID = 2**63 - 1


def _ascii_number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def database_id(value: str, *, message: str) -> int:
    """A plain database id (``"42"``), or BadUserInput with ``message``."""
    number = _ascii_number(str(value))
    if number is None or not 0 < number <= MAX_DATABASE_ID:
        raise BadUserInput(message)
    return number


def node_id(global_id: str, *, type_name: str, message: str) -> int:
    """The database id inside a global id of ``type_name`` (``base64("Product:42")``), or BadUserInput."""
    try:
        decoded = relay.GlobalID.from_id(global_id)
    except ValueError as error:
        raise BadUserInput(message) from error
    if decoded.type_name != type_name:
        raise BadUserInput(message)
    return database_id(decoded.node_id, message=message)


def global_id(type_name: str, database_id: int) -> relay.GlobalID:
    return relay.GlobalID(type_name, str(database_id))


def cursor_position(cursor: str, *, argument: str = "after") -> int:
    """The list position a cursor of ours names (``base64("arrayconnection:<n>")``), or BadUserInput."""
    message = f"'{argument}' is not a cursor of this list."
    try:
        prefix, position = relay.from_base64(cursor)
    except ValueError as error:
        raise BadUserInput(message) from error
    number = _ascii_number(position)
    if prefix != CURSOR_PREFIX or number is None or number >= settings.GRAPHQL_MAX_OFFSET:
        raise BadUserInput(message)
    return number


def cursor_for(position: int) -> str:
    return relay.to_base64(CURSOR_PREFIX, position)


def offset_after(cursor: str | None) -> int:
    """Where the page after ``cursor`` (an ``endCursor`` this API returned) starts; 0 without one."""
    return 0 if cursor is None else cursor_position(cursor, argument="after") + 1


def page_size(size: int | None, *, default: int, argument: str = "first") -> int:
    """``size`` within ``0..GRAPHQL_MAX_PAGE_SIZE`` (``default`` when omitted), or BadUserInput."""
    if size is None:
        return default
    limit = settings.GRAPHQL_MAX_PAGE_SIZE
    if not 0 <= size <= limit:
        raise BadUserInput(f"'{argument}' must be between 0 and {limit}.")
    return size
