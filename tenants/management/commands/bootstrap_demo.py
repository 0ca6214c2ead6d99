from django.core.management.base import BaseCommand

from tenants.demo import bootstrap_demo


class Command(BaseCommand):
    help = "Create (or refresh) the demo public host, tenants acme and beta, their users and products."

    def handle(self, *args, **options):
        bootstrap_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("demo ready: localhost, acme.localhost, beta.localhost"))
