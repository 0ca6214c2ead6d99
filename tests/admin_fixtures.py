"""Admin fixtures: browsers already signed in through the login form of their host."""

import pytest
from django.test import Client as HttpClient

from tests.admin_support import PLATFORM_ADMIN, PUBLIC_HOST, admin_login, host_of


@pytest.fixture
def platform_admin(db):
    """A browser signed in to the platform admin on the public host."""
    client = HttpClient()
    response = admin_login(client, PUBLIC_HOST, PLATFORM_ADMIN)
    assert response.status_code == 302, response.content
    return client


@pytest.fixture
def acme_staff(db):
    """A browser signed in to acme's tenant admin as acme's owner (tenant staff)."""
    client = HttpClient()
    response = admin_login(client, host_of("acme"), "owner@acme.test")
    assert response.status_code == 302, response.content
    return client
