"""Answers to query specifications: the text of each form in the report's voice, numbers in the
catalogue's format, the year(s) always said, a chart per form (side by side, never stacked), the
one-line `tolkning`, and method questions answered from their texts without numbers."""

import re
from dataclasses import replace

import pytest

from assistant.answer import answer_metode, answer_spec
from assistant.query.spec import (
    Kommuneverdi,
    MaalRef,
    QuerySpec,
    Rangvilkaar,
    Tid,
    Utvalg,
    Vilkaar,
    form,
    tjenesteindekser,
)
from assistant.text.formatting import prosent, tall, tall_med_enhet
from assistant.text.phrases import DEMO_NOTE
from assistant.text.tolkning import tolkning
from assistant.understand.context import KILDE_DEMO

R = MaalRef


@pytest.fixture(scope="module")
def ask(spec_sandbox, ctx):
    def ask(spec: QuerySpec):
        return answer_spec(spec, "", spec_sandbox, ctx)

    return ask


@pytest.fixture(scope="module")
def one(spec_sandbox):
    def one(sql: str):
        return spec_sandbox.query(sql)[1][0]

    return one


def bars(chart: dict) -> list[tuple]:
    enc = chart["encoding"]
    keys = [enc["y"]["field"]] + ([enc["yOffset"]["field"]] if "yOffset" in enc else [])
    return [tuple(r[k] for k in keys) for r in chart["datasets"]["rader"]]


def specs(aar: int, katalog) -> dict[str, QuerySpec]:
    """One spec of every form."""
    debt = R("netto_lanegjeld_pst")
    return {
        "verdi": QuerySpec((debt,), Tid(aar), Utvalg(kommuner=("1806",))),
        "liste": QuerySpec((debt,), Tid(aar), Utvalg(fylker=("Nordland",)), orden="hoyest", grense=5),
        "tjenester": QuerySpec(tjenesteindekser(katalog), Tid(aar), Utvalg(kommuner=("1806",))),
        "naboer": QuerySpec((R("kommuneindeks"),), Tid(aar), Utvalg(naboer_av="5601", med_kommunen=True)),
        "utvikling": QuerySpec((R("netto_driftsresultat_pst"),), Tid(aar, aar - 2), Utvalg(kommuner=("1804",))),
        "endring": QuerySpec((R("innbyggere"),), Tid(aar, aar - 2, endring=True), Utvalg(kommuner=("5601",))),
        "aggregat": QuerySpec((R("innsparingspotensial_kr"),), Tid(aar), Utvalg(fylker=("Finnmark",)), aggregat="sum"),
        "gruppert": QuerySpec((R("kvalitetsindeks"),), Tid(aar), aggregat="snitt", gruppering="fylke"),
    }


FORMS = ["verdi", "liste", "tjenester", "naboer", "utvikling", "endring", "aggregat", "gruppert"]


@pytest.mark.parametrize("shape", FORMS)
def test_every_form_says_its_years_and_where_its_numbers_come_from_once(shape, ask, aar, katalog):
    spec = specs(aar, katalog)[shape]
    assert form(spec) == shape
    answer = ask(spec)
    assert answer.status == "ok" and answer.rows and replace(answer.spec, med_snitt=False) == spec
    assert str(aar) in answer.text and str(aar) in answer.tolkning
    demo = answer.kilde == KILDE_DEMO
    assert answer.text.count(DEMO_NOTE.strip()) == (1 if demo else 0)
    assert demo or answer.kilde.startswith("Kilde: ")
    assert answer.sql.startswith(("SELECT", "WITH"))


STATUS = "SELECT bool_or(status = 'demo') FROM datakilde WHERE tabell = '{tabell}' AND maal = '{maal}' AND aar = {aar}"


@pytest.mark.parametrize(
    ("spec", "tabell", "maal"),
    [
        (QuerySpec((R("netto_lanegjeld_pst"),), Tid(0), Utvalg(kommuner=("1806",))), "finans", "netto_lanegjeld_pst"),
        (QuerySpec((R("disposisjonsfond_pst"),), Tid(0), Utvalg(kommuner=("1806",))), "finans", "disposisjonsfond_pst"),
        (QuerySpec((R("kvalitetsindeks", "grunnskole"),), Tid(0), Utvalg(kommuner=("1806",))), "indeks", "kvalitet:grunnskole"),
        (QuerySpec((R("innsparingspotensial_kr"),), Tid(0), aggregat="sum"), "kostnad", "alle"),
        (QuerySpec((R("grunnskolepoeng"),), Tid(0), orden="best", grense=3), "indikatorverdi", "grunnskolepoeng"),
    ],
)
def test_an_answer_is_demo_exactly_when_a_number_it_uses_is(spec, tabell, maal, ask, one, aar):
    answer = ask(replace(spec, tid=Tid(aar)))
    (demo,) = one(STATUS.format(tabell=tabell, maal=maal, aar=aar))
    assert (DEMO_NOTE.strip() in answer.text) == bool(demo)
    assert (answer.kilde == KILDE_DEMO) == bool(demo)
    assert answer.chart is None or ("(demodata)" in answer.chart["title"]) == bool(demo)


def test_a_condition_on_demo_numbers_makes_the_answer_demo(ask, one, aar):
    (lanegjeld_demo,) = one(STATUS.format(tabell="finans", maal="netto_lanegjeld_pst", aar=aar))
    (indeks_demo,) = one(STATUS.format(tabell="indeks", maal="kommuneindeks:alle", aar=aar))
    spec = QuerySpec((R("netto_lanegjeld_pst"),), Tid(aar), vilkaar=(Vilkaar(R("kommuneindeks"), "bedre", "landssnitt"),), aggregat="snitt")
    assert (ask(spec).kilde == KILDE_DEMO) == bool(lanegjeld_demo or indeks_demo)


@pytest.mark.parametrize("shape", [f for f in FORMS if f != "aggregat"])
def test_every_form_but_a_single_number_has_a_chart_with_a_text_alternative(shape, ask, aar, katalog):
    chart = ask(specs(aar, katalog)[shape]).chart
    assert chart["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert chart["description"] and chart["title"]
    assert len(bars(chart)) == len(set(bars(chart))) if shape != "utvikling" else chart["mark"]["type"] == "line"


def test_a_number_comes_with_its_rank_and_averages_in_the_catalogue_format(ask, one, aar):
    answer = ask(QuerySpec((R("netto_lanegjeld_pst"),), Tid(aar), Utvalg(kommuner=("1806",))))
    verdi, landssnitt = one(f"SELECT (SELECT netto_lanegjeld_pst FROM finans WHERE aar = {aar} AND kommunenr = '1806'), "
                            f"avg(netto_lanegjeld_pst) FROM finans WHERE aar = {aar}")  # fmt: skip
    assert f"Netto lånegjeld i Narvik var {prosent(verdi, 1)} i {aar}, nr. " in answer.text
    assert f"Landssnittet er {prosent(landssnitt, 1)}" in answer.text and "kommunegruppe" in answer.text
    hvem = {h for _, h in bars(answer.chart)}
    assert {"Narvik", "Landssnittet"} <= hvem and any(h.startswith("Snitt i kommunegruppe") for h in hvem)


def test_several_municipalities_on_one_measure_side_by_side(ask, aar):
    answer = ask(QuerySpec((R("grunnskolepoeng"),), Tid(aar), Utvalg(kommuner=("5601", "5603", "5607"))))
    assert all(name in answer.text for name in ("Alta", "Hammerfest", "Vadsø"))
    assert "Best av dem er" in answer.text
    assert len(bars(answer.chart)) == len(set(bars(answer.chart)))
    assert answer.chart["encoding"]["x"]["stack"] is None


def test_a_list_names_the_municipalities_in_order_with_their_values(ask, spec_sandbox, aar):
    answer = ask(QuerySpec((R("netto_lanegjeld_pst"),), Tid(aar), Utvalg(fylker=("Nordland",)), orden="hoyest", grense=3))
    _, rows = spec_sandbox.query(f"SELECT k.kommune, f.netto_lanegjeld_pst FROM finans f JOIN kommune k USING (kommunenr) "
                                 f"WHERE aar = {aar} AND fylke = 'Nordland' ORDER BY 2 DESC LIMIT 3")  # fmt: skip
    expected = ", ".join(f"{k} ({prosent(v, 1)})" for k, v in rows[:2]) + f" og {rows[2][0]} ({prosent(rows[2][1], 1)})"
    assert answer.text.startswith(f"De 3 kommunene i Nordland som har høyest netto lånegjeld i {aar}: {expected}.")


def test_one_municipality_across_services_names_its_best_and_worst(ask, aar, katalog, spec_sandbox):
    answer = ask(QuerySpec(tjenesteindekser(katalog), Tid(aar), Utvalg(kommuner=("1806",))))
    best = min((r for r in answer.rows if r[6] is not None), key=lambda r: r[6])
    assert re.search(r"best i [a-zæøå ]+ \(nr\. \d+ av \d+ på (effektivitet|kvalitet)\)", answer.text)
    assert f"nr. {best[6]} av" in answer.text.split("svakest")[0] and "svakest i" in answer.text


def test_neighbours_compared_say_where_the_municipality_stands(ask, aar, naboer):
    answer = ask(QuerySpec((R("kommuneindeks"),), Tid(aar), Utvalg(naboer_av="5601", med_kommunen=True)))
    assert re.search(rf"Alta er nr\. \d+ av {len(naboer('5601')) + 1} blant dem\.", answer.text)
    chosen = [r for r in answer.chart["datasets"]["rader"] if r["valgt"]]
    assert [r["navn"] for r in chosen] == ["Alta"]


def test_the_neighbours_themselves(ask, aar, ctx, naboer):
    answer = ask(QuerySpec((), Tid(aar), Utvalg(naboer_av="5601")))
    names = sorted(ctx.names[n] for n in naboer("5601"))
    assert answer.text.startswith(f"Alta har {len(names)} nabokommuner: {', '.join(names[:-1])} og {names[-1]}.")
    assert answer.tolkning == "Nabokommunene til Alta"


def test_a_development_gives_every_year_and_the_change(ask, spec_sandbox, aar):
    answer = ask(QuerySpec((R("netto_driftsresultat_pst"),), Tid(aar, aar - 2), Utvalg(kommuner=("1804",))))
    _, rows = spec_sandbox.query(f"SELECT aar, netto_driftsresultat_pst FROM finans WHERE kommunenr = '1804' AND aar >= {aar - 2} ORDER BY aar")
    for year, value in rows:
        assert f"{prosent(value, 1)} i {year}" in answer.text
    assert "prosentpoeng" in answer.text
    assert [p["aar"] for p in answer.chart["datasets"]["rader"]] == [y for y, _ in rows]


def test_a_change_between_two_years(ask, one, aar):
    answer = ask(QuerySpec((R("innbyggere"),), Tid(aar, aar - 2, endring=True), Utvalg(kommuner=("5601",))))
    before, after = one(f"SELECT min(innbyggere) FILTER (WHERE aar = {aar - 2}), min(innbyggere) FILTER (WHERE aar = {aar}) "
                        "FROM befolkning WHERE kommunenr = '5601'")  # fmt: skip
    assert f"fra {tall(before, 0)} innbyggere i {aar - 2} til {tall(after, 0)} innbyggere i {aar}" in answer.text


def test_a_count_with_a_condition(ask, one, aar):
    spec = QuerySpec((R("netto_lanegjeld_pst"),), Tid(aar), Utvalg(fylker=("Nordland",)),
                     (Vilkaar(R("netto_lanegjeld_pst"), ">", 100),), aggregat="antall")  # fmt: skip
    answer = ask(spec)
    (n,) = one(f"SELECT count(*) FROM finans JOIN kommune USING (kommunenr) WHERE aar = {aar} AND fylke = 'Nordland' AND netto_lanegjeld_pst > 100")
    assert answer.text.startswith(f"{n} kommuner i Nordland har netto lånegjeld over 100 % i {aar}.")
    assert answer.tolkning == f"Antall kommuner · netto lånegjeld over 100 % · Nordland · {aar}"


def test_a_share_says_how_many_of_how_many(ask, aar):
    spec = QuerySpec((R("netto_driftsresultat_pst"),), Tid(aar), vilkaar=(Vilkaar(R("netto_driftsresultat_pst"), "<", 0),), aggregat="andel")
    assert re.match(rf"\d+,\d % av kommunene \(\d+ av 357\) har negativt netto driftsresultat i {aar}\.", ask(spec).text)


def test_conditions_on_ranks_and_other_municipalities_read_naturally(ask, aar):
    top = QuerySpec((R("kommuneindeks"),), Tid(aar), Utvalg(fylker=("Nordland",)), (Rangvilkaar(R("kommuneindeks"), 1, 50),), aggregat="antall")
    assert re.match(rf"\d+ kommuner? i Nordland er blant de 50 beste på Kommuneindeksen i {aar}\.", ask(top).text)
    better = QuerySpec((R("finansindeks"),), Tid(aar), Utvalg(naboer_av="1804"),
                       (Vilkaar(R("finansindeks"), "bedre", Kommuneverdi("1804")),), aggregat="antall")  # fmt: skip
    assert "har bedre finansindeks enn Bodø" in ask(better).text


def test_a_sum_in_kroner(ask, one, aar):
    answer = ask(QuerySpec((R("innsparingspotensial_kr"),), Tid(aar), Utvalg(fylker=("Finnmark",)), aggregat="sum"))
    (total,) = one(f"SELECT sum(innsparingspotensial_kr) FROM kostnad JOIN kommune USING (kommunenr) "
                   f"WHERE aar = {aar} AND tjeneste = 'alle' AND fylke = 'Finnmark'")  # fmt: skip
    assert f"Samlet innsparingspotensial i Finnmark i {aar} er {tall_med_enhet(total, 'kr', 0)}" in answer.text


def test_a_grouped_result_names_each_group(ask, spec_sandbox, aar):
    answer = ask(QuerySpec((R("kvalitetsindeks"),), Tid(aar), aggregat="snitt", gruppering="sentralitet"))
    assert answer.text.startswith(f"Gjennomsnittlig kvalitetsindeks per sentralitetsklasse i {aar}")
    assert all(f"sentralitetsklasse {s} (" in answer.text for s in range(1, 7))
    assert [r["navn"] for r in answer.chart["datasets"]["rader"]] == [f"Sentralitetsklasse {s}" for s in range(1, 7)]


def test_the_best_group(ask, aar):
    answer = ask(QuerySpec((R("finansindeks"),), Tid(aar), aggregat="snitt", gruppering="fylke", orden="best", grense=1))
    assert re.match(rf"Fylket med best gjennomsnittlig finansindeks i {aar} \(Kommuneindeksen {aar + 1}\) er [A-ZØÆÅ][\w ]+ \(\d,\d\d\)\.", answer.text)


def test_tolkning_restates_the_spec(ctx, aar):
    spec = QuerySpec((R("effektivitetsindeks", "pleie_og_omsorg"),), Tid(aar), Utvalg(kommuner=("5605",)))
    assert tolkning(spec, ctx) == f"Effektivitet · pleie og omsorg · Sør-Varanger · {aar} (Kommuneindeksen {aar + 1})"


@pytest.mark.parametrize("key", ["kommuneindeks", "kostnadsindeks", "kvalitetsindeks", "effektivitetsindeks", "finansindeks",
                                 "innsparingspotensial", "behovsindeks", "kostragruppe", "sentralitet", "kilder",
                                 "indeksverdi", "rang"])  # fmt: skip
def test_a_method_question_is_answered_from_its_text_without_numbers(key, ctx):
    answer = answer_metode(key, "", ctx)
    assert answer.status == "ok" and not answer.rows and answer.sql is None and answer.chart is None
    assert answer.text.endswith(f"«{ctx.katalog.metoder[key].avsnitt}».") and "docs/metode.md" in answer.text
    assert answer.tolkning == f"Metode · {ctx.katalog.metoder[key].tittel}"
