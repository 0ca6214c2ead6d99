"""HTTP GraphQL: a Django view, so tenant, session, CSRF and auth middleware all run first."""

from cross_web import HTTPException
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView

from saas.graphql.errors import ErrorCode


def _error(message: str, code: ErrorCode, status: int) -> JsonResponse:
    return JsonResponse({"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}, status=status)


@method_decorator(csrf_exempt, name="dispatch")
class TenantGraphQLView(GraphQLView):
    """Bearer-token requests skip CSRF (nothing ambient); cookie-authenticated POSTs must pass it.

    Requests refused before execution (body too large, not JSON, a mutation by GET, a batch) get
    the same JSON error shape as GraphQL errors, with ``extensions.code``.
    """

    allow_queries_via_get = True

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            try:
                # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE here, before anything parses it.
                request.body  # noqa: B018
            except RequestDataTooBig:
                return _error("Request body too large.", ErrorCode.BAD_USER_INPUT, 413)
            uses_session_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
            if uses_session_cookie and not getattr(request, "auth_token", None):
                refusal = CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})
                if refusal is not None:
                    return _error("CSRF verification failed.", ErrorCode.FORBIDDEN, 403)
        try:
            return self.run(request=request)
        except HTTPException as refusal:
            code = ErrorCode.NOT_FOUND if refusal.status_code == 404 else ErrorCode.BAD_USER_INPUT
            return _error(refusal.reason, code, refusal.status_code)

    def decode_json(self, data):
        try:
            return super().decode_json(data)
        except RecursionError as error:
            raise HTTPException(400, "Request body is nested too deeply.") from error

    def render_graphql_ide(self, request):
        # GraphiQL sends the csrftoken cookie back as X-CSRFToken, so a session started by `login` works.
        get_token(request)
        return super().render_graphql_ide(request)
