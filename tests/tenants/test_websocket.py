"""Websocket tenancy: the ASGI middleware resolves Host, refuses unknown hosts and foreign Origins,
and ORM work of many sockets interleaved on Channels' shared thread never crosses tenants."""

import asyncio

import pytest
from channels.testing import WebsocketCommunicator

from saas.graphql.tenancy import tenant_sync
from tenants.websocket import TenantWebsocketMiddleware
from tests.support import marker

pytestmark = [pytest.mark.django_db, pytest.mark.asyncio]


async def echo_tenant_app(scope, receive, send):
    await receive()
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": scope["tenant"].schema_name})
    await send({"type": "websocket.close", "code": 1000})


async def connect(host: str, origin: str | None = None):
    headers = [(b"host", host.encode())]
    if origin:
        headers.append((b"origin", origin.encode()))
    communicator = WebsocketCommunicator(TenantWebsocketMiddleware(echo_tenant_app), "/graphql/", headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


@pytest.mark.parametrize("host", ["nope.localhost", "localhost", ""])
async def test_unknown_or_public_host_is_refused(host):
    communicator, connected = await connect(host)
    assert connected is False
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        (None, True),
        ("http://acme.localhost:8000", True),
        ("https://acme.localhost", True),
        ("http://beta.localhost:8000", False),
        ("http://evil.example", False),
        ("null", False),
    ],
)
async def test_origin_must_be_one_of_the_tenants_domains(origin, allowed):
    communicator, connected = await connect("acme.localhost:8000", origin)
    assert connected is allowed
    if connected:
        assert await communicator.receive_from() == "acme"
    await communicator.disconnect()


async def test_interleaved_orm_work_never_crosses_tenants(acme, beta):
    """200 interleaved ORM calls for two tenants on the shared database thread each see their own rows."""
    from users.models import User

    def read_markers():
        return sorted(set(User.objects.values_list("full_name", flat=True)))

    tenants = [acme, beta] * 100
    results = await asyncio.gather(*(tenant_sync(tenant, read_markers) for tenant in tenants))
    for tenant, markers in zip(tenants, results, strict=True):
        assert markers == [marker(tenant.schema_name)]
