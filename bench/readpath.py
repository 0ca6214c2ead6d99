"""Read path over HTTP under load: GraphQL against plain Django views, in the same run.

The bench database gets the demo plus products up to ``READPATH_PRODUCTS``. A real daphne is
started with production settings (``DEBUG=0``, no test mode) and ``BENCH_READPATH=1``, which
mounts the baseline views of bench/readpath_app.py. A separate load-generator process (this
module run as a script) keeps ``READPATH_CLIENTS`` keep-alive connections busy; each scenario gets
a warm-up and then ``READPATH_SECONDS`` of measurement, and the scenarios take turns for
``READPATH_ROUNDS`` rounds. Every request carries the member's bearer token.

    a  GraphQL products(first: 50), cached        b  plain JsonResponse of the same 50 cached rows
    c  the same GraphQL page, caches retired       d  plain ORM view of the same 50 rows
    e  GraphQL { __typename }                      f  plain hello view

Per scenario: req/s, p50, p99 (medians over rounds), SQL statements per request (counted in the
server) and Redis commands per request (Redis's own counter). The ratios a/b, c/d and e/f are
printed and drawn into docs/benchmarks/readpath.png.
"""

import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "acme.localhost"
PORT = int(os.environ.get("READPATH_PORT", "8391"))
CLIENTS = int(os.environ.get("READPATH_CLIENTS", "8"))
SECONDS = float(os.environ.get("READPATH_SECONDS", "4"))
WARMUP_SECONDS = float(os.environ.get("READPATH_WARMUP_SECONDS", "1"))
ROUNDS = int(os.environ.get("READPATH_ROUNDS", "3"))
PRODUCTS = int(os.environ.get("READPATH_PRODUCTS", "200"))
PLOT = ROOT / "docs" / "benchmarks" / "readpath.png"

PAGE_QUERY = (
    "query ProductPage { products(first: 50) { totalCount edges { node "
    "{ id name description sku price isActive createdAt updatedAt } } } }"
)
SCENARIOS = {
    "a": ("GraphQL products(first: 50), cached", "POST", "/graphql/", {"query": PAGE_QUERY}, False),
    "b": ("plain view, same 50 rows from Redis", "GET", "/graphql/bench/cached/", None, False),
    "c": ("GraphQL products(first: 50), uncached", "POST", "/graphql/", {"query": PAGE_QUERY}, True),
    "d": ("plain ORM view, same 50 rows", "GET", "/graphql/bench/orm/", None, False),
    "e": ("GraphQL { __typename }, authenticated", "POST", "/graphql/", {"query": "{ __typename }"}, False),
    "f": ("plain hello view", "GET", "/graphql/bench/hello/", None, False),
}
# READPATH_ONLY=a profiles one scenario: the server runs under py-spy, which writes
# .data/readpath-<scenario>.txt (collapsed stacks); no ratios are computed then.
ONLY = os.environ.get("READPATH_ONLY", "")
if ONLY:
    SCENARIOS = {key: value for key, value in SCENARIOS.items() if key in ONLY}
RATIOS = (("a", "b"), ("c", "d"), ("e", "f"))
TARGETS = {"a/b": 1.0, "c/d": 0.5, "e/f": 0.8}


# --- load generator (its own process) ---------------------------------------------------------


def _request_bytes(method: str, path: str, body: dict | None, token: str, uncached: bool) -> bytes:
    payload = json.dumps(body).encode() if body is not None else b""
    headers = [
        f"{method} {path} HTTP/1.1",
        f"Host: {HOST}",
        f"Authorization: Bearer {token}",
        "Connection: keep-alive",
    ]
    if payload:
        headers += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    if uncached:
        headers.append("X-Bench-Uncached: 1")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + payload


async def _one(reader, writer, request: bytes) -> tuple[int, int, bytes]:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    fields = {
        key.strip().lower(): value.strip() for key, _, value in (line.partition(":") for line in lines[1:] if line)
    }
    body = await reader.readexactly(int(fields.get("content-length", "0")))
    return status, int(fields.get("x-bench-sql", "-1")), body


async def _phase(request: bytes, seconds: float) -> dict:
    latencies: list[float] = []
    sql: list[int] = []
    failures: list[str] = []
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
        try:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                status, statements, body = await _one(reader, writer, request)
                latencies.append(time.perf_counter() - start)
                sql.append(statements)
                if status != 200 or b'"errors"' in body[:20]:
                    failures.append(f"{status} {body[:200]!r}")
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "sql": statistics.mean(sql) if sql else 0,
        "failures": failures[:3],
        "failed": len(failures),
    }


def _redis_commands(client) -> int:
    return int(client.info("stats")["total_commands_processed"])


def load_main(token: str) -> int:
    """Drive the rounds; print one JSON line per measured phase."""
    import redis

    counter = redis.Redis.from_url(os.environ["REDIS_URL"])
    for round_index in range(ROUNDS):
        for key, (_, method, path, body, uncached) in SCENARIOS.items():
            request = _request_bytes(method, path, body, token, uncached)
            asyncio.run(_phase(request, WARMUP_SECONDS))
            before = _redis_commands(counter)
            result = asyncio.run(_phase(request, SECONDS))
            # The INFO call itself is one command; the retiring middleware adds one SET on c.
            commands = _redis_commands(counter) - before - 1 - (result["requests"] if uncached else 0)
            result.update(key=key, round=round_index, redis=commands / max(result["requests"], 1))
            print(json.dumps(result), flush=True)
    return 0


# --- driver (inside make bench) ----------------------------------------------------------------


def _seed_products() -> None:
    from django_tenants.utils import schema_context

    from catalog.models import Product
    from saas import cache as cache_keys

    with schema_context("acme"):
        missing = PRODUCTS - Product.objects.count()
        if missing > 0:
            Product.objects.bulk_create(
                Product(name=f"Bench product {index}", sku=f"BENCH-{index:05d}", price="9.99", description="x" * 80)
                for index in range(missing)
            )
            cache_keys.bump_generation(cache_keys.PRODUCTS)


def _server_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"SAAS_TESTING", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        BENCH_READPATH="1",
        LOG_LEVEL="WARNING",
        SECURE_COOKIES="0",
        PYTHONPATH=str(ROOT),
    )
    return env


def _summarise(lines: list[dict]) -> dict:
    summary = {}
    for key, (label, *_rest) in SCENARIOS.items():
        runs = [line for line in lines if line["key"] == key]
        summary[key] = {
            "label": label,
            "rps": statistics.median(run["rps"] for run in runs),
            "p50_ms": statistics.median(run["p50_ms"] for run in runs),
            "p99_ms": statistics.median(run["p99_ms"] for run in runs),
            "sql": statistics.median(run["sql"] for run in runs),
            "redis": statistics.median(run["redis"] for run in runs),
            "failed": sum(run["failed"] for run in runs),
            "rounds_rps": [round(run["rps"], 1) for run in runs],
        }
    for top, bottom in RATIOS:
        per_round = [
            a["rps"] / b["rps"]
            for a in lines
            if a["key"] == top
            for b in lines
            if b["key"] == bottom and b["round"] == a["round"]
        ]
        summary[f"{top}/{bottom}"] = statistics.median(per_round)
    return summary


def _plot(summary: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = list(SCENARIOS)
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    colors = ["#3b6ea5" if key in "ace" else "#9aa5b1" for key in keys]
    bars = left.bar(keys, [summary[key]["rps"] for key in keys], color=colors)
    left.bar_label(bars, fmt="%.0f")
    left.set_ylabel("requests/s (median of rounds)")
    left.set_title("Throughput: GraphQL (blue) vs plain Django (grey)")
    x = range(len(keys))
    right.bar([i - 0.2 for i in x], [summary[key]["p50_ms"] for key in keys], width=0.4, label="p50")
    right.bar([i + 0.2 for i in x], [summary[key]["p99_ms"] for key in keys], width=0.4, label="p99")
    right.set_xticks(list(x), keys)
    right.set_ylabel("latency, ms")
    right.set_title(f"Latency with {CLIENTS} keep-alive clients")
    right.legend()
    caption = (
        "   ".join(f"{key}: {summary[key]['label']}" for key in keys[:3])
        + "\n"
        + "   ".join(f"{key}: {summary[key]['label']}" for key in keys[3:])
    )
    ratios = "   ".join(f"{name} = {summary[name]:.2f}x" for name in TARGETS)
    figure.text(0.5, 0.01, f"{ratios}\n{caption}", ha="center", fontsize=7.5)
    figure.tight_layout(rect=(0, 0.12, 1, 1))
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(PLOT, dpi=110)
    plt.close(figure)


def read_path() -> dict:
    """The read-path comparison; returns a/b for bench/run.py's table."""
    from django_tenants.utils import schema_context

    from users.models import User
    from users.services import token_issue

    _seed_products()
    with schema_context("acme"):
        token = token_issue(user=User.objects.get(email="member@acme.test"))
    profiler = [
        str(Path(sys.executable).parent / "py-spy"),
        "record",
        "-r",
        "200",
        "-f",
        "raw",
        "-o",
        str(ROOT / ".data" / f"readpath-{ONLY}.txt"),
        "--",
    ]
    server = subprocess.Popen(
        [
            *(profiler if ONLY else []),
            sys.executable,
            "-m",
            "daphne",
            "-v",
            "0",
            "-b",
            "127.0.0.1",
            "-p",
            str(PORT),
            "saas.asgi:application",
        ],
        cwd=ROOT,
        env=_server_env(),
    )
    try:
        from services import wait_until_serving  # scripts/, on the path of the bench run

        wait_until_serving(PORT, server)
        load = subprocess.run(
            [sys.executable, __file__, token],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
        )
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # A server that does not stop must not outlive the bench (nor hide why the load failed).
            server.kill()
            server.wait()
    if load.returncode:
        raise RuntimeError(f"the load generator failed:\n{load.stdout}\n{load.stderr}")
    lines = [json.loads(line) for line in load.stdout.splitlines() if line.startswith("{")]
    if ONLY:
        return {"scenario": f"read path profile of {ONLY}", "baseline": 0, "fast": 0, "unit": "", "speedup": None}
    summary = _summarise(lines)
    print(f"\nread path, {CLIENTS} clients, {ROUNDS} rounds of {SECONDS:g} s (medians)")
    print(f"{'':2} {'scenario':<42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'SQL/req':>8} {'Redis/req':>9}")
    for key in SCENARIOS:
        row = summary[key]
        print(
            f"{key:2} {row['label']:<42} {row['rps']:>8.1f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
            f"{row['sql']:>8.2f} {row['redis']:>9.2f}" + (f"  ({row['failed']} FAILED)" if row["failed"] else "")
        )
    for name, target in TARGETS.items():
        print(f"{name} = {summary[name]:.2f}x (target >= {target}x)")
    _plot(summary)
    (ROOT / ".data").mkdir(exist_ok=True)
    (ROOT / ".data" / "bench-readpath.json").write_text(json.dumps({"summary": summary, "phases": lines}, indent=2))
    failures = [line["failures"] for line in lines if line["failed"]]
    assert not failures, failures
    assert summary["c"]["sql"] > 0 and summary["a"]["sql"] == 0, "c must miss every cache, a must hit"
    return {
        "scenario": "read path: cached GraphQL page vs plain cached view",
        "baseline": round(summary["b"]["rps"], 1),
        "fast": round(summary["a"]["rps"], 1),
        "unit": "rq/s",
        "speedup": round(summary["a/b"], 2),
    }


if __name__ == "__main__":
    sys.exit(load_main(sys.argv[1]))
