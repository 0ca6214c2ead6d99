import sys

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context
from elasticsearch import ApiError, NotFoundError, TransportError
from elasticsearch.helpers import BulkIndexError
from tqdm import tqdm

from catalog.management.tenants import tenants_for
from catalog.models import Product
from catalog.search.documents import SHARED, STRATEGIES
from catalog.search.indexes import DriftReport, TenantGone, index_check, index_rebuild, shared_index_drop_if_unused

SHOWN_IDS = 20


def _ids(ids: list[int]) -> str:
    shown = ", ".join(str(pk) for pk in ids[:SHOWN_IDS])
    return shown + (f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else "")


class Command(BaseCommand):
    help = (
        "Rebuild tenants' product indexes with no downtime (--rebuild), or compare them with the "
        "database and exit non-zero on drift (--check), or move them to another search strategy with "
        "no downtime (--migrate-to)."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--rebuild",
            action="store_true",
            help="Fill a new index from the database, swap the alias to it, re-apply writes made meanwhile.",
        )
        action.add_argument(
            "--check", action="store_true", help="Compare counts, id sets and update times of database and index."
        )
        action.add_argument(
            "--migrate-to",
            choices=STRATEGIES,
            help="Move tenants to this search strategy (per-tenant index or shared index) by a zero-downtime "
            "rebuild each, writes included; then set SEARCH_INDEX_STRATEGY to it for new tenants.",
        )
        parser.add_argument("--schema", help="Only this tenant (default: every tenant).")

    def handle(self, *args, rebuild: bool, check: bool, migrate_to: str | None, schema: str | None, **options):
        tenants = tenants_for(schema)
        if check:
            failed = [tenant.schema_name for tenant in tenants if not self._check(tenant)]
        else:
            failed = [tenant.schema_name for tenant in tenants if not self._rebuild(tenant, migrate_to)]
        if failed:
            problem = "drift from their database or could not be checked" if check else "could not be rebuilt"
            raise CommandError(f"{len(failed)} tenant(s) {problem}: {', '.join(failed)}")
        if migrate_to:
            remaining = shared_index_drop_if_unused() if migrate_to != SHARED else None
            self.stdout.write(
                f"{len(tenants)} tenant(s) now use the {migrate_to!r} strategy"
                + (f"; the unused shared index {remaining} was deleted" if remaining else "")
                + f". Set SEARCH_INDEX_STRATEGY={migrate_to} so that new tenants do too."
            )

    def _rebuild(self, tenant, strategy: str | None = None) -> bool:
        with tenant_context(tenant):
            total = Product.objects.count()
            try:
                with tqdm(total=total, desc=tenant.schema_name, unit="doc", file=sys.stderr) as progress:
                    result = index_rebuild(on_progress=progress.update, strategy=strategy)
            except BulkIndexError as error:
                self.stderr.write(
                    f"{tenant.schema_name}: {len(error.errors)} documents refused, e.g. {error.errors[0]}"
                )
                return False
            except TenantGone:
                self.stderr.write(f"{tenant.schema_name}: deleted meanwhile")
                return True
            except (ApiError, TransportError) as error:
                self.stderr.write(f"{tenant.schema_name}: search unavailable: {error}")
                return False
        self.stdout.write(
            f"{tenant.schema_name}: {result.documents} documents in {result.index}; "
            f"{result.requeued} changes made meanwhile re-applied; "
            f"old indexes deleted: {', '.join(result.deleted_indexes) or 'none'}"
        )
        return True

    def _check(self, tenant) -> bool:
        with tenant_context(tenant):
            try:
                report = index_check()
            except NotFoundError:
                self.stderr.write(f"{tenant.schema_name}: no index (search_sync or --rebuild creates it)")
                return False
            except (ApiError, TransportError) as error:
                self.stderr.write(f"{tenant.schema_name}: search unavailable: {error}")
                return False
        self.stdout.write(self._describe(report))
        return not report.has_drift

    def _describe(self, report: DriftReport) -> str:
        line = (
            f"{report.schema} ({report.strategy}): database {report.database_count}, index {report.index_count}, "
            f"pending changes {report.pending}: "
        )
        if not report.has_drift:
            return line + self.style.SUCCESS("in sync")
        details = [
            f"{label} {_ids(ids)}"
            for label, ids in (
                ("missing from the index:", report.missing),
                ("in the index but not the database:", report.unexpected),
                ("stale in the index:", report.stale),
            )
            if ids
        ]
        return line + self.style.ERROR("DRIFT") + "".join(f"\n  {detail}" for detail in details)
