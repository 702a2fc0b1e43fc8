"""The catalogue of measures (data/katalog.toml) and the method texts (data/metode.toml): loaded
and checked with errors that name file and key, and completed from the database."""

import re
import tomllib

import pytest

from assistant.katalog import KatalogError, complete_katalog, load_katalog, parse_katalog
from assistant.query.execute import Sandbox
from scoring.contract import INDEKSTYPER, KOSTNADSTJENESTER, TABLES, TJENESTER
from tests.conftest import ROOT, open_read_only


def test_every_index_type_cost_column_and_finance_ratio_is_a_measure():
    katalog = load_katalog()
    indices = {dict(m.nokkel).get("indekstype") for m in katalog.maal.values() if m.tabell == "indeks"}
    assert indices == set(INDEKSTYPER)
    for table in ("kostnad", "finans"):
        values = set(TABLES[table]) - {"aar", "kommunenr", "tjeneste"}
        assert values <= {m.kolonne for m in katalog.maal.values() if m.tabell == table}, table
    assert {"innbyggere", "fylke", "kostragruppe", "sentralitet"} <= set(katalog.maal)


def test_quality_exists_for_every_service_and_cost_for_the_seven():
    katalog = load_katalog()
    assert set(katalog.finn("kvalitetsindeks").tjenester) == {"alle", *TJENESTER}
    assert set(katalog.finn("kostnadsindeks").tjenester) == {"alle", *KOSTNADSTJENESTER}


def test_register_facts_have_no_year_and_indices_a_national_average_of_one():
    katalog = load_katalog()
    assert not katalog.finn("fylke").har_aar
    assert katalog.finn("kvalitetsindeks").landssnitt == 1.0


def test_completion_makes_every_indicator_a_measure_with_name_unit_and_direction(katalog, spec_sandbox):
    _, rows = spec_sandbox.query("SELECT indikator, navn, enhet, hoyere_er_bedre, tjeneste FROM indikator")
    assert rows
    for key, navn, enhet, hoyere, tjeneste in rows:
        m = katalog.finn(key)
        assert (m.navn, m.enhet, m.tjeneste) == (navn, enhet, tjeneste)
        assert m.retning == ("hoy" if hoyere else "lav")
        assert m.nokkel == (("indikator", key),)
    assert "grunnskolepoeng*" in katalog.finn("grunnskolepoeng").synonymer


def test_completion_gives_each_measure_the_years_it_has_data_for(katalog, spec_sandbox):
    years = tuple(r[0] for r in spec_sandbox.query("SELECT DISTINCT aar FROM indeks ORDER BY aar")[1])
    assert katalog.finn("kommuneindeks").aar == years
    assert katalog.finn("netto_lanegjeld_pst").aar == years
    assert katalog.finn("fylke").aar == ()
    assert katalog.komplett and not load_katalog().komplett


def test_a_dimension_whose_table_the_database_lacks_is_left_out(katalog, demo_db, sql_settings):
    assert "nabo" in katalog.dimensjoner  # the database of `katalog` has neighbours
    with open_read_only(demo_db) as con:
        has_nabo = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'nabo'"
        ).fetchone()[0]
    with Sandbox(demo_db, sql_settings) as box:
        completed = complete_katalog(load_katalog(), box.query)
    assert ("nabo" in completed.dimensjoner) == bool(has_nabo)


def test_the_vocabulary_sections_come_from_the_catalogue(katalog):
    words = katalog.ordliste()
    assert "lånegjeld*" in words["maal"]["netto_lanegjeld_pst"]
    assert "per fylke" in words["dimensjon"]["fylke"]
    assert "kvalitetsindeks*" in words["metode"]["kvalitetsindeks"]


def test_folketall_bands_are_named_from_their_bounds():
    dim = load_katalog().dimensjoner["folketallsgruppe"]
    assert dim.band_labels() == ("under 5 000", "5 000–19 999", "20 000–49 999", "50 000 og over")


MAAL = {"navn": "X", "gruppe": "finans", "tabell": "finans", "kolonne": "netto_lanegjeld_pst",
        "enhet": "prosent", "retning": "lav"}  # fmt: skip

BAD = [
    ({"maal": {"x": {**MAAL, "tabell": "hemmelig"}}}, r"\[maal\.x\] tabell: tabellen «hemmelig» finnes ikke"),
    ({"maal": {"x": {**MAAL, "kolonne": "passord"}}}, r"\[maal\.x\] kolonne: tabellen finans har ingen kolonne «passord»"),
    ({"maal": {"x": {**MAAL, "kolonne": "read_csv('/etc/passwd')"}}}, r"\[maal\.x\] kolonne: .* er ikke tillatt"),
    ({"maal": {"x": {**MAAL, "kolonne": "(SELECT 1)"}}}, r"\[maal\.x\] kolonne: .* er ikke tillatt"),
    ({"maal": {"x": {**MAAL, "retning": "opp"}}}, r"\[maal\.x\] retning: «opp» er ikke ett av hoy, lav, noytral"),
    ({"maal": {"x": {**MAAL, "desimaler": "to"}}}, r"\[maal\.x\] desimaler: ventet heltall"),
    ({"maal": {"x": {**MAAL, "farge": "blå"}}}, r"\[maal\.x\]: ukjent nøkkel «farge»"),
    ({"maal": {"x": {**MAAL, "tjenester": ["alle"]}}}, r"\[maal\.x\] tjenester: tabellen finans har ingen kolonne «tjeneste»"),
    ({"maal": {"x": {**MAAL, "tabell": "kostnad", "kolonne": "kr_per_innbygger"}}}, r"\[maal\.x\]: tabellen kostnad har tjenester"),
    ({"maal": {"x": {**MAAL, "tabell": "kostnad", "kolonne": "kr_per_innbygger", "tjenester": ["skole"]}}},
     r"\[maal\.x\] tjenester: ukjent tjeneste «skole»"),
    ({"maal": {"x": {**MAAL, "nokkel": {"kommune": 1}}}}, r"\[maal\.x\] nokkel: tabellen finans har ingen kolonne «kommune»"),
    ({"maal": {"x": {**MAAL, "synonymer": ["gjeld", ""]}}}, r"\[maal\.x\] synonymer: ventet en liste med fraser"),
    ({"maal": {"x": {**MAAL, "metode": "ukjent"}}}, r"\[maal\.x\] metode: ingen metodetekst «ukjent»"),
    ({"maal": {"x": MAAL}, "ekstra": {}}, r"ukjent nøkkel «ekstra»"),
    ({"dimensjon": {"d": {"navn": "d", "tabell": "kommune", "kolonne": "farge"}}},
     r"\[dimensjon\.d\] kolonne: tabellen kommune har ingen kolonne «farge»"),
    ({"dimensjon": {"d": {"navn": "d", "tabell": "befolkning", "kolonne": "innbyggere", "grenser": [100, 50]}}},
     r"\[dimensjon\.d\] grenser: ventet stigende heltall"),
    ({"familie": {"f": {"gruppe": "indikator", "tabell": "indikatorverdi", "kolonne": "verdi",
                        "nokkel_kolonne": "indikator", "medlemmer": "indikator", "felt": {"navn": "navn"}}}},
     r"\[familie\.f\] felt: mangler «nokkel»"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "message"), BAD, ids=[m for _, m in BAD])
def test_a_wrong_catalogue_entry_is_refused_naming_file_and_key(data, message):
    with pytest.raises(KatalogError, match=r"^k\.toml:? " + message):
        parse_katalog(data, "k.toml", metoder={})


def test_a_file_that_is_not_toml_is_named(tmp_path):
    path = tmp_path / "katalog.toml"
    path.write_text("[maal.x\nnavn = 1", encoding="utf-8")
    with pytest.raises(KatalogError, match=r"katalog\.toml: ugyldig TOML"):
        load_katalog(path, ROOT / "data" / "metode.toml")


def test_every_method_text_links_to_a_heading_of_metode_md():
    headings = re.findall(r"^##? (.+)$", (ROOT / "docs" / "metode.md").read_text(encoding="utf-8"), re.M)
    for metode in load_katalog().metoder.values():
        assert any(h.startswith(metode.avsnitt) for h in headings), metode.key
        assert 2 <= metode.tekst.count(".") <= 8, metode.key


def test_every_measure_method_key_has_a_text():
    with (ROOT / "data" / "katalog.toml").open("rb") as f:
        raw = tomllib.load(f)
    keys = {m["metode"] for m in raw["maal"].values() if "metode" in m}
    assert keys <= set(load_katalog().metoder)
