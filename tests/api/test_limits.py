"""Limits and refusals of the HTTP endpoint: complexity limits, no batching, no mutations by GET,
bounded bodies, production introspection and suggestions, masked unexpected errors, GraphiQL."""

import json
import logging

import pytest
import strawberry
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.test import RequestFactory, override_settings

from saas.graphql.errors import ErrorPolicy
from saas.graphql.views import TenantGraphQLView
from saas.logging import ContextFilter
from saas.middleware import RequestIdMiddleware
from saas.schema import PlatformSchema, build_schema, schema
from tests.api.test_products_write import CREATE, new_product, rows
from tests.support import error_codes

pytestmark = pytest.mark.django_db


def test_too_many_aliases_is_query_too_complex(gql, acme, settings):
    """More aliases than GRAPHQL_MAX_ALIASES is refused before execution."""
    aliased = " ".join(f"t{n}: tenant {{ name }}" for n in range(settings.GRAPHQL_MAX_ALIASES + 1))
    result = gql.on("acme").execute(f"{{ {aliased} }}")
    assert error_codes(result) == ["QUERY_TOO_COMPLEX"]
    assert result.get("data") is None


def test_too_many_tokens_is_query_too_complex(gql, acme, settings):
    """A document longer than GRAPHQL_MAX_TOKENS is not even parsed to the end."""
    fields = " ".join(["name"] * settings.GRAPHQL_MAX_TOKENS)
    assert error_codes(gql.on("acme").execute(f"{{ tenant {{ {fields} }} }}")) == ["QUERY_TOO_COMPLEX"]


def test_too_deep_is_query_too_complex(gql, acme, settings):
    """Selections nested deeper than GRAPHQL_MAX_DEPTH are refused, and the limit follows the setting."""
    query = "{ products { edges { node { id } } } }"
    client = gql.on("acme").as_user("member")
    assert client.execute(query)["data"]["products"]["edges"] == []
    settings.GRAPHQL_MAX_DEPTH = 2  # the root field is depth 0, so `id` above is at depth 3
    result = client.execute(query)
    assert error_codes(result) == ["QUERY_TOO_COMPLEX"]
    assert result.get("data") is None


def test_deeply_nested_variables_are_refused(gql, acme):
    """Input nesting (AND/OR/NOT) too deep for graphql-core is an error with a code, not a crash."""
    member = gql.on("acme").as_user("member")
    filters = '{"OR":' * 600 + '{"sku": {"exact": "x"}}' + "}" * 600
    body = '{"query": "query($f: ProductFilter) { products(filters: $f) { totalCount } }", "variables": {"f": %s}}'
    response = member.client.post(
        "/graphql/", data=body % filters, content_type="application/json",
        HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Bearer {member.token}",
    )  # fmt: skip
    assert error_codes(response.json()) == ["QUERY_TOO_COMPLEX"]


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        '{"query": ' * 5000 + "1" + "}" * 5000,
        '{"query": 42}',
        '{"query": "{ tenant { name } }", "variables": []}',
    ],
    ids=["malformed", "nested-too-deep", "query-not-a-string", "variables-not-an-object"],
)
def test_malformed_bodies_are_bad_user_input(client, acme, body):
    """Bodies that are not a GraphQL request get 400 with a coded JSON error, never a 500."""
    response = client.post("/graphql/", data=body, content_type="application/json", HTTP_HOST="acme.localhost")
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]


def test_batches_are_refused(client, acme):
    """A JSON list of operations is not executed: batching is off."""
    batch = json.dumps([{"query": "{ tenant { name } }"}, {"query": "{ tenant { schemaName } }"}])
    response = client.post("/graphql/", data=batch, content_type="application/json", HTTP_HOST="acme.localhost")
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]


def test_get_runs_queries_but_never_mutations(client, gql, acme):
    """GET answers queries; a mutation sent by GET is refused and changes nothing."""
    token = gql.on("acme").as_user("owner").token
    headers = {"HTTP_HOST": "acme.localhost", "HTTP_AUTHORIZATION": f"Bearer {token}"}
    query = client.get("/graphql/", {"query": "{ tenant { schemaName } }"}, **headers)
    assert query.json() == {"data": {"tenant": {"schemaName": "acme"}}}
    variables = json.dumps({"input": new_product()})
    mutation = client.get("/graphql/", {"query": CREATE, "variables": variables}, **headers)
    assert mutation.status_code == 400
    assert error_codes(mutation.json()) == ["BAD_USER_INPUT"]
    assert rows(acme) == {}


def test_oversized_body_is_refused_before_parsing(gql, acme, settings):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE gets 413 and its mutation is not run."""
    owner = gql.on("acme").as_user("owner")
    padding = " " * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"query": CREATE + padding, "variables": {"input": new_product()}})
    response = owner.client.post(
        "/graphql/", data=body, content_type="application/json",
        HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Bearer {owner.token}",
    )  # fmt: skip
    assert response.status_code == 413
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    assert rows(acme) == {}


def test_production_schema_refuses_introspection():
    """With GRAPHQL_INTROSPECTION off (production's default) __schema is refused with a code."""
    introspection = "{ __schema { queryType { name } } }"
    assert schema.execute_sync(introspection).data == {"__schema": {"queryType": {"name": "Query"}}}
    with override_settings(GRAPHQL_INTROSPECTION=False, DEBUG=False):
        production = build_schema()
    result = production.execute_sync(introspection)
    assert result.data is None
    assert "introspection has been disabled" in result.errors[0].message


def test_field_suggestions_only_in_debug(gql, acme):
    """Outside DEBUG a typo gets no 'Did you mean', which would leak the schema piece by piece."""
    result = gql.on("acme").execute("{ tenat { name } }")
    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert "Did you mean" not in result["errors"][0]["message"]
    with override_settings(DEBUG=True):
        development = build_schema()
    assert "Did you mean" in development.execute_sync("{ tenat { name } }").errors[0].message


@strawberry.type
class FaultyQuery:
    @strawberry.field(description="Fails the way a bug would.")
    def broken(self) -> str:
        raise RuntimeError("database password is hunter2")


def test_unexpected_errors_are_masked_and_logged_with_the_request_id(caplog):
    """An exception no code explains reaches the client as INTERNAL_SERVER_ERROR, and the log has the details."""
    faulty = PlatformSchema(query=FaultyQuery, extensions=[ErrorPolicy])
    view = RequestIdMiddleware(TenantGraphQLView.as_view(schema=faulty, graphql_ide=None))
    caplog.handler.addFilter(ContextFilter())
    request = RequestFactory().post(
        "/graphql/", data=json.dumps({"query": "{ broken }"}), content_type="application/json",
        HTTP_X_REQUEST_ID="req-masked-1",
    )  # fmt: skip
    with caplog.at_level(logging.ERROR, logger="saas.graphql"):
        response = view(request)
    body = json.loads(response.content)
    assert body["errors"][0]["message"] == "Internal server error."
    assert error_codes(body) == ["INTERNAL_SERVER_ERROR"]
    assert "hunter2" not in response.content.decode()
    logged = [record for record in caplog.records if record.name == "saas.graphql"]
    assert len(logged) == 1
    assert logged[0].request_id == "req-masked-1"
    assert "hunter2" in str(logged[0].exc_info[1])


def test_graphiql_page_has_headers_and_subscriptions():
    """When enabled, a browser GET gets GraphiQL with the header editor, the websocket route and a CSRF cookie."""
    view = CsrfViewMiddleware(TenantGraphQLView.as_view(schema=schema, graphql_ide="graphiql"))
    response = view(RequestFactory().get("/graphql/", HTTP_ACCEPT="text/html"))
    assert isinstance(response, HttpResponse)
    page = response.content.decode()
    assert response.status_code == 200
    assert "isHeadersEditorEnabled: true" in page
    assert "subscriptionUrl" in page
    assert "csrftoken" in response.cookies


def test_graphiql_disabled_answers_not_found(client, acme, settings):
    """With GraphiQL off (production's default) a browser GET of /graphql/ is a coded 404."""
    disabled = TenantGraphQLView.as_view(schema=schema, graphql_ide=None)
    response = disabled(RequestFactory().get("/graphql/", HTTP_ACCEPT="text/html"))
    assert isinstance(response, HttpResponse) and response.status_code == 404
    assert error_codes(json.loads(response.content)) == ["NOT_FOUND"]
    routed = client.get("/graphql/", HTTP_HOST="acme.localhost", HTTP_ACCEPT="text/html")
    assert routed.status_code == (200 if settings.GRAPHIQL_ENABLED else 404)
