"""``migrate_schemas`` for large fleets: only the schemas that lack a migration are migrated.

django-tenants runs the whole ``migrate`` command once per tenant schema, migration graph and
connection included, even when there is nothing to apply: with hundreds of tenants a no-op
deployment takes minutes. Here one query over every schema's ``django_migrations`` finds the
schemas missing one of the tenant apps' migrations, and only those go through django-tenants'
executor (``--executor standard|multiprocessing``), the template schema included so that new
tenants are cloned up to date. With an app label, a migration name or ``--schema`` it is
``migrate_schemas`` unchanged.
"""

from django.apps import apps
from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.migration_executors import get_executor
from django_tenants.utils import get_public_schema_name, schema_exists

from tenants.db import connection
from tenants.models import Client


def expected_tenant_migrations() -> set[str]:
    """``app.name`` of every migration a tenant schema must have applied."""
    labels = {config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.graph.nodes if app in labels}


def schemas_behind(schemas: list[str], expected: set[str]) -> list[str]:
    """The schemas among ``schemas`` that lack one of ``expected``, in one round trip per step."""
    if not schemas:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables "
            "WHERE table_name = 'django_migrations' AND table_schema = ANY(%s)",
            [schemas],
        )
        recorded = [row[0] for row in cursor.fetchall()]
        counts: dict[str, int] = {}
        if recorded:
            quote = connection.ops.quote_name
            # Identifiers cannot be parameters: these are schema names read back from the catalog, quoted.
            union = " UNION ALL ".join(
                f"SELECT %s AS schema_name, app, name FROM {quote(schema)}.django_migrations"  # noqa: S608
                for schema in recorded
            )
            cursor.execute(
                f"SELECT schema_name, count(*) FROM ({union}) AS applied "  # noqa: S608
                "WHERE app || '.' || name = ANY(%s) GROUP BY schema_name",
                [*recorded, sorted(expected)],
            )
            counts = dict(cursor.fetchall())
    return [schema for schema in schemas if counts.get(schema, 0) < len(expected)]


class Command(MigrateSchemasCommand):
    help = (
        "Migrate the public schema, then only the tenant schemas (and the template) that lack a migration, "
        "found with one query. Takes migrate_schemas' options; with an app label, migration name or "
        "--schema it is migrate_schemas."
    )

    def handle(self, *args, **options):
        if options.get("app_label") or options.get("migration_name") or options.get("schema_name"):
            return super().handle(*args, **options)
        self.options = options
        self.args = args
        self.executor = options.get("executor")
        public = get_public_schema_name()
        executor = get_executor(codename=self.executor)(args, options)
        if not options.get("tenant"):
            executor.run_migrations(tenants=[public])
        if options.get("shared"):
            return
        connection.set_schema_to_public()
        schemas = list(Client.objects.exclude(schema_name=public).values_list("schema_name", flat=True))
        if schema_exists(settings.TENANT_BASE_SCHEMA):
            schemas.append(settings.TENANT_BASE_SCHEMA)
        behind = schemas_behind(schemas, expected_tenant_migrations())
        if options["verbosity"] >= 1:
            self.stdout.write(f"{len(behind)} of {len(schemas)} tenant schemas (template included) lack migrations")
        if behind:
            executor = get_executor(codename=self.executor)(args, options)
            executor.run_migrations(tenants=behind)
