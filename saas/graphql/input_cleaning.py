"""The one input-cleaning layer of the GraphQL API: text that no store can keep is refused up front.

PostgreSQL text cannot hold NUL (U+0000): a NUL that reaches a query raises ``DataError`` deep in
a resolver, which clients would see as INTERNAL_SERVER_ERROR. No field of the API has a use for
it, so ``TextInputCleaning`` refuses any operation that carries one, in a string literal of the
document or anywhere in its variables, before validation and execution, over HTTP and websockets
alike, with BAD_USER_INPUT. Nothing has run, so nothing is stored.
"""

from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, GraphQLError, StringValueNode, Visitor, visit
from strawberry.extensions import SchemaExtension

from saas.errors import ErrorCode

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
    return GraphQLError(MESSAGE, extensions={"code": str(ErrorCode.BAD_USER_INPUT)})


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
