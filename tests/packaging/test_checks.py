"""`make lint` and the pre-commit hooks run the same checks; the mypy set is declared, not ignored."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _lint_recipe() -> str:
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE)
    assert recipe is not None, "no lint target in the Makefile"
    return recipe.group(1)


def test_pre_commit_runs_every_lint_check():
    hooks = {hook["id"]: hook for repo in yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"]
             for hook in repo["hooks"]}  # fmt: skip
    recipe = _lint_recipe()
    for check, hook in {
        "ruff check": "ruff-check", "ruff format --check": "ruff-format", "mypy": "mypy",
        "migrations-check": "makemigrations-check", "vendor.compose-spec": "compose-schema",
        "npm run lint": "web-lint", "npm run codegen:check": "graphql-codegen-check",
    }.items():  # fmt: skip
        assert check in recipe, f"make lint does not run {check}"
        assert hook in hooks, f"pre-commit has no {hook} hook"
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                            cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_configuration_has_no_blanket_ignores():
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert {"mypy_django_plugin.main", "strawberry.ext.mypy_plugin"} <= set(mypy["plugins"])
    assert not mypy.get("ignore_errors") and not mypy.get("ignore_missing_imports")
    assert "ignore-without-code" in mypy["enable_error_code"] and mypy["warn_unused_ignores"]
    for override in mypy.get("overrides", []):
        assert not override.get("ignore_errors"), override
    bare = []
    for path in ROOT.glob("**/*.py"):
        if path == Path(__file__).resolve() or any(part in {".venv", "node_modules", ".data"} for part in path.parts):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"type:\s*ignore(?!\[)", line) or "mypy: ignore-errors" in line:
                bare.append(f"{path.relative_to(ROOT)}:{number}")
    assert not bare, f"type ignores without an error code: {bare}"
