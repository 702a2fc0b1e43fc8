"""Run validated SQL on read-only, locked-down DuckDB connections, within time, memory and
size limits.

`Sandbox.query` always calls `validate_sql` first, then hands the SQL to a small pool of worker
processes (`pool.py`, `worker.py`): each opens the database once, read-only, with no file or
network access, no extension installs or loads, memory and threads from
assistant/settings.toml, and the configuration locked so no query can change it. A worker
interrupts a query that runs past `timeout_seconds`; one that still runs `kill_grace_seconds`
later, or that outgrows the worker's address space, costs the worker its life, never the app's.
What comes back is capped in rows, columns, cell length and bytes, and `cut_note` says what
was cut. Many threads share one sandbox.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Self

import duckdb

from assistant.errors import DatabaseError, QueryTimeout, QueryTooLarge
from assistant.query.build import Query
from assistant.query.pool import (
    PoolBusy,
    PoolClosed,
    QueryFailed,
    QueryKilled,
    QueryTimedOut,
    WorkerPool,
    WorkerStartFailed,
)
from assistant.query.validate import validate_sql
from assistant.query.worker import Cut, Limits, QueryResult, to_json_value
from assistant.settings import SqlSettings, load_settings
from scoring.contract import ALL_TABLES

VALIDATED_KEPT = 512  # validated SQL texts a sandbox remembers

__all__ = [
    "QueryResult",
    "Result",
    "Sandbox",
    "connect_read_only",
    "connection_config",
    "cut_note",
    "to_json_value",
]

log = logging.getLogger(__name__)

BUILD_HINT = "Bygg den med «kommuneindeks build»."
CLOSED = "Databasen er lukket. Start assistenten på nytt."
BUSY = "Assistenten har mange spørringer akkurat nå. Prøv igjen om litt."
TOO_LARGE = (
    "Spørringen ble for stor (brukte for mye minne) og ble stoppet. Prøv et smalere spørsmål."
)

# Why DuckDB refused a validated query, in words for the user (by exception type).
DUCKDB_REASONS: tuple[tuple[type[duckdb.Error], str], ...] = (
    (duckdb.OutOfMemoryException, TOO_LARGE),
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


def _database_error(duckdb_type: str) -> DatabaseError:
    """A Norwegian `DatabaseError` for a DuckDB failure on a validated query, by the name of
    DuckDB's exception class (the worker sends the name).

    >>> str(_database_error("ConversionException"))
    'En verdi i spørringen kunne ikke gjøres om til riktig type.'
    """
    kind = getattr(duckdb, duckdb_type, None)
    if not (isinstance(kind, type) and issubclass(kind, duckdb.Error)):
        kind = duckdb.Error
    reason = next(
        (text for known, text in DUCKDB_REASONS if issubclass(kind, known)),
        "Databasen kunne ikke kjøre spørringen.",
    )
    error = QueryTooLarge if issubclass(kind, duckdb.OutOfMemoryException) else DatabaseError
    return error(reason)


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


def worker_limits(settings: SqlSettings) -> Limits:
    """What one worker may use and send back, from the `[sql]` settings."""
    return Limits(
        memory_bytes=settings.worker_memory_mb * 2**20,
        timeout_seconds=settings.timeout_seconds,
        max_columns=settings.max_columns,
        max_cell_chars=settings.max_cell_chars,
        max_result_bytes=settings.max_result_bytes,
    )


def cut_note(cut: Cut, settings: SqlSettings) -> str:
    """A Norwegian sentence saying what the limits cut from a result, or "" when nothing was.

    >>> cut_note(Cut(), SqlSettings())
    ''
    >>> print(cut_note(Cut(full=True, columns=3, cells=2), SqlSettings()))
    Resultatet er kortet ned: bare de første 1000 radene vises (det kan finnes flere), 3 kolonner er utelatt (høyst 50 vises), 2 celler er forkortet til 1000 tegn.
    >>> print(cut_note(Cut(rows_over_bytes=12), SqlSettings()))
    Resultatet er kortet ned: 12 rader er utelatt fordi svaret ble for stort (over 2 MB).
    """
    parts = []
    if cut.full:
        parts.append(
            f"bare de første {settings.max_rows} radene vises (det kan finnes flere)"
        )
    if cut.columns:
        parts.append(
            f"{_antall(cut.columns, 'kolonne', 'kolonner')} er utelatt "
            f"(høyst {settings.max_columns} vises)"
        )
    if cut.cells:
        parts.append(
            f"{_antall(cut.cells, 'celle', 'celler')} er forkortet til "
            f"{settings.max_cell_chars} tegn"
        )
    if cut.rows_over_bytes:
        megabytes = f"{settings.max_result_bytes / 1_000_000:g}".replace(".", ",")
        parts.append(
            f"{_antall(cut.rows_over_bytes, 'rad', 'rader')} er utelatt fordi svaret ble for "
            f"stort (over {megabytes} MB)"
        )
    return f"Resultatet er kortet ned: {', '.join(parts)}." if parts else ""


def _antall(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class Result:
    """The rows of one query, by the name of the template it was filled from."""

    name: str
    columns: list[str]
    rows: list[list]

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, r)) for r in self.rows]


class Sandbox:
    """A read-only DuckDB database that runs only validated SQL, within time, memory and size
    limits, in worker processes. One sandbox is shared by all users and threads; it holds no
    per-user state.
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
        # Validation is a pure function of the text: the SQL of a question asked again (a
        # suggested question, a link) is not parsed and checked twice. Refusals are not kept.
        self._validated = lru_cache(maxsize=VALIDATED_KEPT)(self._validate)
        if not self.path.is_file():
            raise DatabaseError(f"Fant ikke databasen {self.path}. {BUILD_HINT}")
        try:
            self._pool = WorkerPool(
                self.path,
                connection_config(self.settings),
                worker_limits(self.settings),
                size=self.settings.workers,
                kill_grace_seconds=self.settings.kill_grace_seconds,
            )
        except WorkerStartFailed as err:
            log.error("Kunne ikke åpne databasen %s: %s", self.path, err)
            raise DatabaseError(f"Databasen {self.path} kunne ikke åpnes. {BUILD_HINT}") from err

    def query(self, sql: str) -> tuple[list[str], list[list[Any]]]:
        """Validate `sql`, run it and return (column names, rows of JSON-able values).

        Raises `UnsafeSql` when the validator refuses, `QueryTimeout` when the query runs
        past the time limit, `QueryTooLarge` when it outgrows its memory, and `DatabaseError`
        when DuckDB fails or the sandbox is closed.
        """
        result = self.fetch(sql)
        return result.columns, result.rows

    def fetch(self, sql: str) -> QueryResult:
        """Like `query`, but also says what the size limits cut (`cut_note` words it)."""
        return self._run(self.validate(sql))

    def validate(self, sql: str) -> str:
        """The safe SQL this sandbox would run for `sql` (see `validate_sql`), or `UnsafeSql`."""
        return self._validated(sql)

    def _validate(self, sql: str) -> str:
        return validate_sql(sql, max_rows=self.settings.max_rows, tables=self.tables)

    def results(self, queries: Iterable[Query]) -> list[Result]:
        """Run the queries of one answer, in order."""
        return [Result(q.name, *self.query(q.sql)) for q in queries]

    def pids(self) -> list[int]:
        """The process ids of the worker processes."""
        return self._pool.pids()

    def close(self) -> None:
        """Stop the workers; later queries raise `DatabaseError`."""
        self._pool.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _run(self, sql: str) -> QueryResult:
        """Run already validated `sql` in a worker, and word its failures."""
        log.debug("Kjører SQL: %s", sql)
        try:
            return self._pool.run(sql, self.settings.max_rows)
        except QueryTimedOut as err:
            log.warning("SQL stoppet etter %s s: %s", self.settings.timeout_seconds, sql)
            raise QueryTimeout(_timeout_message(self.settings.timeout_seconds)) from err
        except QueryKilled as err:
            log.warning("SQL brukte for mye minne (%s): %s", err, sql)
            raise QueryTooLarge(TOO_LARGE) from err
        except QueryFailed as err:
            log.warning("DuckDB feilet på godkjent SQL: %s: %s SQL: %s", err.duckdb_type, err, sql)
            raise _database_error(err.duckdb_type) from err
        except PoolBusy as err:
            log.error("Ingen ledig arbeidsprosess for SQL: %s", sql)
            raise QueryTimeout(BUSY) from err
        except PoolClosed as err:
            raise DatabaseError(CLOSED) from err
