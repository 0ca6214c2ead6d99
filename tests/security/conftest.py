"""Fixtures of the hostile-input suite: its own live server (log kept, short init timeout), the
accounts and rows its cases aim at, a fingerprint of everything stored, and the count of cases
printed at the end of the run."""

import os
import time
from dataclasses import dataclass

import pytest
from django.conf import settings
from django_tenants.utils import schema_context, tenant_context
from strawberry import relay

from tests.live import login
from tests.security.clients import Browser, request
from tests.support import LiveServer

SUITE_FILE = "tests/security/test_hostile_input.py"
INIT_TIMEOUT_SECONDS = 2
NATIVE_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")  # Arabic-Indic: int() reads them, SQL must not see them


@pytest.fixture(scope="session")
def hostile_server(django_db_setup, tmp_path_factory):
    """The platform under daphne with production error pages (DEBUG off), GraphiQL on, a 2-second
    init timeout, and its log in a file the suite reads after every case."""
    log_path = tmp_path_factory.mktemp("hostile") / "server.log"
    env = {
        **os.environ,
        "DEBUG": "0",
        "GRAPHIQL_ENABLED": "1",
        "WEBSOCKET_INIT_TIMEOUT_SECONDS": str(INIT_TIMEOUT_SECONDS),
        "LOG_FORMAT": "text",
    }
    server = LiveServer(database_name=settings.DATABASES["default"]["NAME"], env=env, log_path=str(log_path))
    server.start()
    server.log_path = log_path
    yield server
    server.stop()


@dataclass
class Context:
    """What the cases aim at: acme's accounts, one product and one notification (ids, and ids spelled
    with digits that are not ASCII), and a browser signed in to acme's admin."""

    tokens: dict[str, str]
    session: str
    admin: Browser
    placeholders: dict[str, str]


def _to_base64(type_name: str, node_id: str) -> str:
    return relay.to_base64(type_name, node_id)


@pytest.fixture(scope="module")
def context(hostile_server, django_db_blocker):
    from catalog.models import Product
    from notifications.models import Notification
    from tenants.models import Client
    from users.models import User

    owner_token, session = login(hostile_server, "acme", "owner")
    member_token, _ = login(hostile_server, "acme", "member")
    beta_token, _ = login(hostile_server, "beta", "owner")
    admin = Browser(hostile_server, "acme.localhost")
    admin.admin_login("owner@acme.test")
    with django_db_blocker.unblock(), tenant_context(Client.objects.get(schema_name="acme")):
        product = Product.objects.create(name="Hostile target", sku="HOSTILE-TARGET", price="9.99")
        owner = User.objects.get(email="owner@acme.test")
        notification = Notification.objects.create(recipient=owner, message="Hostile target")
    pk, notification_pk = str(product.pk), str(notification.pk)
    placeholders = {
        "product": _to_base64("Product", pk),
        "product_superscript": _to_base64("Product", "²"),
        "product_native": _to_base64("Product", pk.translate(NATIVE_DIGITS)),
        "product_spaced": _to_base64("Product", f" {pk}"),
        "product_too_big": _to_base64("Product", str(2**63)),
        "notification": _to_base64("Notification", notification_pk),
        "notification_superscript": _to_base64("Notification", "²"),
        "notification_native": _to_base64("Notification", notification_pk.translate(NATIVE_DIGITS)),
        "owner_pk_native": str(owner.pk).translate(NATIVE_DIGITS),
        "cursor_superscript": _to_base64("arrayconnection", "²"),
        "cursor_native": _to_base64("arrayconnection", "٣"),
        "session": session,
    }
    tokens = {"owner": owner_token, "member": member_token, "beta-owner": beta_token}
    yield Context(tokens=tokens, session=session, admin=admin, placeholders=placeholders)
    with django_db_blocker.unblock(), tenant_context(Client.objects.get(schema_name="acme")):
        Product.objects.filter(sku__startswith="HOSTILE").delete()
        Notification.objects.all().delete()


@pytest.fixture
def stored_state(django_db_blocker):
    """A function returning everything stored that a hostile request could change: every tenant's
    products, notifications, users (password hashes included), tokens and sessions, and the
    tenant registry. Two calls around a case must return the same."""
    from django.contrib.sessions.models import Session

    from catalog.models import Product, SearchOutbox
    from notifications.models import Notification
    from tenants.models import AuditLog, Client, Domain
    from users.models import AuthToken, User

    def tenant_rows():
        return {
            "products": list(Product.objects.order_by("pk").values_list()),
            "outbox": SearchOutbox.objects.count(),
            "notifications": list(
                Notification.objects.order_by("pk").values_list("pk", "recipient_id", "message", "is_read")
            ),
            "users": list(User.objects.order_by("pk").values_list("pk", "email", "password", "is_active", "is_staff")),
            "tokens": list(AuthToken.objects.order_by("pk").values_list("pk", "revoked_at")),
            "sessions": list(Session.objects.order_by("pk").values_list("pk", "session_data")),
        }

    def snapshot() -> dict:
        with django_db_blocker.unblock():
            state = {}
            with schema_context(settings.PUBLIC_SCHEMA_NAME):
                state["registry"] = (
                    list(Client.objects.order_by("pk").values_list("schema_name", "is_active")),
                    list(Domain.objects.order_by("pk").values_list("domain", "tenant_id")),
                    AuditLog.objects.count(),
                    list(User.objects.order_by("pk").values_list("pk", "password", "is_active")),
                )
            for tenant in Client.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME):
                with tenant_context(tenant):
                    state[tenant.schema_name] = tenant_rows()
            return state

    return snapshot


@pytest.fixture
def server_log(hostile_server):
    """``new()`` returns what the server logged since the fixture was set up (or the last call)."""

    class Log:
        def __init__(self):
            self.offset = hostile_server.log_path.stat().st_size

        def new(self) -> str:
            time.sleep(0.05)  # let the server flush what it logged while answering
            with open(hostile_server.log_path, encoding="utf-8", errors="replace") as log:
                log.seek(self.offset)
                text = log.read()
            self.offset += len(text.encode("utf-8", errors="replace"))
            return text

    return Log()


def normal_request_works(server, token: str) -> None:
    """The server still answers an ordinary authenticated query."""
    import json

    response = request(
        server, "POST", "/graphql/", host="acme.localhost",
        body=json.dumps({"query": "{ tenant { name } me { email } }"}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert response.status == 200, response.text
    assert response.json() == {"data": {"tenant": {"name": "Acme Test"}, "me": {"email": "owner@acme.test"}}}


def pytest_terminal_summary(terminalreporter):
    """Print how many hostile-input cases ran and passed (docs/security.md quotes this count)."""
    outcomes: dict[str, set[str]] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "call") in ("call", "setup") and SUITE_FILE in report.nodeid:
                outcomes.setdefault(outcome, set()).add(report.nodeid)
    total = len(set().union(*outcomes.values())) if outcomes else 0
    if not total:
        return
    kinds = {"http": 0, "websocket": 0, "admin": 0}
    for nodeid in set().union(*outcomes.values()):
        for kind in kinds:
            if f"test_{kind}_case[" in nodeid:
                kinds[kind] += 1
    summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted((k, len(v)) for k, v in outcomes.items()))
    terminalreporter.write_sep(
        "-",
        f"hostile-input suite: {total} cases ({kinds['http']} HTTP, {kinds['websocket']} websocket, "
        f"{kinds['admin']} admin): {summary}",
    )
