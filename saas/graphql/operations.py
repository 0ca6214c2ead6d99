"""Which operation of a GraphQL document a request runs: one rule for HTTP and websockets.

A document may hold several operations; the request's ``operationName`` picks one. Without it,
a document with several operations is refused (GraphQL-over-HTTP; graphql-js answers "Must
provide operation name if query contains multiple operations") instead of running the first one
silently, as strawberry would. The websocket consumer routes each operation by its type, so it
must know the one operation that will run before anything runs.
"""

import contextlib
import functools

from django.conf import settings
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    OperationDefinitionNode,
    Visitor,
    parse,
    visit,
)
from strawberry.extensions import SchemaExtension

from saas.errors import ErrorCode, coded_error


class OperationNotSelected(GraphQLError):
    """The request does not pick exactly one operation of its document (BAD_USER_INPUT)."""

    def __init__(self, message: str):
        super().__init__(message, extensions={"code": str(ErrorCode.BAD_USER_INPUT)})


PARSED_KEPT = 256


@functools.lru_cache(maxsize=PARSED_KEPT)
def _parse(query: str, max_tokens: int) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


def parse_document(query: str) -> DocumentNode:
    """The document, parsed with the same token limit as the schema's (GraphQLSyntaxError otherwise).

    Parsed documents are kept per process (the last ``PARSED_KEPT`` texts): clients send the same
    few documents again and again, and one request parsed its document up to three times (the
    operation check here, the schema's retry rule, strawberry itself through ``SharedParse``).
    Documents are never changed after parsing (graphql-core's validation and execution only read
    them), so one parsed document serves every request with that text. Syntax errors are not kept.
    """
    return _parse(query, settings.GRAPHQL_MAX_TOKENS)


class SharedParse(SchemaExtension):
    """strawberry's parsing step through ``parse_document``, so the schema shares the process's parsed
    documents. A document that does not parse is left to strawberry, which reports the error."""

    def on_parse(self):
        context = self.execution_context
        if context.graphql_document is None and context.query:
            with contextlib.suppress(GraphQLError):
                context.graphql_document = parse_document(context.query)
        yield


def selected_operation(document: DocumentNode, operation_name: object) -> OperationDefinitionNode:
    """The operation ``operation_name`` picks in ``document``, or OperationNotSelected."""
    if operation_name is not None and not isinstance(operation_name, str):
        raise OperationNotSelected("operationName must be a string or null.")
    operations = [definition for definition in document.definitions if isinstance(definition, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) == 1:
            return operations[0]
        if not operations:
            raise OperationNotSelected("The document contains no operation.")
        raise OperationNotSelected("The document contains several operations: send operationName to pick one.")
    for operation in operations:
        if operation.name is not None and operation.name.value == operation_name:
            return operation
    raise OperationNotSelected(f'The document has no operation named "{operation_name[:100]}".')


class _FragmentSpreads(Visitor):
    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_args):
        self.names.add(node.name.value)


def unknown_fragments(query: str | None, document: DocumentNode | None) -> list[str]:
    """Names spread in ``document`` that it does not define (only spreads start with "...")."""
    if document is None or not query or "..." not in query:
        return []
    spreads = _FragmentSpreads()
    visit(document, spreads)
    defined = {item.name.value for item in document.definitions if isinstance(item, FragmentDefinitionNode)}
    return sorted(spreads.names - defined)


class KnownFragmentsFirst(SchemaExtension):
    """Refuse spreads of undefined fragments before the other validation rules see them.

    graphql-core reports them ("Unknown fragment"), but strawberry's depth and alias limiters run
    in the same validation pass and look the fragment up without checking: a ``KeyError`` that no
    error policy sees. Refused here first, such a document gets BAD_USER_INPUT like any invalid one.
    """

    def on_validate(self):
        context = self.execution_context
        if context.pre_execution_errors is None:
            missing = unknown_fragments(context.query, context.graphql_document)
            if missing:
                message = f'Unknown fragment "{missing[0][:100]}".'
                context.pre_execution_errors = [coded_error(message, ErrorCode.BAD_USER_INPUT)]
        yield
