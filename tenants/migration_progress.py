"""A django-tenants migration executor that shows one tqdm progress bar over the tenant schemas.

``manage.py migrate_schemas --executor=progress`` (or ``EXECUTOR=progress``); ``prepare_platform``
uses it. The standard executor prints per-schema migration output only at verbosity >= 1 and runs
silently at verbosity 0; this one runs the same per-schema migration and advances a bar on stderr
whenever more than one schema is migrated, so a deploy over many tenants shows where it is.
"""

import sys

from django_tenants.migration_executors.base import MigrationExecutor, run_migrations
from tqdm import tqdm


class ProgressExecutor(MigrationExecutor):
    # get_executor() looks this codename up among MigrationExecutor's direct subclasses.
    codename = "progress"

    def _bar(self, tenants: list) -> tqdm:
        return tqdm(
            tenants,
            desc="migrating tenant schemas",
            unit="schema",
            file=sys.stderr,
            disable=len(tenants) < 2,
            mininterval=0.5 if sys.stderr.isatty() else 5.0,
        )

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        if self.PUBLIC_SCHEMA_NAME in tenants:
            run_migrations(self.args, self.options, self.codename, self.PUBLIC_SCHEMA_NAME)
            tenants.remove(self.PUBLIC_SCHEMA_NAME)
        with self._bar(tenants) as bar:
            for idx, schema_name in enumerate(bar):
                bar.set_postfix_str(schema_name, refresh=False)
                run_migrations(self.args, self.options, self.codename, schema_name, idx=idx, count=len(tenants))

    def run_multi_type_migrations(self, tenants):
        tenants = list(tenants or [])
        with self._bar(tenants) as bar:
            for idx, (schema_name, tenant_type) in enumerate(bar):
                bar.set_postfix_str(schema_name, refresh=False)
                run_migrations(
                    self.args, self.options, self.codename, schema_name=schema_name, tenant_type=tenant_type,
                    idx=idx, count=len(tenants),
                )  # fmt: skip
