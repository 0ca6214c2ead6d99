"""Error codes: every GraphQL error leaves with ``extensions.code``; unexpected ones are masked.

Services raise ``PlatformError`` subclasses (or Django's ValidationError / PermissionDenied /
ObjectDoesNotExist); ``ErrorPolicy`` turns them into the contract's codes in one place.
"""

import enum
import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

logger = logging.getLogger("saas.graphql")


class ErrorCode(enum.StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    SEARCH_UNAVAILABLE = "SEARCH_UNAVAILABLE"
    RATE_LIMITED = "RATE_LIMITED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    TENANT_SUSPENDED = "TENANT_SUSPENDED"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


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


# How strawberry's limiters and graphql-core's parser word the errors of an operation that is too big.
_COMPLEXITY_MARKERS = (
    "exceeds maximum operation depth",
    "aliases found",
    "tokens. Parsing aborted.",
    "nested too deeply",
)


def _is_anonymous(execution_context) -> bool:
    request = getattr(execution_context.context, "request", None)
    user = getattr(request, "user", None)
    if user is None:
        consumer = getattr(request, "consumer", None)
        user = getattr(consumer, "scope", {}).get("user") if consumer else None
    return user is None or not user.is_authenticated


class ErrorPolicy(MaskErrors):
    """Attach a code to every error; mask and log the ones no code explains."""

    def __init__(self):
        super().__init__(should_mask_error=self._classify_or_mask, error_message="Internal server error.")

    def _classify_or_mask(self, error: GraphQLError) -> bool:
        code = self._code_for(error)
        if code is None:
            return True
        error.extensions = {**(error.extensions or {}), "code": str(code)}
        return False

    def _code_for(self, error: GraphQLError) -> ErrorCode | str | None:
        if error.extensions and error.extensions.get("code"):
            return error.extensions["code"]
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            if any(marker in error.message for marker in _COMPLEXITY_MARKERS):
                return ErrorCode.QUERY_TOO_COMPLEX
            return ErrorCode.BAD_USER_INPUT
        if isinstance(original, PlatformError):
            return original.code
        if isinstance(original, PermissionDenied):
            return ErrorCode.UNAUTHENTICATED if _is_anonymous(self.execution_context) else ErrorCode.FORBIDDEN
        if isinstance(original, ObjectDoesNotExist):
            return ErrorCode.NOT_FOUND
        if isinstance(original, ValidationError):
            error.message = " ".join(original.messages)
            return ErrorCode.BAD_USER_INPUT
        return None

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        logger.error("unexpected GraphQL error at %s", error.path, exc_info=error.original_error)
        masked = super().anonymise_error(error)
        masked.extensions = {"code": str(ErrorCode.INTERNAL_SERVER_ERROR)}
        return masked
