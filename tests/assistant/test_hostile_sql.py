"""Hostile SQL through the sandbox: refused, or harmless. Nothing else ever happens.

The cases are data in hostile_sql.jsonl (sql, expect, why), plus a few generated here that
are too long or too repetitive to keep as text. `{secret_path}`, `{secret_csv}` and
`{db_folder}` in a case stand for real paths next to the test database.

For every case:
- the outcome is the expected one: `refused` (UnsafeSql), `runs`, `fails` (DatabaseError), or
  `stopped` (QueryTimeout or QueryTooLarge: the worker's limits stopped it); any other
  exception fails the test, so no traceback can slip through;
- it takes under 3 s, and the app's own process does not grow (issue 17): a query that builds
  gigabytes is refused, or stopped inside its worker process;
- every statement that reached DuckDB is one SELECT that validates to itself;
- the database file is byte-identical and its folder holds the same files;
- the secret planted next to the database never appears in a result, a message or a log.
"""

import hashlib
import json
import logging
import os
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from assistant.errors import AssistantError, DatabaseError, QueryTimeout, QueryTooLarge, UnsafeSql
from assistant.query.execute import Sandbox
from assistant.query.validate import validate_sql
from tests.assistant.measure import Peaks

CASES_FILE = Path(__file__).with_name("hostile_sql.jsonl")
OUTCOMES = {"refused", "runs", "fails", "stopped"}
NORWEGIAN_WORDS = (
    "Spørringen", "tillatt", "Tabell", "Kolonnen", "System", "Funksjonen", "Bare", "Formatet",
    "Teksten",
)  # fmt: skip
MAX_SECONDS = 5.0  # bounded: the 2 s deadline plus the kill, with room for a busy machine
MAX_APP_GROWTH_MB = 60


def load_cases() -> list[dict[str, str]]:
    """The cases of hostile_sql.jsonl, one JSON object a line."""
    text = CASES_FILE.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.split("\n") if line.strip()]


def case(sql: str, expect: str, why: str) -> dict[str, str]:
    return {"sql": sql, "expect": expect, "why": why}


def generated_cases() -> list[dict[str, str]]:
    """Cases too long or too repetitive to keep as text."""
    in_list = ", ".join(f"'k{i}'" for i in range(1500))
    return [
        case("SELECT 1" + " " * 100_000, "refused", "100 000 characters"),
        case("SELECT '" + "x" * 100_000 + "'", "refused", "100 000-character literal"),
        case("SELECT '" + "x" * 19_000 + "'", "runs", "long literal under the limit"),
        case("", "refused", "empty input"),
        case(" \n\t ", "refused", "only whitespace"),
        case(";" * 1000, "refused", "only semicolons"),
        case("-- nothing here", "refused", "only a comment"),
        case("SELECT 1;" * 1000, "refused", "a thousand statements"),
        case("SELECT " + "(" * 5000 + "1" + ")" * 5000, "refused", "deep nesting"),
        case("SELECT " + " + ".join(["1"] * 3000), "fails", "expression deeper than DuckDB allows"),
        case(" UNION ALL ".join(["SELECT 1"] * 500), "runs", "500 UNIONs"),
        case("SELECT " + "'" * 1001, "refused", "a thousand quotes"),
        case("\x00" * 100, "refused", "only NUL bytes"),
        case("😀" * 1000, "refused", "only emoji"),
        case(f"SELECT kommune FROM kommune WHERE kommune IN ({in_list})", "runs", "long IN list"),
    ]


CASES = load_cases() + generated_cases()


def fill_in(sql: str, db_folder: Path) -> str:
    """Replace the path placeholders of a case with real paths."""
    paths = {
        "{secret_path}": str(db_folder / "secret.txt"),
        "{secret_csv}": str(db_folder / "secret.csv"),
        "{db_folder}": str(db_folder),
    }
    for placeholder, path in paths.items():
        sql = sql.replace(placeholder, path)
    return sql


def run(sandbox: Sandbox, sql: str) -> tuple[str, str]:
    """(outcome, everything the user would see). Unknown exceptions propagate."""
    try:
        columns, rows = sandbox.query(sql)
    except UnsafeSql as err:
        return "refused", str(err)
    except DatabaseError as err:
        return "fails", str(err)
    except (QueryTimeout, QueryTooLarge) as err:
        return "stopped", str(err)
    return "runs", json.dumps([columns, rows], ensure_ascii=False)


def executed_statements(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The SQL the sandbox sent to DuckDB, from its debug log."""
    prefix = "Kjører SQL: "
    messages = [record.getMessage() for record in caplog.records]
    return [message.removeprefix(prefix) for message in messages if message.startswith(prefix)]


def assert_is_one_validated_select(sql: str) -> None:
    statements = sqlglot.parse(sql, read="duckdb")
    assert len(statements) == 1
    assert isinstance(statements[0], (exp.Select, exp.SetOperation, exp.Subquery))
    assert validate_sql(sql) == sql


def test_there_are_at_least_150_hostile_cases() -> None:
    assert len(CASES) >= 150


def test_every_case_expects_a_known_outcome() -> None:
    assert {case["expect"] for case in CASES} <= OUTCOMES
    assert all(case["why"] for case in CASES)


def test_the_planted_secret_is_readable_without_the_sandbox(db_folder: Path, secret: str) -> None:
    """The canary works: plain DuckDB would leak it, so its absence below means something."""
    import duckdb

    with duckdb.connect() as con:
        text = con.execute("SELECT content FROM read_text(?)", [str(db_folder / "secret.txt")])
        assert secret in text.fetchone()[0]


@pytest.mark.parametrize("case", CASES, ids=[case["why"] for case in CASES])
def test_hostile_sql_is_refused_or_harmless(
    case: dict[str, str],
    sandbox: Sandbox,
    db_path: Path,
    db_hash: str,
    db_folder: Path,
    secret: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="assistant")
    files_before = sorted(os.listdir(db_folder))
    sql = fill_in(case["sql"], db_folder)

    with Peaks(sandbox.pids) as peaks:
        outcome, shown = run(sandbox, sql)

    assert outcome == case["expect"], shown
    assert peaks.seconds < MAX_SECONDS, peaks
    assert peaks.app_growth_mb < MAX_APP_GROWTH_MB, peaks
    executed = executed_statements(caplog)
    if outcome == "refused":
        assert executed == []
    for statement in executed:
        assert_is_one_validated_select(statement)
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == db_hash
    assert sorted(os.listdir(db_folder)) == files_before
    assert secret not in shown
    assert secret not in caplog.text


def test_refusals_are_assistant_errors_with_a_norwegian_message(
    sandbox: Sandbox, db_folder: Path
) -> None:
    for case in CASES:
        if case["expect"] != "refused":
            continue
        with pytest.raises(AssistantError) as info:
            sandbox.query(fill_in(case["sql"], db_folder))
        message = str(info.value)
        assert message and "Traceback" not in message
        assert any(word in message for word in NORWEGIAN_WORDS), message
