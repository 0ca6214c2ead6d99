"""Tenants on a Citus cluster (``CITUS_SCHEMA_SHARDING=1``, docs/scaling.md).

python manage.py citus_tenants                          # each tenant and the worker holding it
python manage.py citus_tenants --distribute             # distribute tenant schemas still on the coordinator
python manage.py citus_tenants --move acme --to 10.0.0.7:5432
"""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from tenants.citus import distribute_existing, distributed_schemas, schema_move
from tenants.models import Client


def _node(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(f"--to takes host:port, not {value!r}")
    return host, int(port)


class Command(BaseCommand):
    help = "List where each tenant lives on a Citus cluster, distribute plain tenant schemas, or move one."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--distribute", action="store_true", help="Distribute tenant schemas not yet distributed.")
        parser.add_argument("--move", metavar="SCHEMA", help="Move this tenant's schema to the worker --to.")
        parser.add_argument("--to", metavar="HOST:PORT", help="Target worker of --move.")

    def handle(self, *args: Any, distribute: bool, move: str | None, to: str | None, **options: Any) -> None:
        if not settings.CITUS_SCHEMA_SHARDING:
            raise CommandError("CITUS_SCHEMA_SHARDING is off: the database is not used as a Citus coordinator")
        tenants = list(
            Client.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).values_list("schema_name", flat=True)
        )
        try:
            if distribute:
                with transaction.atomic():
                    done = distribute_existing(tenants)
                self.stdout.write(f"distributed {len(done)} tenant schema(s): {', '.join(done) or '-'}")
            if move:
                if move not in tenants:
                    raise CommandError(f"no tenant with schema {move!r}")
                if not to:
                    raise CommandError("--move needs --to HOST:PORT")
                host, port = _node(to)
                schema_move(move, host, port)
                self.stdout.write(f"moved {move} to {host}:{port}")
            placements = distributed_schemas()
        except DatabaseError as error:
            raise CommandError(str(error).strip()) from error
        for schema in tenants:
            where = placements.get(schema)
            self.stdout.write(f"{schema}\t{f'{where[0]}:{where[1]}' if where else 'coordinator (not distributed)'}")
