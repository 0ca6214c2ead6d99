"""The client kit in docs/clients/ runs as published against the live server: each example signs in,
pages through products, searches and subscribes, and keeps receiving after its connection drops.

The examples use tenant URLs (``http://kit.localhost:<port>/graphql/``) as browsers and curl do;
for Python and Node, whose resolvers do not map ``*.localhost`` to loopback here, a preload adds that
mapping (it changes name resolution only). Connections go through a TCP proxy that the test cuts
once a notification has arrived: the example must reconnect and resubscribe by itself.
"""

import contextlib
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django_tenants.utils import tenant_context

from tests.live import http_graphql
from tests.support import PASSWORD, ROOT

KIT = ROOT / "docs" / "clients"
WEB = ROOT / "web"
PRODUCTS = ["Anvil", "Bird seed", "Catapult", "Dynamite", "Earthquake pills", "Fan", "Giant magnet"]

PYTHON_RESOLVER = """
import socket
_getaddrinfo = socket.getaddrinfo
def _loopback_localhost(host, *args, **kwargs):
    if isinstance(host, str) and host.endswith(".localhost"):
        host = "127.0.0.1"
    return _getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = _loopback_localhost
"""
NODE_RESOLVER = """
const dns = require("node:dns");
const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  const loopback = typeof hostname === "string" && hostname.endsWith(".localhost");
  return lookup.call(this, loopback ? "127.0.0.1" : hostname, options, callback);
};
"""


@pytest.fixture(scope="module")
def kit(django_db_setup, django_db_blocker):
    """A committed tenant with an owner and seven products, removed with everything it owns at the end."""
    from catalog.services import product_create
    from tenants.services import tenant_create, tenant_delete
    from users.services import user_create

    with django_db_blocker.unblock():
        tenant = tenant_create(name="Kit Test", schema_name="kit", domain="kit.localhost")
        with tenant_context(tenant):
            user_create(email="owner@kit.test", password=PASSWORD, is_staff=True)
            for number, name in enumerate(PRODUCTS, start=1):
                product_create(name=name, sku=f"KIT-{number}", price=Decimal(f"{number}.50"))
    yield tenant
    with django_db_blocker.unblock():
        tenant_delete(tenant=tenant)


class Proxy:
    """A TCP proxy to the live server whose open connections can be cut at once (a network drop)."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self.lock:
                self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def drop(self) -> None:
        with self.lock:
            connections, self.connections = self.connections, []
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def close(self) -> None:
        self.listener.close()
        self.drop()


@pytest.fixture
def proxy(platform_server):
    proxy = Proxy(platform_server.port)
    yield proxy
    proxy.close()


@pytest.fixture(scope="module")
def resolvers(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("resolvers")
    (directory / "sitecustomize.py").write_text(PYTHON_RESOLVER)
    (directory / "loopback-localhost.cjs").write_text(NODE_RESOLVER)
    return directory


class Example:
    """One example program running; its output lines are read as they come."""

    def __init__(self, command: list[str], env: dict, cwd: Path):
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None  # piped
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, prefix: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.output.append(line)
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no line starting with {prefix!r}; output so far:\n" + "\n".join(self.output))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class Notifier:
    """Sends the owner a numbered notification every half second until stopped."""

    def __init__(self, server, token: str):
        self.server, self.token = server, token
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        number = 0
        while not self.stopped.wait(0.5):
            number += 1
            query = "mutation($m: String!) { sendNotification(message: $m) { id } }"
            http_graphql(self.server, "kit", query, {"m": f"kit note {number}"}, self.token)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(5)


def owner_token(server) -> str:
    query = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
    return http_graphql(server, "kit", query, {"e": "owner@kit.test", "p": PASSWORD})[0]["data"]["login"]["token"]


def run_journey(platform_server, proxy, command: list[str], env: dict, cwd: Path = KIT) -> None:
    env = {
        **env,
        "GRAPHQL_URL": f"http://kit.localhost:{proxy.port}/graphql/",
        "GRAPHQL_EMAIL": "owner@kit.test",
        "GRAPHQL_PASSWORD": PASSWORD,
        "GRAPHQL_SEARCH": "catapult",
        "NOTIFICATIONS": "2",
    }
    example = Example(command, env, cwd)
    notifier = None
    try:
        assert example.wait_for("signed in as") == "signed in as owner@kit.test"
        assert example.wait_for("paged through") == f"paged through {len(PRODUCTS)} of {len(PRODUCTS)} products"
        listed = [line for line in example.output if line.startswith("product ")]
        assert [line.split(": ", 1)[1].rsplit(" ", 1)[0] for line in listed] == sorted(PRODUCTS)
        assert example.wait_for("search ") == "search 'catapult': Catapult"
        example.wait_for("subscribed")
        notifier = Notifier(platform_server, owner_token(platform_server))
        first = example.wait_for("notification: ")
        proxy.drop()
        example.wait_for("subscribed")  # connected again, after the drop
        second = example.wait_for("notification: ")
        assert first != second and second.startswith("notification: kit note ")
        assert example.process.wait(30) == 0, "\n".join(example.output)
    finally:
        if notifier:
            notifier.stop()
        example.stop()


def test_python_example(platform_server, kit, proxy, resolvers):
    env = {**os.environ, "PYTHONPATH": str(resolvers)}
    run_journey(platform_server, proxy, [sys.executable, str(KIT / "python_client.py")], env)


def test_typescript_example(platform_server, kit, proxy, resolvers, tmp_path):
    """Type-checked with the web app's TypeScript and run by Node with the web app's packages."""
    if not (WEB / "node_modules" / ".bin" / "tsc").exists():
        pytest.fail("web/node_modules is not installed: run make deps")
    build = WEB / "node_modules" / ".cache" / "client-kit"
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    shutil.copy(KIT / "typescript_client.ts", build / "client.ts")
    compiled = subprocess.run(
        [str(WEB / "node_modules" / ".bin" / "tsc"), "--strict", "--target", "es2022", "--module", "esnext",
         "--moduleResolution", "bundler", "--skipLibCheck", "--types", "node", "--outDir", ".", "client.ts"],
        cwd=build, capture_output=True, text=True,
    )  # fmt: skip
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    command = ["node", "--require", str(resolvers / "loopback-localhost.cjs"), "client.js"]
    run_journey(platform_server, proxy, command, dict(os.environ), cwd=build)


def test_curl_example(platform_server, kit, proxy, resolvers):
    """curl resolves *.localhost itself; the subscription uses the script's Python fallback."""
    for tool in ("curl", "jq"):
        assert shutil.which(tool), f"{tool} is needed by docs/clients/curl.sh"
    env = {**os.environ, "PYTHONPATH": str(resolvers), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    run_journey(platform_server, proxy, ["bash", str(KIT / "curl.sh")], env)
