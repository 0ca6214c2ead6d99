"""Extension points of the platform layer (docs/architecture.md, "Layers").

``saas`` and ``tenants`` sit below the apps (``users``, ``catalog``, ``notifications``) and import
none of them. Where the platform needs something only an app knows (a readiness check of search,
the user behind a bearer token, a panel of the tenant console), it declares a hook here and the
app fills it from its ``AppConfig.ready()``. Only the composition root (``saas.settings``,
``saas.schema``, ``saas.urls_*``, ``saas.asgi``) imports apps directly.
"""

from collections.abc import Callable, Iterator
from typing import Any, Generic, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Registry(Generic[T]):
    """Named entries, kept in the order they were first registered; registering a name again replaces
    its entry (an ``AppConfig.ready()`` may run more than once in tests)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._entries: dict[str, T] = {}

    def register(self, name: str, entry: T) -> None:
        self._entries[name] = entry

    def items(self) -> Iterator[tuple[str, T]]:
        return iter(list(self._entries.items()))

    def __contains__(self, name: object) -> bool:
        return name in self._entries


class Slot(Generic[T]):
    """One implementation, filled by the app that owns it; using it empty is a configuration error."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._value: T | None = None

    def fill(self, value: T) -> None:
        self._value = value

    def get(self) -> T:
        if self._value is None:
            raise ImproperlyConfigured(f"no app provides {self.what}")
        return self._value

    def get_or_none(self) -> T | None:
        return self._value


class Accounts(Protocol):
    """What the platform asks of the app that owns user accounts (``users.services``)."""

    def token_user_uncached(self, *, raw_token: str) -> Any: ...

    def token_user_cached(self, *, raw_token: str) -> Any: ...

    def user_authenticate(self, *, email: str, password: str, client_address: str, request: Any = None) -> Any: ...

    def user_set_password(self, *, user: Any, password: str) -> Any: ...

    def client_address(self, request: Any) -> str: ...


# Sign-in of the admin sites and of websockets, password changes in the admin: filled by ``users``.
accounts: Slot[Accounts] = Slot("user accounts")

# Host name -> its tenant or None, cached like HTTP's host lookup: filled by ``tenants``.
tenant_by_host: Slot[Callable[[str], Any]] = Slot("the tenant of a host name")

# /readyz parts after the database and the cache: name -> check returning {"ok": bool, ...}.
readiness_checks: Registry[Callable[[], dict[str, Any]]] = Registry("readiness checks")

# Prometheus collectors registered with the metrics server (name -> factory of a collector).
metrics_collectors: Registry[Callable[[], Any]] = Registry("metrics collectors")

# The GraphiQL console's starter search word, read in the tenant's schema (None: the catalog is empty).
console_search_word: Slot[Callable[[], str | None]] = Slot("the console's search word")
