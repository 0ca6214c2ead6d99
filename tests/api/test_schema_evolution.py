"""The breaking-change check that `make lint` runs (scripts/check_schema.py) against the released schema."""

import importlib.util
import re
import subprocess
import sys

from tests.support import ROOT

SPEC = importlib.util.spec_from_file_location("check_schema", ROOT / "scripts" / "check_schema.py")
assert SPEC is not None and SPEC.loader is not None
check_schema = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check_schema)

RELEASED = (ROOT / "docs" / "schema" / "released.graphql").read_text()


def test_the_committed_schema_breaks_nothing_released():
    result = subprocess.run([sys.executable, ROOT / "scripts" / "check_schema.py"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert "no breaking changes" in result.stdout


def test_removing_a_field_is_breaking():
    current = RELEASED.replace('  """Stock keeping unit, unique per tenant."""\n  sku: String!\n', "", 1)
    assert current != RELEASED
    breaking, _ = check_schema.compare(RELEASED, current)
    assert any("FIELD_REMOVED" in change and "sku" in change for change in breaking)


def test_a_new_required_argument_is_breaking_but_an_optional_one_is_not():
    required = re.sub(r"(\n\s*password: String!\n)", r"\1    otp: String!\n", RELEASED, count=1)
    optional = re.sub(r"(\n\s*password: String!\n)", r"\1    otp: String = null\n", RELEASED, count=1)
    assert required != RELEASED
    assert any("REQUIRED_ARG_ADDED" in change for change in check_schema.compare(RELEASED, required)[0])
    breaking, dangerous = check_schema.compare(RELEASED, optional)
    assert breaking == [] and any("OPTIONAL_ARG_ADDED" in change for change in dangerous)


def test_deprecating_instead_of_removing_passes():
    field = '  """Stock keeping unit, unique per tenant."""\n  sku: String!\n'
    current = RELEASED.replace(field, field.replace("!\n", '! @deprecated(reason: "Use code.")\n  code: String!\n'), 1)
    assert current != RELEASED
    assert check_schema.compare(RELEASED, current) == ([], [])
