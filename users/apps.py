from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = "Users"

    def ready(self):
        from django.db.models import Count, Max, Q

        from saas import hooks
        from tenants.hooks import ConsolePanel, DemoSeeder, TenantPageSet, console_panels, demo_seeders, tenant_pages
        from users import receivers, services  # noqa: F401  (receivers: connected on import)
        from users.demo import seed_users
        from users.models import User
        from users.tenant_pages import TenantUserPages

        # The platform's questions about accounts (saas.hooks): admin and websocket sign-in.
        hooks.accounts.fill(services)

        def figures() -> dict:
            return User.objects.aggregate(
                total=Count("id"),
                active=Count("id", filter=Q(is_active=True)),
                staff=Count("id", filter=Q(is_staff=True)),
                last_login=Max("last_login"),
            )

        console_panels.register("users", ConsolePanel(figures, last_activity="last_login"))
        tenant_pages.register("users", TenantPageSet(TenantUserPages.urls, label="users", index="users"))
        demo_seeders.register("users", DemoSeeder(seed_users, order=20))
