"""Structured logging: every line carries the tenant schema and the request id."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pythonjsonlogger.json import JsonFormatter

from saas.logging import ContextFilter
from tenants.services import tenant_set_active

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s %(schema)s %(request_id)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def test_request_lines_carry_schema_and_request_id(client, acme, json_log):
    """A log line written while serving acme names acme and the caller's request id."""
    tenant_set_active(tenant=acme, is_active=False)
    response = client.get("/admin/", HTTP_HOST="acme.localhost", HTTP_X_REQUEST_ID="req-123")
    tenant_set_active(tenant=acme, is_active=True)
    assert response.status_code == 403
    assert response["X-Request-ID"] == "req-123"
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    forbidden = [line for line in lines if line["name"] == "django.request"]
    assert forbidden and forbidden[0]["schema"] == "acme"
    assert forbidden[0]["request_id"] == "req-123"


def test_unsafe_request_ids_are_replaced(client):
    """A request id with odd characters is not echoed; a fresh one is issued."""
    response = client.get("/healthz", HTTP_HOST="acme.localhost", HTTP_X_REQUEST_ID="bad id\nInjected: 1")
    assert response["X-Request-ID"] != "bad id\nInjected: 1"
    assert len(response["X-Request-ID"]) == 32


def test_debug_level_starts_the_platform():
    """At LOG_LEVEL=DEBUG, records written while Django starts (before the app registry is ready)
    are logged without a schema instead of failing start-up."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "LOG_LEVEL": "DEBUG"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "AppRegistryNotReady" not in result.stderr
    assert "System check identified no issues" in result.stdout
