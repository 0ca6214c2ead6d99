from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Everything a server needs before it starts, in one process: migrate every schema (with a progress "
        "bar over the tenants), seed the demo when SEED_DEMO is on (idempotent), collect static files and, "
        "on the in-memory search server, rebuild the indexes."
    )

    def add_arguments(self, parser):
        demo = parser.add_mutually_exclusive_group()
        demo.add_argument("--demo", dest="demo", action="store_true", default=None, help="Seed the demo.")
        demo.add_argument("--no-demo", dest="demo", action="store_false", help="Skip the demo tenants and users.")

    def handle(self, *args, demo: bool | None, **options):
        self.stdout.write("migrating the public schema, then every tenant schema")
        call_command("migrate_schemas", executor="progress", verbosity=0)
        if settings.SEED_DEMO if demo is None else demo:
            call_command("bootstrap_demo", stdout=self.stdout)
        else:
            self.stdout.write("demo not seeded (SEED_DEMO=0 or --no-demo)")
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.ELASTICSEARCH_ENGINE == "emulator":
            # The embedded search server keeps nothing across restarts: index what PostgreSQL holds.
            call_command("search_index", "--rebuild", stdout=self.stdout)
