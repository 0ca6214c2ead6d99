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
# the identity cannot be reused while its entry exists).
_BODIES_KEPT = 256
_bodies: "OrderedDict[int, tuple[Any, str]]" = OrderedDict()


def _remember_body(data: Any) -> None:
    _bodies[id(data)] = (data, json.dumps({"data": data}))
    while len(_bodies) > _BODIES_KEPT:
        _bodies.popitem(last=False)


def frame_body(payload: dict[str, Any]) -> str | None:
    """The serialized ``next`` payload when it is a shared result with nothing else in it, else None."""
    if len(payload) != 1 or "data" not in payload:
        return None
    entry = _bodies.get(id(payload["data"]))
    return entry[1] if entry is not None and entry[0] is payload["data"] else None


class _SharedEvent:
    """What map_source_to_response_event asks of a per-event executor: ``execute_operation``."""

    __slots__ = ("key", "parent", "payload", "results")

    def __init__(self, parent: "SharedEventExecutor", payload: Any, results: dict, key: tuple):
        self.parent, self.payload, self.results, self.key = parent, payload, results, key

    def execute_operation(self, serially: bool | None = None) -> Any:
        shared = self.results.get(self.key)
        if shared is not None:
            return shared
        result = StrawberryGraphQLCoreExecutionContext.build_per_event_executor(self.parent, self.payload)
        result = result.execute_operation(serially)
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
            fragments = sorted(print_ast(fragment) for fragment in self.fragment_definitions.values())
            variables = json.dumps(self.variable_values.coerced, sort_keys=True, default=repr)
            self._subscription_key = (print_ast(self.operation), tuple(fragments), variables)
        return self._subscription_key

    def build_per_event_executor(self, payload: Any) -> Any:
        results = getattr(payload, "shared_results", None)
        if not isinstance(results, dict):
            return super().build_per_event_executor(payload)
        return _SharedEvent(self, payload, results, self._key())
