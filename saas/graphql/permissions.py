"""Declared permissions for GraphQL fields (strawberry-django extensions that raise, never hide).

Schema directives are off: strawberry-django's directive text describes the fail-silently variants
(null, empty list, OperationInfo), which is not what these do. Field descriptions say who may call.

Async fields (subscriptions, on websockets) skip strawberry-django's async preamble when the user is
already loaded, which it always is on a socket (the consumer loads it in ``connection_init``). That
preamble costs two hops to a worker thread to read the user, and it tries to import
strawberry-django's django-guardian integration on every call: without django-guardian installed
the import fails each time and is attempted again, searching the import path. Together that was
15 % of the server CPU of opening a socket (docs/benchmarks.md, socket opening). The check itself
(``resolve_for_user``) is strawberry-django's, unchanged.
"""

import functools
import inspect
from typing import Any

from django.utils.functional import SimpleLazyObject, empty
from strawberry_django.permissions import DjangoNoPermission
from strawberry_django.permissions import IsAuthenticated as _IsAuthenticated
from strawberry_django.permissions import IsStaff as _IsStaff
from strawberry_django.utils.requests import get_request


def _loaded_user(info) -> Any:
    """The request's user when reading it cannot reach the database, else None."""
    user = getattr(get_request(info), "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:  # a lazy user not read yet
        return None
    return user


class _LoadedUserFirst:
    async def resolve_async(self, next_, source, info, **kwargs) -> Any:
        user = _loaded_user(info)
        if user is None:
            return await super().resolve_async(next_, source, info, **kwargs)  # type: ignore[misc]
        try:
            result = self.resolve_for_user(  # type: ignore[attr-defined]
                functools.partial(next_, source, info, **kwargs), user, info=info, source=source
            )
            while inspect.isawaitable(result):
                result = await result
        except DjangoNoPermission as refusal:
            result = self.handle_no_permission(refusal, info=info)  # type: ignore[attr-defined]
        return result


class _Authenticated(_LoadedUserFirst, _IsAuthenticated):
    pass


class _Staff(_LoadedUserFirst, _IsStaff):
    pass


def IsAuthenticated():  # noqa: N802 - reads as the permission it declares
    """A user of this tenant is signed in (UNAUTHENTICATED otherwise)."""
    return _Authenticated(fail_silently=False, use_directives=False, message="Sign in to do this.")


def IsTenantStaff():  # noqa: N802
    """The signed-in user is tenant staff (FORBIDDEN for members, UNAUTHENTICATED when anonymous)."""
    return _Staff(fail_silently=False, use_directives=False, message="Only tenant staff can do this.")
