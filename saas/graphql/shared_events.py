"""Subscription events executed once per process, not once per subscriber.

A broadcast reaches every socket of a tenant, and graphql-core would run the subscription's
selection set again for each of them, then each socket would serialize the same result again.
Here an event payload may carry ``shared_results`` (a dict): the event is then executed once per
distinct subscription (document, operation name and variables) and the result is reused by every
socket subscribed with the same one; ``frame_body`` then serializes that result's ``next``
payload once, and each socket writes it with its own operation id.

A payload opts in only when nothing its selection sets can ask for depends on who is asking
beyond the payload itself: the payload is the scope of the sharing. ``notifications.events``
builds one notification instance per (tenant, notification, recipient, read state), so a
broadcast is shared by the tenant's subscribers in the process, a direct notification only by
its recipient's sockets, and nothing crosses tenants. Results with errors are never shared.
"""

import json
from collections import OrderedDict
from typing import Any

from graphql import ExecutionResult, print_ast
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

# Bodies of recently shared results, by the identity of the result's data (kept alive here, so
# the identity cannot be reused while its entry exists), and whether one went out through the
# protocol handler as it is (then nothing of the per-result pipeline changes it).
_BODIES_KEPT = 256
_bodies: "OrderedDict[int, list]" = OrderedDict()


def _remember_body(data: Any) -> None:
    _bodies[id(data)] = [data, json.dumps({"data": data}), False]
    while len(_bodies) > _BODIES_KEPT:
        _bodies.popitem(last=False)


def frame_body(payload: dict[str, Any]) -> str | None:
    """The serialized ``next`` payload when it is a shared result with nothing else in it, else None.
    The protocol handler asks; from then on, other sockets may be sent the same body directly."""
    if len(payload) != 1 or "data" not in payload:
        return None
    entry = _bodies.get(id(payload["data"]))
    if entry is None or entry[0] is not payload["data"]:
        return None
    entry[2] = True
    return entry[1]


def share_results(payload: Any) -> Any:
    """Opt ``payload`` in: the sockets that get this very object share its executions (see above)."""
    payload.__dict__["shared_results"] = {}
    return payload


def subscription_key(operation: Any, fragments: dict[str, Any], variables: dict[str, Any]) -> tuple:
    """What makes two subscriptions' results for one event the same: document, operation, variables."""
    if operation.loc is not None:
        document = operation.loc.source.body  # the whole document, fragments included
    else:
        document = print_ast(operation) + "".join(sorted(print_ast(fragment) for fragment in fragments.values()))
    name = operation.name.value if operation.name else None
    return document, name, json.dumps(variables, sort_keys=True, default=repr)


def shared_frame(payload: Any, key: tuple) -> str | None:
    """The body another socket with the same subscription already got for this event, sent through
    the whole per-result pipeline, or None (then this event goes through it here too)."""
    results = getattr(payload, "shared_results", None)
    if not isinstance(results, dict):
        return None
    result = results.get(key)
    if result is None:
        return None
    entry = _bodies.get(id(result.data))
    return entry[1] if entry is not None and entry[0] is result.data and entry[2] else None


class _SharedEvent:
    """What map_source_to_response_event asks of a per-event executor: ``execute_operation``."""

    __slots__ = ("key", "parent", "payload", "results")

    def __init__(self, parent: "SharedEventExecutor", payload: Any, results: dict, key: tuple):
        self.parent, self.payload, self.results, self.key = parent, payload, results, key

    def execute_operation(self, serially: bool | None = None) -> Any:
        shared = self.results.get(self.key)
        if shared is not None:
            return shared
        executor = StrawberryGraphQLCoreExecutionContext.build_per_event_executor(self.parent, self.payload)
        result = executor.execute_operation(serially)
        if self.parent.is_awaitable(result):
            return self._finish(result)
        self._share(result)
        return result

    async def _finish(self, pending: Any) -> ExecutionResult:
        result = await pending
        self._share(result)
        return result

    def _share(self, result: Any) -> None:
        if isinstance(result, ExecutionResult) and not result.errors and result.data is not None:
            self.results[self.key] = result
            _remember_body(result.data)


class SharedEventExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's graphql-core executor, sharing the execution of events that carry ``shared_results``."""

    _subscription_key: tuple | None = None

    def _key(self) -> tuple:
        if self._subscription_key is None:
            self._subscription_key = subscription_key(
                self.operation, self.fragment_definitions, self.variable_values.coerced
            )
        return self._subscription_key

    def build_per_event_executor(self, payload: Any) -> Any:
        results = getattr(payload, "shared_results", None)
        if not isinstance(results, dict):
            return super().build_per_event_executor(payload)
        return _SharedEvent(self, payload, results, self._key())


class SharedDelivery:
    """A subscription's direct path: an event whose frame another socket of the process already got
    for the same subscription is written to this socket as it is, framed with this operation's id,
    without running it through graphql-core and strawberry's per-result steps again.

    ``sent`` answers False when there is no such frame yet (the first socket of an event, or a
    payload that does not share): the resolver then yields the payload as usual.
    """

    def __init__(self, info: Any):
        raw = info._raw_info  # graphql-core's resolve info: the fragments of the document
        self.key = subscription_key(info.operation, raw.fragments, info.variable_values)
        self.consumer = info.context.request

    async def sent(self, payload: Any) -> bool:
        body = shared_frame(payload, self.key)
        if body is None:
            return False
        return await self.consumer.send_operation_next(body)
