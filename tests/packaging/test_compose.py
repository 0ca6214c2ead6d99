"""compose.yaml: valid against the Compose Specification schema, and started in a safe order.

The schema is the compose-spec JSON schema vendored (with its license) by check-jsonschema
(`--builtin-schema vendor.compose-spec`); no Docker engine is needed.
"""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.packaging.test_locks_and_image import lock_pins
from tests.support import must_search

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
# What the app needs to serve a request, and must wait for until healthy.
APP_BACKENDS = {"postgres", "redis", "elasticsearch"}
ONE_SHOT = {"bootstrap"}


def validate(path: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(path)]
    return subprocess.run(command, capture_output=True, text=True)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_file_matches_the_compose_specification():
    result = validate(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_an_invalid_file(tmp_path):
    broken = tmp_path / "compose.yaml"
    text = COMPOSE.read_text().replace("{condition: service_completed_successfully}", "{condition: when_ready}", 1)
    assert text != COMPOSE.read_text()
    broken.write_text(text)
    result = validate(broken)
    assert result.returncode != 0 and "when_ready" in result.stdout


def _depends(service: dict) -> dict:
    depends = service.get("depends_on", {})
    return {name: {"condition": "service_started"} for name in depends} if isinstance(depends, list) else depends


def test_migrations_run_once_before_app_and_relay(compose):
    services = compose["services"]
    migrating = [name for name, s in services.items() if "prepare_platform" in str(s.get("command", ""))]
    assert migrating == ["bootstrap"]
    assert services["bootstrap"].get("restart", "no") == "no"
    for name in ("app", "relay"):
        assert "migrate" not in str(services[name].get("command", "")), f"{name} migrates"
        assert _depends(services[name]).get("bootstrap") == {"condition": "service_completed_successfully"}, name


def test_every_dependency_is_gated_on_a_condition_with_a_healthcheck(compose):
    services = compose["services"]
    assert set(_depends(services["app"])) >= APP_BACKENDS, "the app does not wait for all its backends"
    for name, service in services.items():
        for dependency, spec in _depends(service).items():
            condition = spec.get("condition")
            assert condition in {"service_healthy", "service_completed_successfully"}, (name, dependency, condition)
            if condition == "service_healthy":
                assert "healthcheck" in services[dependency], f"{name} waits on {dependency}, which has no healthcheck"
    for name in APP_BACKENDS | {"app", "web"}:
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_long_running_services_restart(compose):
    for name, service in compose["services"].items():
        if name not in ONE_SHOT:
            assert service.get("restart") in {"always", "unless-stopped", "on-failure"}, name


def test_safe_defaults_demo_off_secure_cookies_on(compose):
    env = compose["services"]["app"]["environment"]
    assert env["SEED_DEMO"] == "${SEED_DEMO:-0}"
    assert env["SECURE_COOKIES"] == "${SECURE_COOKIES:-1}"
    for name in ("bootstrap", "app", "relay"):
        assert compose["services"][name]["environment"] is env


def test_images_are_pinned_to_maintained_lines(compose):
    images = {name: s["image"] for name, s in compose["services"].items() if "image" in s}
    assert all(":" in image and not image.endswith(":latest") for image in images.values()), images
    client = tuple(int(part) for part in lock_pins("requirements.lock")["elasticsearch"].split(".")[:2])
    server = tuple(int(part) for part in must_search(r":(\d+)\.(\d+)", images["elasticsearch"]).groups())
    assert server >= client, f"Elasticsearch {server} is older than its client {client}"
    nginx_minor = int(must_search(r"nginx:1\.(\d+)", images["web"]).group(1))
    assert nginx_minor % 2 == 0 and nginx_minor >= 28, f"nginx {images['web']} is not a current stable line"
