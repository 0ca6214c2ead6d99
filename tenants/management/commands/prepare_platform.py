from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Everything a server needs before it starts, in one process: migrate every schema, seed the demo "
        "(idempotent), collect static files and, on the in-memory search server, rebuild the indexes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Skip the demo tenants and users.")

    def handle(self, *args, no_demo: bool, **options):
        call_command("migrate_schemas", verbosity=0)
        if not no_demo:
            call_command("bootstrap_demo", stdout=self.stdout)
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.ELASTICSEARCH_ENGINE == "emulator":
            # The embedded search server keeps nothing across restarts: index what PostgreSQL holds.
            call_command("search_index", "--rebuild", stdout=self.stdout)
