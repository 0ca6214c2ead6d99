"""The search outbox's gauges on the metrics port (saas.observability), read when Prometheus scrapes.

Registered in ``CatalogConfig.ready`` through ``saas.hooks.metrics_collectors``.
"""

import logging
import time

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from catalog.search.outbox import outbox_backlog_and_oldest
from saas.schemas import connection

logger = logging.getLogger(__name__)


class OutboxCollector(Collector):
    """Search outbox backlog and relay lag, read from PostgreSQL when Prometheus scrapes."""

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily("saas_outbox_backlog", "Product changes not yet in the search index (all tenants)."),
            GaugeMetricFamily(
                "saas_outbox_relay_lag_seconds", "Age of the oldest change not yet in the search index (0 when none)."
            ),
        )

    def describe(self):
        # Registration asks for names only: no database query (and no connection closed) on the caller's thread.
        return list(self._families())

    def collect(self):
        backlog, lag = self._families()
        try:
            connection.set_schema_to_public()
            pending, oldest = outbox_backlog_and_oldest()
        except Exception:
            logger.warning("outbox metrics unavailable", exc_info=True)
            return
        finally:
            connection.close()  # scrapes run on short-lived server threads: leave no connection behind
        backlog.add_metric([], pending)
        lag.add_metric([], max(0.0, time.time() - oldest.timestamp()) if oldest else 0.0)
        yield backlog
        yield lag
