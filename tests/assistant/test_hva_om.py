"""What-if questions through `Assistant.ask`, checked against a direct recomputation.

The cases are data in hva_om.jsonl: the question, the municipality, and the change the test
applies itself with scoring.hva_om (independently of assistant/hva_om.py) to know the ranks
the answer must give.
"""

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest

from assistant.hva_om.compute import (
    COLUMNS,
    compute_hva_om,
)
from assistant.hva_om.data import load_arsverk
from assistant.query.execute import connect_read_only
from assistant.settings import load_settings
from assistant.understand.frame import Frame
from scoring.config import default_config
from scoring.contract import KOSTNADSTJENESTER
from scoring.hva_om import (
    CostChange,
    IndicatorChange,
    innsparing_kr,
    national_mean,
    recompute,
    recompute_with,
    scaled_costs,
)
from scoring.hva_om_solve import solve_cost_factor
from tests.scoring.test_hva_om import year_tables

AAR = 2024
CASES = [json.loads(line) for line in Path(__file__).with_name("hva_om.jsonl").read_text("utf-8").splitlines()
         if line.strip()]


@pytest.fixture(scope="module")
def direct(demo_db):
    """The year's tables and baseline, read with plain DuckDB (not through the assistant)."""
    tables = year_tables(demo_db, AAR, connect=sandboxed)
    return tables, recompute(tables, default_config())


def sandboxed(path: Path):
    """A read-only connection with the assistant's DuckDB configuration (one per process)."""
    return connect_read_only(Path(path), load_settings().sql)


def _services(change: dict) -> tuple[str, ...]:
    return KOSTNADSTJENESTER if change.get("tjenester") == "alle" else tuple(change["tjenester"])


def expected(case: dict, tables, base):
    """The recomputation the case's change should give, and the kroner it saves."""
    change, k = case["change"], case["kommunenr"]
    cfg = default_config()
    kostnad = base.kostnad
    own = kostnad[kostnad["kommunenr"] == k].set_index("tjeneste")
    innb = float(tables.befolkning.set_index("kommunenr").at[k, "innbyggere"])
    kind = change["type"]
    cost, indicators = [], []
    if kind == "snitt_gruppe":
        cost = [CostChange(k, t, own.at[t, "gruppesnitt_kr_per_innbygger"]) for t in _services(change)]
    elif kind == "snitt_land":
        cost = [CostChange(k, t, national_mean(kostnad, t, cfg.vekter.uteligger_sd)) for t in _services(change)]
    elif kind == "faktor":
        cost = scaled_costs(kostnad, k, _services(change), change["faktor"])
    elif kind in ("kroner", "kr_per_innbygger"):
        (t,) = _services(change)
        per = change["kroner"] / innb if kind == "kroner" else change["kroner"]
        cost = [CostChange(k, t, (own.at[t, "kr_per_innbygger"] + per) / own.at[t, "behovsindeks"])]
    elif kind == "maal":
        target = tuple(change["maal"])
        factor = solve_cost_factor(base, tables, cfg, k, _services(change), target, change["rang"])
        assert factor is not None, "the case should be reachable"
        cost = scaled_costs(kostnad, k, _services(change), factor)
    else:
        v = base.verdier
        old = float(v[(v["kommunenr"] == k) & (v["indikator"] == change["indikator"])]["verdi"].iloc[0])
        new = old + change["tall"] if kind == "indikator_endring" else change["tall"]
        indicators = [IndicatorChange(k, change["indikator"], new)]
    after = recompute_with(base, tables, cfg, cost=cost, indicators=indicators)
    return after, innsparing_kr(base.kostnad, after.kostnad, k)


def rank(indeks, kommunenr: str, tjeneste: str, indekstype: str) -> int | None:
    row = indeks[(indeks["kommunenr"] == kommunenr) & (indeks["tjeneste"] == tjeneste)
                 & (indeks["indekstype"] == indekstype)]
    return None if row.empty or row["rang"].isna().iloc[0] else int(row["rang"].iloc[0])


def records(answer) -> list[dict]:
    return [dict(zip(answer.columns, r)) for r in answer.rows]


@pytest.mark.parametrize("case", CASES, ids=[c["question"][:60] for c in CASES])
def test_a_what_if_gives_the_ranks_of_a_direct_recomputation(assistant, direct, case):
    tables, base = direct
    answer = assistant.ask(case["question"])
    assert answer.status == "ok", answer.text
    assert answer.columns == COLUMNS
    after, _ = expected(case, tables, base)
    k = case["kommunenr"]
    recs = records(answer)
    assert recs and {r["kommunenr"] for r in recs} == {k}
    for r in recs:
        assert r["rang_for"] == rank(base.indeks, k, r["tjeneste"], r["indekstype"]), r
        assert r["rang_etter"] == rank(after.indeks, k, r["tjeneste"], r["indekstype"]), r
        assert r["antall"] is not None and r["antall"] > 300
    total = next(r for r in recs if r["indekstype"] == "kommuneindeks")
    assert assistant.names[k] in answer.text
    assert str(total["rang_for"]) in answer.text and str(total["rang_etter"]) in answer.text
    assert "demodata" in answer.text
    assert answer.chart and answer.chart["datasets"]["rader"]
    _check_direction(case, recs, _cost_moves(base, after, k))


def _cost_moves(base, after, kommunenr: str) -> dict[str, float]:
    """Per service and 'alle': how much the need-adjusted cost moved (negative = cheaper)."""
    def own(r):
        k = r.kostnad[r.kostnad["kommunenr"] == kommunenr]
        return k.set_index("tjeneste")["behovskorrigert_kr_per_innbygger"]

    return (own(after) - own(base)).to_dict()


def _check_direction(case: dict, recs: list[dict], moved: dict[str, float]) -> None:
    """Lower cost → better or equal cost rank; a better indicator → better or equal quality."""
    change = case["change"]
    if "indikator" in change:
        ind = next(i for i in default_config().indikatorer if i.indikator == change["indikator"])
        if change["type"] == "indikator_endring":
            better = (change["tall"] > 0) == ind.hoyere_er_bedre
            row = next(r for r in recs if r["tjeneste"] == ind.tjeneste and r["indekstype"] == "kvalitet")
            assert (row["rang_etter"] <= row["rang_for"]) if better else (row["rang_etter"] >= row["rang_for"])
        return
    for r in recs:
        if r["indekstype"] == "kostnad":
            if moved[r["tjeneste"]] < 0:
                assert r["rang_etter"] <= r["rang_for"], r
            elif moved[r["tjeneste"]] > 0:
                assert r["rang_etter"] >= r["rang_for"], r


def test_spending_like_the_group_saves_the_stored_innsparingspotensial(assistant, demo_db):
    answer = assistant.ask("Hva om pleie og omsorg i Sør-Varanger kostet som snittet i kommunegruppen?")
    result = compute_hva_om(answer.frame, assistant.sandbox, assistant.context())
    with sandboxed(demo_db) as con:
        stored = con.execute(
            "SELECT innsparingspotensial_kr FROM kostnad WHERE aar = 2024 AND kommunenr = '5605' "
            "AND tjeneste = 'pleie_og_omsorg'").fetchone()[0]
    assert result.innsparing_kr == pytest.approx(stored, abs=1.0)
    millions = f"{stored / 1e6:.1f}".replace(".", ",") + " mill. kr"
    assert millions in answer.text and "kommunegruppe 8" in answer.text


def test_the_database_file_is_byte_identical_after_many_what_ifs(assistant, demo_db):
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    files = sorted(p.name for p in demo_db.parent.iterdir())
    for case in CASES[:12]:
        assert assistant.ask(case["question"]).status == "ok"
    assistant.ask("Hva om Vadsø gjorde noe lurt?")
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in demo_db.parent.iterdir()) == files


@pytest.mark.parametrize("question", [
    "Hva om Vadsø gjorde noe lurt?",
    "Hva om pleie og omsorg i Bodø ble annerledes?",
])
def test_an_unreadable_what_if_is_answered_politely_with_examples(assistant, question):
    answer = assistant.ask(question)
    assert answer.status == "refused"
    assert "Jeg skjønte ikke" in answer.text
    assert 2 <= len(answer.suggestions) <= 3
    assert all(s.startswith(("Hva", "Hvor")) for s in answer.suggestions)


def test_a_service_without_cost_cannot_have_its_cost_changed(assistant):
    answer = assistant.ask("Hva om kultur i Bodø kostet 10 % mindre?")
    assert answer.status == "refused"
    assert "bare kvalitetsindeks" in answer.text and answer.suggestions


def test_a_target_out_of_reach_is_said_so_politely(assistant):
    answer = assistant.ask("Hvor mye må pleie og omsorg i Vadsø koste for å komme på topp 10?")
    assert answer.status == "ok"
    assert "når ikke topp 10" in answer.text and "lavere kostnader alene" in answer.text


def _frame(assistant, question: str, kommunenr: str, tjeneste: str) -> Frame:
    return Frame(sporsmaal="hva_om", kommuner=(kommunenr,), tjeneste=tjeneste, aar=AAR,
                 endring=question)


def test_the_savings_potential_is_counted_in_arsverk(assistant):
    question = "Hvor mange årsverk tilsvarer innsparingspotensialet i pleie og omsorg i Sør-Varanger?"
    result = compute_hva_om(_frame(assistant, question, "5605", "pleie_og_omsorg"), assistant.sandbox,
                         assistant.context())
    per = load_arsverk()["pleie_og_omsorg"]
    arsverk = round(result.innsparing_kr / per)
    millions = f"{result.innsparing_kr / 1e6:.1f}".replace(".", ",") + " mill. kr"
    assert arsverk > 0
    assert f"om lag {arsverk} årsverk" in result.text and millions in result.text


def test_arsverk_questions_reach_the_what_if_through_ask(assistant):
    answer = assistant.ask("Hvor mange årsverk tilsvarer innsparingspotensialet i pleie og omsorg i Sør-Varanger?")
    assert answer.status == "ok" and "årsverk" in answer.text


def test_the_app_function_changes_nothing_without_changes(assistant):
    result = assistant.hva_om("5605", AAR, {})
    assert result.innsparing_kr == 0
    assert all(r[COLUMNS.index("rang_for")] == r[COLUMNS.index("rang_etter")] for r in result.rows)
    assert len({(r[2], r[3]) for r in result.rows}) == 7 * 2 + 3


def test_the_app_function_applies_a_percentage_per_service(assistant, direct):
    tables, base = direct
    result = assistant.hva_om("5605", AAR, {"pleie_og_omsorg": -10.0, "helse": 5.0})
    changes = (scaled_costs(base.kostnad, "5605", ("pleie_og_omsorg",), 0.9)
               + scaled_costs(base.kostnad, "5605", ("helse",), 1.05))
    after = recompute_with(base, tables, default_config(), cost=changes)
    assert result.innsparing_kr == pytest.approx(innsparing_kr(base.kostnad, after.kostnad, "5605"))
    recs = [dict(zip(result.columns, r)) for r in result.rows]
    for r in recs:
        assert r["rang_etter"] == rank(after.indeks, "5605", r["tjeneste"], r["indekstype"])
    with pytest.raises(ValueError):
        assistant.hva_om("5605", AAR, {"kultur": -10.0})


def test_arsverk_costs_are_read_and_checked(tmp_path):
    assert set(load_arsverk()) == set(KOSTNADSTJENESTER)
    bad = tmp_path / "arsverk.toml"
    bad.write_text("[grunnskole]\nkr_per_arsverk = 0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="kr_per_arsverk"):
        load_arsverk(bad)


def test_a_what_if_for_another_year_uses_that_year(assistant):
    answer = assistant.ask("Hva om pleie og omsorg i Sør-Varanger kostet som snittet i kommunegruppen i 2023?")
    assert answer.status == "ok" and "i 2023" in answer.text
    assert dataclasses.asdict(answer.frame)["aar"] == 2023


def test_a_what_if_answer_says_how_it_read_the_question(assistant):
    answer = assistant.ask("Hva om pleie og omsorg i Sør-Varanger kostet som snittet i kommunegruppen?")
    assert answer.status == "ok"
    assert answer.tolkning.startswith("Hva om · ") and "pleie og omsorg · Sør-Varanger" in answer.tolkning


def test_a_what_if_on_an_explanatory_indicator_says_why_no_rank_moves(assistant):
    answer = assistant.ask("Hva om andelen barnehagelærere i Bodø økte til 60 prosent?")
    assert answer.status == "ok" and "forklaringsindikator" in answer.text
    assert "flytter ingen plassering" in answer.text
    assert all(r["rang_for"] == r["rang_etter"] for r in map(lambda row: dict(zip(answer.columns, row)), answer.rows))
    quality = assistant.ask("Hva om grunnskolepoengene i Alta økte med 2?")  # in the quality index
    assert quality.status == "ok" and "forklaringsindikator" not in quality.text
