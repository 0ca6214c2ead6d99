from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Tenants"

    def ready(self):
        from tenants import migration_progress, signals  # noqa: F401  (registers the 'progress' executor)
