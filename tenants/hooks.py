"""Extension points of the tenants app, filled by the apps above it from their ``AppConfig.ready()``
(docs/architecture.md, "Layers"): tenants imports no app, the apps tell it what they have.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from saas.hooks import Registry


@dataclass(frozen=True)
class ConsolePanel:
    """Figures of one app on a tenant's console page, read inside the tenant's schema.

    ``last_activity``: the key of a moment among the figures that counts as the tenant's activity.
    """

    figures: Callable[[], dict[str, Any]]
    last_activity: str | None = None


# name -> panel; the console template shows ``overview.<name>``.
console_panels: Registry[ConsolePanel] = Registry("tenant console panels")


@dataclass(frozen=True)
class TenantPageSet:
    """Admin pages under one tenant's page on the platform admin (``/admin/tenants/client/<id>/...``).

    ``urls``: function of the tenant ModelAdmin returning the URL patterns; ``label`` and ``index``
    (a URL name suffix: ``users`` is ``admin:tenants_client_users``): the link in the tenant list.
    """

    urls: Callable[[Any], list]
    label: str
    index: str


tenant_pages: Registry[TenantPageSet] = Registry("tenant admin pages")


@dataclass(frozen=True)
class DemoSeeder:
    """Demo data of one app (``make run``): ``seed(schema_name, spec)`` runs in the tenant's schema,
    and once in the public schema with ``spec`` None. Lower ``order`` runs first."""

    seed: Callable[[str, Any], None]
    order: int = 100


demo_seeders: Registry[DemoSeeder] = Registry("demo seeders")
