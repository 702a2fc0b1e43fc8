"""The built database honours the contract of docs/schema.md."""

import hashlib
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scoring import build as build_module
from scoring.build import build
from scoring.contract import INDEKSTYPER, KOSTNADSTJENESTER, TABLES, TJENESTER
from scoring.errors import DataError
from tests.conftest import ROOT, open_read_only

REFERENCE = ROOT / "data" / "reference"
# The byte-for-byte copies of the project's shared master data (data/reference/README.md): a
# changed byte is an edit, not a copy. Update a hash only together with a fresh copy.
REFERENCE_SHA256 = {
    "kommuner.csv": "df85fb7f06440c9995bb1232e099eea5029602c17536c43697e89f6a71b65452",
    "behovsindeks_sektor.csv": "d35befece11ac8d09448b23c28f85f6afdcd2ab62e52145f1198631e623bfcee",
    "kodeendringer.json": "909242e5eb816a590be6ed335b131b4909419a063e8b1df41765599634e1d48a",
}


def query(db: Path, sql: str, params=None) -> list[tuple]:
    with open_read_only(db) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.mark.parametrize("table", list(TABLES))
def test_every_contract_table_has_its_columns_and_types(demo_db, table):
    found = query(
        demo_db,
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    )
    assert dict(found) == TABLES[table]


def test_the_357_municipalities_of_the_2024_structure_are_there(demo_db):
    master = pd.read_csv(REFERENCE / "kommuner.csv", dtype={"kommunenr": str})
    rows = query(demo_db, "SELECT kommunenr FROM kommune")
    assert sorted(r[0] for r in rows) == sorted(master["kommunenr"])


def test_short_names_are_norwegian_and_unique(demo_db):
    names = dict(query(demo_db, "SELECT kommunenr, kommune FROM kommune"))
    assert names["0301"] == "Oslo"
    assert names["5612"] == "Kautokeino"
    assert names["1818"] == "Herøy (Nordland)"
    assert names["3419"] == "Våler (Innlandet)"
    assert len(set(names.values())) == 357
    official = dict(query(demo_db, "SELECT kommunenr, offisielt_navn FROM kommune"))
    assert official["0301"] == "Oslo - Oslove"


def test_data_years_2022_to_2024_are_built(demo_db):
    for table in ("indeks", "kostnad", "finans", "indikatorverdi", "befolkning"):
        years = [r[0] for r in query(demo_db, f"SELECT DISTINCT aar FROM {table} ORDER BY aar")]
        assert years == [2022, 2023, 2024], table


def test_demo_data_is_flagged_as_demo(demo_db):
    rows = query(demo_db, "SELECT kilde, er_demodata FROM datakilde")
    assert ("demodata", True) in rows
    # Population is real (SSB), the KOSTRA inputs are synthetic.
    assert any(kilde.startswith("SSB befolkning") and not demo for kilde, demo in rows)


def test_indeks_has_the_rows_the_contract_promises(demo_db):
    rows = set(query(demo_db, "SELECT DISTINCT tjeneste, indekstype FROM indeks"))
    expected = {("alle", t) for t in INDEKSTYPER}
    expected |= {(s, t) for s in KOSTNADSTJENESTER for t in ("kostnad", "kvalitet", "effektivitet")}
    expected |= {(s, "kvalitet") for s in TJENESTER if s not in KOSTNADSTJENESTER}
    assert rows == expected


def test_every_catalogue_indicator_is_in_the_indikator_table(demo_db):
    catalogue = pd.read_csv(ROOT / "data" / "indikatorer.csv")
    keys = {r[0] for r in query(demo_db, "SELECT indikator FROM indikator")}
    assert keys == set(catalogue["indikator"])
    assert 70 <= len(keys) <= 90


def test_population_is_the_end_of_year_figure(demo_db):
    # Oslo had 717 710 inhabitants on 1 January 2024, i.e. at the end of data year 2023.
    assert query(demo_db, "SELECT innbyggere FROM befolkning WHERE kommunenr='0301' AND aar=2023") == [
        (717710,)
    ]


def test_reference_copies_are_unedited_copies_of_the_shared_files():
    for name, digest in REFERENCE_SHA256.items():
        assert hashlib.sha256((REFERENCE / name).read_bytes()).hexdigest() == digest, name


def test_rebuilding_from_the_same_inputs_gives_identical_tables(demo_db, tmp_path):
    again = tmp_path / "again.duckdb"
    build(again)
    for table in TABLES:
        if table == "datakilde":
            continue  # holds the build time
        a = query(demo_db, f"SELECT * FROM {table} ORDER BY ALL")
        b = query(again, f"SELECT * FROM {table} ORDER BY ALL")
        assert a == b, table


def test_a_build_that_fails_half_way_leaves_the_old_database_untouched(demo_db, tmp_path):
    target = tmp_path / "k.duckdb"
    target.write_bytes(demo_db.read_bytes())
    before = hashlib.sha256(target.read_bytes()).hexdigest()

    def explode(state):
        raise RuntimeError("simulert feil midt i byggingen")

    steps = build_module.STEPS[:4] + (explode,)
    with pytest.raises(RuntimeError):
        build(target, steps=steps)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.duckdb"]


def test_a_failed_write_leaves_no_half_written_file(tmp_path, monkeypatch):
    target = tmp_path / "new.duckdb"

    def broken_check(con):
        raise duckdb.Error("disk full")

    monkeypatch.setattr("scoring.database._check", broken_check)
    with pytest.raises(duckdb.Error):
        build(target)
    assert list(tmp_path.iterdir()) == []


def raadata_folder(tmp_path: Path, rows: list[tuple]) -> Path:
    """A folder with one raw-data CSV, as `kommuneindeks data fetch` writes it."""
    folder = tmp_path / "raadata"
    folder.mkdir()
    columns = ["aar", "kommunenr", "variabel", "verdi", "kilde"]
    pd.DataFrame(rows, columns=columns).to_csv(folder / "ssb.csv", index=False)
    return folder


def test_raw_data_without_quality_indicators_is_refused_clearly(demo_db, tmp_path):
    rows = query(demo_db, "SELECT * FROM raadata WHERE variabel NOT LIKE 'indikator.%'")
    folder = raadata_folder(tmp_path, rows)
    target = tmp_path / "k.duckdb"
    with pytest.raises(DataError, match="kvalitetsindikatorene"):
        build(target, raadata_folder=folder)
    assert not target.exists()


def test_fetched_raw_data_replaces_demo_data(demo_db, tmp_path):
    rows = query(demo_db, "SELECT aar, kommunenr, variabel, verdi, 'SSB tabell 12362' FROM raadata")
    folder = raadata_folder(tmp_path, rows)
    target = tmp_path / "ekte.duckdb"
    report = build(target, raadata_folder=folder)
    assert "KOSTRA-data" in report
    assert query(target, "SELECT bool_or(er_demodata) FROM datakilde") == [(False,)]
    a = query(demo_db, "SELECT rang FROM indeks ORDER BY ALL")
    assert a == query(target, "SELECT rang FROM indeks ORDER BY ALL")
