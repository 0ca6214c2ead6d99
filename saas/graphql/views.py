"""HTTP GraphQL: a Django view, so tenant, session, CSRF and auth middleware all run first."""

from django.conf import settings
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView

from saas.graphql.errors import ErrorCode


def _error(message: str, code: ErrorCode, status: int) -> JsonResponse:
    return JsonResponse({"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}, status=status)


@method_decorator(csrf_exempt, name="dispatch")
class TenantGraphQLView(GraphQLView):
    """Bearer-token requests skip CSRF (nothing ambient); cookie-authenticated POSTs must pass it."""

    allow_queries_via_get = True

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            length = int(request.headers.get("Content-Length") or 0)
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return _error("Request body too large.", ErrorCode.BAD_USER_INPUT, 413)
            uses_session_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
            if uses_session_cookie and not getattr(request, "auth_token", None):
                refusal = CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})
                if refusal is not None:
                    return _error("CSRF verification failed.", ErrorCode.FORBIDDEN, 403)
        return super().dispatch(request, *args, **kwargs)
