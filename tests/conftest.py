"""Test fixtures: a real PostgreSQL test database with two tenants whose primary keys collide.

Session setup (committed, shared by every test):
  - public tenant on ``localhost`` with a platform superuser;
  - tenants ``acme`` (acme.localhost) and ``beta`` (beta.localhost), each with
    owner (tenant staff, pk 1) and member (pk 2): the same primary keys in both schemas;
  - every row a tenant owns carries that tenant's marker (``ACME-MARKER`` / ``BETA-MARKER``).
Tests use the ``db`` fixture (rolled back after each test). Never use ``transactional_db``:
its flush would truncate the tenant registry. Tests against a running server use
``platform_server`` and create what they need through the API.
"""

import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.test.utils import setup_databases, teardown_databases
from django_tenants.utils import tenant_context

from tenants.db import connection
from tests.support import PASSWORD, TENANTS, GraphQLClient, start_platform_server

# Read before pytest-django renames the database to its test database.
ORIGINAL_DATABASE_NAME = connection.settings_dict["NAME"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from tenants.models import Client
    from tenants.services import public_tenant_ensure, tenant_create
    from users.services import user_create

    with django_db_blocker.unblock():
        own_test_database = _ensure_test_database()
        public = public_tenant_ensure(domain="localhost")
        with tenant_context(public):
            user_create(email="admin@platform.test", password=PASSWORD, is_staff=True, is_superuser=True)
        for schema, spec in TENANTS.items():
            tenant = Client.objects.filter(schema_name=schema).first() or tenant_create(
                name=spec["name"], schema_name=schema, domain=spec["domain"]
            )
            with tenant_context(tenant):
                user_create(email=f"owner@{schema}.test", password=PASSWORD, is_staff=True, full_name=spec["marker"])
                user_create(email=f"member@{schema}.test", password=PASSWORD, full_name=spec["marker"])
        connection.set_schema_to_public()
    yield
    if own_test_database:
        with django_db_blocker.unblock():
            teardown_databases(own_test_database, verbosity=0)


def _ensure_test_database():
    """pytest-django creates the test database only when a selected test asks for ``db``; a run of
    live-server tests alone asks for none, yet the server needs it. Returns what to tear down."""
    if connection.settings_dict["NAME"] != ORIGINAL_DATABASE_NAME:
        return None
    # A set: Django only tests membership (its runner passes a dict, which is what the stubs declare).
    return setup_databases(verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS})  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _isolated_state():
    """Each test starts on the public schema with an empty cache, and leaves it that way."""
    cache.clear()
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


def _tenant(schema: str):
    from tenants.models import Client

    return Client.objects.get(schema_name=schema)


@pytest.fixture
def acme(db):
    return _tenant("acme")


@pytest.fixture
def beta(db):
    return _tenant("beta")


@pytest.fixture
def public_tenant(db):
    return _tenant("public")


@pytest.fixture
def gql(client):
    """GraphQL over HTTP through the full Django stack: ``gql.on("acme").as_user("owner").execute(...)``."""
    return GraphQLClient(client)


@pytest.fixture(scope="session")
def platform_server(django_db_setup):
    """The platform served by daphne (HTTP + websockets) against the test database."""
    server = start_platform_server()
    yield server
    server.stop()
