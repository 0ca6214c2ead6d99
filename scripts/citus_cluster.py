"""A local Citus cluster for `make citus-check`: one coordinator and two workers, each a cluster of
the machine's PostgreSQL 15 (Debian's postgresql-common: pg_createcluster / pg_ctlcluster).

    python scripts/citus_cluster.py available     # exit 1 (and say why) when Citus is not installed
    python scripts/citus_cluster.py up --database saas_citus_test
    python scripts/citus_cluster.py down          # stop the three clusters (data kept)
    python scripts/citus_cluster.py drop          # stop and remove them

Citus itself must already be installed for that PostgreSQL (`citus.so` in `pg_config --pkglibdir`;
CITUS_PG_CONFIG names another pg_config),
for instance from the Citus packages for the distribution (docs/scaling.md). This script only
creates, configures and starts clusters; it never touches a cluster it did not create (the
machine's main cluster on 5432 included).

`up` creates (or reuses) the clusters `citus-coord` (5441), `citus-w1` (5442) and `citus-w2`
(5443) with `shared_preload_libraries = 'citus'`, `wal_level = logical` (online shard moves) and
trust authentication on localhost only, then (re)creates the given database on all three nodes,
runs `CREATE EXTENSION citus` in each and registers the coordinator and both workers in the
coordinator's copy. The database is recreated empty on every `up`: test runs start clean. It
prints the coordinator's DATABASE_URL.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

VERSION = "15"
HOST = "127.0.0.1"
COORDINATOR = ("citus-coord", 5441)
WORKERS = [("citus-w1", 5442), ("citus-w2", 5443)]
NODES = [COORDINATOR, *WORKERS]
SETTINGS = {
    "shared_preload_libraries": "'citus'",
    "listen_addresses": "'127.0.0.1'",
    "wal_level": "logical",
    "max_prepared_transactions": "100",
    "max_connections": "200",
    "shared_buffers": "64MB",
    "citus.log_remote_commands": "off",
}
HBA = """# Written by scripts/citus_cluster.py: a local test cluster, trust on loopback only.
local   all all                trust
host    all all 127.0.0.1/32   trust
host    all all ::1/128        trust
host    replication all 127.0.0.1/32 trust
"""


def say(message: str) -> None:
    print(f"[citus] {message}", flush=True)


def pg_bin(name: str) -> str:
    return f"/usr/lib/postgresql/{VERSION}/bin/{name}"


def citus_library() -> Path | None:
    """Where citus.so of PostgreSQL 15 is, or None when PostgreSQL 15 or Citus is not installed."""
    pg_config = os.environ.get("CITUS_PG_CONFIG") or pg_bin("pg_config")
    try:
        pkglibdir = subprocess.run(
            [pg_config, "--pkglibdir"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    library = Path(pkglibdir) / "citus.so"
    return library if library.exists() else None


def clusters() -> dict[str, str]:
    """Existing clusters of this version: name -> status."""
    result = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True)
    found = {}
    for line in result.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0] == VERSION:
            found[fields[1]] = fields[3]
    return found


def ensure_cluster(name: str, port: int) -> None:
    existing = clusters()
    if name not in existing:
        say(f"creating cluster {VERSION}/{name} on port {port}")
        subprocess.run(["pg_createcluster", VERSION, name, "-p", str(port)], check=True, stdout=subprocess.DEVNULL)
        conf_dir = Path(f"/etc/postgresql/{VERSION}/{name}")
        (conf_dir / "conf.d").mkdir(exist_ok=True)
        (conf_dir / "conf.d" / "citus.conf").write_text("".join(f"{k} = {v}\n" for k, v in SETTINGS.items()))
        (conf_dir / "pg_hba.conf").write_text(HBA)
    if existing.get(name) != "online":
        say(f"starting {VERSION}/{name}")
        subprocess.run(["pg_ctlcluster", VERSION, name, "start"], check=True)


def connect(port: int, database: str = "postgres"):
    import psycopg

    for _ in range(100):
        try:
            return psycopg.connect(host=HOST, port=port, user="postgres", dbname=database, autocommit=True)
        except psycopg.OperationalError:
            time.sleep(0.1)
    return psycopg.connect(host=HOST, port=port, user="postgres", dbname=database, autocommit=True)


def database_url(database: str) -> str:
    return f"postgres://postgres@{HOST}:{COORDINATOR[1]}/{database}"


def up(database: str) -> None:
    for name, port in NODES:
        ensure_cluster(name, port)
    # Workers first on drop (the coordinator holds connections to them), coordinator first on create.
    for _, port in [*WORKERS, COORDINATOR]:
        with connect(port) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    for _, port in NODES:
        with connect(port) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        with connect(port, database) as conn:
            conn.execute("CREATE EXTENSION citus")
    with connect(COORDINATOR[1], database) as conn:
        conn.execute("SELECT citus_set_coordinator_host(%s, %s)", (HOST, COORDINATOR[1]))
        for _, port in WORKERS:
            conn.execute("SELECT citus_add_node(%s, %s)", (HOST, port))
        version = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'citus'").fetchone()
        nodes = conn.execute(
            "SELECT nodename, nodeport, shouldhaveshards FROM pg_dist_node ORDER BY nodeport"
        ).fetchall()
    say(f"Citus {version[0] if version else '?'} on {database}: nodes {nodes}")
    print(database_url(database), flush=True)


def down(remove: bool) -> None:
    existing = clusters()
    for name, _ in NODES:
        if name in existing:
            if remove:
                subprocess.run(["pg_dropcluster", VERSION, name, "--stop"], check=True)
                say(f"removed {VERSION}/{name}")
            elif existing[name] == "online":
                subprocess.run(["pg_ctlcluster", VERSION, name, "stop"], check=True)
                say(f"stopped {VERSION}/{name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["available", "up", "down", "drop"])
    parser.add_argument("--database", default="saas_citus")
    args = parser.parse_args()
    if args.action == "available":
        library = citus_library()
        if library is None:
            say(f"Citus is not installed for PostgreSQL {VERSION} (no citus.so in `pg_config --pkglibdir`)")
            return 1
        say(f"Citus found: {library}")
        return 0
    if citus_library() is None:
        say(f"Citus is not installed for PostgreSQL {VERSION}")
        return 1
    if args.action == "up":
        up(args.database)
    else:
        down(remove=args.action == "drop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
