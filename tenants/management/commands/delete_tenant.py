from django.core.management.base import BaseCommand, CommandError

from saas.schemas import is_public_schema
from tenants.models import Client
from tenants.services import tenant_delete


class Command(BaseCommand):
    help = "Delete a tenant and everything it owns: schema, search index, cache namespace, sockets."

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True)
        parser.add_argument("--noinput", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, schema, noinput, **options):
        tenant = Client.objects.filter(schema_name=schema).first()
        if tenant is None or is_public_schema(schema):
            raise CommandError(f"no tenant with schema {schema!r}")
        if not noinput and input(f"Delete tenant {schema} and all its data? [y/N] ").strip().lower() != "y":
            raise CommandError("aborted")
        remaining = tenant_delete(tenant=tenant)
        self.stdout.write(self.style.SUCCESS(f"tenant {schema} deleted"))
        if remaining:
            self.stdout.write(
                self.style.WARNING(f"its {', '.join(remaining)} will be removed by the search relay once reachable")
            )
