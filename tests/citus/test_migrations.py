"""Real migrations on a distributed tenant schema: notifications rolled back to 0002 and forward
again on a tenant of its own (on its worker), the data migration 0004 included, with committed
rows to migrate, as a deployment runs them: each migration in its own transaction."""

import pytest
from django.core.management import call_command
from django_tenants.utils import tenant_context

from tenants.db import connection
from tests.citus.conftest import coordinator, placement

SCHEMA = "migrating"


@pytest.fixture
def migrating_tenant(django_db_setup, django_db_blocker):
    """A committed tenant (not rolled back: migrations commit), deleted afterwards."""
    from tenants.services import tenant_create, tenant_delete
    from users.services import user_create

    with django_db_blocker.unblock():
        tenant = tenant_create(name="Migrating", schema_name=SCHEMA, domain="migrating.localhost")
        with tenant_context(tenant):
            user_create(email="owner@migrating.test", password="x-pass-2026-long")
            user_create(email="member@migrating.test", password="x-pass-2026-long")
        connection.set_schema_to_public()
        try:
            yield tenant
        finally:
            connection.set_schema_to_public()
            tenant_delete(tenant=tenant)


def applied(app: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name FROM {SCHEMA}.django_migrations WHERE app = %s ORDER BY name", [app])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_tenant_app_migrates_back_and_forward_on_its_worker(migrating_tenant, django_db_blocker):
    from notifications.models import Notification, NotificationReceipt

    with django_db_blocker.unblock():
        with coordinator() as conn:
            worker = placement(conn, SCHEMA)
        latest = applied("notifications")
        call_command("migrate_schemas", "notifications", "0002", schema_name=SCHEMA, interactive=False, verbosity=0)
        assert applied("notifications")[-1] == "0002_notification_descriptions_and_shared_timestamp"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {SCHEMA}.users_user ORDER BY id")  # noqa: S608
            owner_id, member_id = (row[0] for row in cursor.fetchall())
            # Broadcasts as 0002 stored them: one copy per user, sharing message, level and timestamp.
            for user_id, is_read in ((owner_id, True), (member_id, False)):
                cursor.execute(
                    f"INSERT INTO {SCHEMA}.notifications_notification (message, level, created_at, recipient_id, is_read) "  # noqa: S608
                    "VALUES ('Old broadcast', 'info', '2026-01-01T00:00:00Z', %s, %s)",
                    [user_id, is_read],
                )
        call_command("migrate_schemas", "notifications", schema_name=SCHEMA, interactive=False, verbosity=0)
        assert applied("notifications") == latest
        with tenant_context(migrating_tenant):
            broadcast = Notification.objects.get(message="Old broadcast")
            readers = list(NotificationReceipt.objects.filter(notification=broadcast).values_list("user_id", flat=True))
        assert broadcast.recipient_id is None
        assert readers == [owner_id]
        with coordinator() as conn:
            assert placement(conn, SCHEMA) == worker
