"""Charts for the answers to query specifications, one per form (`spec.form`): a number with
its averages, a list, a municipality's services, neighbours, a line over years for any
measure, a change, grouped bars per county or group. Several municipalities stand side by
side (yOffset), never stacked. Each chart carries a short Norwegian text alternative."""

from collections.abc import Callable
from functools import cache

import altair as alt
import pandas as pd

from assistant.chart.vega import DATA, filled, vega_spec, with_source
from assistant.katalog import Maal
from assistant.query.execute import Result
from assistant.query.spec import QuerySpec, form
from assistant.text.formatting import antall_kommuner, liste
from assistant.text.kilde import kilde
from assistant.text.tolkning import aar_tekst, kommunenavn, maal_navn, smaa, tjeneste_navn
from assistant.understand.context import Context

__all__ = ["TEMPLATES", "spec_chart", "template"]

BLUE, ORANGE = "#2f6f8f", "#d95f02"
AKSE = {"indeks": "Indeks (1,00 = landsgjennomsnittet)", "prosent": "Prosent", "kr": "Kroner",
        "kr_per_innbygger": "Kroner per innbygger", "innbyggere": "Innbyggere"}  # fmt: skip


def _stolper():
    """One bar per row, in the order of the rows; `valgt` rows stand out."""
    return alt.Chart(DATA).mark_bar().encode(
        y=alt.Y("navn:N", sort=None, title=None),
        x=alt.X("tall:Q", title=alt.Undefined, stack=None),
        color=alt.condition("datum.valgt", alt.value(ORANGE), alt.value(BLUE)),
        tooltip=["navn:N", alt.Tooltip("tall:Q", format=",.2f")],
    )


def _grupper():
    """Bars side by side within each category: never stacked."""
    return alt.Chart(DATA).mark_bar().encode(
        y=alt.Y("navn:N", sort=None, title=None),
        yOffset=alt.YOffset("hvem:N", sort=None),
        x=alt.X("tall:Q", title=alt.Undefined, stack=None),
        color=alt.Color("hvem:N", title=None, sort=None),
        tooltip=["navn:N", "hvem:N", alt.Tooltip("tall:Q", format=",.2f")],
    )


def _linje():
    """A line per series over the years."""
    return alt.Chart(DATA).mark_line(point=True).encode(
        x=alt.X("aar:O", title="Dataår"),
        y=alt.Y("tall:Q", title=alt.Undefined, scale=alt.Scale(zero=False)),
        color=alt.Color("serie:N", title=None),
        tooltip=["serie:N", "aar:O", alt.Tooltip("tall:Q", format=",.2f")],
    )


TEMPLATES = {"stolper": _stolper, "grupper": _grupper, "linje": _linje}


@cache
def template(kind: str) -> dict:
    """The cached Vega-Lite spec of one kind of chart, without data."""
    return vega_spec(TEMPLATES[kind]())


def _akse(m: Maal) -> str:
    return AKSE.get(m.enhet, f"{m.kortnavn[:1].upper()}{m.kortnavn[1:]} ({m.enhet})" if m.enhet else m.kortnavn)


def _line(df: pd.DataFrame, title: str, description: str, m: Maal | None) -> dict:
    spec = filled(template("linje"), df, title, description)
    spec["encoding"]["y"]["title"] = _akse(m) if m else "Antall"
    return spec


def _maal(row: dict, ctx: Context) -> Maal | None:
    return ctx.katalog.maal.get(row.get("maal") or "")


def _numbers(recs: list[dict], ctx: Context) -> tuple[list[dict], Maal | None]:
    """The rows with a number, of the first measure's unit (one axis, one unit)."""
    first = next((r for r in recs if r.get("verdi") is not None and _maal(r, ctx)), None)
    m = _maal(first, ctx) if first else None
    if m is None or m.enhet == "tekst":
        return [], None
    return [r for r in recs if r.get("verdi") is not None and _maal(r, ctx).enhet == m.enhet], m


def _label(r: dict, ctx: Context) -> str:
    return maal_navn(_maal(r, ctx), r["tjeneste"], ctx)


def verdi_chart(spec: QuerySpec, recs: list[dict], ctx: Context) -> dict | None:
    """The municipalities' values side by side with the KOSTRA group's and the country's average."""
    rows, m = _numbers(recs, ctx)
    if not rows:
        return None
    several = len({r["kommunenr"] for r in rows}) > 1
    data = []
    for r in rows:
        navn = _label(r, ctx)
        data.append({"navn": navn, "hvem": r["kommune"], "tall": r["verdi"]})
        if r.get("gruppesnitt") is not None and not several:
            data.append({"navn": navn, "hvem": f"Snitt i kommunegruppe {r['kostragruppe']}", "tall": r["gruppesnitt"]})
        if r.get("landssnitt") is not None:
            data.append({"navn": navn, "hvem": "Landssnittet", "tall": r["landssnitt"]})
    df = pd.DataFrame(data).drop_duplicates(["navn", "hvem"])
    if len(df) < 2:
        return None  # one bar says no more than the text
    who = liste(list(dict.fromkeys(r["kommune"] for r in rows)))
    what = liste(list(dict.fromkeys(smaa(_label(r, ctx)) for r in rows)))
    aar = aar_tekst(spec, ctx)
    averages = " med snittet i kommunegruppen og landet" if "Landssnittet" in set(df["hvem"]) else ""
    return filled(template("grupper"), df, f"{who}: {what}, {aar}",
                  f"Stolpediagram: {what} for {who} i {aar}, side om side{averages}.", _akse(m))


def liste_chart(spec: QuerySpec, recs: list[dict], ctx: Context, title: str | None = None) -> dict | None:
    rows, m = _numbers(recs, ctx)
    if not rows:
        return None
    chosen = spec.utvalg.naboer_av
    df = pd.DataFrame({"navn": [r["kommune"] for r in rows], "tall": [r["verdi"] for r in rows],
                       "valgt": [r["kommunenr"] == chosen for r in rows]})  # fmt: skip
    what = smaa(_label(rows[0], ctx))
    title = title or f"{what[:1].upper()}{what[1:]}, {aar_tekst(spec, ctx)}"
    mark = f"; {kommunenavn(chosen, ctx)} er oransje" if chosen and df["valgt"].any() else ""
    return filled(template("stolper"), df, title,
                  f"Stolpediagram: {what} for {antall_kommuner(len(df))}, i rekkefølgen i tabellen{mark}.", _akse(m))


def naboer_chart(spec: QuerySpec, recs: list[dict], ctx: Context) -> dict | None:
    own = kommunenavn(spec.utvalg.naboer_av, ctx)
    rows, _ = _numbers(recs, ctx)
    if not rows:
        return None
    what = smaa(_label(rows[0], ctx))
    return liste_chart(spec, recs, ctx, f"{own} og nabokommunene: {what}, {aar_tekst(spec, ctx)}")


def tjenester_chart(spec: QuerySpec, recs: list[dict], ctx: Context) -> dict | None:
    """A municipality's index per service (1,00 is the national average)."""
    rows, m = _numbers(recs, ctx)
    if not rows:
        return None
    names = [f"{(tjeneste_navn(r['tjeneste'], ctx) or 'kommunen samlet').capitalize()} ({smaa(_maal(r, ctx).kortnavn)})"
             for r in rows]  # fmt: skip
    df = pd.DataFrame({"navn": names, "tall": [r["verdi"] for r in rows], "valgt": [False] * len(rows)})
    kommune = rows[0]["kommune"]
    return filled(template("stolper"), df, f"{kommune}: tjenestene, {aar_tekst(spec, ctx)}",
                  f"Stolpediagram over indeksen for {len(rows)} {'tjeneste' if len(rows) == 1 else 'tjenester'} i {kommune} i {aar_tekst(spec, ctx)}; "
                  "1,00 er landsgjennomsnittet, og høyere er bedre.", _akse(m))


def utvikling_chart(spec: QuerySpec, recs: list[dict], ctx: Context) -> dict | None:
    """A line over the years for any measure, one per municipality (and measure)."""
    rows, m = _numbers(recs, ctx)
    if not rows:
        return None
    several_measures = len({(r["maal"], r["tjeneste"]) for r in rows}) > 1
    df = pd.DataFrame({
        "serie": [f"{r['kommune']}: {smaa(_label(r, ctx))}" if several_measures else r["kommune"] for r in rows],
        "aar": [r["aar"] for r in rows], "tall": [r["verdi"] for r in rows]})  # fmt: skip
    what = liste(list(dict.fromkeys(smaa(_label(r, ctx)) for r in rows)))
    who = liste(list(dict.fromkeys(r["kommune"] for r in rows)))
    return _line(df, f"{what[:1].upper()}{what[1:]}, {who}, {aar_tekst(spec, ctx)}",
                 f"Linjediagram over {what} for {who}, år for år {aar_tekst(spec, ctx)}.", m)


def endring_chart(spec: QuerySpec, recs: list[dict], ctx: Context) -> dict | None:
    """Named municipalities: the two years side by side; a list: the change per municipality."""
    m = _maal(recs[0], ctx)
    if m is None or m.enhet == "tekst":
        return None
    fra, til = spec.tid.fra_aar, spec.tid.aar
    what = smaa(_label(recs[0], ctx))
    if spec.utvalg.kommuner and not spec.orden:
        data = [{"navn": r["kommune"], "hvem": str(aar), "tall": r[f"verdi_{end}"]}
                for r in recs for aar, end in ((fra, "fra"), (til, "til")) if r[f"verdi_{end}"] is not None]  # fmt: skip
        if not data:
            return None
        return filled(template("grupper"), pd.DataFrame(data), f"{what[:1].upper()}{what[1:]}, {fra} og {til}",
                      f"Stolpediagram: {what} i {fra} og {til}, side om side per kommune.", _akse(m))
    rows = [r for r in recs if r["endring"] is not None]
    if not rows:
        return None
    df = pd.DataFrame({"navn": [r["kommune"] for r in rows], "tall": [r["endring"] for r in rows],
                       "valgt": [False] * len(rows)})  # fmt: skip
    return filled(template("stolper"), df, f"Endring i {what} fra {fra} til {til}",
                  f"Stolpediagram over endringen i {what} fra {fra} til {til} for {len(rows)} kommuner.",
                  f"Endring ({_akse(m).lower()})")


def aggregat_chart(spec: QuerySpec, recs: list[dict], ctx: Context) -> dict | None:
    """An aggregate over several years as a line; a single number needs no chart."""
    if len({r["aar"] for r in recs}) < 2:
        return None
    m = _maal(recs[0], ctx)
    df = pd.DataFrame({"serie": [r["aggregat"] for r in recs], "aar": [r["aar"] for r in recs],
                       "tall": [r["verdi"] for r in recs]}).dropna(subset=["tall"])  # fmt: skip
    what = smaa(_label(recs[0], ctx)) if m else "antall kommuner"
    return _line(df, f"{what[:1].upper()}{what[1:]}, {aar_tekst(spec, ctx)}",
                 f"Linjediagram over {what} år for år, {aar_tekst(spec, ctx)}.", m if recs[0]["aggregat"] not in ("antall", "andel") else None)


def gruppert_chart(spec: QuerySpec, recs: list[dict], ctx: Context) -> dict | None:
    """Grouped results as bars per county, KOSTRA group … (a line for years)."""
    g = spec.gruppering
    rows = [r for r in recs if r["verdi"] is not None]
    if not rows:
        return None
    m = _maal(rows[0], ctx)
    counting = rows[0]["aggregat"] in ("antall", "andel")
    what = "antall kommuner" if rows[0]["aggregat"] == "antall" else "andel kommuner" if counting else smaa(_label(rows[0], ctx))
    if g == "aar":
        df = pd.DataFrame({"serie": [what] * len(rows), "aar": [r["aar"] for r in rows], "tall": [r["verdi"] for r in rows]})
        return _line(df, f"{what[:1].upper()}{what[1:]} per år", f"Linjediagram over {what} per år.", None if counting else m)
    labels = {"kostragruppe": "Kommunegruppe {}", "sentralitet": "Sentralitetsklasse {}"}
    name = (lambda r: (tjeneste_navn(r["tjeneste"], ctx) or "kommunen samlet").capitalize()) if g == "tjeneste" else \
        (lambda r: labels.get(g, "{}").format(r[g]))
    df = pd.DataFrame({"navn": [name(r) for r in rows], "tall": [r["verdi"] for r in rows], "valgt": [False] * len(rows)})
    per = {"kostragruppe": "kommunegruppe", "sentralitet": "sentralitetsklasse", "folketallsgruppe": "folketall"}.get(g, g)
    aar = aar_tekst(spec, ctx)
    title = f"{what[:1].upper()}{what[1:]} per {per}" + (f", {aar}" if aar else "")
    return filled(template("stolper"), df, title,
                  f"Stolpediagram: {what} per {per}{' i ' + aar if aar else ''}, {len(df)} {'gruppe' if len(df) == 1 else 'grupper'}.",
                  "Antall kommuner" if rows[0]["aggregat"] == "antall" else "Prosent" if counting else _akse(m))


CHARTS: dict[str, Callable[[QuerySpec, list[dict], Context], dict | None]] = {
    "verdi": verdi_chart,
    "liste": liste_chart,
    "tjenester": tjenester_chart,
    "naboer": naboer_chart,
    "utvikling": utvikling_chart,
    "endring": endring_chart,
    "aggregat": aggregat_chart,
    "gruppert": gruppert_chart,
}


def spec_chart(spec: QuerySpec, result: Result, ctx: Context) -> dict | None:
    """The chart for a spec's answer, or None (a single number, a register fact, no rows)."""
    recs = result.records()
    if not recs:
        return None
    return with_source(CHARTS[form(spec)](spec, recs, ctx), kilde(spec, ctx).demo)
