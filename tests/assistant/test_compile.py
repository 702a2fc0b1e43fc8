"""Query specifications → SQL: every shape compiled, checked by the validator and run in the
sandbox on the demo database (with neighbours), its rows compared with hand-written SQL."""

import shutil
from dataclasses import replace

import duckdb
import pytest

from assistant.errors import NoDataForYear
from assistant.katalog import complete_katalog, load_katalog
from assistant.query.compile import COLUMNS, compile_spec
from assistant.query.execute import Sandbox
from assistant.query.spec import (
    Kommuneverdi,
    MaalRef,
    QuerySpec,
    Rangvilkaar,
    SpecError,
    Tid,
    Utvalg,
    Vilkaar,
    per_tjeneste,
    tjenesteindekser,
)
from tests.conftest import ROOT

R = MaalRef


@pytest.fixture(scope="module")
def run(spec_sandbox, katalog):
    def run(spec: QuerySpec) -> list[dict]:
        query = compile_spec(spec, katalog)
        columns, rows = spec_sandbox.query(query.sql)  # the validator is the sandbox's front door
        return [dict(zip(columns, r)) for r in rows]

    return run


@pytest.fixture(scope="module")
def sql(spec_sandbox):
    def sql(text: str) -> list[tuple]:
        return [tuple(r) for r in spec_sandbox.query(text)[1]]

    return sql


def approx(values):
    return pytest.approx(values, rel=1e-9, abs=1e-9)


# --- values of named municipalities ----------------------------------------------------------


def test_a_value_for_named_municipalities_is_their_row(run, sql, aar):
    rows = run(QuerySpec((R("innbyggere"),), Tid(aar), Utvalg(kommuner=("5501", "1804"))))
    expected = dict(sql(f"SELECT kommunenr, innbyggere FROM befolkning WHERE aar = {aar} AND kommunenr IN ('5501', '1804')"))
    assert {r["kommunenr"]: r["verdi"] for r in rows} == expected
    assert list(rows[0]) == list(COLUMNS["rader"])


def test_a_plain_value_needs_no_window_function(katalog, aar):
    query = compile_spec(QuerySpec((R("kommuneindeks"),), Tid(aar), Utvalg(kommuner=("5601",))), katalog)
    assert "OVER" not in query.sql and "WITH" not in query.sql


def test_several_measures_of_one_table_are_one_row_each_ranked_in_their_direction(run, sql, aar):
    finans = ("netto_driftsresultat_pst", "netto_lanegjeld_pst", "disposisjonsfond_pst")
    rows = run(QuerySpec(tuple(R(m) for m in finans), Tid(aar), Utvalg(kommuner=("1806",))))
    by_maal = {r["maal"]: r for r in rows}
    values = sql(f"SELECT {', '.join(finans)} FROM finans WHERE aar = {aar} AND kommunenr = '1806'")[0]
    assert [by_maal[m]["verdi"] for m in finans] == list(values)
    for column, order in (("netto_driftsresultat_pst", "DESC"), ("netto_lanegjeld_pst", "ASC")):
        (rang,) = sql(f"""SELECT r FROM (SELECT kommunenr, RANK() OVER (ORDER BY {column} {order}) AS r FROM finans
            WHERE aar = {aar} AND {column} IS NOT NULL) WHERE kommunenr = '1806'""")[0]
        assert by_maal[column]["rang"] == rang


def test_med_snitt_adds_the_national_and_kostra_group_average(run, sql, aar):
    rows = run(QuerySpec((R("grunnskolepoeng"),), Tid(aar), Utvalg(kommuner=("5601",)), med_snitt=True))
    landssnitt, gruppesnitt = sql(f"""
        SELECT avg(v.verdi), avg(v.verdi) FILTER (WHERE k.kostragruppe = (SELECT kostragruppe FROM kommune WHERE kommunenr = '5601'))
        FROM indikatorverdi v JOIN kommune k USING (kommunenr) WHERE v.aar = {aar} AND v.indikator = 'grunnskolepoeng'""")[0]
    assert rows[0]["landssnitt"] == approx(landssnitt)
    assert rows[0]["gruppesnitt"] == approx(gruppesnitt)
    assert list(rows[0]) == [*COLUMNS["rader"], *COLUMNS["med_snitt"]]


def test_an_index_average_is_the_stored_one_point_zero(run, aar):
    rows = run(QuerySpec((R("kvalitetsindeks"),), Tid(aar), Utvalg(kommuner=("5601",)), med_snitt=True))
    assert rows[0]["landssnitt"] == 1.0


def test_a_register_fact_has_no_year(run, katalog, aar):
    query = compile_spec(QuerySpec((R("fylke"),), Tid(aar), Utvalg(kommuner=("5601",))), katalog)
    assert str(aar) not in query.sql
    assert run(QuerySpec((R("fylke"),), Tid(aar), Utvalg(kommuner=("5601",))))[0]["verdi"] == "Finnmark"


# --- lists ------------------------------------------------------------------------------------


def test_best_follows_the_direction_and_highest_the_value(run, sql, aar):
    debt = R("netto_lanegjeld_pst")
    best = run(QuerySpec((debt,), Tid(aar), orden="best", grense=5))
    highest = run(QuerySpec((debt,), Tid(aar), orden="hoyest", grense=5))
    lowest = sql(f"SELECT netto_lanegjeld_pst FROM finans WHERE aar = {aar} ORDER BY 1 ASC NULLS LAST LIMIT 5")
    most = sql(f"SELECT netto_lanegjeld_pst FROM finans WHERE aar = {aar} ORDER BY 1 DESC NULLS LAST LIMIT 5")
    assert [r["verdi"] for r in best] == [v for (v,) in lowest]
    assert [r["verdi"] for r in highest] == [v for (v,) in most]
    assert [r["rang"] for r in best] == [1, 2, 3, 4, 5]


def test_a_rank_range_gives_exactly_those_places(run, sql, aar):
    rows = run(QuerySpec((R("kommuneindeks"),), Tid(aar), vilkaar=(Rangvilkaar(R("kommuneindeks"), 10, 20),), orden="best"))
    expected = sql(f"SELECT kommunenr, rang FROM indeks WHERE aar = {aar} AND tjeneste = 'alle' "
                   "AND indekstype = 'kommuneindeks' AND rang BETWEEN 10 AND 20 ORDER BY rang, kommunenr")  # fmt: skip
    assert sorted((r["kommunenr"], r["rang"]) for r in rows) == sorted(expected)
    assert [r["rang"] for r in rows] == sorted(r["rang"] for r in rows)


def test_a_list_leaves_out_municipalities_without_a_value(run, sql, aar):
    rows = run(QuerySpec((R("ventetid_sykehjem"),), Tid(aar), orden="lavest"))
    (count,) = sql(f"SELECT count(verdi) FROM indikatorverdi WHERE aar = {aar} AND indikator = 'ventetid_sykehjem'")[0]
    assert len(rows) == count and all(r["verdi"] is not None for r in rows)


def test_a_list_within_a_county_and_a_population_band(run, sql, aar):
    spec = QuerySpec((R("kommuneindeks"),), Tid(aar), Utvalg(fylker=("Nordland",), folketall=(5000, 20000)), orden="best")
    rows = run(spec)
    expected = {r[0] for r in sql(f"""SELECT k.kommunenr FROM kommune k JOIN befolkning b USING (kommunenr)
        JOIN indeks i USING (kommunenr) WHERE b.aar = {aar} AND i.aar = {aar} AND i.tjeneste = 'alle'
        AND i.indekstype = 'kommuneindeks' AND i.verdi IS NOT NULL AND k.fylke = 'Nordland'
        AND b.innbyggere >= 5000 AND b.innbyggere < 20000""")}
    assert {r["kommunenr"] for r in rows} == expected
    assert [r["rang"] for r in rows] == sorted(r["rang"] for r in rows)


# --- counts, shares and aggregates -----------------------------------------------------------


COUNTS = [
    (QuerySpec((R("netto_lanegjeld_pst"),), Tid(0), vilkaar=(Vilkaar(R("netto_lanegjeld_pst"), ">", 100),), aggregat="antall"),
     "SELECT count(*) FROM finans WHERE aar = {aar} AND netto_lanegjeld_pst > 100"),
    (QuerySpec((R("kvalitetsindeks"),), Tid(0), vilkaar=(Vilkaar(R("kvalitetsindeks"), "bedre", "landssnitt"),), aggregat="antall"),
     "SELECT count(*) FROM indeks WHERE aar = {aar} AND tjeneste = 'alle' AND indekstype = 'kvalitet' AND verdi > 1"),
    (QuerySpec((R("kostnadsindeks"),), Tid(0), vilkaar=(Vilkaar(R("kostnadsindeks"), "bedre", "landssnitt"),), aggregat="antall"),
     "SELECT count(*) FROM indeks WHERE aar = {aar} AND tjeneste = 'alle' AND indekstype = 'kostnad' AND verdi > 1"),
    (QuerySpec((R("kommuneindeks"),), Tid(0), Utvalg(fylker=("Nordland",)), (Rangvilkaar(R("kommuneindeks"), 1, 50),), aggregat="antall"),
     "SELECT count(*) FROM indeks JOIN kommune USING (kommunenr) WHERE aar = {aar} AND tjeneste = 'alle' "
     "AND indekstype = 'kommuneindeks' AND rang <= 50 AND fylke = 'Nordland'"),
    (QuerySpec((R("kvalitetsindeks"),), Tid(0), vilkaar=(Vilkaar(R("kvalitetsindeks"), "bedre", "gruppesnitt"),), aggregat="antall"),
     "SELECT count(*) FROM (SELECT i.verdi, avg(i.verdi) OVER (PARTITION BY k.kostragruppe) AS g FROM indeks i "
     "JOIN kommune k USING (kommunenr) WHERE aar = {aar} AND tjeneste = 'alle' AND indekstype = 'kvalitet') WHERE verdi > g"),
    (QuerySpec((R("behovskorrigert_kr_per_innbygger"),), Tid(0),
               vilkaar=(Vilkaar(R("behovskorrigert_kr_per_innbygger"), ">", "gruppesnitt"),), aggregat="antall"),
     "SELECT count(*) FROM kostnad WHERE aar = {aar} AND tjeneste = 'alle' AND behovskorrigert_kr_per_innbygger > gruppesnitt_kr_per_innbygger"),
    (QuerySpec((R("netto_driftsresultat_pst"),), Tid(0), vilkaar=(Vilkaar(R("netto_driftsresultat_pst"), "<", 0),), aggregat="andel"),
     "SELECT round(100.0 * count(*) FILTER (WHERE netto_driftsresultat_pst < 0) / count(netto_driftsresultat_pst), 1) "
     "FROM finans WHERE aar = {aar}"),
    (QuerySpec((R("innbyggere"),), Tid(0), Utvalg(sentralitet=(6,)), (Vilkaar(R("innbyggere"), "<", 1000),), aggregat="antall"),
     "SELECT count(*) FROM befolkning JOIN kommune USING (kommunenr) WHERE aar = {aar} AND innbyggere < 1000 AND sentralitet = 6"),
    (QuerySpec((), Tid(0), Utvalg(kostragrupper=(8,)), aggregat="antall"),
     "SELECT count(*) FROM kommune WHERE kostragruppe = 8"),
    (QuerySpec((R("netto_lanegjeld_pst"),), Tid(0), Utvalg(fylker=("Nordland",)),
               (Vilkaar(R("kommuneindeks"), "bedre", "landssnitt"),), aggregat="snitt"),
     "SELECT avg(netto_lanegjeld_pst) FROM finans JOIN kommune USING (kommunenr) WHERE aar = {aar} AND fylke = 'Nordland' "
     "AND kommunenr IN (SELECT kommunenr FROM indeks WHERE aar = {aar} AND tjeneste = 'alle' AND indekstype = 'kommuneindeks' AND verdi > 1)"),
]  # fmt: skip


@pytest.mark.parametrize(("spec", "reference"), COUNTS, ids=[r[:60] for _, r in COUNTS])
def test_counts_shares_and_conditions_match_hand_written_sql(spec, reference, run, sql, aar):
    rows = run(replace(spec, tid=Tid(aar)))
    assert rows[0]["verdi"] == approx(sql(reference.format(aar=aar))[0][0])


def test_a_share_says_how_many_of_how_many(run, sql, aar):
    spec = QuerySpec((R("disposisjonsfond_pst"),), Tid(aar), vilkaar=(Vilkaar(R("disposisjonsfond_pst"), ">", 10),), aggregat="andel")
    row = run(spec)[0]
    hits, of = sql(f"SELECT count(*) FILTER (WHERE disposisjonsfond_pst > 10), count(disposisjonsfond_pst) FROM finans WHERE aar = {aar}")[0]
    assert (row["antall"], row["av"]) == (hits, of)
    assert row["verdi"] == round(100 * hits / of, 1)


@pytest.mark.parametrize(("aggregat", "function"), [("sum", "sum"), ("snitt", "avg"), ("median", "median"), ("min", "min"), ("maks", "max")])
def test_aggregates_over_a_county(aggregat, function, run, sql, aar):
    spec = QuerySpec((R("innsparingspotensial_kr", "pleie_og_omsorg"),), Tid(aar), Utvalg(fylker=("Troms",)), aggregat=aggregat)
    row = run(spec)[0]
    (expected,) = sql(f"SELECT {function}(innsparingspotensial_kr) FROM kostnad JOIN kommune USING (kommunenr) "
                      f"WHERE aar = {aar} AND tjeneste = 'pleie_og_omsorg' AND fylke = 'Troms'")[0]  # fmt: skip
    assert row["verdi"] == approx(expected)
    assert list(row) == list(COLUMNS["aggregat"])


def test_two_aggregates_are_two_rows(run, aar):
    rows = run(QuerySpec((R("netto_lanegjeld_pst"),), Tid(aar), Utvalg(kostragrupper=(15,)), aggregat=("min", "maks")))
    assert [r["aggregat"] for r in rows] == ["min", "maks"] and rows[0]["verdi"] <= rows[1]["verdi"]


# --- grouping ----------------------------------------------------------------------------------


@pytest.mark.parametrize("gruppering", ["fylke", "kostragruppe", "sentralitet"])
def test_grouping_by_a_register_dimension(gruppering, run, sql, aar):
    rows = run(QuerySpec((R("kvalitetsindeks"),), Tid(aar), aggregat="snitt", gruppering=gruppering))
    expected = dict(sql(f"SELECT k.{gruppering}, avg(i.verdi) FROM indeks i JOIN kommune k USING (kommunenr) WHERE i.aar = {aar} "
                        f"AND i.tjeneste = 'alle' AND i.indekstype = 'kvalitet' GROUP BY 1"))  # fmt: skip
    assert {r[gruppering]: r["verdi"] for r in rows} == approx(expected)
    assert list(rows[0])[:2] == [gruppering, "aar"]


def test_grouping_by_population_band(run, sql, aar, katalog):
    rows = run(QuerySpec((), Tid(aar), aggregat="antall", gruppering="folketallsgruppe"))
    labels = katalog.dimensjoner["folketallsgruppe"].band_labels()
    counts = sql(f"""SELECT count(*) FILTER (WHERE innbyggere < 5000), count(*) FILTER (WHERE innbyggere >= 5000 AND innbyggere < 20000),
        count(*) FILTER (WHERE innbyggere >= 20000 AND innbyggere < 50000), count(*) FILTER (WHERE innbyggere >= 50000)
        FROM befolkning WHERE aar = {aar}""")[0]
    assert [(r["folketallsgruppe"], r["verdi"]) for r in rows] == list(zip(labels, counts))


def test_the_best_county_follows_the_direction(run, sql, aar):
    rows = run(QuerySpec((R("netto_lanegjeld_pst"),), Tid(aar), aggregat="snitt", gruppering="fylke", orden="best", grense=1))
    (fylke,) = sql(f"SELECT fylke FROM finans JOIN kommune USING (kommunenr) WHERE aar = {aar} GROUP BY fylke "
                   "ORDER BY avg(netto_lanegjeld_pst) ASC LIMIT 1")[0]  # fmt: skip
    assert [r["fylke"] for r in rows] == [fylke]


def test_grouping_by_service_and_by_year(run, sql, aar, katalog):
    by_service = run(QuerySpec(per_tjeneste("kvalitetsindeks", katalog), Tid(aar), aggregat="snitt", gruppering="tjeneste"))
    assert len(by_service) == 13
    years = katalog.finn("netto_lanegjeld_pst").aar
    by_year = run(QuerySpec((R("netto_lanegjeld_pst"),), Tid(years[-1], years[0]), aggregat="snitt", gruppering="aar"))
    expected = sql("SELECT aar, avg(netto_lanegjeld_pst) FROM finans GROUP BY aar ORDER BY aar")
    assert [(r["aar"], r["verdi"]) for r in by_year] == [(a, pytest.approx(v)) for a, v in expected]


# --- time --------------------------------------------------------------------------------------


def test_a_span_is_one_row_per_year(run, katalog):
    years = katalog.finn("netto_driftsresultat_pst").aar
    rows = run(QuerySpec((R("netto_driftsresultat_pst"),), Tid(years[-1], years[0]), Utvalg(kommuner=("1804",))))
    assert [r["aar"] for r in rows] == list(years)


def test_a_change_is_one_row_with_both_years(run, sql, katalog):
    years = katalog.finn("kommuneindeks").aar
    fra, til = years[0], years[-1]
    row = run(QuerySpec((R("kommuneindeks"),), Tid(til, fra, endring=True), Utvalg(kommuner=("3203",))))[0]
    (v_fra, r_fra), (v_til, r_til) = sql(f"SELECT verdi, rang FROM indeks WHERE kommunenr = '3203' AND tjeneste = 'alle' "
                                         f"AND indekstype = 'kommuneindeks' AND aar IN ({fra}, {til}) ORDER BY aar")  # fmt: skip
    assert (row["verdi_fra"], row["verdi_til"], row["rang_fra"], row["rang_til"]) == (v_fra, v_til, r_fra, r_til)
    assert row["endring"] == approx(v_til - v_fra)
    assert list(row) == list(COLUMNS["endring"])


def test_who_climbed_most_is_ordered_by_places(run, katalog):
    years = katalog.finn("kommuneindeks").aar
    rows = run(QuerySpec((R("kommuneindeks"),), Tid(years[-1], years[0], endring=True), orden="best", grense=5))
    climbs = [r["rang_fra"] - r["rang_til"] for r in rows]
    assert climbs == sorted(climbs, reverse=True) and len(rows) == 5


def test_a_year_without_data_names_the_years_that_have(katalog):
    with pytest.raises(NoDataForYear, match="2015.*2022"):
        compile_spec(QuerySpec((R("netto_lanegjeld_pst"),), Tid(2015)), katalog)


# --- one municipality across services, and neighbours -------------------------------------


def test_its_best_service_is_the_lowest_rank_of_the_service_indices(run, sql, aar, katalog):
    rows = run(QuerySpec(tjenesteindekser(katalog), Tid(aar), Utvalg(kommuner=("5601",)), orden="best", grense=1))
    (best,) = sql(f"""SELECT min(i.rang) FROM indeks i JOIN tjeneste t USING (tjeneste) WHERE i.kommunenr = '5601'
        AND i.aar = {aar} AND i.indekstype = CASE WHEN t.har_kostnad THEN 'effektivitet' ELSE 'kvalitet' END""")[0]
    assert rows[0]["rang"] == best


def test_every_service_once(run, aar, katalog):
    rows = run(QuerySpec(tjenesteindekser(katalog), Tid(aar), Utvalg(kommuner=("1806",))))
    assert sorted(r["tjeneste"] for r in rows) == sorted(r.tjeneste for r in tjenesteindekser(katalog))


def test_neighbours_are_the_nabo_table(run, aar, naboer):
    rows = run(QuerySpec((), Tid(aar), Utvalg(naboer_av="5601")))
    assert {r["kommunenr"] for r in rows} == naboer("5601") and "5546" in naboer("5601")  # Kautokeino
    with_it = run(QuerySpec((R("kommuneindeks"),), Tid(aar), Utvalg(naboer_av="5601", med_kommunen=True)))
    assert {r["kommunenr"] for r in with_it} == {"5601", *naboer("5601")}


def test_a_condition_can_compare_with_one_municipality(run, sql, aar, naboer):
    spec = QuerySpec((R("finansindeks"),), Tid(aar), Utvalg(naboer_av="1804"),
                     (Vilkaar(R("finansindeks"), "bedre", Kommuneverdi("1804")),), aggregat="antall")  # fmt: skip
    (expected,) = sql(f"""SELECT count(*) FROM indeks WHERE aar = {aar} AND tjeneste = 'alle' AND indekstype = 'finans'
        AND kommunenr IN ({", ".join(f"'{n}'" for n in naboer("1804"))})
        AND verdi > (SELECT verdi FROM indeks WHERE aar = {aar} AND tjeneste = 'alle' AND indekstype = 'finans' AND kommunenr = '1804')""")[0]
    assert run(spec)[0]["verdi"] == expected


def test_neighbours_need_the_nabo_table(demo_db, sql_settings, aar, tmp_path):
    path = tmp_path / "uten_nabo.duckdb"
    shutil.copy(demo_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("DROP TABLE IF EXISTS nabo")
    with Sandbox(path, sql_settings) as box:
        katalog = complete_katalog(load_katalog(), box.query)
    with pytest.raises(SpecError, match="nabokommuner"):
        compile_spec(QuerySpec((), Tid(aar), Utvalg(naboer_av="5601")), katalog)


# --- what the catalogue cannot give ------------------------------------------------------------


REFUSED = [
    (QuerySpec((R("innbyggere"),), Tid(0), orden="best"), "«Best» og «verst» gir ikke mening for folketall"),
    (QuerySpec((R("netto_lanegjeld_pst", "grunnskole"),), Tid(0)), "Netto lånegjeld finnes ikke for grunnskole"),
    (QuerySpec((R("kostnadsindeks", "kultur"),), Tid(0)), "Kostnadsindeksen finnes ikke for kultur"),
    (QuerySpec((R("innbyggere"), R("kommuneindeks")), Tid(0)), "ulike tabeller"),
    (QuerySpec((R("eiendomsskatt"),), Tid(0)), "«eiendomsskatt» finnes ikke"),
    (QuerySpec((R("fylke"),), Tid(0), aggregat="snitt"), "ikke et tall"),
    (QuerySpec((R("netto_lanegjeld_pst"),), Tid(0), aggregat="andel"), "trenger et vilkår"),
    (QuerySpec((R("innbyggere"),), Tid(0), gruppering="fylke"), "gruppering trenger"),
]  # fmt: skip


@pytest.mark.parametrize(("spec", "message"), REFUSED, ids=[m for _, m in REFUSED])
def test_a_spec_the_catalogue_cannot_answer_is_refused_in_norwegian(spec, message, katalog, aar):
    with pytest.raises(SpecError, match=message):
        compile_spec(replace(spec, tid=Tid(aar)), katalog)


# --- adding a measure is one entry in the catalogue file --------------------------------------


NEW_MEASURE = """
[maal.over_gruppesnittet]
navn = "Behovskorrigerte utgifter over gruppesnittet"
gruppe = "kostnad"
tabell = "kostnad"
kolonne = "behovskorrigert_kr_per_innbygger - gruppesnitt_kr_per_innbygger"
tjenester = "kostnadstjenester"
enhet = "kr_per_innbygger"
desimaler = 0
retning = "lav"
synonymer = ["over gruppesnittet"]
"""


def test_adding_a_measure_is_one_entry_in_the_catalogue(tmp_path, spec_sandbox, sql, aar):
    path = tmp_path / "katalog.toml"
    path.write_text((ROOT / "data" / "katalog.toml").read_text(encoding="utf-8") + NEW_MEASURE, encoding="utf-8")
    katalog = complete_katalog(load_katalog(path, ROOT / "data" / "metode.toml"), spec_sandbox.query)
    assert katalog.finn("over_gruppesnittet").aar[-1] == aar
    spec = QuerySpec((R("over_gruppesnittet", "barnehage"),), Tid(aar), Utvalg(fylker=("Finnmark",)), orden="verst", grense=3)
    columns, values = spec_sandbox.query(compile_spec(spec, katalog).sql)
    got = [dict(zip(columns, v)) for v in values]
    expected = sql(f"""SELECT kommunenr, behovskorrigert_kr_per_innbygger - gruppesnitt_kr_per_innbygger AS d
        FROM kostnad JOIN kommune USING (kommunenr) WHERE aar = {aar} AND tjeneste = 'barnehage' AND fylke = 'Finnmark'
        ORDER BY d DESC NULLS LAST LIMIT 3""")
    assert [(r["kommunenr"], r["verdi"]) for r in got] == [(k, pytest.approx(d)) for k, d in expected]
