"""Liveness and readiness probes, answered on every host.

Readiness asks the database and the cache, then every check an app registered in
``saas.hooks.readiness_checks`` (search: ``catalog.search.services.search_readiness``)."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

from saas import hooks

logger = logging.getLogger(__name__)


def healthz(request):
    return JsonResponse({"status": "ok"})


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def _cache() -> dict:
    cache.client.get_client(write=True).ping()  # type: ignore[attr-defined]  # django-redis client
    return {"ok": True}


def _checks() -> list[tuple[str, Callable[[], dict]]]:
    """The database and the cache, then what the apps add (``saas.hooks.readiness_checks``: search)."""
    return [("database", _database), ("cache", _cache), *hooks.readiness_checks.items()]


_last_report: tuple[float, dict, int] | None = None


def _readiness() -> tuple[dict, int]:
    report = {}
    for name, check in _checks():
        try:
            report[name] = check()
        except Exception as exc:
            logger.warning("readiness check %s failed: %s", name, exc.__class__.__name__)
            report[name] = {"ok": False, "error": exc.__class__.__name__}
    status = 200 if report["database"]["ok"] else 503
    if status != 200:
        return {"status": "unavailable", **report}, status
    return {"status": "ok" if all(part["ok"] for part in report.values()) else "degraded", **report}, status


def readyz(request):
    """200 while the database answers; cache and search report but do not fail readiness: when one
    of them is not ok (down, or a stale search backlog) the status is "degraded".

    The probe needs no sign-in and touches every tenant schema and the search server, so one report
    serves every caller of this process for ``READINESS_CACHE_SECONDS``.
    """
    global _last_report
    now = time.monotonic()
    if _last_report is None or now - _last_report[0] >= settings.READINESS_CACHE_SECONDS:
        _last_report = (now, *_readiness())
    _, report, status = _last_report
    return JsonResponse(report, status=status)
