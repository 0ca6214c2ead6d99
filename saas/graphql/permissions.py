"""Declared permissions for GraphQL fields (strawberry-django extensions that raise, never hide)."""

from strawberry_django.permissions import IsAuthenticated as _IsAuthenticated
from strawberry_django.permissions import IsStaff as _IsStaff


def IsAuthenticated():  # noqa: N802 - reads as the permission it declares
    """A user of this tenant is signed in (UNAUTHENTICATED otherwise)."""
    return _IsAuthenticated(fail_silently=False)


def IsTenantStaff():  # noqa: N802
    """The signed-in user is tenant staff (FORBIDDEN for members, UNAUTHENTICATED when anonymous)."""
    return _IsStaff(fail_silently=False)
