"""HTTP middleware that belongs to no single app."""

import re
import sys
import uuid

from django.core.signals import got_request_exception
from django.dispatch import receiver

from saas.db import STATEMENT_TIMEOUT_MESSAGE, database_unavailable, statement_timed_out
from saas.errors import ErrorCode, ServiceUnavailable, error_response
from saas.logging import request_id_var

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Takes a sane incoming X-Request-ID or makes one; logs and the response carry it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs the response status after the middleware
        # chain returns, and the next request on this context sets its own id first.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


API_PATH_PREFIX = "/graphql"


@receiver(got_request_exception, dispatch_uid="saas.middleware.remember_uncaught_exception")
def _remember_uncaught_exception(sender, request=None, **kwargs) -> None:
    # Sent while Django turns an uncaught exception into its 500 page: the exception is current.
    if request is not None:
        request.uncaught_exception = sys.exc_info()[1]


class ApiErrorMiddleware:
    """The API answers with its JSON error envelope, never an HTML error page, whatever raised
    (a middleware such as the tenant or bearer-token one, or the view) and whatever DEBUG says.

    A database that cannot be reached is SERVICE_UNAVAILABLE (503); anything else that escaped is
    INTERNAL_SERVER_ERROR (500). Django still logs the exception with its traceback.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(request, "uncaught_exception", None)
        if error is None or not request.path.startswith(API_PATH_PREFIX):
            return response
        if statement_timed_out(error):
            message, code, status = STATEMENT_TIMEOUT_MESSAGE, ErrorCode.SERVICE_UNAVAILABLE, 503
        elif database_unavailable(error):
            message, code, status = ServiceUnavailable.default_message, ErrorCode.SERVICE_UNAVAILABLE, 503
        else:
            message, code, status = "Internal server error.", ErrorCode.INTERNAL_SERVER_ERROR, 500
        return error_response(message, code, status)
