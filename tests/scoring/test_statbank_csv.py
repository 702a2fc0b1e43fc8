"""scoring.statbank_csv on files shaped like SSB statbank exports, written by the tests."""

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from kommuneindeks.cli_data import data
from scoring.errors import DataError
from scoring.raadata import read_folder
from scoring.statbank_csv import import_folder
from tests.scoring.katalog import REGIONER, VARIABLER

ROOT = Path(__file__).resolve().parents[2]
KOMMUNER = ROOT / "data" / "reference" / "kommuner.csv"
KODEENDRINGER = ROOT / "data" / "reference" / "kodeendringer.json"

KATALOG = """
kommuneliste = {kommuner}
kodeendringer = {kodeendringer}

""" + REGIONER + """
[dimensjonsnavn]
KOKkommuneregion0000 = "region"
Region = "region"
KOKfunksjon0000 = "funksjon"
KOKart0000 = "art"
ContentsCode = "statistikkvariabel"
Tid = "år"
Kjonn = "kjønn"

[etiketter]
Personer1 = ["Personer"]
KOSAGD230000 = ["Netto driftresultat i prosent av brutto driftsinntekter"]
KOSbelop0000 = ["Beløp (1000 kr)"]
AGD2 = ["Netto driftsutgifter"]
FGK7 = ["Barnehage"]

""" + VARIABLER

TITLE_12134 = "12134: Utvalgte nøkkeltall for kommuneregnskap, kommunekonsern, etter region, statistikkvariabel og år"
NDR = "Netto driftresultat i prosent av brutto driftsinntekter"

# Long form with the title line, quoted header and the title as the value column, decimal comma.
FILE_12134 = f""""{TITLE_12134}"

"region";"statistikkvariabel";"år";"{TITLE_12134}"
"EAK Landet";"{NDR}";"2023";1,2
"0301 Oslo - Oslove";"{NDR}";"2023";..
"K-3101 Halden";"{NDR}";"2023";-2,4
"3029 Lørenskog (2020-2023)";"{NDR}";"2023";0,7
"3222 Lørenskog";"{NDR}";"2023";..
"3222 Lørenskog";"{NDR}";"2024";0,2
"4601 Bergen";"{NDR}";"2024";:
"""

# Wide form, years in the headings; Windows-1252 like many statbank downloads.
FILE_07459 = """"07459: Befolkning, etter region, statistikkvariabel og år"
"region";"Personer 2023";"Personer 2024"
"0301 Oslo - Oslove";709037;717710
"5001 Trondheim - Tråante";212660;214565
"""

# Functions as "code label" and as label only, art with and without code, thousands space;
# Windows-1252 too, so the label "Beløp (1000 kr)" only matches when the file is decoded right.
FILE_12362 = """"region";"funksjon";"art";"statistikkvariabel";"år";"value"
"0301 Oslo - Oslove";"232 Helsestasjons- og skolehelsetjeneste";"AGD2 Netto driftsutgifter";"Beløp (1000 kr)";"2024";1 234,5
"0301 Oslo - Oslove";"233 Annet forebyggende helsearbeid";"Netto driftsutgifter";"Beløp (1000 kr)";"2024";100
"0301 Oslo - Oslove";"241 Diagnose, behandling, re-/habilitering";"Netto driftsutgifter";"Beløp (1000 kr)";"2024";-
"0301 Oslo - Oslove";"FGK7 Barnehage";"Netto driftsutgifter";"Beløp (1000 kr)";"2024";5000
"4601 Bergen";"Barnehage";"Netto driftsutgifter";"Beløp (1000 kr)";"2024";..
"4601 Bergen";"Barnehage";"Brutto driftsutgifter på funksjon/tjenesteområde";"Beløp (1000 kr)";"2024";9999
"""


@pytest.fixture
def katalog(tmp_path: Path) -> Path:
    path = tmp_path / "ssb_katalog.toml"
    text = KATALOG.format(
        kommuner=json.dumps(str(KOMMUNER)), kodeendringer=json.dumps(str(KODEENDRINGER))
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "eksport"
    out.mkdir()
    (out / "12134_20260316-101500.csv").write_text(FILE_12134, encoding="utf-8")
    (out / "07459_20260301-090000.csv").write_bytes(FILE_07459.encode("cp1252"))
    (out / "12362.csv").write_bytes(FILE_12362.encode("cp1252"))  # "Beløp" must survive
    return out


def value_of(df: pd.DataFrame, variabel: str, kommunenr: str, aar: int) -> float:
    row = df[(df["variabel"] == variabel) & (df["kommunenr"] == kommunenr) & (df["aar"] == aar)]
    assert len(row) == 1, (variabel, kommunenr, aar)
    return row["verdi"].iloc[0]


def add(folder: Path, name: str, text: str) -> Path:
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_long_export_with_decimal_comma_is_read(folder: Path, katalog: Path):
    df = import_folder(folder, katalog_path=katalog)
    assert value_of(df, "finans.netto_driftsresultat_pst", "3101", 2023) == -2.4
    assert value_of(df, "finans.netto_driftsresultat_pst", "3222", 2024) == 0.2
    assert set(df.loc[df["variabel"] == "finans.netto_driftsresultat_pst", "kilde"]) == {
        "SSB tabell 12134 (statistikkbank-CSV 12134_20260316-101500.csv)"
    }


def test_missing_symbols_are_kept_as_missing_rows(folder: Path, katalog: Path):
    df = import_folder(folder, katalog_path=katalog)
    assert pd.isna(value_of(df, "finans.netto_driftsresultat_pst", "0301", 2023))
    assert pd.isna(value_of(df, "finans.netto_driftsresultat_pst", "4601", 2024))
    assert pd.isna(value_of(df, "netto_driftsutgifter.barnehage", "4601", 2024))


def test_aggregates_are_skipped_and_old_codes_map_to_2024(folder: Path, katalog: Path):
    df = import_folder(folder, katalog_path=katalog)
    assert value_of(df, "finans.netto_driftsresultat_pst", "3222", 2023) == 0.7  # from 3029
    assert not ({"EAK", "3029"} & set(df["kommunenr"]))


def test_wide_export_in_windows_1252_gives_population_at_end_of_year(folder: Path, katalog: Path):
    df = import_folder(folder, katalog_path=katalog)
    assert value_of(df, "innbyggere", "5001", 2023) == 214565  # 1 January 2024
    assert value_of(df, "innbyggere", "0301", 2022) == 709037


def test_functions_are_summed_by_code_or_label_and_scaled_to_kr(folder: Path, katalog: Path):
    df = import_folder(folder, katalog_path=katalog)
    assert value_of(df, "netto_driftsutgifter.helse", "0301", 2024) == (1234.5 + 100 + 0) * 1000
    assert value_of(df, "netto_driftsutgifter.barnehage", "0301", 2024) == 5_000_000


def test_file_without_a_region_column_is_a_data_error_naming_it(folder: Path, katalog: Path):
    add(
        folder,
        "12134_feil.csv",
        f'"kommune";"statistikkvariabel";"år";"verdi"\n"Oslo";"{NDR}";"2024";1,0\n',
    )
    with pytest.raises(DataError, match="12134_feil.csv: mangler kolonnen «region»"):
        import_folder(folder, katalog_path=katalog)


def test_unknown_municipality_code_is_a_data_error_naming_file_and_code(
    folder: Path, katalog: Path
):
    add(
        folder,
        "12134_gammel.csv",
        f'"region";"statistikkvariabel";"år";"v"\n"0101 Halden (-2019)";"{NDR}";"2019";1,0\n',
    )
    with pytest.raises(DataError, match="12134_gammel.csv: ukjente kommunenummer.*0101"):
        import_folder(folder, katalog_path=katalog)


# An export with text only: no codes for region or statistikkvariabel.
FILE_12134_TEXT = f""""region";"statistikkvariabel";"år";"v"
"Landet";"{NDR}";"2023";1,2
"KOSTRA-gruppe 13 Oslo kommune";"{NDR}";"2023";0,5
"Oslo";"{NDR}";"2023";0,5
"Oslo - Oslove";"{NDR}";"2023";2,5
"Halden";"{NDR}";"2024";-1,0
"Halden (2020-2023)";"{NDR}";"2023";-2,4
"Herøy (Nordland)";"{NDR}";"2024";3,0
"Ålesund (2020-2023)";"{NDR}";"2023";1,9
"""


def test_an_export_with_text_only_is_read_by_names(katalog: Path, tmp_path: Path):
    folder = add(tmp_path, "12134_tekst.csv", FILE_12134_TEXT)
    df = import_folder(folder, katalog_path=katalog)
    assert value_of(df, "finans.netto_driftsresultat_pst", "0301", 2023) == 2.5
    assert value_of(df, "finans.netto_driftsresultat_pst", "3101", 2024) == -1.0
    assert value_of(df, "finans.netto_driftsresultat_pst", "3101", 2023) == -2.4  # was 3001
    assert value_of(df, "finans.netto_driftsresultat_pst", "1818", 2024) == 3.0
    # Landet, the KOSTRA group and the county (Oslo) are skipped; old Ålesund is split.
    assert len(df) == 4
    assert any("1507" in w for w in df.attrs["advarsler"])


def test_a_region_name_nobody_knows_is_a_data_error_naming_it(katalog: Path, tmp_path: Path):
    folder = add(
        tmp_path,
        "12134_tekst.csv",
        f'"region";"statistikkvariabel";"år";"v"\n"Osloo";"{NDR}";"2024";1,0\n',
    )
    with pytest.raises(DataError, match="12134_tekst.csv: regionene «Osloo» er verken"):
        import_folder(folder, katalog_path=katalog)


def test_functions_exported_as_text_only_are_recognised_by_their_kostra_names(tmp_path: Path):
    text = """"region";"funksjon";"art";"statistikkvariabel";"år";"v"
"Oslo - Oslove";"Grunnskole";"Netto driftsutgifter";"Beløp (1000 kr)";"2024";100
"Oslo - Oslove";"Skolefritidstilbud";"Netto driftsutgifter";"Beløp (1000 kr)";"2024";10
"Oslo - Oslove";"Skolelokaler";"Netto driftsutgifter";"Beløp (1000 kr)";"2024";20
"Oslo - Oslove";"Skoleskyss";"Netto driftsutgifter";"Beløp (1000 kr)";"2024";1
"""
    folder = add(tmp_path, "12362_tekst.csv", text)
    df = import_folder(folder, katalog_path=ROOT / "data" / "ssb_katalog.toml")
    assert value_of(df, "netto_driftsutgifter.grunnskole", "0301", 2024) == 131_000
    # The file holds no other variable of 12362: a warning says so, naming them.
    assert any("netto_driftsutgifter.helse" in w for w in df.attrs["advarsler"])


def test_unrecognised_function_text_is_a_warning_naming_the_service(tmp_path: Path):
    text = """"region";"funksjon";"art";"statistikkvariabel";"år";"v"
"0301 Oslo - Oslove";"Barnehage";"Netto driftsutgifter";"Beløp (1000 kr)";"2024";100
"0301 Oslo - Oslove";"Grunnskoleundervisning";"Netto driftsutgifter";"Beløp (1000 kr)";"2024";100
"""
    folder = add(tmp_path, "12362_tekst.csv", text)
    df = import_folder(folder, katalog_path=ROOT / "data" / "ssb_katalog.toml")
    assert set(df["variabel"]) == {"netto_driftsutgifter.barnehage"}
    warning = next(w for w in df.attrs["advarsler"] if "netto_driftsutgifter.grunnskole" in w)
    assert "eksporter med kode og tekst" in warning


def test_an_indicator_exported_with_its_label_only_is_imported(tmp_path: Path):
    text = """"region";"statistikkvariabel";"år";"v"
"Oslo - Oslove";"Gjennomsnittlige grunnskolepoeng";"2024";43,1
"Bergen";"Gjennomsnittlige grunnskolepoeng";"2024";42,5
"""
    folder = add(tmp_path, "12255_tekst.csv", text)
    df = import_folder(folder, katalog_path=ROOT / "data" / "ssb_katalog.toml")
    assert value_of(df, "indikator.grunnskolepoeng", "0301", 2024) == 43.1
    assert value_of(df, "indikator.grunnskolepoeng", "4601", 2024) == 42.5


def test_text_in_a_value_cell_is_a_data_error(folder: Path, katalog: Path):
    add(
        folder,
        "12134_tall.csv",
        f'"region";"statistikkvariabel";"år";"v"\n"0301 Oslo";"{NDR}";"2024";mye\n',
    )
    with pytest.raises(DataError, match="12134_tall.csv: ugyldig tall «mye»"):
        import_folder(folder, katalog_path=katalog)


def test_a_table_outside_the_catalogue_is_a_data_error(folder: Path, katalog: Path):
    add(folder, "99999_annet.csv", '"region";"år";"v"\n"0301 Oslo";"2024";1\n')
    with pytest.raises(DataError, match="99999_annet.csv: tabell 99999 er ikke i SSB-katalogen"):
        import_folder(folder, katalog_path=katalog)


def test_a_file_with_no_catalogue_variable_is_a_data_error(folder: Path, katalog: Path):
    add(
        folder,
        "12134_frie.csv",
        '"region";"statistikkvariabel";"år";"v"\n"0301 Oslo";"Frie inntekter per innbygger (kr)";"2024";81240\n',
    )
    with pytest.raises(DataError, match="12134_frie.csv: ingen rader passer"):
        import_folder(folder, katalog_path=katalog)


def test_a_sum_with_a_function_missing_from_the_export_is_a_data_error(
    katalog: Path, tmp_path: Path
):
    partial = "\n".join(
        line for line in FILE_12362.splitlines() if not line.startswith('"0301 Oslo - Oslove";"241')
    )
    folder = add(tmp_path, "12362_delvis.csv", partial + "\n")
    with pytest.raises(DataError, match="12362_delvis.csv: mangler KOKfunksjon0000 241"):
        import_folder(folder, katalog_path=katalog)


def test_an_unselected_dimension_with_several_values_is_a_data_error(katalog: Path, tmp_path: Path):
    text = f'"region";"kjønn";"statistikkvariabel";"år";"v"\n"0301 Oslo";"Menn";"{NDR}";"2024";1\n"0301 Oslo";"Kvinner";"{NDR}";"2024";2\n'
    folder = add(tmp_path, "12134_kjonn.csv", text)
    with pytest.raises(DataError, match="flere rader per kommune og år.*Kjonn"):
        import_folder(folder, katalog_path=katalog)


def test_a_row_with_too_few_fields_is_a_data_error_naming_the_line(katalog: Path, tmp_path: Path):
    folder = add(
        tmp_path,
        "12134_kort.csv",
        f'"region";"statistikkvariabel";"år";"v"\n"0301 Oslo";"{NDR}";"2024"\n',
    )
    with pytest.raises(DataError, match="12134_kort.csv: datarad 1 har 3 felt"):
        import_folder(folder, katalog_path=katalog)


def test_an_empty_folder_is_a_data_error(katalog: Path, tmp_path: Path):
    empty = tmp_path / "tom"
    empty.mkdir()
    with pytest.raises(DataError, match="tom: fant ingen CSV-filer"):
        import_folder(empty, katalog_path=katalog)


def test_cli_import_csv_writes_statbank_csv(folder: Path, katalog: Path, tmp_path: Path):
    out = tmp_path / "raadata"
    result = CliRunner().invoke(
        data, ["import-csv", str(folder), "--out", str(out), "--katalog", str(katalog)]
    )
    assert result.exit_code == 0, result.output
    back = read_folder(out)
    assert (out / "statbank.csv").exists() and len(back) == len(
        import_folder(folder, katalog_path=katalog)
    )


def test_cli_import_csv_with_a_bad_file_fails_and_writes_nothing(
    folder: Path, katalog: Path, tmp_path: Path
):
    add(folder, "12134_feil.csv", '"kommune";"år";"v"\n"Oslo";"2024";1\n')
    out = tmp_path / "raadata"
    result = CliRunner().invoke(
        data, ["import-csv", str(folder), "--out", str(out), "--katalog", str(katalog)]
    )
    assert result.exit_code == 1
    assert "12134_feil.csv" in result.output
    assert not out.exists()
