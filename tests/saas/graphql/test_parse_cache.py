"""Parsed documents are shared per process (saas/graphql/operations.py), and only parsed ones."""

import pytest
from graphql import GraphQLSyntaxError

from saas.graphql import operations
from saas.schema import schema


def test_the_same_text_is_parsed_once_and_the_token_limit_still_applies(settings):
    text = "query ParseCacheCheck { me { id } }"
    first = operations.parse_document(text)
    assert operations.parse_document(text) is first
    settings.GRAPHQL_MAX_TOKENS = 3
    with pytest.raises(GraphQLSyntaxError, match="more than 3 tokens"):
        operations.parse_document(text)  # the limit is part of what is kept


def test_documents_that_do_not_parse_are_refused_every_time():
    operations._parse.cache_clear()
    for _ in range(2):
        with pytest.raises(GraphQLSyntaxError):
            operations.parse_document("query { me { id }")
    assert operations._parse.cache_info().currsize == 0


def test_the_schema_reports_a_syntax_error_itself():
    """``SharedParse`` leaves a broken document to strawberry, which answers with its own error."""
    result = schema.execute_sync("query { me { id }")
    assert result.errors and "Syntax Error" in result.errors[0].message
