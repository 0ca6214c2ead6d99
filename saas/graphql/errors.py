"""Error codes: every GraphQL error leaves with ``extensions.code``; unexpected ones are masked.

Services raise ``saas.errors.PlatformError`` subclasses (or Django's ValidationError / PermissionDenied /
ObjectDoesNotExist); ``ErrorPolicy`` turns them into the contract's codes in one place.
"""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from saas.db import STATEMENT_TIMEOUT_MESSAGE, database_unavailable, statement_timed_out
from saas.errors import ErrorCode, PlatformError, ServiceUnavailable, coded_error
from saas.graphql.context import GraphQLContext

logger = logging.getLogger("saas.graphql")


# How strawberry's limiters and graphql-core's parser word the errors of an operation that is too big.
_COMPLEXITY_MARKERS = (
    "exceeds maximum operation depth",
    "aliases found",
    "tokens. Parsing aborted.",
    "nested too deeply",
)


def _is_anonymous(execution_context) -> bool:
    context = execution_context.context
    if not isinstance(context, GraphQLContext):  # the schema run without a request (tests, tools)
        return True
    # The Django request and the websocket consumer both carry ``user`` (saas.graphql.context).
    user = getattr(context.request, "user", None)
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
        if statement_timed_out(original):
            logger.warning("statement cancelled at %s (statement timeout): %s", error.path, str(original).strip())
            error.message = STATEMENT_TIMEOUT_MESSAGE
            return ErrorCode.SERVICE_UNAVAILABLE
        if database_unavailable(original):
            logger.warning("database unavailable at %s: %s", error.path, original)
            error.message = ServiceUnavailable.default_message
            return ErrorCode.SERVICE_UNAVAILABLE
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


def masked_unless_coded(result):
    """``result`` with every error that carries no code masked (and logged).

    ErrorPolicy codes the errors of an operation; an exception raised outside the resolvers (in a
    validation rule, say) skips it, and strawberry would answer with the exception's own text.
    """
    if not getattr(result, "errors", None) or all((error.extensions or {}).get("code") for error in result.errors):
        return result
    errors = []
    for error in result.errors:
        if (error.extensions or {}).get("code"):
            errors.append(error)
            continue
        logger.error("unexpected GraphQL error outside execution", exc_info=error.original_error or error)
        errors.append(coded_error("Internal server error.", ErrorCode.INTERNAL_SERVER_ERROR))
    result.errors = errors
    return result
