"""GraphQL execution costs the same at any call depth (saas/graphql/stack.py).

Without its own frame chunk, an execution that starts just below a chunk boundary of CPython's
frame stack maps and unmaps a chunk for every field it completes; each fresh mapping is touched
and costs a minor page fault. The products page is executed here from every depth across more
than one 16 KiB chunk, in acme and in beta, and the page faults of each execution are counted.
"""

import resource
from collections.abc import Callable
from typing import Any

import pytest
from django_tenants.utils import tenant_context

from saas import cache as cache_keys
from saas.graphql.stack import call_with_stack_room
from saas.schema import schema
from tests.catalog.test_selectors import signed_in_context
from tests.support import marker

pytestmark = pytest.mark.django_db

PAGE = (
    "query { products(first: 50) { totalCount edges { node "
    "{ id name description sku price isActive createdAt updatedAt } } } }"
)
# Depths of 0 to 240 small frames (about 100 bytes each) cover more than one 16 KiB chunk.
DEPTHS = range(0, 241, 3)
# Mapping a chunk afresh for each field came to over 400 faults at the worst depth for the three
# products of the catalog fixture; a run in its own chunk touches a few dozen new pages at most.
MAX_FAULTS = 150


def _at_depth(depth: int, function: Callable[[], Any]) -> Any:
    return function() if depth == 0 else _at_depth(depth - 1, function)


def _minor_faults() -> int:
    return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt


def test_page_execution_faults_no_pages_at_any_depth(acme, beta, catalog):
    for tenant in (acme, beta):
        context = signed_in_context(tenant, "member")

        def page():
            cache_keys.bump_generation(cache_keys.PRODUCTS)  # executed from PostgreSQL every time
            result = schema.execute_sync(PAGE, context_value=context)
            assert result.errors is None, result.errors
            return result.data

        with tenant_context(tenant):
            names = [edge["node"]["name"] for edge in page()["products"]["edges"]]
            assert names and all(marker(tenant.schema_name) in name for name in names)
            faults = {}
            for depth in DEPTHS:
                _at_depth(depth, page)  # warm: the heap has grown to what a page needs
                before = _minor_faults()
                _at_depth(depth, page)
                faults[depth] = _minor_faults() - before
        worst = max(faults, key=faults.__getitem__)
        assert faults[worst] < MAX_FAULTS, f"{tenant.schema_name}: {faults[worst]} page faults at depth {worst}"


def test_call_with_stack_room_passes_arguments_results_and_errors():
    assert call_with_stack_room(lambda a, *, b: (a, b), 1, b=2) == (1, 2)
    with pytest.raises(KeyError):
        call_with_stack_room({}.__getitem__, "missing")
