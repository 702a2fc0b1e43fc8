"""The worker processes and their pool: the wall behind the validator (issue 17).

These tests send SQL to the pool directly, past the validator, as an attacker would if the
validator ever let a query through: a single step DuckDB cannot interrupt, or one that
allocates gigabytes. Each must be stopped by the operating system's limits, cost the app's
process nothing, leave a working pool, and never hold up another thread's ordinary query.
"""

import dataclasses
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.query.execute import Sandbox, connection_config, cut_note, worker_limits
from assistant.query.pool import (
    PoolClosed,
    QueryFailed,
    QueryKilled,
    QueryTimedOut,
    WorkerPool,
    WorkerStartFailed,
)
from assistant.settings import SqlSettings
from tests.assistant.measure import Peaks

# What a hostile query may cost: the whole attack within a few seconds, and the app's own process does
# not grow by more than a few megabytes (a worker is bounded by its address-space limit).
MAX_SECONDS = 5.0  # the 2 s deadline, the kill 0.5 s later, and room for a busy 2-core machine
MAX_APP_GROWTH_MB = 40
STOPPED = (QueryTimedOut, QueryKilled, QueryFailed)

# The attacks of the security test, here without the validator in front.
BOMBS = {
    "lpad to 2 GB": "SELECT length(lpad('x', 2000000000, 'y'))",
    "string_split of a built string": "SELECT len(string_split(lpad('', 30000000, 'x'), ''))",
    "printf width": "SELECT length(printf('%0999999999d', 1))",
    "damerau_levenshtein on 15 000 characters": (
        "SELECT damerau_levenshtein(repeat('a', 15000), repeat('b', 15000))"
    ),
    "a result of 1 GB": "SELECT lpad('x', 1000000, 'y') FROM indeks, kommune LIMIT 1000",
}
ORDINARY = "SELECT count(*) AS n FROM kommune"


@pytest.fixture
def pool(db_path: Path, sql_settings: SqlSettings) -> Iterator[WorkerPool]:
    pool = WorkerPool(
        db_path,
        connection_config(sql_settings),
        worker_limits(sql_settings),
        size=sql_settings.workers,
        kill_grace_seconds=sql_settings.kill_grace_seconds,
    )
    yield pool
    pool.close()


def assert_stopped(err: BaseException) -> None:
    if isinstance(err, QueryFailed):
        assert err.duckdb_type == "OutOfMemoryException", err


@pytest.mark.parametrize("sql", BOMBS.values(), ids=BOMBS.keys())
def test_a_bomb_is_stopped_in_its_worker_and_costs_the_app_nothing(
    pool: WorkerPool, sql_settings: SqlSettings, sql: str
) -> None:
    with Peaks(pool.pids) as peaks, pytest.raises(STOPPED) as info:
        pool.run(sql, 1000)
    assert_stopped(info.value)
    assert peaks.seconds < MAX_SECONDS, peaks
    assert peaks.app_growth_mb < MAX_APP_GROWTH_MB, peaks
    assert peaks.worker_peak_mb <= sql_settings.worker_memory_mb, peaks
    assert pool.run(ORDINARY, 10).rows == [[5]]


def test_a_step_no_interrupt_can_stop_is_killed_and_its_worker_replaced(
    pool: WorkerPool, sql_settings: SqlSettings
) -> None:
    before = set(pool.pids())
    started = time.monotonic()
    with pytest.raises(QueryTimedOut):
        pool.run(BOMBS["lpad to 2 GB"], 1000)
    seconds = time.monotonic() - started
    deadline = sql_settings.timeout_seconds + sql_settings.kill_grace_seconds
    assert deadline <= seconds < MAX_SECONDS
    assert pool.run(ORDINARY, 10).rows == [[5]]
    for _ in range(100):  # the replacement starts in the background
        if len(pool.pids()) == sql_settings.workers:
            break
        time.sleep(0.05)
    after = set(pool.pids())
    assert len(after) == sql_settings.workers and after != before


def test_an_ordinary_query_is_answered_while_another_thread_s_bomb_is_stopped(
    pool: WorkerPool,
) -> None:
    outcome: dict[str, object] = {}

    def attack() -> None:
        try:
            pool.run(BOMBS["lpad to 2 GB"], 1000)
        except STOPPED as err:
            outcome["attack"] = err

    attacker = threading.Thread(target=attack)
    attacker.start()
    time.sleep(0.3)  # the bomb is running
    started = time.monotonic()
    rows = pool.run(ORDINARY, 10).rows
    answered_in = time.monotonic() - started
    still_running = attacker.is_alive()
    attacker.join(timeout=10)
    assert rows == [[5]] and still_running
    assert answered_in < 0.5, answered_in
    assert isinstance(outcome["attack"], STOPPED)


def test_three_bombs_at_once_leave_the_app_as_it_was(pool: WorkerPool) -> None:
    errors: list[BaseException] = []

    def attack(sql: str) -> None:
        try:
            pool.run(sql, 1000)
        except STOPPED as err:
            errors.append(err)

    sqls = [BOMBS["lpad to 2 GB"], BOMBS["string_split of a built string"], BOMBS["printf width"]]
    threads = [threading.Thread(target=attack, args=(sql,)) for sql in sqls]
    with Peaks(pool.pids) as peaks:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
    assert len(errors) == 3
    for err in errors:
        assert_stopped(err)
    assert peaks.app_growth_mb < MAX_APP_GROWTH_MB, peaks
    assert pool.run(ORDINARY, 10).rows == [[5]]


def test_a_closed_pool_stops_its_workers(db_path: Path, sql_settings: SqlSettings) -> None:
    pool = WorkerPool(db_path, connection_config(sql_settings), worker_limits(sql_settings), 2, 0.5)
    pids = pool.pids()
    pool.close()
    with pytest.raises(PoolClosed):
        pool.run(ORDINARY, 10)
    for pid in pids:
        assert (
            not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        )


def test_a_worker_that_cannot_open_the_database_says_so(
    tmp_path: Path, sql_settings: SqlSettings
) -> None:
    broken = tmp_path / "broken.duckdb"
    broken.write_text("ingen database", encoding="utf-8")
    with pytest.raises(WorkerStartFailed):
        WorkerPool(broken, connection_config(sql_settings), worker_limits(sql_settings), 1, 0.5)


# --- bounded results -----------------------------------------------------------------------


def test_long_cells_wide_results_and_big_results_are_cut_and_said_so(
    db_path: Path, sql_settings: SqlSettings
) -> None:
    small = dataclasses.replace(
        sql_settings, max_columns=3, max_cell_chars=20, max_result_bytes=5_000
    )
    with Sandbox(db_path, small) as box:
        result = box.fetch(
            "SELECT lpad(a.kommune, 100, 'x') AS s, a.*, b.* FROM kommune AS a, indeks AS b"
        )
    assert len(result.columns) == 3
    assert all(len(row[0]) == 20 and row[0].endswith("…") for row in result.rows)
    assert 0 < len(result.rows) < 1000
    assert result.cut.columns == 1 + 6 + 7 - 3 and result.cut.cells == len(result.rows)
    assert result.cut.rows_over_bytes == 1000 - len(result.rows)
    note = cut_note(result.cut, small)
    assert "11 kolonner er utelatt" in note and "forkortet til 20 tegn" in note
    assert "for stort" in note


def test_a_result_within_the_limits_is_not_cut(sandbox: Sandbox) -> None:
    result = sandbox.fetch("SELECT kommune FROM kommune")
    assert len(result.rows) == 5 and not result.cut
    assert cut_note(result.cut, sandbox.settings) == ""
