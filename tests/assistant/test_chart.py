"""Charts are Vega-Lite built in code, chosen by the kind of answer, each with a description."""

import re

import pytest


def marks(spec):
    layers = spec.get("layer", [spec])
    return {layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in layers}


@pytest.mark.parametrize(
    ("question", "mark"),
    [
        ("Hvor ligger Sør-Varanger i pleie og omsorg?", "circle"),  # quality against cost
        ("Hvor ligger Drammen på kultur?", "bar"),  # the KOSTRA group
        ("Hvordan har Vadsø utviklet seg de siste tre årene?", "line"),
        ("Topp 5 i kommuneindeksen", "bar"),
        ("Sammenlign Alta og Hammerfest i kommuneindeksen", "bar"),
        ("Hva er innsparingspotensialet for Bodø?", "bar"),
    ],
)
def test_each_kind_of_answer_gets_its_chart(assistant, question, mark):
    spec = assistant.ask(question).chart
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert mark in marks(spec)
    assert spec["description"] and "(demodata)" in spec["title"]


def test_the_asked_municipality_is_marked_in_the_scatter(assistant):
    spec = assistant.ask("Hvor ligger Bodø i barnehage?").chart
    rows = spec["datasets"]["rader"]
    assert len(rows) > 300
    assert [r["kommune"] for r in rows if r["hvem"] == "Kommunen"] == ["Bodø"]


def test_charts_do_not_share_state_between_answers(assistant):
    a = assistant.ask("Hvor ligger Bodø i barnehage?").chart
    b = assistant.ask("Hvor ligger Alta i barnehage?").chart
    marked = [[r["kommune"] for r in s["datasets"]["rader"] if r["hvem"] == "Kommunen"] for s in (a, b)]
    assert marked == [["Bodø"], ["Alta"]]


def _bars(spec: dict) -> list[tuple]:
    """(category, offset) of every bar: two equal ones would be drawn on top of each other."""
    y, offset = spec["encoding"]["y"]["field"], spec["encoding"]["yOffset"]["field"]
    return [(r[y], r[offset]) for r in spec["datasets"]["rader"]]


@pytest.mark.parametrize(
    "question",
    ["Hva er grunnskolepoengene i Alta, Hammerfest og Vadsø?", "Hva er kostnadene per innbygger i Alta, Hammerfest og Vadsø?"],
)
def test_several_municipalities_stand_side_by_side_never_stacked(assistant, question):
    spec = assistant.ask(question).chart
    bars = _bars(spec)
    assert len(bars) == len(set(bars))
    assert spec["encoding"]["x"]["stack"] is None
    assert {"Alta", "Hammerfest", "Vadsø"} <= {hvem for _, hvem in bars}


# --- issue 16: Norwegian charts and maps -------------------------------------------------------

KINDS = [
    "Hvor ligger Sør-Varanger i pleie og omsorg?",
    "Hva er innsparingspotensialet for Bodø?",
    "Hvordan er økonomien i Bodø?",  # finance: key figures over the years
    "Hva bruker Bodø per innbygger på grunnskole?",
    "Hvorfor ligger Tromsø der den ligger i grunnskole?",
    "Hva er grunnskolepoengene i Bodø?",
    "Hvilke ti kommuner har størst innsparingspotensial?",
]
KEY = re.compile(r"^[a-z]+(_[a-z]+)+$")  # pleie_og_omsorg, netto_lanegjeld_pst


def shown_values(spec: dict) -> set[str]:
    """The texts a chart shows on its axes and legends: the values of its nominal fields."""
    fields = set()
    for layer in spec.get("layer", [spec]):
        for channel in ("x", "y", "color", "strokeDash", "yOffset", "shape"):
            enc = layer.get("encoding", {}).get(channel, {})
            if isinstance(enc, dict) and enc.get("type") == "nominal" and "field" in enc:
                fields.add(enc["field"])
    return {str(r[f]) for r in spec["datasets"]["rader"] for f in fields if r.get(f) is not None}


@pytest.mark.parametrize("question", KINDS)
def test_every_chart_speaks_norwegian(assistant, question):
    ans = assistant.ask(question)
    spec = ans.chart
    assert ans.status == "ok" and spec, question
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["number"]["thousands"].isspace()
    keys = {v for v in shown_values(spec) if KEY.match(v)}
    assert not keys, keys  # display names, never keys on an axis or in a legend


def test_long_labels_wrap_and_stay_apart(assistant):
    spec = assistant.ask("Hvorfor ligger Tromsø der den ligger i grunnskole?").chart
    labels = [r["etikett"] for r in spec["datasets"]["rader"]]
    assert all(len(line) <= 26 for label in labels for line in label.split("\n"))
    assert len(set(labels)) == len(labels) and any("\n" in label for label in labels)
    assert spec["encoding"]["y"]["axis"]["labelExpr"].startswith("split(")


def test_large_kroner_are_shown_in_millions(assistant):
    spec = assistant.ask("Hvilke ti kommuner har størst innsparingspotensial?").chart
    assert "mill. kr" in spec["encoding"]["x"]["title"]
    assert max(abs(r["verdi"]) for r in spec["datasets"]["rader"]) < 100_000


@pytest.mark.parametrize(
    "question", ["Hvilke fem kommuner er best styrt?", "Hvor ligger Sør-Varanger i pleie og omsorg?"]
)
def test_text_and_chart_title_say_the_year_the_same_way(assistant, question):
    ans = assistant.ask(question)
    phrase = "2024 (Kommuneindeksen 2025)"
    assert phrase in ans.text and phrase in ans.chart["title"]
    assert "Kommuneindeksen 2024" not in ans.text + ans.chart["title"]


def test_a_map_of_the_kommuneindeks_has_every_municipality_and_its_credit(assistant):
    ans = assistant.ask("Vis kart over kommuneindeksen")
    assert ans.status == "ok" and ans.frame.kart and ans.chart is None
    kart = ans.kart
    assert "geoshape" in marks(kart)
    assert len(kart["datasets"]["rader"]) == len(ans.rows) >= 350  # every municipality ranked
    assert len(kart["datasets"]["kart"]["objects"]["kommuner"]["geometries"]) == 357
    assert kart["usermeta"]["kilde"] == "Kommunegrenser: robhop/fylker-og-kommuner (CC BY 4.0)"
    assert kart["description"] and kart["config"]["locale"]["number"]["decimal"] == ","
    assert ans.text.startswith("Kartet viser") and len(ans.text) < 400


def test_a_list_gets_a_map_beside_its_chart_and_a_single_answer_none(assistant):
    ans = assistant.ask("Hvilke fem kommuner er best styrt?")
    assert ans.chart and ans.kart and len(ans.kart["datasets"]["rader"]) == 5
    assert assistant.ask("Hvor ligger Bodø i barnehage?").kart is None


def test_kiosk_text_size_changes_only_the_configuration(assistant):
    from assistant import sized

    spec = assistant.ask("Hvilke fem kommuner er best styrt?").chart
    big = sized(spec, 20)
    assert big["config"]["axis"]["labelFontSize"] == 20 and spec["config"]["axis"]["labelFontSize"] == 14
    assert big["datasets"] is spec["datasets"]
