from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.services import tenant_create


class Command(BaseCommand):
    help = "Provision a tenant: schema (cloned from the template), primary domain, search index."

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--domain", required=True)

    def handle(self, *args, schema, name, domain, **options):
        try:
            tenant = tenant_create(name=name, schema_name=schema, domain=domain)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"tenant {tenant.schema_name} ready at {domain}"))
