"""Declared permissions for GraphQL fields (strawberry-django extensions that raise, never hide).

Schema directives are off: strawberry-django's directive text describes the fail-silently variants
(null, empty list, OperationInfo), which is not what these do. Field descriptions say who may call.
"""

from typing import cast

from strawberry import Info
from strawberry_django.auth.utils import get_current_user
from strawberry_django.permissions import IsAuthenticated as _IsAuthenticated
from strawberry_django.permissions import IsStaff as _IsStaff

from users.models import User


def IsAuthenticated():  # noqa: N802 - reads as the permission it declares
    """A user of this tenant is signed in (UNAUTHENTICATED otherwise)."""
    return _IsAuthenticated(fail_silently=False, use_directives=False, message="Sign in to do this.")


def IsTenantStaff():  # noqa: N802
    """The signed-in user is tenant staff (FORBIDDEN for members, UNAUTHENTICATED when anonymous)."""
    return _IsStaff(fail_silently=False, use_directives=False, message="Only tenant staff can do this.")


def signed_in_user(info: Info) -> User:
    """The user of a field that ``IsAuthenticated`` or ``IsTenantStaff`` guards (they have run by then)."""
    return cast(User, get_current_user(info))
