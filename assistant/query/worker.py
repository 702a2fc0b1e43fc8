"""One worker process: queries where the operating system can stop them (issue 17).

A DuckDB function such as `lpad('x', 2000000000, 'y')` runs as one step that neither an
interrupt nor DuckDB's own memory limit stops. So no query runs in the app's process: each runs
in a long-lived worker process (`serve`) with an address-space limit (`RLIMIT_AS`), which the
pool (`assistant/query/pool.py`) kills at the deadline and replaces. The worker caps what it sends
back (rows, columns, cell length, bytes: `cap_result`), so a result can never flood the app.

This module needs only the standard library and DuckDB: it runs as
`python -I assistant/query/worker.py`, without importing the `assistant` package, so a worker
is small and starts quickly. Messages are JSON, one per `multiprocessing.connection` frame,
never pickles.
"""

import datetime
import json
import math
import resource
import sys
import threading
from dataclasses import asdict, dataclass
from decimal import Decimal
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["Cut", "Limits", "QueryResult", "cap_result", "serve", "to_json_value"]

REINTERRUPT_SECONDS = 0.05
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


if __name__ == "__main__":
    serve(
        Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False)
    )
