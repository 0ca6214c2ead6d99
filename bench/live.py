"""Live-notification benchmarks: fan-out, sustained delivery, product saves, socket opening.

Servers are daphne processes with production settings (DEBUG=0) on the bench database; the
websocket clients live in a load process of their own (bench/live_load.py). Two server layouts
are compared in the same run:
  - baseline: one process serves HTTP and websockets (what ``daphne`` alone does);
  - split: one process serves HTTP and another the websockets (what compose's nginx routes
    to, and what ``scripts/serve.py`` approximates with several workers), sharing the channel layer.
``BENCH_LIVE_BASELINE_REF=<git ref>`` compares another tree instead: the baseline servers run that
commit's code (exported with ``git archive`` under .data/) in the same run, one process for the
fan-out and the split layout for sustained delivery, like this tree's.
``BENCH_LIVE_LARGE=1`` runs more subscribers and longer sustained phases.
Plots go to docs/img/live_*.png (referenced from docs/benchmarks.md).
"""

import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django_tenants.utils import tenant_context

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "img"
LARGE = os.environ.get("BENCH_LIVE_LARGE") == "1"
FANOUT_LEVELS = [200, 500, 1000, 2000] if LARGE else [200, 500, 1000]
SUSTAINED_SECONDS = 60 if LARGE else 12
# BENCH_LIVE_PROFILE=<file>: py-spy records the websocket process during the largest fan-out
# (collapsed stacks, split layout only); read it with `py-spy`'s tools or sort it by count.
PROFILE = os.environ.get("BENCH_LIVE_PROFILE")
BASELINE_REF = os.environ.get("BENCH_LIVE_BASELINE_REF")
SCENARIOS: dict[str, Callable[[], list[dict]]] = {}


def scenario(function):
    SCENARIOS[function.__name__] = function
    return function


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def baseline_tree() -> Path:
    """The code of ``BENCH_LIVE_BASELINE_REF``, exported once under .data/."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{BASELINE_REF}^{{commit}}"], cwd=ROOT, check=True, capture_output=True,
        text=True,
    ).stdout.strip()  # fmt: skip
    tree = ROOT / ".data" / f"live-baseline-{commit[:12]}"
    if not (tree / "saas" / "asgi.py").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


class Servers:
    """daphne processes on the bench database: one for everything, or one for HTTP and one for websockets.
    ``root`` is the tree whose code they run (another commit's for a baseline)."""

    def __init__(self, split: bool, root: Path = ROOT, app: str = "saas.asgi:application"):
        env = {
            **os.environ, "DEBUG": "0", "SAAS_TESTING": "0", "SECRET_KEY": "bench-only-secret-key",
            "WEBSOCKET_MAX_PER_USER": "0", "WEBSOCKET_MAX_PER_ADDRESS": "0", "LOG_LEVEL": "WARNING",
            # PostgreSQL connections from psycopg's pool, as compose runs them (0: one per call).
            "DATABASE_POOL_MAX_SIZE": os.environ.get("BENCH_LIVE_POOL", "8"),
        }  # fmt: skip
        self.root = root
        self.http_port = _free_port()
        self.ws_port = _free_port() if split else self.http_port
        self.processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "-v",
                    "0",
                    # A thousand handshakes at once on a busy machine: wait for the app, do not drop them.
                    "--websocket_connect_timeout",
                    "60",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    app,
                ],
                cwd=root,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            for port in sorted({self.http_port, self.ws_port})
        ]
        from services import wait_until_serving  # scripts/, on the path of the bench run

        for port in {self.http_port, self.ws_port}:
            wait_until_serving(port)
        self.ws_pid = self.processes[sorted({self.http_port, self.ws_port}).index(self.ws_port)].pid

    def rss_kib(self) -> int:
        status = Path(f"/proc/{self.ws_pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))

    def _stat(self) -> list[str]:
        return Path(f"/proc/{self.ws_pid}/stat").read_text().rsplit(")", 1)[1].split()

    def cpu_seconds(self) -> float:
        fields = self._stat()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def minor_faults(self) -> int:
        return int(self._stat()[7])

    def settle(self, timeout: float = 10) -> None:
        """Until the websocket process stays idle for 0.2 s (less than 1 ms of CPU)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = self.cpu_seconds()
            time.sleep(0.2)
            if self.cpu_seconds() - before < 0.001:
                return

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(20)


class LoadProcess:
    def __init__(self, plan: dict):
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "live_load.py")], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, cwd=ROOT,
        )  # fmt: skip
        self._write(plan)

    def _write(self, data: dict) -> None:
        assert self.process.stdin is not None  # piped
        self.process.stdin.write(json.dumps(data) + "\n")
        self.process.stdin.flush()

    def __call__(self, cmd: str, **arguments) -> dict:
        shown = {key: f"<{len(value)}>" if isinstance(value, list) else value for key, value in arguments.items()}
        print(f"[live bench] {time.strftime('%H:%M:%S')} {cmd} {shown}", file=sys.stderr, flush=True)
        self._write({"cmd": cmd, **arguments})
        assert self.process.stdout is not None  # piped
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the load process died during {cmd}")
        return json.loads(line)

    def close(self) -> None:
        self("close")
        self.process.wait(30)


def _tenant_with_users(schema: str, members: int) -> dict:
    """A tenant (created once) with a staff sender and ``members`` users; their domain and tokens."""
    from tenants.models import Client
    from tenants.services import tenant_create
    from users.models import User
    from users.services import token_issue

    tenant = Client.objects.filter(schema_name=schema).first()
    domain = "acme.localhost" if schema == "acme" else f"{schema.replace('_', '-')}.localhost"
    if tenant is None:
        tenant = tenant_create(name=f"Bench {schema}", schema_name=schema, domain=domain)
    with tenant_context(tenant):
        sender, _ = User.objects.get_or_create(email=f"sender@{domain}", defaults={"is_staff": True})
        existing = User.objects.filter(email__startswith="live").count()
        User.objects.bulk_create(
            [User(email=f"live{index}@{domain}", password="!") for index in range(existing, members)]
        )
        users = list(User.objects.filter(email__startswith="live").order_by("pk")[:members])
        return {"domain": domain, "sender": token_issue(user=sender), "tokens": [token_issue(user=u) for u in users]}


def _median(rows: list[dict], key: str) -> float:
    return round(statistics.median(row[key] for row in rows), 1)


def _py_spy(pid: int, output: str, gil: bool = False) -> subprocess.Popen:
    """py-spy recording ``pid`` (collapsed stacks into ``output``) until ``_stop``; ``gil``: only the
    thread holding the GIL, which is closer to where CPU goes than every thread's stack."""
    command = [
        str(Path(sys.executable).parent / "py-spy"),
        "record",
        "-p",
        str(pid),
        "-f",
        "raw",
        "-o",
        output,
        "-r",
        "200",
    ]
    profiler = subprocess.Popen(
        command + (["--gil"] if gil else []),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1)
    return profiler


def _stop(profiler: subprocess.Popen) -> None:
    profiler.send_signal(signal.SIGINT)
    profiler.wait(30)


def _fanout_run(split: bool, plan_tenant: dict, root: Path = ROOT, profile: str | None = None) -> dict:
    servers = Servers(split, root)
    load = LoadProcess({"http_port": servers.http_port, "ws_port": servers.ws_port, "tenants": {"acme": plan_tenant}})
    try:
        base_rss, results, opened = servers.rss_kib(), {}, 0
        for level in FANOUT_LEVELS:
            cpu_before = servers.cpu_seconds()
            opening_profiler = _py_spy(servers.ws_pid, f"{profile}.open") if profile and not opened else None
            opening = load("open", schema="acme", count=level - opened)
            cpu_per_socket_ms = (servers.cpu_seconds() - cpu_before) * 1000 / (level - opened)
            if opening_profiler is not None:
                _stop(opening_profiler)
            opened = level
            time.sleep(0.5)
            rss_per_socket = (servers.rss_kib() - base_rss) / level
            assert load("ready", schema="acme")["ready"], "subscribers never all received a probe"
            profiler = None
            if profile and level == FANOUT_LEVELS[-1]:
                profiler = _py_spy(servers.ws_pid, profile)
            rounds = load("fanout", schema="acme", rounds=5)["rounds"]
            if profiler is not None:
                _stop(profiler)
            results[level] = {
                "p50": _median(rounds, "p50"), "p99": _median(rounds, "p99"), "max": _median(rounds, "max"),
                "mutation_ms": _median(rounds, "mutation_ms"), "rss_kib_per_socket": round(rss_per_socket, 1),
                "open_cpu_ms": round(cpu_per_socket_ms, 2), "open_p50_ms": round(opening["open_p50_ms"], 1),
                "complete": all(row["complete"] for row in rounds),
            }  # fmt: skip
        return results
    finally:
        load.close()
        servers.stop()


OPEN_ROUNDS = int(os.environ.get("BENCH_LIVE_OPEN_ROUNDS", "5"))
OPEN_SOCKETS = 200


@scenario
def live_open() -> list[dict]:
    """Server CPU per socket opened (handshake, ``connection_init`` with a token, a subscription),
    in interleaved rounds on servers that run side by side: this tree, the floor (daphne alone,
    bench/ws_floor_app.py) and, with ``BENCH_LIVE_BASELINE_REF``, that commit's code.

    Each round opens 200 sockets per server, once with tokens issued just before (a fresh sign-in
    each) and once more with the same tokens (a reconnect), and closes them. CPU is read from
    /proc for the server process alone; the load is a process of its own."""
    plan_tenant = _tenant_with_users("acme", OPEN_SOCKETS)
    servers = {"this tree": Servers(False)}
    if BASELINE_REF:
        servers["before"] = Servers(False, baseline_tree())
    servers["daphne alone"] = Servers(False, app="bench.ws_floor_app:application")
    load = LoadProcess({"http_port": 0, "ws_port": 0, "tenants": {}})
    samples: dict[tuple[str, str], list[float]] = {}
    faults: dict[tuple[str, str], list[float]] = {}  # minor page faults of the server per socket
    profile = f"{PROFILE}.open" if PROFILE else None
    try:
        for round_index in range(OPEN_ROUNDS):
            order = list(servers) if round_index % 2 == 0 else list(reversed(servers))
            for name in order:
                server = servers[name]
                # The floor checks no token: any strings do.
                tokens = (
                    _issue_tokens(server.root, "acme", OPEN_SOCKETS) if name != "daphne alone" else ["-"] * OPEN_SOCKETS
                )
                for phase in ("new token", "known token"):
                    profiler = _py_spy(server.ws_pid, f"{profile}.{round_index}.{phase.split()[0]}", gil=True) if (
                        profile and name == "this tree") else None  # fmt: skip
                    before, faults_before = server.cpu_seconds(), server.minor_faults()
                    load("batch", port=server.ws_port, domain=plan_tenant["domain"], tokens=tokens)
                    server.settle()
                    samples.setdefault((name, phase), []).append((server.cpu_seconds() - before) * 1000 / len(tokens))
                    faults.setdefault((name, phase), []).append((server.minor_faults() - faults_before) / len(tokens))
                    if profiler is not None:
                        _stop(profiler)
                    load("drop")
                    server.settle()  # closing the sockets is not counted in the next phase
    finally:
        load.close()
        for server in servers.values():
            server.stop()
    medians = {key: round(statistics.median(values), 2) for key, values in samples.items()}
    _plot_open(samples)
    rows = []
    for phase in ("new token", "known token"):
        floor = medians[("daphne alone", phase)]
        ours = medians[("this tree", phase)]
        if BASELINE_REF:
            rows.append(_row(f"socket open, {phase}: server CPU per socket (before vs this tree)",
                             medians[("before", phase)], ours, "ms"))  # fmt: skip
        rows.append(_row(f"socket open, {phase}: server CPU per socket (daphne alone vs this tree)", floor, ours, "ms"))
    rows.append({"scenario": "socket open details", "detail": {
        f"{name}, {phase}": {"median_ms": medians[(name, phase)], "rounds_ms": [round(v, 2) for v in values],
                             "page_faults_per_socket": round(statistics.median(faults[(name, phase)]), 1)}
        for (name, phase), values in samples.items()}})  # fmt: skip
    return rows


_ISSUE = """
import json
from django_tenants.utils import schema_context
from users.models import User
from users.services import token_issue
with schema_context("{schema}"):
    users = User.objects.filter(email__startswith="live").order_by("pk")[:{count}]
    print(json.dumps([token_issue(user=user) for user in users]))
"""


def _issue_tokens(root: Path, schema: str, count: int) -> list[str]:
    """Tokens for the first ``count`` bench users, issued by the code of ``root`` (what signing in does
    there, cache included), in a process of its own, as a server of that tree would issue them."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SAAS_TESTING": "0",
        "SECRET_KEY": "bench-only-secret-key",
        "LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", _ISSUE.format(schema=schema, count=count)], cwd=root, env=env,
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def _plot_open(samples: dict) -> None:
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(7, 4))
    names = list(dict.fromkeys(name for name, _ in samples))
    phases = list(dict.fromkeys(phase for _, phase in samples))
    width = 0.8 / len(names)
    for index, name in enumerate(names):
        positions = [position + index * width for position in range(len(phases))]
        axis.bar(positions, [statistics.median(samples[(name, phase)]) for phase in phases], width, label=name)
        for position, phase in zip(positions, phases, strict=True):
            axis.scatter([position] * len(samples[(name, phase)]), samples[(name, phase)], s=6, color="black")
    axis.axhline(5, color="grey", linewidth=0.8)
    axis.set_xticks([position + width * (len(names) - 1) / 2 for position in range(len(phases))], phases)
    axis.set(title="Socket open: server CPU per socket (median of rounds, dots: rounds)", ylabel="ms")
    axis.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(IMAGES / "live_open.png", dpi=90)
    plt.close(figure)


def _layouts() -> tuple[str, str]:
    return ("before", "after") if BASELINE_REF else ("1 process", "split")


@scenario
def live_fanout() -> list[dict]:
    """One broadcast to 200, 500 and 1,000 subscribers of one tenant: one process vs HTTP/websocket
    split, or, with ``BENCH_LIVE_BASELINE_REF``, that commit's code vs this one (one process each)."""
    plan_tenant = _tenant_with_users("acme", 200)
    if BASELINE_REF:
        baseline = _fanout_run(False, plan_tenant, baseline_tree(), PROFILE and f"{PROFILE}.before")
        split = _fanout_run(False, plan_tenant, ROOT, PROFILE)
    else:
        split = _fanout_run(True, plan_tenant, ROOT, PROFILE)
        baseline = split if PROFILE else _fanout_run(False, plan_tenant)
    _plot_fanout(baseline, split)
    names = " vs ".join(_layouts())
    rows = []
    for level in FANOUT_LEVELS:
        for key, label, unit in (
            ("p99", "p99 from send", "ms"), ("max", "max from send", "ms"), ("mutation_ms", "mutation latency", "ms"),
            ("rss_kib_per_socket", "server memory per socket", "KiB"),
        ):  # fmt: skip
            rows.append(_row(f"fan-out to {level}: {label} ({names})", baseline[level][key],
                             split[level][key], unit))  # fmt: skip
    first = FANOUT_LEVELS[0]
    rows.append(_row(f"socket open: server CPU per socket, first {first} ({names})",
                     baseline[first]["open_cpu_ms"], split[first]["open_cpu_ms"], "ms"))  # fmt: skip
    rows.append({"scenario": "fan-out details", "detail": dict(zip(_layouts(), (baseline, split), strict=True))})
    return rows


def _row(name: str, baseline: float, fast: float, unit: str) -> dict:
    return {"scenario": name, "baseline": baseline, "fast": fast, "unit": unit,
            "speedup": round(baseline / fast, 2) if fast else None}  # fmt: skip


def _sustained_run(tenants: dict, split: bool, root: Path = ROOT) -> dict:
    tenant_count = len(tenants)
    servers = Servers(split, root)
    load = LoadProcess({"http_port": servers.http_port, "ws_port": servers.ws_port, "tenants": tenants})
    phases = {}
    try:
        for schema in tenants:
            load("open", schema=schema, count=1000 // tenant_count)
        for schema in tenants:
            assert load("ready", schema=schema)["ready"], schema
        for rate in (1, 10):
            phases[rate] = load("sustained", rate=rate, seconds=SUSTAINED_SECONDS)
    finally:
        load.close()
        servers.stop()
    return phases


@scenario
def live_sustained() -> list[dict]:
    """1 and 10 broadcasts a second to 1,000 subscribers over 10 tenants: lag over time (split layout;
    with ``BENCH_LIVE_BASELINE_REF``, that commit's code and this one)."""
    tenant_count = int(os.environ.get("BENCH_LIVE_TENANTS", "10"))
    tenants = {f"live_{index}": _tenant_with_users(f"live_{index}", 20) for index in range(tenant_count)}
    runs = {}
    if BASELINE_REF:
        runs["before"] = _sustained_run(tenants, True, baseline_tree())
        runs["after"] = _sustained_run(tenants, True)
    else:
        runs["split"] = _sustained_run(tenants, True)
    _plot_sustained(runs)
    rows = []
    for name, phases in runs.items():
        rows.extend(_sustained_rows(name, phases))
    return rows


def _sustained_rows(name: str, phases: dict) -> list[dict]:
    rows = []
    for rate, phase in phases.items():
        lags = sorted(lag for _, lag in phase["deliveries"])
        quarter = max(1, len(phase["deliveries"]) // 4)
        by_time = sorted(phase["deliveries"])
        early = statistics.median(lag for _, lag in by_time[:quarter])
        late = statistics.median(lag for _, lag in by_time[-quarter:])
        p99 = lags[min(len(lags) - 1, int(0.99 * len(lags)))]
        rows.append(_row(f"{name}: sustained {rate}/s, 1,000 subscribers: median lag first vs last quarter",
                         round(early, 1), round(late, 1), "ms"))  # fmt: skip
        rows.append({"scenario": f"{name}: sustained {rate}/s: p50/p99 lag, missing", "baseline": round(lags[len(lags) // 2], 1),
                     "fast": round(p99, 1), "unit": "ms", "speedup": phase["missing"]})  # fmt: skip
    return rows


@scenario
def live_product_save() -> list[dict]:
    """Saving a product (and its tenant-wide notification) in tenants of 10, 1,000 and 10,000 users."""
    from catalog.models import Product
    from catalog.services import product_create, product_update
    from notifications.events import publisher
    from tenants.models import Client
    from tenants.services import tenant_create
    from users.models import User

    sizes = [10, 1000, 10000]
    products = {}
    for size in sizes:
        schema = f"save_{size}"
        tenant = Client.objects.filter(schema_name=schema).first() or tenant_create(
            name=f"Bench {schema}", schema_name=schema, domain=f"save-{size}.localhost"
        )
        with tenant_context(tenant):
            missing = size - User.objects.count()
            User.objects.bulk_create([User(email=f"u{index}@{schema}.test", password="!") for index in range(missing)])
            product = Product.objects.filter(sku="BENCH-SAVE").first() or product_create(
                name="Bench lamp", sku="BENCH-SAVE", price=Decimal("1.00")
            )
        products[size] = (tenant, product)
    samples: dict[int, list[float]] = {size: [] for size in sizes}
    for round_index in range(25):
        for size in sizes:
            tenant, product = products[size]
            with tenant_context(tenant):
                started = time.perf_counter()
                product_update(product=product, price=Decimal(f"{1 + round_index}.00"))
                samples[size].append(time.perf_counter() - started)
    publisher.flush()
    medians = {size: statistics.median(values[5:]) * 1000 for size, values in samples.items()}
    _plot_product_save(medians)
    return [
        _row(
            f"product save, {size:,} users vs 10 users (ratio: 10 users / this)",
            round(medians[10], 2),
            round(medians[size], 2),
            "ms",
        )  # fmt: skip
        for size in sizes[1:]
    ]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    IMAGES.mkdir(parents=True, exist_ok=True)
    return plt


def _plot_fanout(baseline: dict, split: dict) -> None:
    plt = _pyplot()
    figure, (latency, memory) = plt.subplots(1, 2, figsize=(10, 4))
    names = _layouts() if BASELINE_REF else ("1 process", "HTTP/websocket split")
    for results, name, style in ((baseline, names[0], "--"), (split, names[1], "-")):
        levels = sorted(results)
        for key in ("p50", "p99", "max"):
            latency.plot(levels, [results[level][key] for level in levels], style, marker="o", label=f"{name} {key}")
        memory.plot(levels, [results[level]["mutation_ms"] for level in levels], style, marker="o", label=name)
    latency.axhline(250, color="grey", linewidth=0.8)
    latency.set(title="Broadcast: latency from send", xlabel="subscribers", ylabel="ms")
    memory.set(title="Mutation latency (sendNotification)", xlabel="subscribers", ylabel="ms")
    latency.legend(fontsize=7)
    memory.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(IMAGES / "live_fanout.png", dpi=90)
    plt.close(figure)


def _plot_sustained(runs: dict) -> None:
    plt = _pyplot()
    rates = sorted({rate for phases in runs.values() for rate in phases})
    figure, axes = plt.subplots(1, len(rates), figsize=(10, 4), sharey=True)
    for axis, rate in zip(axes, rates, strict=True):
        for name, phases in runs.items():
            times = [sent for sent, _ in phases[rate]["deliveries"]]
            lags = [lag for _, lag in phases[rate]["deliveries"]]
            axis.scatter(times, lags, s=2, alpha=0.3, label=name)
        axis.set(title=f"{rate} broadcast/s, 1,000 subscribers, 10 tenants", xlabel="s since start", ylabel="lag ms")
        axis.set_yscale("log")
        axis.legend(fontsize=7, markerscale=4)
    figure.tight_layout()
    figure.savefig(IMAGES / "live_sustained.png", dpi=90)
    plt.close(figure)


def _plot_product_save(medians: dict) -> None:
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(5, 3.5))
    sizes = sorted(medians)
    axis.bar([f"{size:,}" for size in sizes], [medians[size] for size in sizes])
    axis.set(title="Product save (median)", xlabel="users in the tenant", ylabel="ms")
    figure.tight_layout()
    figure.savefig(IMAGES / "live_product_save.png", dpi=90)
    plt.close(figure)
