"""Subscription documents validated once per process.

Every socket of a client sends the same subscription document, and validating it was the largest
single cost of opening a socket after the credential lookups. A document that validated without
errors under the same validation rules and limits is valid again: the schema does not change
while the process runs. Only successes are remembered, so every refusal is produced (and coded,
saas/graphql/errors.py) as before; strawberry's ``ValidationCache`` also replays cached errors and
is keyed on the rule instances, which are new for each request. Queries and mutations are
validated as before.
"""

from collections import OrderedDict
from collections.abc import Iterator

from django.conf import settings
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

KEPT = 256
_valid: "OrderedDict[tuple, None]" = OrderedDict()


class KnownValidSubscriptions(SchemaExtension):
    def _key(self) -> tuple | None:
        context = self.execution_context
        try:
            operation_type = context.operation_type
        except Exception:  # noqa: BLE001 - no single operation: left to validation to report
            return None
        if operation_type is not OperationType.SUBSCRIPTION or not context.query:  # strawberry's enum
            return None
        rules = tuple(f"{rule.__module__}.{rule.__qualname__}" for rule in context.validation_rules)
        limits = (settings.GRAPHQL_MAX_DEPTH, settings.GRAPHQL_MAX_ALIASES, settings.GRAPHQL_INTROSPECTION)
        return context.query, context.operation_name, rules, limits

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        key = self._key() if context.pre_execution_errors is None else None
        if key is not None and key in _valid:
            _valid.move_to_end(key)
            context.pre_execution_errors = []  # validated before: nothing to run again
        yield
        if key is not None and context.pre_execution_errors == [] and key not in _valid:
            _valid[key] = None
            while len(_valid) > KEPT:
                _valid.popitem(last=False)
