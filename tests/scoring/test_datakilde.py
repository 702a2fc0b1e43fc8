"""Every number knows where it comes from: `datakilde` by the lookup rule of docs/data.md, and
`datastatus` / `kommuneindeks data status` for the inputs."""

import pandas as pd
import pytest
from click.testing import CliRunner

from kommuneindeks.cli import main
from scoring.datakilde import Opphav, merge
from scoring.kilde import DEMO, describe
from scoring.regnskap import KILDE as KOSTRA
from tests.conftest import open_read_only

# table -> SQL giving every (maal, aar) of its numbers, by the lookup rule
LOOKUP = {
    "kostnad": "SELECT DISTINCT tjeneste, aar FROM kostnad",
    "indeks": "SELECT DISTINCT indekstype || ':' || tjeneste, aar FROM indeks",
    "indikatorverdi": "SELECT DISTINCT indikator, aar FROM indikatorverdi",
    "indikatorskaar": "SELECT DISTINCT indikator, aar FROM indikatorskaar",
    "befolkning": "SELECT DISTINCT 'innbyggere', aar FROM befolkning",
    "behovsindeks": "SELECT DISTINCT tjeneste, aar FROM behovsindeks",
    "regnskap": "SELECT DISTINCT maal, aar FROM regnskap",
    "regnskap_aggregat": "SELECT DISTINCT maal, aar FROM regnskap_aggregat",
    "raadata": "SELECT DISTINCT variabel, aar FROM raadata",
    "finans": "SELECT c, aar FROM (SELECT DISTINCT aar FROM finans), (VALUES "
    "('netto_driftsresultat_pst'), ('netto_lanegjeld_pst'), ('disposisjonsfond_pst')) v(c)",
}


@pytest.fixture(scope="module")
def con(demo_db):
    c = open_read_only(demo_db)
    yield c
    c.close()


@pytest.mark.parametrize("tabell", list(LOOKUP))
def test_every_number_has_its_source_row(con, tabell):
    keys = {(str(m), int(a)) for m, a in con.execute(LOOKUP[tabell]).fetchall()}
    found = {
        (m, a)
        for m, a in con.execute("SELECT maal, aar FROM datakilde WHERE tabell=?", [tabell]).fetchall()
    }
    assert keys and keys <= found, sorted(keys - found)[:5]


def test_one_row_per_table_measure_and_year(con):
    assert con.execute(
        "SELECT count(*) - count(DISTINCT (tabell, maal, aar)) FROM datakilde"
    ).fetchone() == (0,)


def test_the_label_is_demodata_exactly_when_the_number_is_demo(con):
    wrong = con.execute(
        "SELECT count(*) FROM datakilde WHERE er_demodata <> (status = 'demo') "
        "OR (kreditering = 'demodata') <> er_demodata OR (NOT er_demodata AND kreditering NOT LIKE 'Kilde: %')"
    ).fetchone()
    assert wrong == (0,)


def test_a_number_from_any_demo_input_is_demo():
    real = Opphav((KOSTRA,))
    estimate = Opphav((KOSTRA.derived("estimat", "beregnet"),))
    assert merge([real, estimate]).status == "estimat"
    mixed = merge([real, estimate, Opphav((DEMO,))])
    row = mixed.row("indeks", "kommuneindeks:alle", 2024, pd.Timestamp("2025-01-01"))
    assert (row["status"], row["er_demodata"], row["kreditering"]) == ("demo", True, "demodata")
    assert merge([None, real]).row("x", "y", 2024, None)["kreditering"] == "Kilde: SSB (KOSTRA)"


def test_sources_of_imported_files_are_read_from_their_text():
    assert describe("SSB tabell 12362 (statistikkbank-CSV 12362.csv)").ssb_tabell == "12362"
    assert describe("Udir").status == "ekte" and describe("Udir").kreditering == "Kilde: Udir"


def test_data_status_lists_each_input_with_status_years_and_coverage():
    result = CliRunner().invoke(main, ["data", "status"])
    assert result.exit_code == 0, result.output
    lines = {line.split("  ")[1].strip(): line for line in result.output.splitlines() if line.startswith("  ")}
    assert "ekte 2022–2024" in lines["Netto driftsutgifter, grunnskole"]
    assert "355–357 av 357 kommuner" in lines["Netto driftsutgifter, grunnskole"]
    assert "estimat 2022–2024" in lines["Arbeidsgiveravgift, grunnskole"]
    assert "demo 2022–2024" in lines["Grunnskolepoeng"]
    assert "demo 2022–2024" in lines["Disposisjonsfond (% av brutto driftsinntekter)"]
    assert "Ingen inndata mangler." in result.output


def test_data_status_says_what_a_missing_input_stops(demo_db, tmp_path):
    with open_read_only(demo_db) as c:
        raw = c.execute("SELECT * FROM raadata WHERE variabel NOT LIKE 'finans.%'").df()
    folder = tmp_path / "raadata"
    folder.mkdir()
    raw.to_csv(folder / "ssb.csv", index=False)
    result = CliRunner().invoke(main, ["data", "status", "--raadata", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Netto lånegjeld (% av brutto driftsinntekter)" in result.output
    assert "mangler 2022–2024" in result.output
    assert "stopper: finansindeks (totalt), Kommuneindeksen" in result.output
