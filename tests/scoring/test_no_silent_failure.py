"""No silent failure: each way a real-data build used to mislead gives a Norwegian message that
names the missing input and what it stops, and leaves the database as it was."""

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from kommuneindeks.cli import main
from scoring.build import build
from scoring.errors import DataError
from tests.conftest import open_read_only

SSB_INDICATORS = ("grunnskolepoeng", "dekningsgrad_1_5", "barn_per_arsverk", "legetimer_sykehjem")


@pytest.fixture(scope="module")
def raadata(demo_db) -> pd.DataFrame:
    """Every raw input of the default build, labelled as fetched from SSB."""
    with open_read_only(demo_db) as con:
        df = con.execute("SELECT aar, kommunenr, variabel, verdi FROM raadata").df()
    return df.assign(kilde="SSB tabell 12362")


def folder_with(tmp_path: Path, rows: pd.DataFrame) -> Path:
    folder = tmp_path / "raadata"
    folder.mkdir()
    rows.to_csv(folder / "ssb.csv", index=False)
    return folder


@pytest.fixture
def existing_db(demo_db, tmp_path) -> tuple[Path, str]:
    target = tmp_path / "k.duckdb"
    target.write_bytes(demo_db.read_bytes())
    return target, hashlib.sha256(target.read_bytes()).hexdigest()


def refused(tmp_path: Path, rows: pd.DataFrame, existing_db) -> str:
    """Build from `rows` over an existing database: the message, and the database unchanged."""
    target, before = existing_db
    with pytest.raises(DataError) as err:
        build(target, raadata_folder=folder_with(tmp_path, rows))
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert not list(target.parent.glob("*.tmp*"))
    return str(err.value)


def without(raadata: pd.DataFrame, prefix: str) -> pd.DataFrame:
    return raadata[~raadata["variabel"].str.startswith(prefix)]


def test_a_statbank_build_with_four_ssb_indicators_says_quality_cannot_be_computed(
    raadata, tmp_path, existing_db
):
    keep = ~raadata["variabel"].str.startswith("indikator.") | raadata["variabel"].isin(
        [f"indikator.{k}" for k in SSB_INDICATORS]
    )
    message = refused(tmp_path, raadata[keep], existing_db)
    assert "kvalitetsindikatorer" in message and "Nasjonale prøver" in message
    assert "stopper kvalitetsindeks (" in message and "Kommuneindeksen" in message


def test_missing_finance_tables_stop_the_finance_index_and_the_total(raadata, tmp_path, existing_db):
    message = refused(tmp_path, without(raadata, "finans."), existing_db)
    assert "finansielle nøkkeltall (Netto driftsresultat" in message
    assert "stopper finansindeks (totalt), Kommuneindeksen" in message


def test_missing_12362_names_the_expenditure_and_what_it_stops_without_a_traceback(
    raadata, tmp_path, existing_db
):
    message = refused(tmp_path, without(raadata, "netto_driftsutgifter."), existing_db)
    assert "7 av 7 netto driftsutgifter" in message
    assert "stopper kostnadsindeks (grunnskole" in message
    assert "effektivitetsindeks" in message and "KeyError" not in message


def test_expenditure_dropped_by_a_text_only_export_names_the_service(raadata, tmp_path, existing_db):
    rows = raadata[raadata["variabel"] != "netto_driftsutgifter.grunnskole"]
    message = refused(tmp_path, rows, existing_db)
    assert "Netto driftsutgifter, grunnskole, 2022–2024: stopper kostnadsindeks (grunnskole, totalt)" in message


def test_missing_12367_estimates_the_tax_and_says_so(raadata, tmp_path):
    target = tmp_path / "k.duckdb"
    report = build(target, raadata_folder=folder_with(tmp_path, without(raadata, "arbeidsgiveravgift.")))
    assert "Beregnet fra ekte tall: arbeidsgiveravgift" in report
    with open_read_only(target) as con:
        incl, excl = con.execute(
            """SELECT r.verdi, k.netto_driftsutgifter_kr FROM raadata r JOIN kostnad k
               ON k.aar = r.aar AND k.kommunenr = r.kommunenr AND k.tjeneste = 'grunnskole'
               WHERE r.variabel = 'netto_driftsutgifter.grunnskole' AND r.kommunenr = '0301'
               AND r.aar = 2024"""
        ).fetchone()
    assert excl < 0.95 * incl  # Oslo's costs are without the tax, not with it


def test_a_raadata_folder_that_does_not_exist_is_an_error_not_demo_data(existing_db, tmp_path):
    target, before = existing_db
    result = CliRunner().invoke(
        main, ["build", "--db", str(target), "--raadata", str(tmp_path / "raadtaa")]
    )
    assert result.exit_code == 1
    assert "Rådatamappen" in result.output and "finnes ikke" in result.output
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before


def test_a_raadata_folder_without_csv_files_is_an_error(existing_db, tmp_path):
    target, before = existing_db
    (tmp_path / "tom").mkdir()
    result = CliRunner().invoke(main, ["build", "--db", str(target), "--raadata", str(tmp_path / "tom")])
    assert result.exit_code == 1 and "har ingen CSV-filer" in result.output
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before


def test_a_complete_folder_builds_from_real_data_only(raadata, tmp_path):
    report = build(tmp_path / "k.duckdb", raadata_folder=folder_with(tmp_path, raadata))
    assert "Demodata" not in report and "KOSTRA-data for 357 kommuner" in report
