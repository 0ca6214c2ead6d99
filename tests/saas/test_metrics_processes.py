"""Metrics of several server processes: ``scripts/serve.py --workers 2`` puts its daphne workers in
prometheus-client's multiprocess mode and one scrape of METRICS_PORT sums what both served."""

import os
import re
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from tests.live import http_graphql, login
from tests.support import LiveServer, free_port

PROBE = "query MetricsProbe { me { id } }"
LATENCY_COUNT = "saas_graphql_operation_duration_seconds_count"


class TwoWorkerServer(LiveServer):
    """The platform as production serves it: scripts/serve.py with two daphne workers on one port."""

    def __init__(self, env: dict, shared: Path | None = None):
        super().__init__(database_name=settings.DATABASES["default"]["NAME"], env=env)
        self.metrics_port = int(env["METRICS_PORT"])
        self.shared = shared

    def command(self) -> list[str]:
        return [sys.executable, "scripts/serve.py", "--skip-prepare", "--no-relay", "--workers", "2",
                "--host", "127.0.0.1", "--port", str(self.port)]  # fmt: skip


@pytest.fixture(scope="module")
def two_workers(django_db_setup, tmp_path_factory):
    shared = tmp_path_factory.mktemp("prometheus")
    stale = shared / "counter_1.db"  # a previous run's file: serve.py must empty the directory
    stale.write_bytes(b"left over")
    env = {**os.environ, "METRICS_PORT": str(free_port()), "METRICS_ADDRESS": "127.0.0.1",
           "PROMETHEUS_MULTIPROC_DIR": str(shared)}  # fmt: skip
    server = TwoWorkerServer(env, shared)
    server.start()
    yield server
    server.stop()


def worker_pids_that_timed_operations(shared: Path) -> set[str]:
    """Each process writes its histogram samples to histogram_<pid>.db."""
    return {match.group(1) for path in shared.iterdir() if (match := re.fullmatch(r"histogram_(\d+)\.db", path.name))}


def scrape(port: int) -> dict[tuple[str, frozenset], float]:
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def probe_count(samples: dict, tenant: str) -> float:
    return sum(
        value
        for (name, labels), value in samples.items()
        if name == LATENCY_COUNT and ("operation", "MetricsProbe") in labels and ("tenant", tenant) in labels
    )


def test_one_scrape_sums_the_operations_every_worker_served_per_tenant(two_workers):
    assert not (two_workers.shared / "counter_1.db").exists()
    tokens = {schema: login(two_workers, schema, "member")[0] for schema in ("acme", "beta")}
    sent = {"acme": 0, "beta": 0}

    def probe(schema: str) -> None:  # a new connection each time: the kernel hands it to either worker
        result, _ = http_graphql(two_workers, schema, PROBE, token=tokens[schema])
        assert result["data"]["me"]["id"], result

    with ThreadPoolExecutor(8) as pool:
        for _ in range(10):
            batch = ["acme"] * 12 + ["beta"] * 8
            list(pool.map(probe, batch))
            for schema in batch:
                sent[schema] += 1
            if len(worker_pids_that_timed_operations(two_workers.shared)) == 2:
                break
    assert len(worker_pids_that_timed_operations(two_workers.shared)) == 2, "one worker served every request"

    samples = scrape(two_workers.metrics_port)
    assert probe_count(samples, "acme") == sent["acme"], (sent, samples)
    assert probe_count(samples, "beta") == sent["beta"], (sent, samples)
    # The designated worker also serves the gauges read from PostgreSQL and the live websocket sum.
    assert ("saas_outbox_backlog", frozenset()) in samples
    assert ("saas_websocket_connections", frozenset()) in samples

    # Both workers go on counting into the same scrape.
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(probe, ["beta"] * 6))
    deadline = time.monotonic() + 5
    while probe_count(scrape(two_workers.metrics_port), "beta") != sent["beta"] + 6 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert probe_count(scrape(two_workers.metrics_port), "beta") == sent["beta"] + 6


def test_the_directory_serve_py_made_is_removed_when_it_stops(django_db_setup):
    env = {key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(METRICS_PORT=str(free_port()), METRICS_ADDRESS="127.0.0.1")
    temporary = Path(tempfile.gettempdir())
    before = set(temporary.glob("saas-metrics-*"))
    server = TwoWorkerServer(env)
    server.start()
    try:
        assert ("saas_websocket_connections", frozenset()) in scrape(server.metrics_port)
        made = set(temporary.glob("saas-metrics-*")) - before
        assert len(made) == 1 and any(next(iter(made)).glob("*.db")), made
    finally:
        server.stop()
    assert not any(path.exists() for path in made)
