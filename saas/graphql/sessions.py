"""When an HTTP request may use or start a cookie session (docs/api.md, "Sessions and bearer tokens").

Bearer clients never need a cookie: ``login`` starts a session only when asked with
``session: true`` by a page of the tenant's own origin. A request that carries a session cookie
without the CSRF token may still sign in (the cookie is ignored for it), but nothing else.
"""

import json

from django.conf import settings
from django.http import HttpRequest
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType

from saas.graphql.operations import parse_document

SIGN_IN_FIELDS = frozenset({"login", "__typename"})


def is_sign_in_only(request: HttpRequest) -> bool:
    """True when the POSTed operation is a mutation that selects nothing but ``login``.

    Such a request needs no credentials, so a session cookie it carries is not used (and needs no
    CSRF token): a stale cookie cannot block a sign-in. Anything unparsable is not a sign-in.
    """
    try:
        body = json.loads(request.body)
        document = parse_document(body["query"])
    except (ValueError, TypeError, KeyError, GraphQLError, RecursionError):
        return False
    operation_name = body.get("operationName")
    operations = [node for node in document.definitions if isinstance(node, OperationDefinitionNode)]
    if operation_name:
        operations = [node for node in operations if node.name and node.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation is not OperationType.MUTATION:
        return False
    selections = operations[0].selection_set.selections
    return all(isinstance(node, FieldNode) and node.name.value in SIGN_IN_FIELDS for node in selections)


def _own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def may_start_session(request: HttpRequest) -> bool:
    """A session may start only for a request sent by a page of this tenant's own origin.

    Browsers send ``Origin`` with every POST and cannot forge it, so a page of another site (or
    of another tenant's host) cannot sign a visitor in to an account of its choosing (login
    CSRF). ``Sec-Fetch-Site``, when sent, must say ``same-origin`` as well. Origins listed in
    ``CSRF_TRUSTED_ORIGINS`` count as the tenant's own.
    """
    origin = request.headers.get("Origin")
    if not origin or (origin != _own_origin(request) and origin not in settings.CSRF_TRUSTED_ORIGINS):
        return False
    return request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"
