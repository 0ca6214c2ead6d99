"""GraphQL execution with room on the interpreter's frame stack (docs/benchmarks.md, read path).

CPython 3.11 keeps the frames of Python calls in per-thread chunks of 16 KiB. A call whose frame
does not fit in the current chunk gets a new chunk from ``mmap``; returning from the first frame
of a chunk gives the chunk back with ``munmap`` at once. Executing a document calls down and back
up through a dozen frames for every field it completes, so when the execution happens to start
just below a chunk boundary, every field crosses it twice: one uncached page of 50 products made
thousands of ``mmap``/``munmap`` pairs and took 25-30 ms of CPU instead of 6 ms. Where the
boundary falls depends on how deep the caller is (the middleware stack, asgiref's thread hand-off),
so the same query was fast in a test and slow behind the HTTP middleware, and a middleware added
or removed made it slower or faster with no change to GraphQL at all.

``call_with_stack_room`` runs a function from a frame that claims ``STACK_ROOM_SLOTS`` slots of
value stack it never uses. Such a frame does not fit in a 16 KiB chunk, so it always starts a new,
larger chunk; the frames of the execution are then pushed after it in that same chunk, which stays
until the execution returns. A request then maps one chunk instead of thousands, at any depth.
The slots cost address space, not memory: pages nobody writes to are never touched.
"""

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# 4096 slots (32 KiB) make CPython map a 64 KiB chunk (it doubles 16 KiB until the frame plus its
# reserve fits), which leaves about 32 KiB after the frame: three times what executing a page of
# products uses, and room for documents as deep as GRAPHQL_MAX_DEPTH allows.
STACK_ROOM_SLOTS = 4096


def _call(function: Callable[..., T], args: tuple, kwargs: dict) -> T:
    return function(*args, **kwargs)


# The same function with a larger declared value stack (only the frame's size changes).
_call.__code__ = _call.__code__.replace(co_stacksize=_call.__code__.co_stacksize + STACK_ROOM_SLOTS)


def call_with_stack_room(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)`` with its frames in a chunk of their own (see the module docstring)."""
    return _call(function, args, kwargs)
