"""The platform's one exception root. Services raise these; every interface reports them with
their ``code`` (GraphQL: ``extensions.code``, see saas/graphql/errors.py).

Error codes come only from ``ErrorCode``. A coded GraphQL error comes from ``coded_error``; a
response refused before GraphQL runs (middleware, the view's checks) gets its error envelope
from ``error_response``.
"""

import enum

from django.http import JsonResponse
from graphql import GraphQLError


class ErrorCode(enum.StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    SEARCH_UNAVAILABLE = "SEARCH_UNAVAILABLE"
    RATE_LIMITED = "RATE_LIMITED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    TENANT_SUSPENDED = "TENANT_SUSPENDED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"


def coded_error(message: str, code: ErrorCode) -> GraphQLError:
    """A GraphQL error carrying its code (``extensions.code``)."""
    return GraphQLError(message, extensions={"code": str(code)})


def error_envelope(message: str, code: ErrorCode) -> dict:
    """The GraphQL-shaped body of a refused request: no data, one error with its code."""
    return {"data": None, "errors": [coded_error(message, code).formatted]}


def error_response(message: str, code: ErrorCode, status: int) -> JsonResponse:
    return JsonResponse(error_envelope(message, code), status=status)


class PlatformError(Exception):
    """Root of the errors the API reports to clients as they are."""

    code = ErrorCode.BAD_USER_INPUT
    default_message = "The request could not be processed."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default_message)


class Unauthenticated(PlatformError):
    code = ErrorCode.UNAUTHENTICATED
    default_message = "Authentication required."


class Forbidden(PlatformError):
    code = ErrorCode.FORBIDDEN
    default_message = "You do not have permission to perform this action."


class NotFound(PlatformError):
    code = ErrorCode.NOT_FOUND
    default_message = "Not found."


class BadUserInput(PlatformError):
    code = ErrorCode.BAD_USER_INPUT


class SearchUnavailable(PlatformError):
    code = ErrorCode.SEARCH_UNAVAILABLE
    default_message = "Search is temporarily unavailable. Please try again shortly."


class RateLimited(PlatformError):
    code = ErrorCode.RATE_LIMITED
    default_message = "Too many attempts. Please wait and try again."


class ServiceUnavailable(PlatformError):
    """A backing service (the database) could not be reached or dropped the connection."""

    code = ErrorCode.SERVICE_UNAVAILABLE
    default_message = "The service is temporarily unavailable. Please try again shortly."
