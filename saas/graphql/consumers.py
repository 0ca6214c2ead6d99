"""The GraphQL websocket consumer (graphql-transport-ws only)."""

import datetime as dt

from django.conf import settings
from strawberry.channels import GraphQLWSConsumer
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL


class TenantGraphQLWSConsumer(GraphQLWSConsumer):
    @classmethod
    def for_schema(cls, schema):
        return cls.as_asgi(
            schema=schema,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=dt.timedelta(seconds=settings.WEBSOCKET_INIT_TIMEOUT_SECONDS),
            max_subscriptions_per_connection=settings.WEBSOCKET_MAX_SUBSCRIPTIONS,
        )
