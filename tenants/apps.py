from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Tenants"

    def ready(self):
        from saas.cache import clear_tenant_namespace
        from tenants import leftovers, migration_progress, signals  # noqa: F401  (migration_progress: the "progress" executor)

        leftovers.register("cache", lambda schema, detail: clear_tenant_namespace(schema, detail.get("domains", [])))
