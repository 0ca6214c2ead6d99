"""The one input-cleaning layer: text that no store can keep is refused before anything uses it.

PostgreSQL text cannot hold NUL (U+0000): a NUL that reaches a query raises ``DataError`` deep in
a resolver or an admin list, which clients would see as a 500 or INTERNAL_SERVER_ERROR. Nothing
the platform stores or looks up has a use for it, so it is refused at the two doors input comes in:

- ``TextInputCleaning`` (a schema extension): a GraphQL operation carrying NUL in a string literal
  of its document or anywhere in its variables, over HTTP and websockets alike, is refused before
  validation and execution with BAD_USER_INPUT;
- ``RefuseNulMiddleware`` (Django): a request with NUL in its path, query string or form fields
  (the admin's list filters and forms, GraphQL by GET) gets 400, in the GraphQL error shape on
  ``/graphql/``.

Nothing has run, so nothing is stored. Django's form fields refuse NUL as well; the middleware
also covers what no form checks, such as admin list filters (``?sku__exact=%00``).
"""

from collections.abc import Iterator
from typing import Any

from django.http import HttpResponseBadRequest
from graphql import DocumentNode, GraphQLError, StringValueNode, Visitor, visit
from strawberry.extensions import SchemaExtension

from saas.errors import ErrorCode, coded_error, error_response

NUL = "\x00"
MESSAGE = "Text must not contain NUL characters (U+0000)."


class _NulLiteralFinder(Visitor):
    def __init__(self):
        super().__init__()
        self.found = False

    def enter_string_value(self, node: StringValueNode, *_args):
        if NUL in node.value:
            self.found = True
            return self.BREAK
        return None


def _strings_in(value: Any) -> Iterator[str]:
    """Every string inside a JSON value, keys included; iterative, so any nesting depth is fine."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)


def document_has_nul(query: str | None, document: DocumentNode | None) -> bool:
    # A GraphQL document can only spell NUL as an escape (a raw U+0000 is a syntax error), so a
    # document without "\u" has no such string literal and needs no walk.
    if document is None or not query or "\\u" not in query:
        return False
    finder = _NulLiteralFinder()
    visit(document, finder)
    return finder.found


def variables_have_nul(variables: Any) -> bool:
    return any(NUL in text for text in _strings_in(variables))


def nul_refusal() -> GraphQLError:
    return coded_error(MESSAGE, ErrorCode.BAD_USER_INPUT)


class TextInputCleaning(SchemaExtension):
    """Refuse operations whose literals or variables hold NUL (BAD_USER_INPUT), before validation."""

    def on_validate(self):
        context = self.execution_context
        if context.pre_execution_errors is None and (
            document_has_nul(context.query, context.graphql_document) or variables_have_nul(context.variables)
        ):
            # Set before validation runs: strawberry then skips validation and answers with this error.
            context.pre_execution_errors = [nul_refusal()]
        yield


class RefuseNulMiddleware:
    """400 for a request with NUL in its path, query string or url-encoded form (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            if request.path_info.startswith("/graphql/"):
                return error_response(MESSAGE, ErrorCode.BAD_USER_INPUT, 400)
            return HttpResponseBadRequest(MESSAGE)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if NUL in request.path_info or variables_have_nul(dict(request.GET.lists())):
            return True
        # Url-encoded bodies are buffered, so reading them here costs nothing later; multipart ones
        # are left alone (reading them would consume the stream a view may want raw).
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            return variables_have_nul(dict(request.POST.lists()))
        return False
