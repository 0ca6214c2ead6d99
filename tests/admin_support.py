"""Admin test helpers: hosts, accounts and signing in through a host's real /admin/login/ form."""

from tests.support import PASSWORD, TENANTS

PUBLIC_HOST = "localhost"
PLATFORM_ADMIN = "admin@platform.test"


def host_of(schema: str) -> str:
    return PUBLIC_HOST if schema == "public" else TENANTS[schema]["domain"]


def admin_login(client, host: str, email: str, password: str = PASSWORD):
    """POST the admin login form on ``host``; a 302 to /admin/ means signed in."""
    return client.post(
        "/admin/login/?next=/admin/", {"username": email, "password": password, "next": "/admin/"}, HTTP_HOST=host
    )
