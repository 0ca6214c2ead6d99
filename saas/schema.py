"""The GraphQL schema: every app's Query, Mutation and Subscription merged, with the security extensions."""

import strawberry
from django.conf import settings
from graphql import GraphQLError, OperationType, get_operation_ast
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.extensions.disable_introspection import DisableIntrospection
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from catalog.graphql.schema import Mutation as CatalogMutation
from catalog.graphql.schema import Query as CatalogQuery
from catalog.graphql.search import Query as CatalogSearchQuery
from notifications.graphql.schema import Mutation as NotificationMutation
from notifications.graphql.schema import Query as NotificationQuery
from notifications.graphql.schema import Subscription as NotificationSubscription
from saas.db import connection_lost, may_retry_read, reconnect_for_retry
from saas.graphql.errors import ErrorPolicy, masked_unless_coded
from saas.graphql.known_valid import KnownValidSubscriptions
from saas.graphql.operations import KnownFragmentsFirst, SharedParse, parse_document
from saas.graphql.shared_events import SharedEventExecutor
from saas.graphql.stack import call_with_stack_room
from saas.input_cleaning import TextInputCleaning
from saas.observability import schema_extensions
from tenants.graphql.schema import Query as TenantQuery
from users.graphql.schema import Mutation as UserMutation
from users.graphql.schema import Query as UserQuery

# Each app contributes its root types here.
QUERIES: tuple[type, ...] = (TenantQuery, UserQuery, CatalogQuery, CatalogSearchQuery, NotificationQuery)
MUTATIONS: tuple[type, ...] = (UserMutation, CatalogMutation, NotificationMutation)
SUBSCRIPTIONS: tuple[type, ...] = (NotificationSubscription,)

Query = merge_types("Query", QUERIES)
Mutation = merge_types("Mutation", MUTATIONS) if MUTATIONS else None
Subscription = merge_types("Subscription", SUBSCRIPTIONS) if SUBSCRIPTIONS else None


def _extensions() -> list:
    # No DjangoOptimizerExtension: no type exposes a relation, so it had no N+1 to prevent, and a
    # schema extension with a per-field hook puts every field of every node through it (it halved
    # the speed of an uncached 50-product page). Add it back with the first relation field.
    extensions = [
        lambda: QueryDepthLimiter(max_depth=settings.GRAPHQL_MAX_DEPTH),
        lambda: MaxTokensLimiter(max_token_count=settings.GRAPHQL_MAX_TOKENS),
        lambda: MaxAliasesLimiter(max_alias_count=settings.GRAPHQL_MAX_ALIASES),
        SharedParse,
        TextInputCleaning,
        KnownFragmentsFirst,
        KnownValidSubscriptions,
        ErrorPolicy,
        *schema_extensions(),
    ]
    if not settings.GRAPHQL_INTROSPECTION:
        extensions.append(DisableIntrospection)
    return extensions


class PlatformSchema(strawberry.Schema):
    def _execute_sync_retrying_reads(self, query, *args, **kwargs):
        """A query that failed on a lost database connection runs once more on a fresh one (saas/db.py);
        mutations are not repeated. Over HTTP and over websockets alike."""
        result = super().execute_sync(query, *args, **kwargs)
        lost = next(
            (error.original_error for error in result.errors or () if _lost_connection(error.original_error)), None
        )
        if lost is None or not may_retry_read(lost):
            return result
        if _operation_type(query, kwargs.get("operation_name")) != OperationType.QUERY:
            return result
        reconnect_for_retry(lost, "a GraphQL query")
        return super().execute_sync(query, *args, **kwargs)

    def process_errors(self, errors, execution_context=None) -> None:
        """Log nothing here: ErrorPolicy logs the unexpected errors (with the request id) and a
        client's own mistakes, which carry a code, are answered rather than logged as incidents."""

    def execute_sync(self, query, *args, **kwargs):
        # In a frame chunk of its own: how deep the caller is must not decide whether every field
        # maps and unmaps a chunk of the interpreter's frame stack (saas/graphql/stack.py).
        return masked_unless_coded(call_with_stack_room(self._execute_sync_retrying_reads, query, *args, **kwargs))

    async def execute(self, *args, **kwargs):
        return masked_unless_coded(await super().execute(*args, **kwargs))


def _lost_connection(error) -> bool:
    return error is not None and connection_lost(error)


def _operation_type(query: str | None, operation_name: str | None) -> OperationType | None:
    try:
        operation = get_operation_ast(parse_document(query or ""), operation_name)
    except GraphQLError:
        return None
    return operation.operation if operation else None


def build_schema() -> PlatformSchema:
    """The schema as the current settings configure it (tests build the production variant too)."""
    return PlatformSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=_extensions(),
        config=StrawberryConfig(disable_field_suggestions=not settings.DEBUG),
        # Subscription events that allow it run once per process, not once per subscriber.
        execution_context_class=SharedEventExecutor,
    )


schema = build_schema()
