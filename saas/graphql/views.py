"""HTTP GraphQL: a Django view, so tenant, session, CSRF and auth middleware all run first."""

import json
import re

import orjson
from cross_web import HTTPException
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphql import GraphQLError, OperationType
from strawberry.django.views import GraphQLView
from strawberry.http.ides import get_graphql_ide_html

from saas.errors import ErrorCode
from saas.graphql import graphiql, persisted, response_cache, sessions
from saas.graphql.operations import OperationNotSelected, parse_document, selected_operation

# Where GraphiQL's scripts and styles are served from: web/dist/graphiql/, copied at web build time
# (web/scripts/graphiql-assets.json lists the same files), so the page needs no external host.
GRAPHIQL_ASSETS_URL = "/graphiql/"
GRAPHIQL_ASSETS = {
    "https://unpkg.com/react@18.2.0/umd/react.production.min.js": "react.production.min.js",
    "https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js": "react-dom.production.min.js",
    "https://unpkg.com/js-cookie@3.0.5/dist/js.cookie.min.js": "js.cookie.min.js",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.css": "graphiql.min.css",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.js": "graphiql.min.js",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css": "plugin-explorer.css",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": "plugin-explorer.umd.js",
}
_EXTERNAL_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", re.IGNORECASE)


def self_hosted_graphiql(html: str) -> str:
    """Strawberry's GraphiQL page with every external script and stylesheet pointed at /graphiql/.

    The files are byte-identical to the CDN's, so the page's ``integrity`` hashes still hold.
    A reference this module does not know (say, after a strawberry upgrade) is an error, not a
    page that silently loads from the internet.
    """
    unknown = sorted({url for url in _EXTERNAL_REFERENCE.findall(html) if url not in GRAPHIQL_ASSETS})
    if unknown:
        raise ImproperlyConfigured(f"GraphiQL page references unmapped external files: {', '.join(unknown)}")
    for url, name in GRAPHIQL_ASSETS.items():
        html = html.replace(url, GRAPHIQL_ASSETS_URL + name)
    return html


GRAPHIQL_HTML = self_hosted_graphiql(get_graphql_ide_html("graphiql"))


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _not_called(request: HttpRequest) -> HttpResponse:
    """The view and next handler of a CSRF check made on its own: process_view() calls neither."""
    raise AssertionError("CsrfViewMiddleware.process_view() called its view")


def _error(message: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}, status=status)


@method_decorator(csrf_exempt, name="dispatch")
class TenantGraphQLView(GraphQLView):
    """Bearer-token requests skip CSRF (nothing ambient); cookie-authenticated POSTs must pass it,
    except a sign-in, which runs with the cookie ignored (saas/graphql/sessions.py).

    Requests refused before execution (body too large, not UTF-8 JSON, not a JSON object, a
    mutation by GET, a subscription, a batch, several operations and no ``operationName``) get the same JSON error
    shape as GraphQL errors, with ``extensions.code``. Cacheable reads are answered from the
    response cache (saas/graphql/response_cache.py) when they can be.
    """

    allow_queries_via_get = True

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            try:
                # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE here, before anything parses it.
                request.body  # noqa: B018
            except RequestDataTooBig:
                return _error("Request body too large.", ErrorCode.BAD_USER_INPUT, 413)
            if not _is_utf8(request.body):
                return _error("Request body is not valid UTF-8.", ErrorCode.BAD_USER_INPUT, 400)
            uses_session_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
            if uses_session_cookie and not getattr(request, "auth_token", None):
                if sessions.is_sign_in_only(request):
                    request.user = AnonymousUser()  # a sign-in needs no credentials: it never uses the cookie
                elif CsrfViewMiddleware(_not_called).process_view(request, _not_called, (), {}) is not None:
                    return _error("CSRF verification failed.", ErrorCode.FORBIDDEN, 403)
        # With an allow-list, every document must pass it (in self.run), so none is served from the cache.
        cached, entry = (None, None) if persisted.allowlist() is not None else response_cache.lookup(request)
        if cached is not None:
            return persisted.cache_headers(request, cached)
        try:
            response = self.run(request=request)
            if not isinstance(response, HttpResponse):
                return response  # a stream: neither cached nor validated (the checks below read its content)
            if entry is not None:
                response = response_cache.store(entry, response)
            return persisted.cache_headers(request, response)
        except persisted.Refusal as refusal:
            return _error(refusal.message, refusal.code, refusal.status)
        except HTTPException as refusal:
            code = ErrorCode.NOT_FOUND if refusal.status_code == 404 else ErrorCode.BAD_USER_INPUT
            return _error(refusal.reason, code, refusal.status_code)

    def should_render_graphql_ide(self, request) -> bool:
        # A GET by persisted-query hash has no `query` parameter but is an operation, not a page visit.
        return super().should_render_graphql_ide(request) and "extensions" not in request.query_params

    def parse_http_body(self, request):
        data = super().parse_http_body(request)
        if isinstance(data, list):  # strawberry refuses batches before this while batching is off
            raise HTTPException(400, "Batched requests are not supported.")
        return persisted.resolve(data)

    def encode_json(self, data) -> bytes:
        return orjson.dumps(data, default=DjangoJSONEncoder().default)

    def decode_json(self, data):
        try:
            value = super().decode_json(data)
        except json.JSONDecodeError:
            raise
        except RecursionError as error:
            raise HTTPException(400, "Request body is nested too deeply.") from error
        except ValueError as error:
            # Python refuses to convert integers of more than 4300 digits.
            raise HTTPException(400, "Request body holds a number too long to read.") from error
        # Of a POST, strawberry decodes the body only: a number, string, boolean or null there is no request.
        if self.request.method == "POST" and not isinstance(value, dict | list):
            raise HTTPException(400, "Request body must be a JSON object: {query, variables, operationName}.")
        return value

    def execute_single(self, request, request_adapter, sub_response, context, root_value, request_data):
        if isinstance(request_data.query, str):
            try:
                operation = selected_operation(parse_document(request_data.query), request_data.operation_name)
            except OperationNotSelected as refusal:
                raise HTTPException(400, refusal.message) from refusal
            except GraphQLError:
                operation = None  # not a document: strawberry answers with the syntax error as usual
            if operation is not None and operation.operation is OperationType.SUBSCRIPTION:
                raise HTTPException(400, "Subscriptions are served over the websocket (graphql-transport-ws).")
        return super().execute_single(request, request_adapter, sub_response, context, root_value, request_data)

    @property
    def graphql_ide_html(self) -> str:  # type: ignore[override]  # strawberry's Django view declares a plain attribute
        return GRAPHIQL_HTML if self.graphql_ide == "graphiql" else super().graphql_ide_html

    def render_graphql_ide(self, request):
        # The console sends the csrftoken cookie back as X-CSRFToken, so a session started by `login` works.
        get_token(request)
        if self.graphql_ide != "graphiql":
            return super().render_graphql_ide(request)
        return HttpResponse(graphiql.render_console(self.graphql_ide_html, request))
