"""The serving processes' PostgreSQL statement timeout (DATABASE_STATEMENT_TIMEOUT_MS): a statement
held up past it is cancelled and reaches the client as SERVICE_UNAVAILABLE with a plain message,
the server logs a warning (no traceback), the other tenant keeps being served, and management
commands never run under it."""

import json
import os
import subprocess
import sys
import time
import urllib.error
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
from django.conf import settings

from saas.db import STATEMENT_TIMEOUT_MESSAGE
from tests.catalog.graphql.test_products_read import PRODUCTS
from tests.live import GraphQLSocket, http_graphql, login
from tests.support import ROOT, LiveServer, error_codes

TIMEOUT_MS = 300


@pytest.fixture(scope="module")
def impatient_server(django_db_setup, tmp_path_factory):
    """daphne on the test database with a 300 ms statement timeout on pooled connections (as in
    compose), its output kept."""
    log = tmp_path_factory.mktemp("timeout") / "server.log"
    env = {**os.environ, "DATABASE_STATEMENT_TIMEOUT_MS": str(TIMEOUT_MS), "DATABASE_POOL_MAX_SIZE": "4"}
    server = LiveServer(database_name=settings.DATABASES["default"]["NAME"], env=env, log_path=str(log))
    server.start()
    yield server
    server.stop()


def locking_connection():
    """A connection of the test process to the database the live servers use."""
    url = urlparse(os.environ["DATABASE_URL"])
    return psycopg.connect(urlunparse(url._replace(path=f"/{settings.DATABASES['default']['NAME']}")))


def server_log(server: LiveServer) -> str:
    assert server.log_path
    return Path(server.log_path).read_text()


def products(server, schema: str, token: str) -> dict:
    try:
        return {**http_graphql(server, schema, PRODUCTS, {"first": 5}, token=token)[0], "status": 200}
    except urllib.error.HTTPError as error:  # the same envelope with a 503, when it comes from outside the schema
        return {**json.loads(error.read()), "status": error.code}


def test_a_statement_held_up_by_a_lock_is_cancelled_and_reported_while_the_other_tenant_is_served(impatient_server):
    acme_token, _ = login(impatient_server, "acme", "member")
    beta_token, _ = login(impatient_server, "beta", "member")
    with locking_connection() as locker:
        # A real slow statement: acme's product table is locked by another transaction, so the
        # server's read waits on the lock until the statement timeout cancels it.
        locker.execute("LOCK TABLE acme.catalog_product IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        held_up = products(impatient_server, "acme", acme_token)
        waited = time.monotonic() - started
        served = products(impatient_server, "beta", beta_token)
        with GraphQLSocket(impatient_server, "acme") as ws:  # the same read over a websocket
            assert ws.init({"authToken": acme_token})["type"] == "connection_ack"
            over_socket = ws.execute(PRODUCTS, {"first": 5})["payload"]
        locker.rollback()
    assert error_codes(held_up) == ["SERVICE_UNAVAILABLE"], held_up
    assert held_up["errors"][0]["message"] == STATEMENT_TIMEOUT_MESSAGE
    assert TIMEOUT_MS / 1000 <= waited < 5, waited
    assert error_codes(over_socket) == ["SERVICE_UNAVAILABLE"], over_socket
    assert over_socket["errors"][0]["message"] == STATEMENT_TIMEOUT_MESSAGE
    assert "errors" not in served and served["data"]["products"]["totalCount"] >= 0, served
    # Once the lock is gone the same read succeeds on the same server.
    again = products(impatient_server, "acme", acme_token)
    assert "errors" not in again, again
    log = server_log(impatient_server)
    warnings = [line for line in log.splitlines() if "statement cancelled" in line]
    assert warnings and all("WARNING" in line for line in warnings), log[-3000:]
    assert "Traceback" not in log, log[-3000:]


def test_a_statement_cancelled_before_the_schema_runs_is_the_same_coded_503_and_a_warning(impatient_server):
    """The bearer-token middleware's read (the token cache emptied) waits on a lock: the JSON
    envelope with HTTP 503, a WARNING in the log and no traceback, from outside the schema too."""
    from django.core.cache import cache

    acme_token, _ = login(impatient_server, "acme", "member")
    beta_token, _ = login(impatient_server, "beta", "member")
    logged_before = server_log(impatient_server)
    with locking_connection() as locker:
        locker.execute("LOCK TABLE acme.users_authtoken IN ACCESS EXCLUSIVE MODE")
        cache.clear()  # no cached token: the middleware reads the table
        held_up = products(impatient_server, "acme", acme_token)
        served = products(impatient_server, "beta", beta_token)
        locker.rollback()
    assert error_codes(held_up) == ["SERVICE_UNAVAILABLE"], held_up
    assert held_up["errors"][0]["message"] == STATEMENT_TIMEOUT_MESSAGE
    assert held_up["status"] == 503
    assert "errors" not in served, served
    log = server_log(impatient_server)[len(logged_before) :]
    assert any("statement" in line and "WARNING" in line for line in log.splitlines()), log[-3000:]
    assert "Traceback" not in log and "ERROR" not in log, log[-3000:]


def test_the_timeout_is_merged_into_the_connection_options_and_manage_py_drops_it():
    url = urlparse(os.environ["DATABASE_URL"])  # options named in the URL are kept
    database_url = urlunparse(url._replace(query="&".join(filter(None, [url.query, "options=-c%20work_mem%3D8MB"]))))
    env = {**os.environ, "DATABASE_URL": database_url, "DATABASE_STATEMENT_TIMEOUT_MS": "1500",
           "DATABASE_POOL_MAX_SIZE": "2"}  # fmt: skip
    options = subprocess.run(
        [sys.executable, "-c", "from saas import settings; import json; "
         "print(json.dumps(settings.DATABASES['default']['OPTIONS'], default=str))"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = json.loads(options.stdout)
    assert found["options"] == "-c work_mem=8MB -c statement_timeout=1500", found
    assert found["pool"]["max_size"] == 2
    # A management command (migrations above all) runs without it, whatever the environment says.
    shown = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.db import connection\nwith connection.cursor() as c:\n"
         "    c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"],
        cwd=ROOT, env={**os.environ, "DATABASE_STATEMENT_TIMEOUT_MS": "1500"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert shown.stdout.strip().splitlines()[-1] == "0", shown.stdout
