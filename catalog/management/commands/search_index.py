import sys

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context
from elasticsearch import ApiError, NotFoundError, TransportError
from elasticsearch.helpers import BulkIndexError
from tqdm import tqdm

from catalog.management.tenants import tenants_for
from catalog.models import Product
from catalog.search.indexes import DriftReport, index_check, index_rebuild

SHOWN_IDS = 20


def _ids(ids: list[int]) -> str:
    shown = ", ".join(str(pk) for pk in ids[:SHOWN_IDS])
    return shown + (f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else "")


class Command(BaseCommand):
    help = (
        "Rebuild tenants' product indexes with no downtime (--rebuild), or compare them with the "
        "database and exit non-zero on drift (--check)."
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
        parser.add_argument("--schema", help="Only this tenant (default: every tenant).")

    def handle(self, *args, rebuild: bool, check: bool, schema: str | None, **options):
        tenants = tenants_for(schema)
        failed = [tenant.schema_name for tenant in tenants if not (self._rebuild if rebuild else self._check)(tenant)]
        if failed:
            problem = "could not be rebuilt" if rebuild else "drift from their database or could not be checked"
            raise CommandError(f"{len(failed)} tenant(s) {problem}: {', '.join(failed)}")

    def _rebuild(self, tenant) -> bool:
        with tenant_context(tenant):
            total = Product.objects.count()
            try:
                with tqdm(total=total, desc=tenant.schema_name, unit="doc", file=sys.stderr) as progress:
                    result = index_rebuild(on_progress=progress.update)
            except BulkIndexError as error:
                self.stderr.write(
                    f"{tenant.schema_name}: {len(error.errors)} documents refused, e.g. {error.errors[0]}"
                )
                return False
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
            f"{report.schema}: database {report.database_count}, index {report.index_count}, "
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
