"""The signed-in user of a GraphQL field, typed as this project's user model."""

from typing import cast

from strawberry import Info
from strawberry_django.auth.utils import get_current_user

from users.models import User


def signed_in_user(info: Info) -> User:
    """The user of a field that ``IsAuthenticated`` or ``IsTenantStaff`` guards (they have run by then)."""
    return cast(User, get_current_user(info))
