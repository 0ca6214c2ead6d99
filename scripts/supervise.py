"""Keep a child process running: restart it with backoff whenever it exits.

``make run`` supervises the search outbox relay this way (scripts/serve.py): a relay that
crashes or is killed comes back by itself, and the product changes that waited in the outbox
meanwhile are replayed by its next pass. In production the container runtime does this job
(docs/operations.md).
"""

import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from services import stop


class Supervised:
    """``command`` as a child process, restarted after ``backoff`` seconds each time it exits.

    The delay doubles after each exit, up to ``max_backoff``, and starts over once the child has
    run for ``healthy_after`` seconds: a process that crashes at once is not restarted in a tight
    loop, one that died after a long healthy run is back quickly.
    """

    def __init__(self, name: str, command: Sequence[str], *, cwd: Path, env: dict | None = None,
                 backoff: float = 0.5, max_backoff: float = 30.0, healthy_after: float = 30.0, watch_every: float = 0.2):  # fmt: skip
        self.name = name
        self.command = list(command)
        self.cwd = cwd
        self.env = env
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.healthy_after = healthy_after
        self.watch_every = watch_every
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._started_at = 0.0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None

    def start(self) -> "Supervised":
        self._spawn()
        self._watcher = threading.Thread(target=self._watch, name=f"supervise {self.name}", daemon=True)
        self._watcher.start()
        return self

    def _spawn(self) -> None:
        with self._lock:
            if not self._stopping.is_set():
                self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env)
                self._started_at = time.monotonic()

    def _watch(self) -> None:
        delay = self.backoff
        while not self._stopping.wait(self.watch_every):
            process = self.process
            code = None if process is None else process.poll()
            if code is None:
                continue
            ran_for = time.monotonic() - self._started_at
            if ran_for >= self.healthy_after:
                delay = self.backoff
            print(
                f"[supervise] {self.name} exited with {code} after {ran_for:.1f}s; restarting in {delay:g}s", flush=True
            )
            if self._stopping.wait(delay):
                return
            self._spawn()
            self.restarts += 1
            delay = min(delay * 2, self.max_backoff)

    def stop(self) -> None:
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.join()
        with self._lock:
            if self.process is not None:
                stop(self.process)
