from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self):
        from django.db.models import Count, Max, Q

        from catalog import selectors
        from catalog.demo import seed_products
        from catalog.models import Product
        from catalog.search import signals
        from catalog.search.metrics import OutboxCollector
        from catalog.search.services import search_figures, search_readiness
        from saas import hooks
        from tenants.hooks import ConsolePanel, DemoSeeder, console_panels, demo_seeders

        signals.connect()

        # What the platform layer shows of the catalog (saas.hooks, tenants.hooks).
        hooks.readiness_checks.register("search", search_readiness)
        hooks.metrics_collectors.register("search_outbox", OutboxCollector)
        hooks.console_search_word.fill(selectors.product_first_word)

        def figures() -> dict:
            return Product.objects.aggregate(
                total=Count("id"), active=Count("id", filter=Q(is_active=True)), last_change=Max("updated_at")
            )

        console_panels.register("products", ConsolePanel(figures, last_activity="last_change"))
        console_panels.register("search", ConsolePanel(search_figures))
        demo_seeders.register("products", DemoSeeder(seed_products, order=10))
