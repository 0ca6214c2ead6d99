"""Liveness and readiness probes, answered on every host."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

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


def _search() -> dict:
    """The search server's answer, how many product changes wait in the tenants' outboxes
    (reported even while search is down, when the number grows) and how long the oldest has
    waited. A backlog older than ``SEARCH_BACKLOG_STALE_SECONDS`` means nothing is draining it
    (the relay is down or cannot reach search): search is then not ok, even if it answers."""
    from catalog.search.outbox import outbox_backlog_and_oldest
    from catalog.search.services import search_health

    try:
        report = search_health()
    except Exception as exc:
        logger.warning("readiness check search failed: %s", exc.__class__.__name__)
        report = {"ok": False, "error": exc.__class__.__name__}
    report["outbox_pending"], oldest = outbox_backlog_and_oldest()
    age = None if oldest is None else max(0.0, (timezone.now() - oldest).total_seconds())
    report["outbox_oldest_pending_seconds"] = None if age is None else round(age, 1)
    report["outbox_stale"] = age is not None and age > settings.SEARCH_BACKLOG_STALE_SECONDS
    if report["outbox_stale"]:
        logger.warning("search outbox backlog is stale: oldest pending change waited %.0f s", age)
        report["ok"] = False
    return report


CHECKS = {"database": _database, "cache": _cache, "search": _search}


_last_report: tuple[float, dict, int] | None = None


def _readiness() -> tuple[dict, int]:
    report = {}
    for name, check in CHECKS.items():
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
