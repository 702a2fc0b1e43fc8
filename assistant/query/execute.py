"""Run validated SQL on a read-only, locked-down DuckDB connection, with a time limit.

`Sandbox` opens the database once: read-only, no file or network access, no extension
installs or loads, memory and threads from assistant/settings.toml, and the configuration
locked so no query can change it. `Sandbox.query` always calls `validate_sql` first, runs on
a fresh cursor (so many threads can share one sandbox) and interrupts a query that runs past
`timeout_seconds`.
"""

import datetime
import logging
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Self

import duckdb

from assistant.errors import DatabaseError, QueryTimeout
from assistant.query.build import Query
from assistant.query.validate import validate_sql
from assistant.settings import SqlSettings, load_settings
from scoring.contract import ALL_TABLES

__all__ = ["Result", "Sandbox", "connect_read_only", "connection_config", "to_json_value"]

log = logging.getLogger(__name__)

BUILD_HINT = "Bygg den med «kommuneindeks build»."
REINTERRUPT_SECONDS = 0.05

# Why DuckDB refused a validated query, in words for the user (by exception type).
DUCKDB_REASONS: tuple[tuple[type[duckdb.Error], str], ...] = (
    (duckdb.OutOfMemoryException, "Spørringen brukte for mye minne. Prøv å avgrense den."),
    (duckdb.ConversionException, "En verdi i spørringen kunne ikke gjøres om til riktig type."),
    (duckdb.BinderException, "Spørringen viser til noe databasen ikke kjenner."),
    (duckdb.CatalogException, "Spørringen viser til noe databasen ikke kjenner."),
    (duckdb.InvalidInputException, "Spørringen har en ugyldig verdi."),
    (duckdb.OutOfRangeException, "En verdi i spørringen er utenfor lovlig område."),
)


def connection_config(settings: SqlSettings) -> dict[str, Any]:
    """The DuckDB configuration for a sandbox connection; `lock_configuration` comes last.

    >>> config = connection_config(SqlSettings(threads=1))
    >>> config["enable_external_access"], config["threads"], config["lock_configuration"]
    (False, 1, True)
    """
    return {
        "enable_external_access": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "allow_persistent_secrets": False,
        "temp_directory": "",
        "memory_limit": settings.memory_limit,
        "threads": settings.threads,
        "lock_configuration": True,
    }


def connect_read_only(path: Path, settings: SqlSettings) -> duckdb.DuckDBPyConnection:
    """Open the database file read-only and locked down, or raise `DatabaseError`.

    DuckDB shares one instance per file within a process, so every connection to the same
    file must use this same configuration (a different one is refused).
    """
    if not path.is_file():
        raise DatabaseError(f"Fant ikke databasen {path}. {BUILD_HINT}")
    try:
        return duckdb.connect(str(path), read_only=True, config=connection_config(settings))
    except duckdb.Error as err:
        log.error("Kunne ikke åpne databasen %s: %s", path, err)
        raise DatabaseError(f"Databasen {path} kunne ikke åpnes. {BUILD_HINT}") from err


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


def _database_error(err: duckdb.Error) -> DatabaseError:
    """A Norwegian `DatabaseError` for a DuckDB failure on a validated query."""
    reason = next(
        (text for kind, text in DUCKDB_REASONS if isinstance(err, kind)),
        "Databasen kunne ikke kjøre spørringen.",
    )
    return DatabaseError(reason)


def _timeout_message(seconds: float) -> str:
    """The Norwegian message for a query stopped after `seconds`.

    >>> _timeout_message(0.5)
    'Spørringen tok for lang tid (over 0,5 sekunder) og ble stoppet. Prøv et smalere spørsmål.'
    """
    limit = f"{seconds:g}".replace(".", ",")
    return (
        f"Spørringen tok for lang tid (over {limit} sekunder) og ble stoppet. "
        "Prøv et smalere spørsmål."
    )


class _Watchdog:
    """Interrupts a cursor once `seconds` have passed, and again until the query stops."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, seconds: float):
        self._cursor = cursor
        self._seconds = seconds
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, name="sql-watchdog", daemon=True)
        self.fired = False

    def __enter__(self) -> Self:
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
                self._cursor.interrupt()
            wait = REINTERRUPT_SECONDS


@dataclass(frozen=True)
class Result:
    """The rows of one query, by the name of the template it was filled from."""

    name: str
    columns: list[str]
    rows: list[list]

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, r)) for r in self.rows]


class Sandbox:
    """A read-only DuckDB database that runs only validated SQL, within time and row limits.

    One sandbox is shared by all users and threads; it holds no per-user state.
    """

    def __init__(
        self,
        path: str | Path,
        settings: SqlSettings | None = None,
        tables: dict[str, dict[str, str]] = ALL_TABLES,
    ):
        self.path = Path(path)
        self.settings = settings or load_settings().sql
        self.tables = tables
        self._lock = threading.Lock()
        self._connection: duckdb.DuckDBPyConnection | None = connect_read_only(
            self.path, self.settings
        )

    def query(self, sql: str) -> tuple[list[str], list[list[Any]]]:
        """Validate `sql`, run it and return (column names, rows of JSON-able values).

        Raises `UnsafeSql` when the validator refuses, `QueryTimeout` when the query runs
        past the time limit and `DatabaseError` when DuckDB fails or the sandbox is closed.
        """
        safe = self.validate(sql)
        cursor = self._cursor()
        try:
            return self._run(cursor, safe)
        finally:
            cursor.close()

    def validate(self, sql: str) -> str:
        """The safe SQL this sandbox would run for `sql` (see `validate_sql`), or `UnsafeSql`."""
        return validate_sql(sql, max_rows=self.settings.max_rows, tables=self.tables)

    def results(self, queries: Iterable[Query]) -> list[Result]:
        """Run the queries of one answer, in order."""
        return [Result(q.name, *self.query(q.sql)) for q in queries]

    def close(self) -> None:
        """Close the connection; later queries raise `DatabaseError`."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """A fresh cursor on the shared connection, for one query in one thread."""
        with self._lock:
            if self._connection is None:
                raise DatabaseError("Databasen er lukket. Start assistenten på nytt.")
            return self._connection.cursor()

    def _run(
        self, cursor: duckdb.DuckDBPyConnection, sql: str
    ) -> tuple[list[str], list[list[Any]]]:
        """Run already validated `sql` on `cursor` under the watchdog."""
        log.debug("Kjører SQL: %s", sql)
        with _Watchdog(cursor, self.settings.timeout_seconds) as watchdog:
            try:
                cursor.execute(sql)
                columns = [column[0] for column in cursor.description]
                rows = cursor.fetchmany(self.settings.max_rows)
            except duckdb.InterruptException as err:
                if not watchdog.fired:
                    raise _database_error(err) from err
                log.warning("SQL stoppet etter %s s: %s", self.settings.timeout_seconds, sql)
                raise QueryTimeout(_timeout_message(self.settings.timeout_seconds)) from err
            except duckdb.Error as err:
                log.warning("DuckDB feilet på godkjent SQL: %s SQL: %s", err, sql)
                raise _database_error(err) from err
        return columns, [[to_json_value(value) for value in row] for row in rows]
