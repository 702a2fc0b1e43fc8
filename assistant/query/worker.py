"""Queries in worker processes the operating system can stop (issue 17).

A DuckDB function such as `lpad('x', 2000000000, 'y')` runs as one step that neither an
interrupt nor DuckDB's own memory limit stops. So no query runs in the app's process: each
runs in a long-lived worker process with an address-space limit (`RLIMIT_AS`), which the
pool kills at the deadline and replaces. The worker also caps what it sends back (rows,
columns, cell length, bytes), so a result can never flood the app.

Both sides live here. The worker side (`serve`) needs only the standard library and DuckDB:
it runs as `python -I assistant/query/worker.py`, without importing the `assistant` package, so a
worker is small and starts quickly. The pool side (`WorkerPool`) raises the plain exceptions
below; `assistant/query/execute.py` turns them into Norwegian messages.

Messages are JSON, one per `multiprocessing.connection` frame, never pickles.
"""

import datetime
import json
import logging
import math
import os
import queue
import resource
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass
from decimal import Decimal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

__all__ = [
    "Cut",
    "Limits",
    "PoolBusy",
    "PoolClosed",
    "QueryFailed",
    "QueryKilled",
    "QueryResult",
    "QueryTimedOut",
    "WorkerPool",
    "WorkerStartFailed",
    "cap_result",
    "to_json_value",
]

log = logging.getLogger(__name__)

START_SECONDS = 30.0  # a worker that is not ready by then is given up on
REINTERRUPT_SECONDS = 0.05
# glibc reserves 64 MB of address space per thread arena; two are plenty for one query at a time
WORKER_ENV = {"MALLOC_ARENA_MAX": "2"}
ELLIPSIS = "…"


# --- what crosses the pipe ---------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """What one worker may use and send back (from the `[sql]` settings)."""

    memory_bytes: int
    timeout_seconds: float
    max_columns: int
    max_cell_chars: int
    max_result_bytes: int


@dataclass(frozen=True)
class Cut:
    """What a result lost to the limits, for the message that says so.

    `full`: as many rows as the row limit (there may be more); `columns`: columns left out;
    `cells`: cells shortened; `rows_over_bytes`: rows left out to stay under the byte cap.
    """

    full: bool = False
    columns: int = 0
    cells: int = 0
    rows_over_bytes: int = 0

    def __bool__(self) -> bool:
        return self.full or bool(self.columns or self.cells or self.rows_over_bytes)


@dataclass(frozen=True)
class QueryResult:
    """Column names, rows of JSON values, and what the limits cut away."""

    columns: list[str]
    rows: list[list[Any]]
    cut: Cut = Cut()


def to_json_value(value: Any) -> Any:
    """One DuckDB result value as plain JSON-able Python.

    Decimals become floats, dates and times ISO text, non-finite floats None.

    >>> to_json_value(Decimal("1.50"))
    1.5
    >>> to_json_value(datetime.datetime(2025, 1, 2, 3, 4))
    '2025-01-02T03:04:00'
    >>> to_json_value({"a": [Decimal("2"), float("nan")]})
    {'a': [2.0, None]}
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (float, Decimal)):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(key): to_json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(item) for item in value]
    return str(value)  # intervals, UUIDs and anything rarer


def _short(value: Any, max_chars: int) -> tuple[Any, bool]:
    """A cell of at most `max_chars` characters (lists and structs counted as JSON text), and
    whether it was shortened.

    >>> _short("Oslo", 3), _short([1, 2], 10), _short([1, 2, 3, 4], 5)
    (('Os…', True), ([1, 2], False), ('[1, …', True))
    """
    if isinstance(value, str):
        text = value
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        return value, False
    if len(text) <= max_chars:
        return value, False
    return text[: max_chars - 1] + ELLIPSIS, True


def cap_result(columns: list[str], rows: list[tuple], max_rows: int, limits: Limits) -> QueryResult:
    """Rows as JSON values within the limits: the first `max_columns` columns, cells of at most
    `max_cell_chars`, and rows only while the result stays under `max_result_bytes`.

    >>> limits = Limits(2**30, 1.0, max_columns=2, max_cell_chars=4, max_result_bytes=40)
    >>> result = cap_result(["a", "b", "c"], [("Oslo", 1, 2), ("Sør-Varanger", 3, 4)] * 3, 10, limits)
    >>> result.columns, result.rows
    (['a', 'b'], [['Oslo', 1], ['Sør…', 3]])
    >>> result.cut
    Cut(full=False, columns=1, cells=1, rows_over_bytes=4)
    """
    width = min(len(columns), limits.max_columns)
    out: list[list[Any]] = []
    size = len(json.dumps(columns[:width], ensure_ascii=False).encode())
    cells = 0
    for n, row in enumerate(rows):
        line, shortened = [], 0
        for value in row[:width]:
            value, short = _short(to_json_value(value), limits.max_cell_chars)
            shortened += short
            line.append(value)
        size += len(json.dumps(line, ensure_ascii=False).encode()) + 1
        if size > limits.max_result_bytes:
            return QueryResult(
                columns[:width], out, Cut(False, len(columns) - width, cells, len(rows) - n)
            )
        cells += shortened
        out.append(line)
    full = len(rows) >= max_rows
    return QueryResult(columns[:width], out, Cut(full, len(columns) - width, cells, 0))


# --- the worker side ---------------------------------------------------------------------------


class _Watchdog:
    """Interrupts a connection once `seconds` have passed, and again until the query stops."""

    def __init__(self, connection: Any, seconds: float):
        self._connection = connection
        self._seconds = seconds
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, name="sql-watchdog", daemon=True)
        self.fired = False

    def __enter__(self) -> "_Watchdog":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self._done.set()

    def _watch(self) -> None:
        wait = self._seconds
        while not self._done.wait(wait):
            with self._lock:
                if self._done.is_set():
                    return
                self.fired = True
                self._connection.interrupt()
            wait = REINTERRUPT_SECONDS


def _error(kind: str, name: str = "", message: str = "") -> dict[str, str]:
    return {"error": kind, "type": name, "message": message[:500]}


def _run_one(connection: Any, request: dict, limits: Limits) -> dict:
    """Run one query in the worker; the reply as a JSON-able dict."""
    import duckdb

    with _Watchdog(connection, limits.timeout_seconds) as watchdog:
        try:
            cursor = connection.execute(request["sql"])
            columns = [column[0] for column in cursor.description]
            rows = cursor.fetchmany(request["max_rows"])
        except duckdb.InterruptException as err:
            kind = "timeout" if watchdog.fired else "duckdb"
            return _error(kind, type(err).__name__, str(err))
        except duckdb.Error as err:
            return _error("duckdb", type(err).__name__, str(err))
        except MemoryError:
            return _error("memory", "MemoryError")
    result = cap_result(columns, rows, request["max_rows"], limits)
    return {"columns": result.columns, "rows": result.rows, "cut": asdict(result.cut)}


def serve(reader: Connection, writer: Connection) -> None:
    """The worker's loop: set up from the first message, then answer one query at a time
    until the pipe closes."""
    setup = json.loads(reader.recv_bytes())
    limits = Limits(**setup["limits"])
    memory = limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    import duckdb

    try:
        connection = duckdb.connect(setup["path"], read_only=True, config=setup["config"])
    except (duckdb.Error, MemoryError) as err:
        writer.send_bytes(json.dumps(_error("connect", type(err).__name__, str(err))).encode())
        return
    writer.send_bytes(b'{"ready": true}')
    while True:
        try:
            request = json.loads(reader.recv_bytes())
        except (EOFError, OSError):
            return  # the app closed the pool, or is gone
        try:
            reply = json.dumps(_run_one(connection, request, limits), ensure_ascii=False)
        except MemoryError:
            reply = json.dumps(_error("memory", "MemoryError"))
        try:
            writer.send_bytes(reply.encode())
        except OSError:
            return


# --- the pool side -----------------------------------------------------------------------------


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
        command = [
            sys.executable,
            "-I",
            str(Path(__file__).resolve()),
            str(to_child),
            str(from_child),
        ]
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


if __name__ == "__main__":
    serve(
        Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False)
    )
