"""compose.yaml's `citus` profile (docs/scaling.md): a coordinator and two workers that start only
with the profile, are registered once all are healthy, and gate the first migration."""

import re
from pathlib import Path

import yaml

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[2] / "compose.yaml").read_text())
NODES = ["citus-coordinator", "citus-worker-1", "citus-worker-2"]


def test_citus_services_start_only_with_the_profile():
    services = COMPOSE["services"]
    for name in [*NODES, "citus-setup"]:
        assert services[name]["profiles"] == ["citus"], name
    assert not any("profiles" in s for n, s in services.items() if not n.startswith("citus-"))


def test_nodes_are_healthchecked_and_configured_for_moves():
    for name in NODES:
        node = COMPOSE["services"][name]
        assert re.fullmatch(r"citusdata/citus:13\.\d+\.\d+", node["image"]), node["image"]
        assert "extname = 'citus'" in " ".join(node["healthcheck"]["test"])
        assert "wal_level=logical" in node["command"] and "max_prepared_transactions=100" in node["command"]
        assert "ports" not in node, f"{name} must not be published: nodes trust each other"


def test_setup_registers_every_node_after_all_are_healthy():
    setup = COMPOSE["services"]["citus-setup"]
    assert setup["depends_on"] == {name: {"condition": "service_healthy"} for name in NODES}
    sql = " ".join(setup["command"])
    assert "citus_set_coordinator_host('citus-coordinator'" in sql
    assert all(f"citus_add_node('{worker}'" in sql for worker in NODES[1:])


def test_bootstrap_waits_for_the_cluster_only_when_the_profile_is_on():
    assert COMPOSE["services"]["bootstrap"]["depends_on"]["citus-setup"] == {
        "condition": "service_completed_successfully",
        "required": False,
    }
    env = COMPOSE["services"]["app"]["environment"]
    assert env["CITUS_SCHEMA_SHARDING"] == "${CITUS_SCHEMA_SHARDING:-0}"
    assert "${POSTGRES_HOST:-postgres}" in env["DATABASE_URL"]
