"""The sandbox: validated SQL only, read-only and locked down, thread-safe, with a time limit."""

import dataclasses
import datetime
import hashlib
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.errors import DatabaseError, QueryTimeout, UnsafeSql
from assistant.query import execute
from assistant.query.execute import Sandbox, connect_read_only, to_json_value, worker_limits
from assistant.query.validate import validate_sql
from assistant.query.worker import cap_result
from assistant.settings import SettingsError, SqlSettings, load_settings
from scoring.contract import TJENESTER

REALISTIC_FILE = Path(__file__).with_name("realistic_sql.jsonl")
with open(REALISTIC_FILE, encoding="utf-8") as realistic_file:
    REALISTIC = [json.loads(line)["sql"] for line in realistic_file if line.strip()]

# Five cross joins of indikatorverdi (150 rows): about 7.6e10 rows, minutes without a limit.
SLOW_SQL = "SELECT SUM(a.verdi * b.verdi * c.verdi * d.verdi * e.verdi) AS s FROM " + ", ".join(
    f"indikatorverdi AS {alias}" for alias in "abcde"
)


def sorted_rows(rows: list[list]) -> list[list]:
    """Rows in a fixed order, to compare results whose order SQL leaves open."""
    return sorted(rows, key=json.dumps)


# --- settings --------------------------------------------------------------------------------


def test_the_settings_file_loads_into_frozen_dataclasses() -> None:
    limits = load_settings()
    assert limits.sql.max_rows == 1000 and limits.sql.timeout_seconds == 2.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.sql.max_rows = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[sql]\nmax_rows = 0\n", "[sql] max_rows"),
        ("[sql]\nmax_rows = 'mange'\n", "[sql] max_rows"),
        ("[sql]\nmaks_rader = 10\n", "maks_rader"),
        ("[spl]\nmax_rows = 10\n", "[spl]"),
        ("[sql\n", "ugyldig TOML"),
    ],
)
def test_a_wrong_setting_names_the_file_and_the_key(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert str(path) in str(info.value) and where in str(info.value)


# --- querying --------------------------------------------------------------------------------


def test_query_returns_columns_and_rows(sandbox: Sandbox) -> None:
    columns, rows = sandbox.query("SELECT kommunenr, kommune FROM kommune WHERE fylke = 'Finnmark'")
    assert columns == ["kommunenr", "kommune"]
    assert rows == [["5605", "Sør-Varanger"]]


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the validator is asked to check, in order."""
    seen = []

    def spy(sql: str, **kwargs) -> str:
        seen.append(sql)
        return validate_sql(sql, **kwargs)

    monkeypatch.setattr(execute, "validate_sql", spy)
    return seen


def test_query_always_validates_first(sandbox: Sandbox, validated: list[str]) -> None:
    sandbox.query("SELECT kommune, 'først' AS merke FROM kommune")
    with pytest.raises(UnsafeSql):
        sandbox.query("DROP TABLE kommune")
    assert validated == ["SELECT kommune, 'først' AS merke FROM kommune", "DROP TABLE kommune"]


def test_a_text_once_validated_is_not_checked_again_but_a_refusal_always_is(
    sandbox: Sandbox, validated: list[str]
) -> None:
    for _ in range(2):
        sandbox.query("SELECT kommune, 'igjen' AS merke FROM kommune")
        with pytest.raises(UnsafeSql):
            sandbox.query("DELETE FROM kommune")
    assert validated == ["SELECT kommune, 'igjen' AS merke FROM kommune", "DELETE FROM kommune",
                         "DELETE FROM kommune"]


def test_the_sql_that_runs_is_the_validated_sql(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("DEBUG", logger="assistant.query.execute"):
        sandbox.query("select kommune from kommune -- hei")
    assert "Kjører SQL: SELECT kommune FROM kommune LIMIT 1000" in caplog.text


def test_rows_are_capped_at_max_rows(db_path: Path, sql_settings: SqlSettings) -> None:
    with Sandbox(db_path, dataclasses.replace(sql_settings, max_rows=3)) as small:
        assert len(small.query("SELECT * FROM indeks")[1]) == 3
        assert len(small.query("SELECT * FROM indeks LIMIT 100")[1]) == 3
        assert len(small.query("SELECT * FROM indeks LIMIT 2")[1]) == 2


@pytest.mark.parametrize("sql", REALISTIC)
def test_validated_sql_gives_the_same_rows_as_the_original(
    sandbox: Sandbox, db_path: Path, sql_settings: SqlSettings, sql: str
) -> None:
    """Regenerating SQL from the checked tree must not change what a query means."""
    with connect_read_only(db_path, sql_settings) as raw:
        cursor = raw.execute(f"SELECT * FROM ({sql}) LIMIT 1000")
        columns = [c[0] for c in cursor.description]
        expected = cap_result(columns, cursor.fetchall(), 1000, worker_limits(sql_settings))
    _, rows = sandbox.query(sql)
    assert sorted_rows(rows) == sorted_rows(expected.rows)


# --- values ----------------------------------------------------------------------------------


def test_values_are_plain_json(sandbox: Sandbox) -> None:
    sql = (
        "SELECT hentet, CAST(hentet AS DATE) AS dag, CAST(1.25 AS DECIMAL(6, 2)) AS desimal, "
        "er_demodata, [1, 2] AS liste, {'a': CAST(2.5 AS DECIMAL(3, 1))} AS struktur, "
        "hentet - hentet AS varighet FROM datakilde LIMIT 1"
    )
    _, rows = sandbox.query(sql)
    assert rows == [
        ["2025-03-01T12:30:00", "2025-03-01", 1.25, True, [1, 2], {"a": 2.5}, "0:00:00"]
    ]
    assert json.loads(json.dumps(rows)) == rows


def test_non_finite_numbers_become_none() -> None:
    assert to_json_value(float("inf")) is None
    assert to_json_value(float("nan")) is None
    assert to_json_value(datetime.time(12, 0)) == "12:00:00"
    assert to_json_value(b"\x01\xff") == "01ff"


# --- the database file -----------------------------------------------------------------------


def test_a_missing_database_names_the_build_command(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="kommuneindeks build") as info:
        Sandbox(tmp_path / "finnes_ikke.duckdb")
    assert info.value.status == "error"
    assert "finnes_ikke.duckdb" in str(info.value)


def test_a_broken_database_file_is_a_database_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.duckdb"
    broken.write_text("dette er ingen database", encoding="utf-8")
    with pytest.raises(DatabaseError, match="kommuneindeks build"):
        Sandbox(broken)


def test_a_closed_sandbox_refuses_queries(db_path: Path, sql_settings: SqlSettings) -> None:
    box = Sandbox(db_path, sql_settings)
    box.close()
    with pytest.raises(DatabaseError, match="lukket"):
        box.query("SELECT 1")
    box.close()  # closing twice is harmless


def test_duckdb_failures_become_database_errors(sandbox: Sandbox) -> None:
    with pytest.raises(DatabaseError, match="riktig type") as info:
        sandbox.query("SELECT CAST(kommune AS INTEGER) FROM kommune")
    assert info.value.__cause__.duckdb_type == "ConversionException"  # as the worker saw it


# --- the locked-down connection --------------------------------------------------------------


def test_the_connection_is_read_only_and_locked(db_path: Path, sql_settings: SqlSettings) -> None:
    settings_sql = (
        "SELECT current_setting('access_mode'), current_setting('enable_external_access'), "
        "current_setting('autoinstall_known_extensions'), "
        "current_setting('autoload_known_extensions'), current_setting('lock_configuration'), "
        "current_setting('threads')"
    )
    with connect_read_only(db_path, sql_settings) as con:
        values = con.execute(settings_sql).fetchone()
    assert values == ("read_only", False, False, False, True, sql_settings.threads)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('{secret_csv}')",
        "SELECT * FROM '{secret_csv}'",
        "SELECT * FROM read_text('{secret_path}')",
        "SELECT * FROM glob('{db_folder}/*')",
        "ATTACH '{secret_path}' AS s",
        "COPY kommune TO '{db_folder}/ut.csv'",
        "COPY kommune FROM '{secret_csv}'",
        "EXPORT DATABASE '{db_folder}/eksport'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SET threads = 8",
        "RESET lock_configuration",
        "CREATE TABLE x AS SELECT 1",
        "INSERT INTO kommune VALUES ('9999', 'x', 'x', 'x', 1, 1)",
        "DROP TABLE kommune",
        "SELECT getenv('HOME')",
    ],
)
def test_the_connection_blocks_escapes_even_without_the_validator(
    db_path: Path, db_folder: Path, db_hash: str, secret: str, sql_settings: SqlSettings, sql: str
) -> None:
    """The second wall: were the validator ever wrong, DuckDB itself still says no."""
    filled = (
        sql.replace("{secret_csv}", str(db_folder / "secret.csv"))
        .replace("{secret_path}", str(db_folder / "secret.txt"))
        .replace("{db_folder}", str(db_folder))
    )
    files_before = sorted(path.name for path in db_folder.iterdir())
    with connect_read_only(db_path, sql_settings) as con, pytest.raises(duckdb.Error) as info:
        con.execute(filled).fetchall()
    assert secret not in str(info.value)
    assert sorted(path.name for path in db_folder.iterdir()) == files_before
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == db_hash


# --- threads and time ------------------------------------------------------------------------


def fifty_queries() -> list[str]:
    """Fifty different valid queries."""
    queries = [
        f"SELECT kommunenr, indekstype, verdi, rang FROM indeks WHERE aar = {aar} "
        f"AND tjeneste = '{tjeneste}' ORDER BY kommunenr, indekstype"
        for aar in (2022, 2023, 2024)
        for tjeneste in TJENESTER
    ]
    queries += [
        "SELECT k.kommune, SUM(c.netto_driftsutgifter_kr) AS kr FROM kostnad AS c "
        f"JOIN kommune AS k USING (kommunenr) WHERE c.aar = {aar} "
        f"GROUP BY k.kommune ORDER BY kr DESC LIMIT {n}"
        for aar in (2022, 2023, 2024)
        for n in range(1, 5)
    ]
    queries += [f"SELECT COUNT(*) AS n FROM indikatorverdi WHERE verdi > {v}" for v in range(50)]
    return queries[:50]


def test_fifty_threads_get_the_same_results_as_one(sandbox: Sandbox) -> None:
    queries = fifty_queries()
    assert len(set(queries)) == 50
    expected = [sandbox.query(sql) for sql in queries]
    start = threading.Barrier(50)

    def run(sql: str) -> tuple[list[str], list[list]]:
        start.wait(timeout=30)
        return sandbox.query(sql)

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(run, queries))
    assert results == expected


def test_a_slow_query_is_interrupted_with_query_timeout(
    db_path: Path, sql_settings: SqlSettings
) -> None:
    quick = dataclasses.replace(sql_settings, timeout_seconds=0.2)
    outcome: dict[str, object] = {}

    with Sandbox(db_path, quick) as box:
        validate_sql(SLOW_SQL)  # the slow query is allowed: only time stops it

        def run_slow() -> None:
            started = time.monotonic()
            try:
                box.query(SLOW_SQL)
            except QueryTimeout as err:
                outcome["error"] = err
            outcome["seconds"] = time.monotonic() - started

        worker = threading.Thread(target=run_slow, daemon=True)
        worker.start()
        worker.join(timeout=15)
        assert not worker.is_alive(), "the slow query was never interrupted"
        assert isinstance(outcome.get("error"), QueryTimeout)
        assert "for lang tid" in str(outcome["error"]) and "0,2 sekunder" in str(outcome["error"])
        assert outcome["seconds"] < 5
        assert box.query("SELECT COUNT(*) AS n FROM kommune") == (["n"], [[5]])


def test_a_fast_query_is_not_interrupted(db_path: Path, sql_settings: SqlSettings) -> None:
    quick = dataclasses.replace(sql_settings, timeout_seconds=0.2)
    with Sandbox(db_path, quick) as box:
        results = [box.query("SELECT COUNT(*) AS n FROM indeks") for _ in range(20)]
    assert results == [(["n"], [[480]])] * 20


# --- escaping ----------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_string_literals_come_back_unchanged(sandbox: Sandbox, text: str) -> None:
    """Whatever a literal holds, it stays a literal: quotes, backslashes, comment marks, emoji."""
    sql = "SELECT '" + text.replace("'", "''") + "' AS t"
    try:
        _, rows = sandbox.query(sql)
    except UnsafeSql:
        return  # control characters are refused, not escaped
    assert rows == [[text]]
