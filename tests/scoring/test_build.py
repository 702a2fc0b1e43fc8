"""The built database honours the contract of docs/schema.md."""

import hashlib
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scoring import build as build_module
from scoring.build import build
from scoring.contract import ALL_TABLES, INDEKSTYPER, KOSTNADSTJENESTER, TABLES, TJENESTER
from scoring.errors import DataError
from tests.conftest import ROOT, open_read_only

REFERENCE = ROOT / "data" / "reference"
# The byte-for-byte copies of the project's shared material (the READMEs of data/reference,
# data/kostra and data/aga): a changed byte is an edit, not a copy. Update a hash only together
# with a fresh copy.
COPIES_SHA256 = {
    "data/reference/kommuner.csv": "df85fb7f06440c9995bb1232e099eea5029602c17536c43697e89f6a71b65452",
    "data/reference/behovsindeks_sektor.csv": "d35befece11ac8d09448b23c28f85f6afdcd2ab62e52145f1198631e623bfcee",
    "data/reference/kodeendringer.json": "909242e5eb816a590be6ed335b131b4909419a063e8b1df41765599634e1d48a",
    "data/kostra/kommuner.csv": "e1fe12d4767c741bcdf6cfee63ea0efec1e2f97d95e2b0ac04f5927dfe334a5a",
    "data/kostra/aggregater.csv": "042cd20649144d05828d32f002b46aa76da2e77ae6518acf9145887f0aded45a",
    "data/kostra/soer_varanger_5605_2015_2025.csv": "c3d18e9a8082070b1b7f857b4f77d8fb48bf4d49f97b789a4aebec5ac6134df2",
    "data/aga/aga_satser_2024.csv": "14954910d8bffeb753ca360e1d78fc8da7e802ae2b79136c8645f7b938f9936c",
    "data/aga/aga_soner_2024.csv": "f65795e94e1a860eef9aec3d4cbc0c10366bac664194215a2476ee1916b14ba7",
    "data/aga/aga_soner_2024_deler.csv": "eb59ba40342bcec21ff6dfbdd1786080af9b1fbb59237d9bcf1627498c0bae92",
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
    # The contract's columns first, in its order; columns we add come after them.
    assert found[: len(TABLES[table])] == list(TABLES[table].items())
    assert dict(found) == ALL_TABLES[table]


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


def test_the_default_build_flags_what_is_real_and_what_is_demo(demo_db):
    def status(tabell, maal):
        return query(
            demo_db,
            "SELECT status, er_demodata, kreditering FROM datakilde "
            "WHERE tabell=? AND maal=? AND aar=2024",
            [tabell, maal],
        )

    assert status("befolkning", "innbyggere") == [("ekte", False, "Kilde: SSB (befolkning)")]
    assert status("finans", "netto_lanegjeld_pst") == [("ekte", False, "Kilde: SSB (KOSTRA)")]
    assert status("finans", "disposisjonsfond_pst") == [("demo", True, "demodata")]
    assert status("indikatorverdi", "grunnskolepoeng") == [("demo", True, "demodata")]
    # Real expenditure less an estimated employer's tax: an estimate, not demo data.
    assert status("kostnad", "grunnskole")[0][:2] == ("estimat", False)
    # An index with any demo input is demo.
    assert status("indeks", "kommuneindeks:alle")[0][:2] == ("demo", True)
    assert status("indeks", "kostnad:alle")[0][:2] == ("estimat", False)


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
    # About 80 quality indicators (results for users) over the 13 services; the explanatory
    # ones (resources, working environment) are stored and askable, but not in the index.
    groups = dict(query(demo_db, "SELECT gruppe, count(*) FROM indikator GROUP BY gruppe"))
    assert 70 <= groups["kvalitet"] <= 90 and groups["forklaring"] >= 15
    services = query(demo_db, "SELECT count(DISTINCT tjeneste) FROM indikator WHERE gruppe='kvalitet'")
    assert services == [(13,)]


def test_population_is_the_end_of_year_figure(demo_db):
    # Oslo had 717 710 inhabitants on 1 January 2024, i.e. at the end of data year 2023.
    assert query(demo_db, "SELECT innbyggere FROM befolkning WHERE kommunenr='0301' AND aar=2023") == [
        (717710,)
    ]


def test_copies_are_unedited_copies_of_the_shared_files():
    for path, digest in COPIES_SHA256.items():
        assert hashlib.sha256((ROOT / path).read_bytes()).hexdigest() == digest, path


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
    target.write_bytes(demo_db.read_bytes())
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    with pytest.raises(DataError) as err:
        build(target, raadata_folder=folder)
    message = str(err.value)
    assert "kvalitetsindikatorer" in message and "stopper kvalitetsindeks" in message
    assert "Kommuneindeksen" in message and "--fyll-inn" in message
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before


def test_fyll_inn_fills_what_the_raw_data_lacks_and_says_so(demo_db, tmp_path):
    rows = query(demo_db, "SELECT * FROM raadata WHERE variabel NOT LIKE 'indikator.%'")
    folder = raadata_folder(tmp_path, rows)
    report = build(tmp_path / "k.duckdb", raadata_folder=folder, fyll_inn=True)
    assert "Demodata: kvalitetsindikatorer" in report
    assert query(
        tmp_path / "k.duckdb",
        "SELECT DISTINCT status FROM datakilde WHERE tabell='indikatorverdi'",
    ) == [("demo",)]


def test_fetched_raw_data_replaces_demo_data(demo_db, tmp_path):
    rows = query(demo_db, "SELECT aar, kommunenr, variabel, verdi, 'SSB tabell 12362' FROM raadata")
    folder = raadata_folder(tmp_path, rows)
    target = tmp_path / "ekte.duckdb"
    report = build(target, raadata_folder=folder)
    assert "KOSTRA-data" in report
    assert query(target, "SELECT bool_or(er_demodata) FROM datakilde") == [(False,)]
    a = query(demo_db, "SELECT rang FROM indeks ORDER BY ALL")
    assert a == query(target, "SELECT rang FROM indeks ORDER BY ALL")
