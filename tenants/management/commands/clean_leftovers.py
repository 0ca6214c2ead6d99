from django.core.management.base import BaseCommand, CommandError

from tenants.leftovers import leftovers_clean


class Command(BaseCommand):
    help = (
        "Remove what deleted tenants left in search, cache and channel layer because those were down "
        "at deletion time (the search relay also does this on every pass). Exits non-zero while any remains."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schema", help="Only the leftovers of this schema name.")

    def handle(self, *args, schema: str | None, **options):
        remaining = leftovers_clean(schema_name=schema)
        if remaining:
            raise CommandError(
                "still queued: "
                + "; ".join(f"{item.kind} of {item.schema_name} ({item.last_error})" for item in remaining)
            )
        self.stdout.write("no leftovers of deleted tenants")
