"""Whole-operation response cache for GraphQL reads over HTTP (docs/api.md, "Response cache").

A hit answers with the stored JSON bytes: nothing is parsed, validated or executed, and no SQL
runs. An entry's key is made of

- the tenant's schema (django-tenants prefixes every cache key with it, and the digest has it too);
- the tenant's catalog generation: every committed catalog write retires all entries at once
  (an entry records the generation it was computed under; the generation and the entry are read
  in one round trip, and an entry of an older generation is a miss);
- the normalised document (graphql-core's printed AST), the operation name and the variables;
- the viewer's permission scope: anonymous, member, staff or superuser;
- the query limits in force (depth, tokens, aliases, page size, introspection).

Only query operations whose root fields are all in ``PUBLIC_ROOT_FIELDS`` are cached: their
answer depends on the catalog and on the scope alone. Everything else bypasses the cache:
mutations, subscriptions, fields private to a user (``me``, ``notifications``) or fed by other
stores (``searchProducts``, ``tenant``), unusual request bodies, and responses with errors.

Which raw document text means which normalised document and policy is remembered per process
(``_document_policy``, bounded), so only the first sight of a text parses it.
"""

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import orjson
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    parse,
    print_ast,
)

from saas import cache as cache_keys
from tenants.db import connection

# Root fields whose answer is a function of the tenant's catalog (and the viewer's scope) only.
PUBLIC_ROOT_FIELDS = frozenset({"product", "products", "__typename"})
# Longer documents are not considered: the per-process document memo stays small.
MAX_DOCUMENT_CHARS = 8192
ALLOWED_BODY_KEYS = frozenset({"query", "variables", "operationName", "extensions"})
HEADER = "X-Response-Cache"


@dataclass(frozen=True)
class Lookup:
    """A cacheable request: the key its response is stored under once executed, and the catalog
    generation read before execution (a write committing meanwhile makes the entry stale at once)."""

    key: str
    generation: int


@lru_cache(maxsize=512)
def _document_policy(document: str, operation_name: str | None) -> str | None:
    """The normalised text of ``document`` when its selected operation may be cached, else None."""
    try:
        ast = parse(document, no_location=True, max_tokens=settings.GRAPHQL_MAX_TOKENS)
    except GraphQLError:
        return None
    operations = [node for node in ast.definitions if isinstance(node, OperationDefinitionNode)]
    if operation_name is None:
        selected = operations if len(operations) == 1 else []
    else:
        selected = [node for node in operations if node.name and node.name.value == operation_name]
    if len(selected) != 1 or selected[0].operation is not OperationType.QUERY:
        return None
    fragments = {node.name.value: node for node in ast.definitions if isinstance(node, FragmentDefinitionNode)}
    if not _only_public_fields(selected[0].selection_set, fragments, depth=0):
        return None
    return print_ast(ast)


def _only_public_fields(selection_set, fragments: dict, depth: int) -> bool:
    if depth > 10:
        return False
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value not in PUBLIC_ROOT_FIELDS:
                return False
        elif isinstance(selection, InlineFragmentNode):
            if not _only_public_fields(selection.selection_set, fragments, depth + 1):
                return False
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is None or not _only_public_fields(fragment.selection_set, fragments, depth + 1):
                return False
        else:
            return False
    return True


def _operation(request: HttpRequest) -> tuple[str, dict | None, str | None] | None:
    """(document, variables, operationName) of a plain single-operation request, else None."""
    if request.method == "POST":
        if request.content_type != "application/json":
            return None
        try:
            body = orjson.loads(request.body)
        except (orjson.JSONDecodeError, TypeError):  # TypeError: nested past orjson's limit
            return None
        if not isinstance(body, dict) or not body.keys() <= ALLOWED_BODY_KEYS:
            return None
    elif request.method == "GET" and "query" in request.GET and "text/html" not in request.headers.get("Accept", ""):
        body = dict(request.GET.items())
        if not body.keys() <= ALLOWED_BODY_KEYS or "extensions" in body:
            return None
        if "variables" in body:
            try:
                body["variables"] = orjson.loads(body["variables"])
            except (orjson.JSONDecodeError, TypeError):
                return None
    else:
        return None
    document, variables, operation_name = body.get("query"), body.get("variables"), body.get("operationName")
    if not isinstance(document, str) or len(document) > MAX_DOCUMENT_CHARS:
        return None
    if not (variables is None or isinstance(variables, dict)):
        return None
    if not (operation_name is None or isinstance(operation_name, str)):
        return None
    return document, variables, operation_name


def _limits() -> tuple:
    """The settings that decide whether a document is refused: a stored answer holds only under them."""
    return (
        settings.GRAPHQL_MAX_DEPTH,
        settings.GRAPHQL_MAX_TOKENS,
        settings.GRAPHQL_MAX_ALIASES,
        settings.GRAPHQL_MAX_PAGE_SIZE,
        settings.GRAPHQL_INTROSPECTION,
    )


def viewer_scope(request: HttpRequest) -> str:
    """What the viewer may see, as far as cacheable fields are concerned."""
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    if user.is_superuser:
        return "superuser"
    return "staff" if user.is_staff else "member"


def lookup(request: HttpRequest) -> tuple[HttpResponse | None, Lookup | None]:
    """(stored response, None) on a hit; (None, Lookup) on a cacheable miss; (None, None) to bypass."""
    operation = _operation(request)
    if operation is None:
        return None, None
    document, variables, operation_name = operation
    normalised = _document_policy(document, operation_name)
    if normalised is None:
        return None, None
    schema_name = connection.schema_name
    try:
        material = orjson.dumps(
            [schema_name, viewer_scope(request), _limits(), normalised, operation_name, variables or {}],
            option=orjson.OPT_SORT_KEYS,
        )
    except TypeError:  # variables nested past orjson's limit: the view refuses them
        return None, None
    key = cache_keys.graphql_response_key(hashlib.sha256(material).hexdigest())
    generation, entry = cache_keys.catalog_generation_and(key)
    if entry is not None and entry[0] == generation:
        response = HttpResponse(entry[1], content_type="application/json")
        response[HEADER] = "hit"
        return response, None
    return None, Lookup(key=key, generation=generation)


def store(entry: Lookup, response: HttpResponse) -> HttpResponse:
    """Keep a successful, error-free response of a cacheable operation."""
    if response.status_code == 200 and response.get("Content-Type", "").startswith("application/json"):
        content = response.content
        body = orjson.loads(content)
        if isinstance(body, dict) and "errors" not in body and "data" in body:
            cache.set(entry.key, (entry.generation, content), timeout=settings.CACHE_TTL_SECONDS)
            response[HEADER] = "miss"
    return response
