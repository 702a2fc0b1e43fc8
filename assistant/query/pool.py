"""The pool of worker processes (`assistant/query/worker.py`) that run every query (issue 17).

A few long-lived workers, each with its own read-only, locked DuckDB connection, are shared by
all threads. The pool hands a query to a free worker, waits until the deadline, and kills and
replaces a worker whose query overran, crashed or filled its memory. It raises the plain
exceptions below; `assistant/query/execute.py` turns them into Norwegian messages.
"""

import json
import logging
import os
import queue
import subprocess
import sys
import threading
from dataclasses import asdict
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from assistant.query import worker as worker_module
from assistant.query.worker import Cut, Limits, QueryResult

__all__ = [
    "PoolBusy",
    "PoolClosed",
    "QueryFailed",
    "QueryKilled",
    "QueryTimedOut",
    "WorkerError",
    "WorkerPool",
    "WorkerStartFailed",
]

log = logging.getLogger(__name__)

START_SECONDS = 30.0  # a worker that is not ready by then is given up on
# glibc reserves 64 MB of address space per thread arena; two are plenty for one query at a time
WORKER_ENV = {"MALLOC_ARENA_MAX": "2"}
WORKER_SCRIPT = Path(worker_module.__file__).resolve()


class WorkerError(Exception):
    """Base of the pool's failures; `assistant/query/execute.py` words them for the user."""


class WorkerStartFailed(WorkerError):
    """A worker could not open the database (`kind` and `message` say why)."""


class QueryTimedOut(WorkerError):
    """The query ran past the deadline: interrupted, or the worker was killed."""


class QueryKilled(WorkerError):
    """The worker died during the query (its memory limit), and was replaced."""


class QueryFailed(WorkerError):
    """DuckDB refused the query; `duckdb_type` names its exception class."""

    def __init__(self, duckdb_type: str, message: str):
        super().__init__(message)
        self.duckdb_type = duckdb_type


class PoolBusy(WorkerError):
    """No worker became free in time."""


class PoolClosed(WorkerError):
    """The pool is closed."""


class _Worker:
    """One worker process and the two ends of its pipes."""

    def __init__(self, process: subprocess.Popen, requests: Connection, replies: Connection):
        self.process = process
        self.requests = requests
        self.replies = replies

    @classmethod
    def start(cls, setup: bytes) -> "_Worker":
        """Start a worker, send it `setup` and wait until it has opened the database."""
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        command = [sys.executable, "-I", str(WORKER_SCRIPT), str(to_child), str(from_child)]
        try:
            process = subprocess.Popen(
                command,
                pass_fds=(to_child, from_child),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                env={**os.environ, **WORKER_ENV},
                close_fds=True,
            )
        finally:
            os.close(to_child)
            os.close(from_child)
        worker = cls(
            process, Connection(from_parent, readable=False), Connection(to_parent, writable=False)
        )
        try:
            worker.requests.send_bytes(setup)
            if not worker.replies.poll(START_SECONDS):
                raise WorkerStartFailed("timeout", "arbeidsprosessen startet ikke")
            reply = json.loads(worker.replies.recv_bytes())
        except (OSError, EOFError) as err:
            worker.kill()
            raise WorkerStartFailed("crash", str(err)) from err
        except WorkerStartFailed:
            worker.kill()
            raise
        if not reply.get("ready"):
            worker.kill()
            raise WorkerStartFailed(reply.get("type", ""), reply.get("message", ""))
        return worker

    def ask(self, request: bytes, seconds: float) -> dict | None:
        """Send one request and wait up to `seconds` for the reply; None when none came."""
        self.requests.send_bytes(request)
        if not self.replies.poll(seconds):
            return None
        return json.loads(self.replies.recv_bytes())

    def kill(self) -> None:
        """Stop the process at once and release its pipes."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.requests.close()
        self.replies.close()


class WorkerPool:
    """A few long-lived worker processes, each with its own read-only, locked DuckDB
    connection, shared by all threads; at most one query runs in a worker at a time.

    `run` hands a query to a free worker and waits until the deadline (`timeout_seconds`,
    when the worker interrupts the query itself, plus `kill_grace_seconds`); past it, the
    worker is killed, and a new one starts in the background. A worker whose query ran out
    of time or memory is replaced too, since what it used may not all be given back.
    """

    def __init__(
        self,
        path: Path,
        config: dict[str, Any],
        limits: Limits,
        size: int,
        kill_grace_seconds: float,
    ):
        self._setup = json.dumps(
            {"path": str(path), "config": config, "limits": asdict(limits)}
        ).encode()
        self._deadline = limits.timeout_seconds + kill_grace_seconds
        self._wait = self._deadline + START_SECONDS
        self._size = size
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._starting = 0
        for worker in self._start_many(size):
            self._idle.put(worker)

    def run(self, sql: str, max_rows: int) -> QueryResult:
        """Run `sql` (already validated) in a worker; raises a `WorkerError` on failure."""
        worker = self._acquire()
        request = json.dumps({"sql": sql, "max_rows": max_rows}).encode()
        try:
            reply = worker.ask(request, self._deadline)
        except (OSError, EOFError, ValueError) as err:
            self._replace(worker, "døde under spørringen")
            raise QueryKilled(str(err)) from err
        if reply is None:
            self._replace(worker, f"ble stoppet etter {self._deadline:g} s")
            raise QueryTimedOut(sql)
        if "error" not in reply:
            self._release(worker)
            return QueryResult(reply["columns"], reply["rows"], Cut(**reply["cut"]))
        kind = reply["error"]
        if kind in ("timeout", "memory") or reply["type"] == "OutOfMemoryException":
            # a query that filled the worker's memory can leave it too full for the next one
            self._replace(worker, "brukte opp tid eller minne")
        else:
            self._release(worker)
        if kind == "timeout":
            raise QueryTimedOut(sql)
        if kind == "memory":
            raise QueryKilled(reply["message"])
        raise QueryFailed(reply["type"], reply["message"])

    def pids(self) -> list[int]:
        """The process ids of the live workers (for tests and monitoring)."""
        with self._lock:
            return [w.process.pid for w in self._all]

    def close(self) -> None:
        """Stop every worker; later queries raise `PoolClosed`. Closing twice is harmless."""
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.kill()

    def _start_many(self, n: int) -> list[_Worker]:
        """Start `n` workers side by side (each takes a fraction of a second to open)."""
        started: list[_Worker] = []
        errors: list[WorkerStartFailed] = []

        def start() -> None:
            try:
                started.append(_Worker.start(self._setup))
            except WorkerStartFailed as err:
                errors.append(err)

        threads = [threading.Thread(target=start, name="sql-worker-start") for _ in range(n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with self._lock:
            closed = self._closed
            if not errors and not closed:
                self._all.update(started)
                return started
        for worker in started:
            worker.kill()
        raise errors[0] if errors else PoolClosed("lukket")

    def _acquire(self) -> _Worker:
        """A free worker; one that is missing (killed, and its replacement failed) is started
        here."""
        with self._lock:
            if self._closed:
                raise PoolClosed("lukket")
            start_one = self._idle.empty() and len(self._all) + self._starting < self._size
            self._starting += start_one
        if start_one:
            try:
                (worker,) = self._start_many(1)
            finally:
                with self._lock:
                    self._starting -= 1
            return worker
        try:
            worker = self._idle.get(timeout=self._wait)
        except queue.Empty as err:
            raise PoolBusy("ingen ledig arbeidsprosess") from err
        with self._lock:
            alive = worker in self._all
        if not alive:  # the pool was closed while this thread waited
            worker.kill()
            raise PoolClosed("lukket")
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            alive = worker in self._all
        if alive:
            self._idle.put(worker)
        else:
            worker.kill()

    def _replace(self, worker: _Worker, why: str) -> None:
        """Kill a worker whose query overran or crashed, and start its replacement in the
        background (the caller's error need not wait for it)."""
        log.warning("Arbeidsprosess %s %s; starter en ny.", worker.process.pid, why)
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return
            self._starting += 1
        threading.Thread(target=self._refill, name="sql-worker-refill", daemon=True).start()

    def _refill(self) -> None:
        try:
            (fresh,) = self._start_many(1)
        except WorkerStartFailed as err:  # the next query that finds no worker tries again
            log.error("Kunne ikke starte en ny arbeidsprosess: %s", err)
            return
        except PoolClosed:
            return
        finally:
            with self._lock:
                self._starting -= 1
        self._idle.put(fresh)
