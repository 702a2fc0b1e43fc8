"""Quality indicators from Udir, FHI, Bufdir … through `kommuneindeks data import-indikatorer`."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from kommuneindeks.cli_data import data
from scoring.build import build
from scoring.config import default_config
from scoring.errors import DataError
from scoring.indikatorfil import load_grenser, read_indikatorfil
from scoring.reference import load_kommuner
from tests.conftest import open_read_only

KOMMUNENR = set(load_kommuner()["kommunenr"])

GOOD = """indikator,kommunenr,aar,verdi,kilde
grunnskolepoeng,5605,2024,41.2,Udir
vaksinasjon_mmr,301,2024,96,FHI
mobbing_7,5605,2023,,Udir
"""


def write(tmp_path: Path, text: str, name: str = "udir.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def read(path: Path):
    return read_indikatorfil(path, default_config(), KOMMUNENR)


def test_a_clean_file_becomes_raw_indicator_data(tmp_path):
    df = read(write(tmp_path, GOOD))
    rows = {(v, nr, a): (verdi, kilde) for a, nr, v, verdi, kilde in df.itertuples(index=False)}
    assert rows[("indikator.grunnskolepoeng", "5605", 2024)] == (41.2, "Udir")
    # A leading zero lost in a spreadsheet is put back.
    assert rows[("indikator.vaksinasjon_mmr", "0301", 2024)] == (96.0, "FHI")
    assert len(df) == 3 and df["verdi"].isna().sum() == 1  # an empty value is a missing value


def test_semicolons_and_decimal_commas_are_read(tmp_path):
    text = "indikator;kommunenr;aar;verdi;kilde\ngrunnskolepoeng;5605;2024;41,2;Udir\n"
    df = read(write(tmp_path, text, encoding="cp1252"))
    assert df["verdi"].tolist() == [41.2]


def test_every_problem_is_listed_with_its_line_number(tmp_path):
    text = GOOD + """grunnskolepong,5605,2024,41.2,Udir
vaksinasjon_mmr,0301,2024,960,FHI
mobbing_7,9999,2024,5,Udir
grunnskolepoeng,5605,2024,41.0,Udir
trivsel_7,5605,20x4,4.1,
trivsel_7,5605,2024,mye,Udir
"""
    with pytest.raises(DataError) as err:
        read(write(tmp_path, text))
    message = str(err.value)
    assert "udir.csv: 7 feil, ingenting er importert" in message
    assert "linje 5: ukjent indikator «grunnskolepong» (mente du «grunnskolepoeng»?)" in message
    assert "linje 6: vaksinasjon_mmr = 960 er utenfor 0–100 prosent" in message
    assert "linje 7: «9999» er ikke et kommunenummer i 2024-strukturen" in message
    assert "linje 8: grunnskolepoeng for 5605 i 2024 står også på linje 2" in message
    assert "linje 9: ugyldig år «20x4»" in message and "linje 9: mangler kilde" in message
    assert "linje 10: «mye» er ikke et tall" in message


def test_a_unit_other_than_the_catalogues_is_refused(tmp_path):
    text = "indikator,kommunenr,aar,verdi,kilde,enhet\nventetid_sykehjem,5605,2024,3,Helsedirektoratet,uker\n"
    with pytest.raises(DataError, match="linje 2: ventetid_sykehjem måles i «dager» i katalogen, ikke «uker»"):
        read(write(tmp_path, text))


def test_wrong_columns_are_refused_naming_them(tmp_path):
    with pytest.raises(DataError, match="linje 1 skal ha kolonnene .* mangler kilde"):
        read(write(tmp_path, "indikator,kommunenr,aar,verdi\ngrunnskolepoeng,5605,2024,41\n"))


def test_every_catalogue_unit_has_a_valid_range():
    units = {i.enhet for i in default_config().indikatorer}
    assert units <= set(load_grenser())


def test_cli_writes_nothing_when_the_file_has_errors(tmp_path):
    out = tmp_path / "raadata"
    bad = write(tmp_path, GOOD + "grunnskolepong,5605,2024,41.2,Udir\n")
    result = CliRunner().invoke(data, ["import-indikatorer", str(bad), "--out", str(out)])
    assert result.exit_code == 1 and "linje 5" in result.output
    assert not out.exists()


def test_imported_indicators_are_real_in_the_build(demo_db, tmp_path):
    out = tmp_path / "raadata"
    result = CliRunner().invoke(
        data, ["import-indikatorer", str(write(tmp_path, GOOD)), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "indikatorer_udir.csv").exists()
    build(tmp_path / "k.duckdb", raadata_folder=out, fyll_inn=True)
    with open_read_only(tmp_path / "k.duckdb") as con:
        status = con.execute(
            "SELECT status, kreditering FROM datakilde WHERE tabell='indikatorverdi' "
            "AND maal='grunnskolepoeng' AND aar=2024"
        ).fetchall()
        value = con.execute(
            "SELECT verdi FROM indikatorverdi WHERE kommunenr='5605' AND aar=2024 "
            "AND indikator='grunnskolepoeng'"
        ).fetchall()
    assert status == [("ekte", "Kilde: Udir")] and value == [(41.2,)]
