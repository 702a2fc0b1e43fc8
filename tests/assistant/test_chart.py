"""Charts are Vega-Lite built in code, chosen by the kind of answer, each with a description."""

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
