"""prepare_platform and tenant migrations: a progress bar over the tenants, no demo unless asked."""

import io
import re

import pytest
from django.core.management import call_command
from django_tenants.utils import tenant_context

from tenants.models import Client
from tests.support import PASSWORD

pytestmark = pytest.mark.django_db


def test_migrating_every_tenant_shows_a_progress_bar(capsys):
    tenants = Client.objects.exclude(schema_name="public").count()
    assert tenants >= 2
    call_command("migrate_schemas", executor="progress", verbosity=0)
    err = capsys.readouterr().err
    assert "migrating tenant schemas" in err
    assert re.search(rf"\b{tenants}/{tenants}\b", err), err


def test_prepare_platform_seeds_no_demo_users_unless_asked(settings, capsys, acme):
    settings.SEED_DEMO = False
    settings.ELASTICSEARCH_ENGINE = "elasticsearch"  # no index rebuild: the suite's indexes stay as they are
    out = io.StringIO()
    call_command("prepare_platform", stdout=out)
    assert "demo not seeded" in out.getvalue()
    assert "migrating tenant schemas" in capsys.readouterr().err
    # Seeding would have reset the owner's password to the known demo password.
    with tenant_context(acme):
        from users.models import User

        owner = User.objects.get(email="owner@acme.test")
        assert owner.check_password(PASSWORD)
        assert not owner.check_password(settings.DEMO_PASSWORD)
