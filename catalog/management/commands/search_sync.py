import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django_tenants.utils import tenant_context
from elasticsearch import ApiError, TransportError

from catalog.management.tenants import tenants_for
from catalog.search.indexes import index_ensure
from catalog.search.outbox import outbox_pending_count, outbox_prune, outbox_relay
from tenants.leftovers import leftovers_clean

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Replay product changes that have not reached the search index yet (for example while search "
        "was down), create missing tenant indexes, prune processed outbox rows and remove what deleted "
        "tenants left in search, cache and channel layer while those were down. With --interval, keep "
        "doing so every N seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, help="Run forever, one pass every N seconds.")
        parser.add_argument("--schema", help="Only this tenant (default: every tenant).")

    def handle(self, *args, interval: float | None, schema: str | None, **options):
        if interval is None:
            if schema is None:
                self._clean_leftovers()
            failed = [tenant.schema_name for tenant in tenants_for(schema) if not self._sync(tenant, quiet=False)]
            if failed:
                raise CommandError(f"changes of {len(failed)} tenant(s) are still pending: {', '.join(failed)}")
            return
        if interval <= 0:
            raise CommandError("--interval must be a positive number of seconds")
        self.stdout.write(f"search relay: replaying the outbox every {interval:g}s")
        try:
            self._relay_forever(interval, schema)
        except KeyboardInterrupt:
            self.stdout.write("search relay stopped")

    def _relay_forever(self, interval: float, schema: str | None) -> None:
        while True:
            try:
                if schema is None:
                    self._clean_leftovers()
                for tenant in tenants_for(schema):
                    try:
                        self._sync(tenant, quiet=True)
                    except Exception:
                        # One tenant (deleted meanwhile, say) does not hold up the others.
                        logger.exception("search relay failed for %s", tenant.schema_name)
            except CommandError:
                raise
            except Exception:
                # Keep relaying through database or search outages; the next pass retries.
                logger.exception("search relay pass failed")
            close_old_connections()
            time.sleep(interval)

    def _clean_leftovers(self) -> None:
        remaining = leftovers_clean()
        if remaining:
            self.stderr.write(
                "deleted tenants' leftovers still queued: "
                + ", ".join(f"{leftover.kind} of {leftover.schema_name}" for leftover in remaining)
            )

    def _sync(self, tenant, *, quiet: bool) -> bool:
        """One pass for one tenant; False when changes had to stay pending."""
        with tenant_context(tenant):
            try:
                created = index_ensure()
            except (ApiError, TransportError) as error:
                logger.warning("search unavailable for %s: %s", tenant.schema_name, error)
                if not quiet:
                    self.stderr.write(f"{tenant.schema_name}: search unavailable: {error}")
                return False
            result = outbox_relay()
            outbox_prune()
            pending = outbox_pending_count()
        if not quiet or created or result.pushed or result.failed:
            self.stdout.write(
                f"{tenant.schema_name}: {result.pushed} pushed, {result.failed} failed, {pending} pending"
                + (", index created" if created else "")
            )
            self.stdout.flush()
        return not result.failed
