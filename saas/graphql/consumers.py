"""The GraphQL websocket consumer (graphql-transport-ws only).

``TenantWebsocketMiddleware`` has already resolved the tenant from Host and vetted the Origin.
The client authenticates in ``connection_init``: ``{"authToken": "<token>"}``, or, when it sent
an Origin header (a browser), with the Django session cookie. Anything else, and a token or
session that this tenant did not issue, closes the socket with 4403.

Every ORM call made for the socket goes through ``tenant_sync`` (docs/architecture.md, rule 3): the
credential lookups, and queries and mutations sent over the socket, which run synchronously
inside the tenant's schema. Subscriptions never query: their events carry what they deliver.

Each authenticated socket listens for ``stream.end`` on its user's and its tenant's groups (through
the process's fan-out, saas/graphql/fanout.py) and closes itself when that user logs out or is
deactivated, or the tenant is suspended or deleted.
"""

import asyncio
import contextlib
import datetime as dt
import logging
from contextlib import AsyncExitStack
from importlib import import_module
from typing import Any

from channels.consumer import get_handler_name
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.http.cookie import parse_cookie
from django_tenants.utils import schema_context
from graphql import GraphQLError, OperationType
from strawberry.channels import GraphQLWSConsumer
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.unset import UNSET

from saas import hooks
from saas.errors import ErrorCode, coded_error
from saas.graphql import socket_limits, streams
from saas.graphql.context import GraphQLContext
from saas.graphql.fanout import process_fanout
from saas.graphql.frames import CheckedTransportWSHandler, decode_frame, next_frame
from saas.graphql.operations import parse_document, selected_operation
from saas.graphql.tenancy import tenant_sync
from saas.observability import WEBSOCKET_CONNECTIONS

logger = logging.getLogger(__name__)


# Close codes of ended streams; strawberry sends the protocol's own (4403 for a refused
# connection_init, 4408 for the init timeout, ...). Plain ints: daphne refuses enum members.
CLOSE_SESSION_ENDED = 4401  # logout, deactivated user or password reset; graphql-ws clients do not retry on 4401
CLOSE_TENANT_UNAVAILABLE = 4403  # suspended or deleted tenant; a new handshake is refused as well
CLOSE_TOO_MANY_SOCKETS = 4430  # the user or the client address already has the most sockets allowed


class TooManySockets(Exception):
    """The socket would pass ``WEBSOCKET_MAX_PER_USER`` or ``WEBSOCKET_MAX_PER_ADDRESS``."""


_CLOSE_FOR_REASON = {
    streams.StreamEndReason.LOGOUT: (CLOSE_SESSION_ENDED, "Session ended"),
    streams.StreamEndReason.USER_DEACTIVATED: (CLOSE_SESSION_ENDED, "Session ended"),
    streams.StreamEndReason.CREDENTIALS_REVOKED: (CLOSE_SESSION_ENDED, "Session ended"),
    streams.StreamEndReason.TENANT_UNAVAILABLE: (CLOSE_TENANT_UNAVAILABLE, "Tenant unavailable"),
}


def _session_user(session_key: str):
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = get_user(request)
    return user if user.is_authenticated else None


async def _single(result: ExecutionResult):
    yield result


def _session_ended() -> GraphQLError:
    return coded_error("Your session has ended. Sign in again.", ErrorCode.UNAUTHENTICATED)


class TenantExecution:
    """The schema as the socket's protocol handler uses it: the only way an operation runs on a socket.

    Each operation runs as the user the database knows now (a demoted, deactivated or signed-out
    user, or a suspended tenant, gets UNAUTHENTICATED). Queries and mutations run with
    ``execute_sync`` inside ``tenant_sync``, so their resolvers' ORM calls happen in this socket's
    tenant schema; subscriptions stream as usual. Which operation runs is decided here, once
    (``saas.graphql.operations``): a document that does not pick exactly one operation is refused
    with an ``error`` message and never reaches the schema.
    """

    def __init__(self, schema, consumer: "TenantGraphQLWSConsumer"):
        self.schema = schema
        self.consumer = consumer

    def _current_user(self, *, cached: bool = False):
        user = self.consumer.current_user(cached=cached)
        if user is not None:
            self.consumer.scope["user"] = user
        return user

    def _execute_as_current_user(self, query: str | None, **kwargs) -> ExecutionResult:
        if self._current_user() is None:
            return ExecutionResult(data=None, errors=[_session_ended()])
        return self.schema.execute_sync(query, **kwargs)

    async def stream(self, query: str | None, variable_values=None, context_value=None, root_value=None,
                     operation_name: str | None = None, **kwargs):  # fmt: skip
        try:
            operation = selected_operation(parse_document(query or ""), operation_name)
        except GraphQLError as refusal:
            # A syntax error closes the socket with 4400 (strawberry); no single operation: an error message.
            return _single(PreExecutionError(data=None, errors=[refusal]))
        if operation.operation is OperationType.SUBSCRIPTION:
            if await tenant_sync(self.consumer.tenant, self._current_user, cached=True) is None:
                return _single(PreExecutionError(data=None, errors=[_session_ended()]))
            return await self.schema.stream(
                query, variable_values=variable_values, context_value=context_value, root_value=root_value,
                operation_name=operation_name, **kwargs,
            )  # fmt: skip
        result = await tenant_sync(
            self.consumer.tenant, self._execute_as_current_user, query, variable_values=variable_values,
            context_value=context_value, root_value=root_value, operation_name=operation_name,
        )  # fmt: skip
        if result.data is None and result.errors and all(error.path is None for error in result.errors):
            # Validation failed before execution: the protocol answers with an ``error`` message.
            result = PreExecutionError(data=None, errors=result.errors, extensions=result.extensions)
        return _single(result)


class TenantTransportWSHandler(CheckedTransportWSHandler):
    def __init__(self, *, view: "TenantGraphQLWSConsumer", schema, **kwargs):
        # TenantExecution wraps the schema and provides what the handler calls on it.
        super().__init__(view=view, schema=TenantExecution(schema, view), **kwargs)  # type: ignore[arg-type]
        view.protocol_handler = self

    async def handle_connection_init(self, message) -> None:
        try:
            await super().handle_connection_init(message)
        except TooManySockets as error:
            await self.websocket.close(code=CLOSE_TOO_MANY_SOCKETS, reason=str(error))


class TenantGraphQLWSConsumer(GraphQLWSConsumer[GraphQLContext, None]):
    graphql_transport_ws_handler_class = TenantTransportWSHandler

    @classmethod
    def for_schema(cls, schema):
        return cls.as_asgi(
            schema=schema,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=dt.timedelta(seconds=settings.WEBSOCKET_INIT_TIMEOUT_SECONDS),
            max_subscriptions_per_connection=settings.WEBSOCKET_MAX_SUBSCRIPTIONS,
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.credential_fingerprint = ""
        # Set for token sockets, as BearerTokenMiddleware sets it on requests: `logout` revokes it.
        self.auth_token: str | None = None
        self.session_key: str | None = None
        self._stream_end_listener = AsyncExitStack()
        self._stream_end_task: asyncio.Task | None = None
        self._holds_slot = False
        self.protocol_handler: TenantTransportWSHandler | None = None

    @property
    def tenant(self):
        return self.scope["tenant"]

    @property
    def user(self):
        return self.scope.get("user") or AnonymousUser()

    async def connect(self) -> None:
        await super().connect()
        WEBSOCKET_CONNECTIONS.inc()
        self._counted = True

    async def dispatch(self, message) -> None:
        """Channels' ``AsyncConsumer.dispatch`` without its ``aclose_old_connections()`` before each
        message: that is a hop to a worker thread for every frame a socket receives, and this
        consumer never uses the database connection of the thread it runs on. Its ORM work runs
        through ``tenant_sync``, on Channels' database thread, which closes unusable or expired
        connections before and after every call (saas/graphql/tenancy.py). Channel-layer messages
        still go through strawberry's routing to its listeners."""
        kind = message.get("type", "")
        if kind and not kind.startswith(("http.", "websocket.")):
            await super().dispatch(message)  # strawberry's ChannelsConsumer: to its listen queues
            return
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {kind}")
        await handler(message)

    def decode_json(self, data):
        return decode_frame(data)

    async def send_operation_next(self, payload_body: str) -> bool:
        """Send a serialized ``next`` payload for the operation running in the current task (a
        subscription's resolver); False when no live operation of this socket runs in it."""
        task = asyncio.current_task()
        handler = self.protocol_handler
        for operation_id, operation in (handler.operations if handler is not None else {}).items():
            if operation.task is task and not operation.completed:
                await self.send(next_frame(operation_id, payload_body))
                return True
        return False

    @property
    def session(self):
        """The Django session that authenticated this socket (None for token sockets), so that
        ``logout`` over the socket ends it as it does over HTTP."""
        if self.session_key is None:
            return None
        return import_module(settings.SESSION_ENGINE).SessionStore(self.session_key)

    def is_websocket_origin_allowed(self, request, origin: str) -> bool:
        # TenantWebsocketMiddleware admitted this Origin: one of the tenant's domains or a configured one.
        return True

    async def get_context(self, request, response) -> GraphQLContext:
        return GraphQLContext(request=request)

    async def on_ws_connect(self, context: GraphQLContext):
        authenticated = await self._authenticate(context.connection_params)
        if authenticated is None:
            raise ConnectionRejectionError()
        self.scope["user"], self.credential_fingerprint = authenticated
        await self._take_socket_slot()
        await self._watch_for_stream_end()
        return UNSET

    async def _take_socket_slot(self) -> None:
        client = self.scope.get("client")
        full = await socket_limits.take_slot(
            socket_id=self.channel_name or str(id(self)),
            schema_name=self.tenant.schema_name,
            user_id=self.user.pk,
            address=client[0] if client else "unknown",
        )
        self._holds_slot = full is None
        if full == socket_limits.USER:
            raise TooManySockets("Too many sockets for this user")
        if full == socket_limits.ADDRESS:
            raise TooManySockets("Too many sockets from this address")

    async def _authenticate(self, params: dict[str, Any]):
        """(user, credential fingerprint) from the connection_init payload or the session cookie, else None."""
        if "authToken" in params:
            raw_token = params["authToken"]
            if not isinstance(raw_token, str):
                return None
            user = await tenant_sync(self.tenant, hooks.accounts.get().token_user_cached, raw_token=raw_token)
            if user is None:
                return None
            self.auth_token = raw_token
            return user, streams.credential_fingerprint(raw_token)
        if self.scope.get("origin") is None:
            # Only browsers send Origin; without one a cookie is not ambient, so a token is required.
            return None
        session_key = self._cookies().get(settings.SESSION_COOKIE_NAME)
        if not session_key:
            return None
        user = await tenant_sync(self.tenant, _session_user, session_key)
        if user is None:
            return None
        self.session_key = session_key
        return user, streams.credential_fingerprint(session_key)

    def current_user(self, *, cached: bool = False):
        """Inside the tenant's schema: the socket's user as the database sees them now, or None when
        the tenant is suspended or the token or session that opened the socket is no longer valid.

        ``cached`` (a subscription starting): the tenant and the token are read through the caches
        that HTTP requests use, which every suspension, revocation and user change clears on commit;
        those changes also close the socket (``stream.end``). Queries and mutations read the database.
        """
        if cached:
            with schema_context(settings.PUBLIC_SCHEMA_NAME):
                tenant = hooks.tenant_by_host.get()(self.scope.get("tenant_hostname", ""))
            if tenant is None or tenant.pk != self.tenant.pk or not tenant.is_active:
                return None
        elif not type(self.tenant).objects.filter(pk=self.tenant.pk, is_active=True).exists():
            return None
        if self.auth_token is not None:
            accounts = hooks.accounts.get()
            return (accounts.token_user_cached if cached else accounts.token_user_uncached)(raw_token=self.auth_token)
        return _session_user(self.session_key) if self.session_key else None

    def _cookies(self) -> dict[str, str]:
        header = next((value for name, value in self.scope.get("headers", []) if name == b"cookie"), b"")
        return parse_cookie(header.decode("latin1"))

    async def _watch_for_stream_end(self) -> None:
        groups = streams.subscriber_groups(self.tenant.schema_name, self.user.pk)
        try:
            messages = await self._stream_end_listener.enter_async_context(
                process_fanout().listen(streams.STREAM_END_EVENT, groups, streams.event_group)
            )
        except Exception as error:
            # Without the channel layer the socket could not be closed at logout: refuse it (4403).
            logger.warning("channel layer unavailable; websocket refused", exc_info=True)
            raise ConnectionRejectionError() from error
        self._stream_end_task = asyncio.create_task(self._close_on_stream_end(messages))

    async def _close_on_stream_end(self, messages) -> None:
        schema_name, user_id = self.tenant.schema_name, self.user.pk
        async for message in messages:
            if streams.stream_ends(
                message, schema_name=schema_name, user_id=user_id, fingerprint=self.credential_fingerprint
            ):
                code, reason = _CLOSE_FOR_REASON.get(message.get("reason"), (CLOSE_SESSION_ENDED, "Session ended"))
                await self.close(code=code, reason=reason)
                return

    async def disconnect(self, code: int) -> None:
        if getattr(self, "_counted", False):
            self._counted = False
            WEBSOCKET_CONNECTIONS.dec()
        if self._stream_end_task is not None:
            # Wait for the watcher to stop before its message stream is closed below: closing an
            # async generator that a task is still iterating fails ("already running").
            self._stream_end_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._stream_end_task
        try:
            await super().disconnect(code)
            await self._stream_end_listener.aclose()
        finally:
            # Leaving groups fails while the channel layer's Redis is down; the socket's slot is
            # given back all the same, or this process would renew its lease forever.
            if self._holds_slot:
                self._holds_slot = False
                await socket_limits.release_slot(socket_id=self.channel_name or str(id(self)))
