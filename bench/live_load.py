"""Load generator of the live-notification benchmarks (bench/live.py), in a process of its own.

Reads a plan (JSON, one line) and then commands (JSON lines) on stdin, answers each with one
JSON line on stdout. It holds real graphql-transport-ws sockets (websockets' asyncio client)
and sends mutations over HTTP; every delivery is stamped when its frame is read.

Commands:
  {"cmd": "open", "schema": s, "count": n}        open, authenticate and subscribe n more sockets
  {"cmd": "ready", "schema": s}                    probe until every socket of s receives
  {"cmd": "fanout", "schema": s, "rounds": r}      r broadcasts; latency from send per socket
  {"cmd": "sustained", "rate": x, "seconds": t}    broadcasts at x/s over every schema, for t s
  {"cmd": "batch", "port": p, "domain": d, "tokens": [...]}
                                                   open, authenticate and subscribe one socket per token on
                                                   server port p, then wait until each subscribe was read
  {"cmd": "drop"}                                  close the sockets of the last batch
  {"cmd": "close"}
"""

import asyncio
import itertools
import json
import statistics
import sys
import time
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

PROTOCOL = Subprotocol("graphql-transport-ws")
SUBSCRIPTION = "subscription { notifications { id message level isRead createdAt } }"
SEND = "mutation($m: String!) { sendNotification(message: $m) { id } }"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Load:
    def __init__(self, plan: dict):
        self.plan = plan
        self.sockets: dict[str, list] = defaultdict(list)
        self.arrivals: dict[str, list[float]] = defaultdict(list)
        self.readers: list[asyncio.Task] = []
        self.batch_sockets: list = []  # the last ``batch`` (socket opening bench), closed by ``drop``
        self.http = ThreadPoolExecutor(max_workers=16)
        self.tokens = {schema: itertools.cycle(spec["tokens"]) for schema, spec in plan["tenants"].items()}

    def _send_sync(self, schema: str, message: str) -> float:
        spec = self.plan["tenants"][schema]
        body = json.dumps({"query": SEND, "variables": {"m": message}}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.plan['http_port']}/graphql/",
            data=body,
            headers={"Host": spec["domain"], "Content-Type": "application/json",
                     "Authorization": f"Bearer {spec['sender']}"},
        )  # fmt: skip
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        assert "errors" not in answer, answer
        return time.perf_counter() - started

    async def send(self, schema: str, message: str) -> float:
        return await asyncio.get_running_loop().run_in_executor(self.http, self._send_sync, schema, message)

    async def _subscribed_socket(self, port: int, domain: str, token: str):
        """A graphql-transport-ws socket, acknowledged and subscribed to notifications."""
        ws = await connect(
            f"ws://{domain}/graphql/", host="127.0.0.1", port=port, subprotocols=[PROTOCOL], proxy=None,
            open_timeout=60, ping_interval=None, max_queue=None,
        )  # fmt: skip
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authToken": token}}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 60))
        assert ack["type"] == "connection_ack", ack
        await ws.send(json.dumps({"id": "n", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}))
        return ws

    async def _open_one(self, schema: str) -> float:
        spec = self.plan["tenants"][schema]
        started = time.perf_counter()
        ws = await self._subscribed_socket(self.plan["ws_port"], spec["domain"], next(self.tokens[schema]))
        opened = time.perf_counter() - started
        self.sockets[schema].append(ws)
        self.readers.append(asyncio.create_task(self._read(ws)))
        return opened

    async def _read(self, ws) -> None:
        async for raw in ws:
            now = time.time()
            message = json.loads(raw)
            if message.get("type") == "next":
                self.arrivals[message["payload"]["data"]["notifications"]["message"]].append(now)

    async def open(self, schema: str, count: int) -> dict:
        slots = asyncio.Semaphore(25)

        async def one() -> float:
            async with slots:
                return await self._open_one(schema)

        started = time.perf_counter()
        durations = await asyncio.gather(*(one() for _ in range(count)))
        return {"opened": len(self.sockets[schema]), "seconds": time.perf_counter() - started,
                "open_p50_ms": statistics.median(durations) * 1000}  # fmt: skip

    async def batch(self, port: int, domain: str, tokens: list[str]) -> dict:
        """One socket per token (25 handshakes at a time), as ``open`` does, on any server."""
        slots = asyncio.Semaphore(25)

        async def one(token: str):
            async with slots:
                ws = await self._subscribed_socket(port, domain, token)
                # A ping answered after the subscribe: the server has read (and started) the subscription.
                await ws.send(json.dumps({"type": "ping"}))
                pong = json.loads(await asyncio.wait_for(ws.recv(), 60))
                assert pong["type"] == "pong", pong
                return ws

        started = time.perf_counter()
        self.batch_sockets = list(await asyncio.gather(*(one(token) for token in tokens)))
        return {"opened": len(self.batch_sockets), "seconds": time.perf_counter() - started}

    async def drop(self) -> dict:
        sockets, self.batch_sockets = self.batch_sockets, []
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
        return {"closed": len(sockets)}

    async def _wait_for(self, message: str, expected: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while len(self.arrivals[message]) < expected:
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.005)
        return True

    async def ready(self, schema: str) -> dict:
        for attempt in itertools.count():
            probe = f"probe {schema} {attempt} {time.time()}"
            await self.send(schema, probe)
            if await self._wait_for(probe, len(self.sockets[schema]), 5):
                return {"ready": True, "probes": attempt + 1}
            if attempt > 20:
                return {"ready": False, "received": len(self.arrivals[probe])}
        raise AssertionError("itertools.count() never ends")

    async def fanout(self, schema: str, rounds: int) -> dict:
        results = []
        expected = len(self.sockets[schema])
        for index in range(rounds):
            message = f"fanout {schema} {expected} {index} {time.time()}"
            sent_at = time.time()
            mutation = await self.send(schema, message)
            complete = await self._wait_for(message, expected, 60)
            lags = [arrival - sent_at for arrival in self.arrivals.pop(message, [])]
            results.append({"p50": statistics.median(lags) * 1000, "p99": percentile(lags, 0.99) * 1000,
                            "max": max(lags) * 1000, "mutation_ms": mutation * 1000,
                            "received": len(lags), "complete": complete})  # fmt: skip
            await asyncio.sleep(0.3)
        return {"rounds": results, "subscribers": expected}

    async def sustained(self, rate: float, seconds: float) -> dict:
        schemas = itertools.cycle(sorted(self.sockets))
        sent: list[tuple[str, str, float]] = []
        started = time.time()
        tasks = []
        for index in range(int(rate * seconds)):
            due = started + index / rate
            await asyncio.sleep(max(0.0, due - time.time()))
            schema = next(schemas)
            message = f"sustained {rate} {index} {time.time()}"
            sent.append((schema, message, time.time()))
            tasks.append(asyncio.create_task(self.send(schema, message)))
        mutation_seconds = await asyncio.gather(*tasks)
        print(f"sustained {rate}/s: {len(sent)} sent; first has {len(self.arrivals[sent[0][1]])} arrivals "
              f"of {len(self.sockets[sent[0][0]])}", file=sys.stderr, flush=True)  # fmt: skip
        deadline = time.monotonic() + 30
        for schema, message, _ in sent:
            await self._wait_for(message, len(self.sockets[schema]), max(0.0, deadline - time.monotonic()))
        deliveries, missing = [], 0
        for schema, message, sent_at in sent:
            arrivals = self.arrivals.pop(message, [])
            missing += len(self.sockets[schema]) - len(arrivals)
            deliveries += [[round(sent_at - started, 3), round((arrival - sent_at) * 1000, 2)] for arrival in arrivals]
        return {"deliveries": deliveries, "missing": missing,
                "mutation_p50_ms": statistics.median(mutation_seconds) * 1000}  # fmt: skip

    async def close(self) -> dict:
        for task in self.readers:
            task.cancel()
        sockets = [ws for group in self.sockets.values() for ws in group]
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
        return {"closed": len(sockets)}


async def main() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    load = Load(json.loads(await reader.readline()))
    while line := await reader.readline():
        command = json.loads(line)
        name = command.pop("cmd")
        answer = await getattr(load, name)(**command)
        print(json.dumps(answer), flush=True)
        if name == "close":
            return


if __name__ == "__main__":
    asyncio.run(main())
