from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Tenants"

    def ready(self):
        from saas import hooks
        from saas.cache import clear_tenant_namespace
        from tenants import leftovers, migration_progress, signals  # noqa: F401  (migration_progress: the "progress" executor)
        from tenants.middleware import lookup_tenant

        hooks.tenant_by_host.fill(lookup_tenant)
        leftovers.register("cache", lambda schema, detail: clear_tenant_namespace(schema, detail.get("domains", [])))
