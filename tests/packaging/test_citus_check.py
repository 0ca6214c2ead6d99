"""`make citus-check` (docs/scaling.md) on a machine without Citus: it says so and succeeds, so
the target can be run anywhere; the cluster script alone reports the absence as a failure."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NO_CITUS = {**os.environ, "CITUS_PG_CONFIG": "/nonexistent/pg_config"}


def test_cluster_script_reports_missing_citus():
    result = subprocess.run(
        [sys.executable, "scripts/citus_cluster.py", "available"],
        cwd=ROOT,
        env=NO_CITUS,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Citus is not installed for PostgreSQL 15" in result.stdout


def test_citus_check_without_citus_says_so_and_succeeds():
    result = subprocess.run(
        ["make", "--no-print-directory", "citus-check"], cwd=ROOT, env=NO_CITUS, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "citus-check: skipped, Citus is not installed" in result.stdout
    assert "pytest" not in result.stdout
