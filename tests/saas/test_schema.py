"""The committed schema.graphql is what the code serves (the web client generates its types from it)."""

from strawberry.printer import print_schema

from saas.schema import schema
from tests.support import ROOT


def test_schema_file_matches_the_code():
    """Fails when the code's schema and schema.graphql drift apart: run `make schema` and commit the file."""
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed == print_schema(schema), "schema.graphql is stale: run `make schema` and commit it"
