"""The command line, used as a staff member would."""

import json

from click.testing import CliRunner

from kommuneindeks.cli import main


def run(args, db):
    return CliRunner().invoke(main, args, env={"KOMMUNEINDEKS_DB": str(db)})


def test_build_writes_a_database_and_reports_demo_data(tmp_path):
    db = tmp_path / "k.duckdb"
    result = CliRunner().invoke(main, ["build", "--db", str(db), "--demo"])
    assert result.exit_code == 0, result.output
    assert db.exists()
    assert "demodata" in result.output and "357 kommuner" in result.output


def test_ask_json_prints_the_contract_keys(demo_db):
    result = run(["ask", "--json", "Hvor ligger Sør-Varanger i pleie og omsorg?"], demo_db)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    # the contract's keys, and how the question was read (tolkning, issue #12)
    assert set(answer) == {"status", "text", "sql", "columns", "rows", "chart", "suggestions", "tolkning"}
    assert "Sør-Varanger" in answer["tolkning"] and "pleie og omsorg" in answer["tolkning"]
    assert answer["status"] == "ok"
    assert "Sør-Varanger" in answer["text"] and "rang" in answer["columns"]
    assert {r[answer["columns"].index("indekstype")] for r in answer["rows"]} == {
        "kostnad", "kvalitet", "effektivitet"
    }


def test_sql_json_refuses_a_drop(demo_db):
    answer = json.loads(run(["sql", "--json", "DROP TABLE indeks"], demo_db).output)
    assert answer["status"] == "refused" and answer["rows"] == []


def test_sql_returns_rows_of_a_select(demo_db):
    result = run(["sql", "--json", "SELECT count(*) AS n FROM kommune"], demo_db)
    answer = json.loads(result.output)
    assert answer["status"] == "ok" and answer["rows"] == [[357]]


def test_explain_names_indicators_that_pull_up_and_down(demo_db):
    result = run(["explain", "Sør-Varanger", "pleie_og_omsorg", "--aar", "2023"], demo_db)
    assert result.exit_code == 0, result.output
    assert "Trekker opp" in result.output and "Trekker ned" in result.output
    assert "2023" in result.output


def test_ask_without_database_says_how_to_build_it(tmp_path):
    result = run(["ask", "Hvor ligger Bodø?"], tmp_path / "mangler.duckdb")
    assert result.exit_code != 0
    assert "kommuneindeks build" in result.output
    assert "Traceback" not in result.output
