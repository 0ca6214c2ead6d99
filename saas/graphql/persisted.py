"""Automatic persisted queries (Apollo's APQ protocol) and HTTP caching of GET queries.

See docs/api.md, "Persisted queries and HTTP caching".

APQ: a client sends ``extensions.persistedQuery = {version: 1, sha256Hash}`` without the query;
an unknown hash answers ``PERSISTED_QUERY_NOT_FOUND`` and the client sends the query once more
with its hash, which is verified and stored. Documents are stored in Redis (through the cache, so
under the active tenant's key prefix) in a namespace of this deployment: the hash of its schema, so
a deployment that changes the schema starts afresh and never runs a document registered against
another schema. With ``GRAPHQL_PERSISTED_QUERIES_ALLOWLIST`` (a manifest file), only documents
listed there run, by hash or by text, and nothing is registered.

GET caching: a GET query's response carries an ``ETag`` derived from the body, answers
``If-None-Match`` with 304, varies on ``Authorization`` and ``Cookie``, and is ``private`` whenever
the request carries any credential, so a shared cache (CDN, proxy) never stores a user's data.
"""

import hashlib
import json
import re
from dataclasses import replace
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from graphql import GraphQLError, parse
from strawberry.http import GraphQLRequestData
from strawberry.schema.base import BaseSchema

from saas.errors import ErrorCode

NOT_FOUND = ErrorCode.PERSISTED_QUERY_NOT_FOUND
NOT_IN_LIST = ErrorCode.PERSISTED_QUERY_NOT_IN_LIST
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class Refusal(Exception):
    """An APQ request that cannot run: reported as a GraphQL error with ``code``."""

    def __init__(self, message: str, code: ErrorCode, status: int = 200):
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


def sha256_of(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


_deployments: dict[int, str] = {}


def deployment(schema: BaseSchema) -> str:
    """This deployment's namespace for stored documents: a digest of the schema it serves
    (computed once per schema object; a process serves one schema for its whole life)."""
    digest = _deployments.get(id(schema))
    if digest is None:
        digest = _deployments[id(schema)] = sha256_of(schema.as_str())[:16]
    return digest


def _key(schema: BaseSchema, digest: str) -> str:
    return f"graphql:apq:{deployment(schema)}:{digest}"


@memoize
def allowlist() -> dict[str, str] | None:
    """hash -> document from ``GRAPHQL_PERSISTED_QUERIES_ALLOWLIST``, or None when every document may run.

    The file is a JSON object ``{"<sha256>": "<document>"}`` or an Apollo persisted query manifest
    (``{"format": "apollo-persisted-query-manifest", "operations": [{"id", "body"}]}``). Every hash
    is checked against its document when loaded.
    """
    path = settings.GRAPHQL_PERSISTED_QUERIES_ALLOWLIST
    if not path:
        return None
    manifest = json.loads(Path(path).read_text())
    if isinstance(manifest, dict) and "operations" in manifest:
        manifest = {operation["id"]: operation["body"] for operation in manifest["operations"]}
    documents = {}
    for digest, document in manifest.items():
        if sha256_of(document) != digest:
            raise ValueError(f"{path}: {digest} is not the sha256 of its document")
        documents[digest] = document
    return documents


# Larger documents still run when sent in full, but are not kept: registration needs no sign-in,
# so what one request can make Redis hold stays small.
MAX_STORED_DOCUMENT_BYTES = 32 * 1024


def _registrable(document: str) -> bool:
    if len(document.encode()) > MAX_STORED_DOCUMENT_BYTES:
        return False
    try:
        parse(document, max_tokens=settings.GRAPHQL_MAX_TOKENS)
    except (GraphQLError, RecursionError):
        return False
    return True


def resolve(data: GraphQLRequestData, schema: BaseSchema) -> GraphQLRequestData:
    """The request with its document filled in from the store, or as sent (verified and stored)."""
    persisted = (data.extensions or {}).get("persistedQuery")
    allowed = allowlist()
    if persisted is None:
        if allowed is not None and (not isinstance(data.query, str) or sha256_of(data.query) not in allowed):
            raise Refusal("Only the operations this deployment lists may run.", NOT_IN_LIST, 400)
        return data
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise Refusal("Unsupported persisted query version: send version 1.", ErrorCode.BAD_USER_INPUT, 400)
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not _SHA256.match(digest):
        raise Refusal("sha256Hash must be 64 lowercase hex digits.", ErrorCode.BAD_USER_INPUT, 400)
    if data.query is not None:
        if sha256_of(data.query) != digest:
            raise Refusal("provided sha does not match query", ErrorCode.BAD_USER_INPUT, 400)
        if allowed is not None:
            if digest not in allowed:
                raise Refusal("Only the operations this deployment lists may run.", NOT_IN_LIST, 400)
        elif _registrable(data.query):
            cache.set(_key(schema, digest), data.query, timeout=settings.GRAPHQL_PERSISTED_QUERIES_TTL_SECONDS)
        return data
    document = allowed.get(digest) if allowed is not None else cache.get(_key(schema, digest))
    if document is None:
        if allowed is not None:
            raise Refusal("Only the operations this deployment lists may run.", NOT_IN_LIST, 400)
        raise Refusal("PersistedQueryNotFound", NOT_FOUND)
    return replace(data, query=document)


def _carries_credentials(request: HttpRequest) -> bool:
    return "Authorization" in request.headers or settings.SESSION_COOKIE_NAME in request.COOKIES


def cache_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Validators and caching rules for a GET query's JSON response (anything else is left alone)."""
    if request.method not in ("GET", "HEAD") or not response.get("Content-Type", "").startswith("application/json"):
        return response
    patch_vary_headers(response, ("Authorization", "Cookie"))
    if response.status_code != 200 or response.cookies:
        patch_cache_control(response, no_store=True)
        return response
    if _carries_credentials(request):
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    return get_conditional_response(request, etag=response["ETag"], response=response) or response
