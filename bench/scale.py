"""Scale: the platform grown from 10 to 100 tenants (to 1,000 with ``BENCH_SCALE=1000``).

Each step provisions tenants cloned from the template (a few users and products each, as in
production: through the services, so search documents and outbox rows exist), then records:

- read throughput and p99 latency of ``products(first: 20)`` over HTTP on random tenants, against
  two real daphne servers in production settings (DEBUG=0): one with the cache on ("cached") and
  one with ``CACHE_TTL_SECONDS=0`` ("uncached": every read goes to PostgreSQL). The load
  generator runs in a process of its own; rounds of cached and uncached load are interleaved and
  their medians reported;
  before a step's rounds, every tenant is read once on each server (a warm-up pass), so that the
  rounds measure the fleet's steady state rather than each tenant's first request;
- at the largest step, reads spread over all tenants against reads confined to 10 of them, in
  interleaved rounds on the same servers and fleet: the same-run ratio of what spreading the load
  over more tenants costs;
- the cached server's RSS after the load;
- provisioning time of each new tenant (p50, p95);
- a no-op ``migrate_schemas`` over every tenant (standard executor and django-tenants'
  multiprocessing executor, up to 100 tenants; past 100 only with ``BENCH_SCALE_MIGRATE_SCHEMAS=1``,
  as it takes about 15 minutes at 1,000) and ``migrate_tenants``, which migrates only the schemas
  that lack a migration;
- one real migration (a column and an index on the products table) applied to every tenant,
  then reverted;
- ``search_index --check`` over every tenant.

The servers keep their PostgreSQL connections in psycopg's pool (``DATABASE_POOL_MAX_SIZE``,
``BENCH_SCALE_POOL``, default 8, as in compose.yaml; 0 opens one connection per request).

Results go to .data/bench_scale.json and the curves to docs/bench_scale.png. With
``BENCH_SCALE_PROFILE=1`` py-spy samples the cached server during each step's first round and
the step records its top costs.

The load generator is this file run as a script: ``python bench/scale.py load < spec.json``.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PRODUCTS_QUERY = "query { products(first: 20) { totalCount edges { node { id name price } } } }"
USERS_PER_TENANT = 3
PRODUCTS_PER_TENANT = 5
ROUNDS = int(os.environ.get("BENCH_SCALE_ROUNDS", "3"))
ROUND_SECONDS = float(os.environ.get("BENCH_SCALE_ROUND_SECONDS", "4"))
CONCURRENCY = int(os.environ.get("BENCH_SCALE_CONCURRENCY", "8"))
POOL = os.environ.get("BENCH_SCALE_POOL", "8")
FEW = 10  # tenants the "confined" reads of the spread comparison go to


# --- load generator (its own process; no Django) ------------------------------------------------


def _percentile(samples: list[float], fraction: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run_load(spec: dict) -> dict:
    """``spec``: port, targets [[host, token], ...], seconds, concurrency. Keep-alive connections,
    one per thread; each request goes to a random target. With ``each``, every target is asked
    once instead (the warm-up pass), whatever the time it takes."""
    targets, port = spec["targets"], spec["port"]
    queue = list(targets) if spec.get("each") else None
    body = json.dumps({"query": PRODUCTS_QUERY}).encode()
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + spec["seconds"]

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        failed = 0
        while (queue is not None and queue) or (queue is None and time.perf_counter() < deadline):
            if queue is not None:
                try:
                    host, token = queue.pop()
                except IndexError:
                    break
            else:
                host, token = rng.choice(targets)
            headers = {"Host": host, "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            start = time.perf_counter()
            try:
                connection.request("POST", "/graphql/", body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                if response.status != 200 or b'"errors"' in payload:
                    failed += 1
            except OSError:
                failed += 1
                connection.close()
                connection = HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(spec["concurrency"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "throughput": len(latencies) / elapsed,
        "p50_ms": _percentile(latencies, 0.50) * 1000,
        "p99_ms": _percentile(latencies, 0.99) * 1000,
    }


# --- the scenario (inside bench/run.py's Django process) ----------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Daphne:
    """The platform served by daphne in production settings, in a process of its own."""

    def __init__(self, *, cached: bool):
        self.port = _free_port()
        env = {key: value for key, value in os.environ.items() if key != "SAAS_TESTING"}
        env.update(DEBUG="0", SECRET_KEY="bench-scale-secret-key-not-for-production", LOG_LEVEL="WARNING")
        env["DATABASE_POOL_MAX_SIZE"] = POOL
        if not cached:
            env["CACHE_TTL_SECONDS"] = "0"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "saas.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        from services import wait_until_serving  # scripts/, on the path of the bench run

        wait_until_serving(self.port, self.process)

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _load(server: Daphne, targets: list[list[str]], profile: Path | None = None, each: bool = False) -> dict:
    spec = {
        "port": server.port,
        "targets": targets,
        "seconds": ROUND_SECONDS,
        "concurrency": CONCURRENCY,
        "each": each,
    }
    spy = None
    if profile is not None:
        # py-spy (pip install py-spy) samples the server while the load runs: collapsed stacks.
        spy = subprocess.Popen(
            [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(server.process.pid)]
            + ["--duration", str(int(ROUND_SECONDS)), "--format", "raw", "--output", str(profile), "--nonblocking"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)
    done = subprocess.run(
        [sys.executable, __file__, "load"], input=json.dumps(spec), capture_output=True, text=True, check=True
    )
    if spy is not None:
        spy.wait(30)
    return json.loads(done.stdout)


def top_costs(profile: Path, limit: int = 12) -> list[tuple[str, float]]:
    """Share of samples per function (inclusive) of our code and the libraries, from collapsed stacks."""
    totals: dict[str, int] = {}
    samples = 0
    for line in profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        samples += int(count)
        for frame in set(stack.split(";")):
            if "(" in frame and "threading.py" not in frame and "asyncio" not in frame:
                totals[frame] = totals.get(frame, 0) + int(count)
    ranked = sorted(totals.items(), key=lambda item: -item[1])[:limit]
    return [(frame, round(100 * count / samples, 1)) for frame, count in ranked]


def _provision(index: int, password_hash: str) -> tuple[float, list[str]]:
    """One tenant cloned from the template, with users and products; returns (seconds, target)."""
    from django.db import transaction
    from django_tenants.utils import tenant_context

    from catalog.services import product_create
    from tenants.services import tenant_create
    from users.models import User
    from users.services import token_issue

    schema = f"scale_{index:04d}"
    host = f"scale-{index:04d}.localhost"
    start = time.perf_counter()
    tenant = tenant_create(name=f"Scale {index}", schema_name=schema, domain=host)
    seconds = time.perf_counter() - start
    with tenant_context(tenant):
        User.objects.bulk_create(
            User(email=f"user{n}@{schema}.test", full_name=f"User {n}", password=password_hash)
            for n in range(USERS_PER_TENANT)
        )
        with transaction.atomic():
            for n in range(PRODUCTS_PER_TENANT):
                product_create(
                    name=f"Scale product {n}", sku=f"{schema.upper()}-{n}", price=Decimal("9.99"), description=""
                )
        token = token_issue(user=User.objects.get(email=f"user0@{schema}.test"))
    return seconds, [host, token]


def _timed(command: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


MIGRATION = """from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "{previous}")]
    operations = [
        migrations.RunSQL(
            "ALTER TABLE catalog_product ADD COLUMN scale_note varchar(64) NULL; "
            "CREATE INDEX catalog_product_scale_note ON catalog_product (scale_note)",
            "DROP INDEX catalog_product_scale_note; ALTER TABLE catalog_product DROP COLUMN scale_note",
        )
    ]
"""


def _real_migration_env() -> tuple[dict, str]:
    """Settings that add one more catalog migration (a copy of the app's migrations plus one)."""
    import shutil

    work = ROOT / ".data" / "bench_scale"
    package = work / "scale_migrations"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(ROOT / "catalog" / "migrations", package, ignore=shutil.ignore_patterns("__pycache__"))
    previous = sorted(path.stem for path in package.glob("0*.py"))[-1]
    (package / "9999_scale_bench.py").write_text(MIGRATION.format(previous=previous))
    (work / "scale_settings.py").write_text(
        'from saas.settings import *  # noqa: F403\n\nMIGRATION_MODULES = {"catalog": "scale_migrations"}\n'
    )
    env = {**os.environ, "PYTHONPATH": f"{work}:{ROOT}", "DJANGO_SETTINGS_MODULE": "scale_settings"}
    return env, previous


def _migrations(size: int, last: bool) -> dict:
    manage = [sys.executable, "manage.py"]
    result = {"noop_migrate_tenants_s": _timed([*manage, "migrate_tenants", "--noinput", "-v", "0"])}
    if size <= 100 or os.environ.get("BENCH_SCALE_MIGRATE_SCHEMAS"):
        result["noop_migrate_s"] = _timed([*manage, "migrate_schemas", "--noinput", "-v", "0"])
    if size <= 100:
        # Past 100 tenants it is not run: on two cores it never beat the standard executor.
        result["noop_migrate_parallel_s"] = _timed(
            [*manage, "migrate_schemas", "--noinput", "-v", "0", "--executor", "multiprocessing"]
        )
    env, previous = _real_migration_env()
    result["real_migration_s"] = _timed([*manage, "migrate_tenants", "--noinput", "-v", "0"], env=env)
    if last:
        return result  # the bench database is dropped next run: no need to revert
    revert = [*manage, "migrate_schemas", "--noinput", "-v", "0"]
    result["real_migration_revert_s"] = _timed([*revert, "--tenant", "catalog", previous], env=env) + _timed(
        [*revert, "--schema", "tenant_template", "catalog", previous], env=env
    )
    return result


def _search_check() -> float:
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("search_index", "--check", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return time.perf_counter() - start


def _spread(cached: Daphne, uncached: Daphne, targets: list[list[str]]) -> dict:
    """Reads over every tenant against reads confined to ``FEW`` of them, rounds interleaved on
    the same servers: what spreading the same load over the whole fleet costs."""
    rounds: dict[str, list[dict]] = {}
    for _ in range(ROUNDS):
        for kind, server in (("cached", cached), ("uncached", uncached)):
            for spread, chosen in (("few", targets[:FEW]), ("all", targets)):
                rounds.setdefault(f"{kind}_{spread}", []).append(_load(server, chosen))
    result = {}
    for key, results in rounds.items():
        result[f"spread_{key}_rps"] = statistics.median(r["throughput"] for r in results)
        result[f"spread_{key}_p99_ms"] = statistics.median(r["p99_ms"] for r in results)
        result[f"spread_{key}_errors"] = sum(r["errors"] for r in results)
    for kind in ("cached", "uncached"):
        # Per-round ratios, then their median (as the read-path bench does).
        few, spread_all = rounds[f"{kind}_few"], rounds[f"{kind}_all"]
        result[f"spread_{kind}_rps_ratio"] = statistics.median(
            a["throughput"] / f["throughput"] for a, f in zip(spread_all, few, strict=True)
        )
        result[f"spread_{kind}_p99_ratio"] = statistics.median(
            a["p99_ms"] / f["p99_ms"] for a, f in zip(spread_all, few, strict=True)
        )
    return result


def sizes() -> list[int]:
    largest = int(os.environ.get("BENCH_SCALE", "100"))
    return [size for size in (10, 100, 1000) if size <= largest]


def scale() -> dict:
    """Grow the fleet step by step and measure each step (see the module doc)."""
    from django.contrib.auth.hashers import make_password

    from catalog.search.outbox import outbox_relay  # noqa: F401  (imported so the relay is ready)

    password_hash = make_password("scale-bench-password")
    cached, uncached = Daphne(cached=True), Daphne(cached=False)
    targets: list[list[str]] = []
    steps = []
    try:
        for size in sizes():
            provision = []
            while len(targets) < size:
                seconds, target = _provision(len(targets), password_hash)
                provision.append(seconds)
                targets.append(target)
            for server in (cached, uncached):
                _load(server, targets, each=True)
            rounds: dict[str, list[dict]] = {"cached": [], "uncached": []}
            profile = ROOT / ".data" / f"scale_profile_{size}.txt" if os.environ.get("BENCH_SCALE_PROFILE") else None
            for round_number in range(ROUNDS):
                rounds["cached"].append(_load(cached, targets, profile if round_number == 0 else None))
                rounds["uncached"].append(_load(uncached, targets))
            step: dict[str, Any] = {
                "tenants": size,
                "provision_p50_s": statistics.median(provision),
                "provision_p95_s": _percentile(provision, 0.95),
                "rss_mib": cached.rss_mib(),
                "uncached_rss_mib": uncached.rss_mib(),
            }
            for kind, results in rounds.items():
                step[f"{kind}_rps"] = statistics.median(r["throughput"] for r in results)
                step[f"{kind}_p50_ms"] = statistics.median(r["p50_ms"] for r in results)
                step[f"{kind}_p99_ms"] = statistics.median(r["p99_ms"] for r in results)
                step[f"{kind}_errors"] = sum(r["errors"] for r in results)
            if profile is not None and profile.exists():
                step["profile_top"] = top_costs(profile)
            if size == sizes()[-1] and size > FEW:
                step.update(_spread(cached, uncached, targets))
            step.update(_migrations(size, last=size == sizes()[-1]))
            step["search_check_s"] = _search_check()
            steps.append(step)
            print(json.dumps(step), flush=True)
    finally:
        cached.stop()
        uncached.stop()
    (ROOT / ".data").mkdir(exist_ok=True)
    (ROOT / ".data" / "bench_scale.json").write_text(json.dumps(steps, indent=2))
    _plot(steps)
    print(markdown_table(steps), flush=True)
    print(spread_table(steps), flush=True)
    first, last = steps[0], steps[-1]
    return {
        "scenario": f"scale: cached reads/s at {last['tenants']} vs {first['tenants']} tenants",
        "baseline": round(first["cached_rps"], 1),
        "fast": round(last["cached_rps"], 1),
        "unit": "rps",
        "speedup": round(last["cached_rps"] / first["cached_rps"], 2),
    }


ROWS = [
    ("cached reads/s", "cached_rps", "{:.1f}"),
    ("cached p50 / p99 ms", ("cached_p50_ms", "cached_p99_ms"), "{:.0f} / {:.0f}"),
    ("uncached reads/s", "uncached_rps", "{:.1f}"),
    ("uncached p50 / p99 ms", ("uncached_p50_ms", "uncached_p99_ms"), "{:.0f} / {:.0f}"),
    ("server RSS MiB (cached / uncached)", ("rss_mib", "uncached_rss_mib"), "{:.0f} / {:.0f}"),
    ("provision p50 / p95 s", ("provision_p50_s", "provision_p95_s"), "{:.2f} / {:.2f}"),
    ("no-op migrate_schemas s", "noop_migrate_s", "{:.1f}"),
    ("no-op migrate_schemas, multiprocessing s", "noop_migrate_parallel_s", "{:.1f}"),
    ("no-op migrate_tenants s", "noop_migrate_tenants_s", "{:.1f}"),
    ("one real migration, every tenant s", "real_migration_s", "{:.1f}"),
    ("search_index --check, every tenant s", "search_check_s", "{:.1f}"),
]


def markdown_table(steps: list[dict]) -> str:
    """The steps as the table of docs/benchmarks.md."""
    lines = [
        "| tenants | " + " | ".join(str(step["tenants"]) for step in steps) + " |",
        "| --- |" + " --- |" * len(steps),
    ]
    for label, keys, form in ROWS:
        keys = keys if isinstance(keys, tuple) else (keys,)
        cells = [form.format(*(step[key] for key in keys)) if all(k in step for k in keys) else "-" for step in steps]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def spread_table(steps: list[dict]) -> str:
    """The largest step's spread comparison (reads over every tenant vs over 10), if it ran."""
    step = steps[-1]
    if "spread_cached_rps_ratio" not in step:
        return ""
    lines = [
        f"| {step['tenants']} tenants, interleaved rounds | reads/s, {FEW} tenants | reads/s, all | ratio "
        f"| p99 ms, {FEW} tenants | p99 ms, all | ratio |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kind in ("cached", "uncached"):
        lines.append(
            f"| {kind} | {step[f'spread_{kind}_few_rps']:.1f} | {step[f'spread_{kind}_all_rps']:.1f} "
            f"| {step[f'spread_{kind}_rps_ratio']:.2f}x | {step[f'spread_{kind}_few_p99_ms']:.0f} "
            f"| {step[f'spread_{kind}_all_p99_ms']:.0f} | {step[f'spread_{kind}_p99_ratio']:.2f}x |"
        )
    return "\n".join(lines)


def _plot(steps: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tenants = [step["tenants"] for step in steps]
    figure, axes = plt.subplots(2, 2, figsize=(11, 8))
    plots = [
        (axes[0][0], "reads/s (products, HTTP)", [("cached", "cached_rps"), ("uncached", "uncached_rps")]),
        (axes[0][1], "p99 latency (ms)", [("cached", "cached_p99_ms"), ("uncached", "uncached_p99_ms")]),
        (
            axes[1][0],
            "seconds",
            [
                ("no-op migrate_schemas", "noop_migrate_s"),
                ("no-op migrate_schemas (multiprocessing)", "noop_migrate_parallel_s"),
                ("no-op migrate_tenants", "noop_migrate_tenants_s"),
                ("one real migration", "real_migration_s"),
                ("search_index --check", "search_check_s"),
            ],
        ),
        (
            axes[1][1],
            "provision s / RSS MiB",
            [("provision p50 (s)", "provision_p50_s"), ("provision p95 (s)", "provision_p95_s")],
        ),
    ]
    for axis, label, series in plots:
        for name, key in series:
            points = [(step["tenants"], step[key]) for step in steps if key in step]
            axis.plot([x for x, _ in points], [y for _, y in points], marker="o", label=name)
        axis.set_xscale("log")
        axis.set_xlabel("tenants")
        axis.set_ylabel(label)
        axis.grid(True, alpha=0.3)
        axis.legend(fontsize=7)
    rss_axis = axes[1][1].twinx()
    rss_axis.plot(tenants, [step["rss_mib"] for step in steps], marker="s", color="grey", label="server RSS (MiB)")
    rss_axis.set_ylabel("RSS MiB")
    rss_axis.legend(fontsize=7, loc="lower right")
    figure.suptitle("Platform at scale: one machine, tenants cloned from the template")
    figure.tight_layout()
    figure.savefig(ROOT / "docs" / "bench_scale.png", dpi=90)


if __name__ == "__main__" and sys.argv[1:] == ["load"]:
    print(json.dumps(run_load(json.load(sys.stdin))))
elif __name__ == "__main__" and sys.argv[1:] == ["table"]:
    recorded = json.loads((ROOT / ".data" / "bench_scale.json").read_text())
    print(markdown_table(recorded))
    print(spread_table(recorded))
