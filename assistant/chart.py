"""Vega-Lite charts built in code with Altair, chosen by the kind of answer. Never model code.

Each spec carries a one-line `description` for screen readers."""

import altair as alt
import pandas as pd

from assistant.answer import INDEKSNAVN, Result
from assistant.understand import Frame
from scoring.contract import ALLE

WIDTH = 520
FONT = 14


def _finish(chart: alt.Chart, title: str, description: str) -> dict:
    spec = (
        chart.properties(width=WIDTH, title=title, description=description)
        .configure_axis(labelFontSize=FONT, titleFontSize=FONT)
        .configure_title(fontSize=FONT + 2)
        .configure_legend(labelFontSize=FONT, titleFontSize=FONT)
        .to_dict()
    )
    return spec


def _frame(result: Result) -> pd.DataFrame:
    df = pd.DataFrame(result.rows, columns=result.columns)
    if "indekstype" in df:
        df["indeks"] = df["indekstype"].map(INDEKSNAVN)
    return df


def rang_chart(frame: Frame, result: Result) -> dict | None:
    """Index values against 1.00 (national average), with the KOSTRA group's average as a tick."""
    df = _frame(result)
    df = df[df["aar"] == frame.aar].dropna(subset=["verdi"])
    if df.empty:
        return None
    several = df["kommune"].nunique() > 1
    base = alt.Chart(df)
    bars = base.mark_bar().encode(
        y=alt.Y("indeks:N", title=None, sort=list(INDEKSNAVN.values())),
        x=alt.X("verdi:Q", title="Indeks (1,00 = landsgjennomsnittet)", scale=alt.Scale(zero=False)),
        color=alt.Color("kommune:N", title="Kommune") if several else alt.value("#2f6f8f"),
        yOffset="kommune:N" if several else alt.value(0),
        tooltip=["kommune", "indeks", alt.Tooltip("verdi:Q", format=".2f"), "rang", "antall"],
    )
    ticks = base.mark_tick(color="#d95f02", thickness=3, size=18).encode(
        y=alt.Y("indeks:N", sort=list(INDEKSNAVN.values())),
        x="gruppesnitt:Q",
        yOffset="kommune:N" if several else alt.value(0),
    )
    rule = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 4]).encode(x="x:Q")
    names = ", ".join(df["kommune"].unique())
    return _finish(
        bars + ticks + rule,
        f"{names} {frame.aar}: indeksverdier",
        f"Stolpediagram over indeksverdiene til {names} i {frame.aar}; oransje strek er snittet i kommunegruppen, stiplet linje er landsgjennomsnittet 1,00.",
    )


def utvikling_chart(frame: Frame, result: Result) -> dict | None:
    df = _frame(result).dropna(subset=["rang"])
    if df.empty:
        return None
    chart = alt.Chart(df).mark_line(point=True).encode(
        x=alt.X("aar:O", title="Dataår"),
        y=alt.Y("rang:Q", title="Plass (1 er best)", scale=alt.Scale(reverse=True)),
        color=alt.Color("indeks:N", title="Indeks"),
        strokeDash="kommune:N",
        tooltip=["kommune", "indeks", "aar", "rang", "antall"],
    )
    names = ", ".join(df["kommune"].unique())
    return _finish(chart, f"Utvikling for {names}", f"Linjediagram over plasseringen til {names} per år; lavere er bedre.")


def liste_chart(frame: Frame, result: Result, value: str, title: str) -> dict | None:
    df = _frame(result).dropna(subset=[value])
    if df.empty:
        return None
    chart = alt.Chart(df).mark_bar(color="#2f6f8f").encode(
        y=alt.Y("kommune:N", sort=None, title=None),
        x=alt.X(f"{value}:Q", title=title),
        tooltip=[c for c in ("kommune", "rang", value) if c in df],
    )
    return _finish(chart, title, f"Stolpediagram: {title} for {len(df)} kommuner, i rekkefølgen i tabellen.")


def innsparing_chart(frame: Frame, result: Result) -> dict | None:
    df = _frame(result)
    df = df[df["tjeneste"] != ALLE].dropna(subset=["innsparingspotensial_kr"])
    if df.empty:
        return None
    df["mill_kr"] = df["innsparingspotensial_kr"] / 1e6
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y("tjeneste:N", sort="-x", title=None),
        x=alt.X("mill_kr:Q", title="Innsparingspotensial (mill. kr)"),
        color=alt.condition("datum.mill_kr > 0", alt.value("#d95f02"), alt.value("#1b9e77")),
        tooltip=["kommune", "tjeneste", alt.Tooltip("mill_kr:Q", format=".1f")],
    )
    return _finish(chart, "Innsparingspotensial per tjeneste",
                   "Stolpediagram over innsparingspotensialet per tjeneste i millioner kroner; oransje er over gruppesnittet.")


def kostnad_chart(frame: Frame, result: Result) -> dict | None:
    df = _frame(result).dropna(subset=["behovskorrigert_kr_per_innbygger"])
    df = df[df["tjeneste"] != ALLE] if (df["tjeneste"] != ALLE).any() else df
    if df.empty:
        return None
    long = df.melt(id_vars=["kommune", "tjeneste"],
                   value_vars=["behovskorrigert_kr_per_innbygger", "gruppesnitt_kr_per_innbygger"],
                   var_name="maal", value_name="kr")
    long["maal"] = long["maal"].map({"behovskorrigert_kr_per_innbygger": "Kommunen",
                                     "gruppesnitt_kr_per_innbygger": "Snitt i kommunegruppen"})
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y("tjeneste:N", title=None), yOffset="maal:N",
        x=alt.X("kr:Q", title="Kr per innbygger, behovskorrigert"),
        color=alt.Color("maal:N", title=None),
        tooltip=["kommune", "tjeneste", "maal", alt.Tooltip("kr:Q", format=",.0f")],
    )
    return _finish(chart, "Behovskorrigerte utgifter mot kommunegruppen",
                   "Stolpediagram: kommunens behovskorrigerte utgifter per innbygger mot snittet i kommunegruppen.")


def finans_chart(frame: Frame, result: Result) -> dict | None:
    df = _frame(result)
    cols = ["netto_driftsresultat_pst", "netto_lanegjeld_pst", "disposisjonsfond_pst"]
    long = df.melt(id_vars=["kommune", "aar"], value_vars=cols, var_name="noekkeltall", value_name="prosent")
    long = long.dropna(subset=["prosent"])
    if long.empty:
        return None
    chart = alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("aar:O", title="Dataår"), y=alt.Y("prosent:Q", title="% av brutto driftsinntekter"),
        color=alt.Color("noekkeltall:N", title="Nøkkeltall"), strokeDash="kommune:N",
        tooltip=["kommune", "aar", "noekkeltall", alt.Tooltip("prosent:Q", format=".1f")],
    )
    return _finish(chart, "Økonomiske nøkkeltall", "Linjediagram over netto driftsresultat, netto lånegjeld og disposisjonsfond per år.")


def indikator_chart(frame: Frame, result: Result) -> dict | None:
    df = _frame(result).dropna(subset=["verdi"])
    if df.empty:
        return None
    long = df.melt(id_vars=["kommune", "navn"], value_vars=["verdi", "gruppesnitt", "landssnitt"],
                   var_name="hvem", value_name="tall")
    long["hvem"] = long["hvem"].map({"verdi": "Kommunen", "gruppesnitt": "Kommunegruppen", "landssnitt": "Landet"})
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y("navn:N", title=None), yOffset="hvem:N", x=alt.X("tall:Q", title="Verdi"),
        color=alt.Color("hvem:N", title=None), tooltip=["kommune", "navn", "hvem", alt.Tooltip("tall:Q", format=".2f")],
    )
    return _finish(chart, "Indikator mot snitt", "Stolpediagram: kommunens verdi mot snittet i kommunegruppen og landet.")


def forklaring_chart(frame: Frame, results: list[Result]) -> dict | None:
    df = _frame(results[1]).dropna(subset=["skaar"])
    if df.empty:
        return None
    df = pd.concat([df.head(5), df.tail(5)]).drop_duplicates("indikator")
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y("navn:N", sort="-x", title=None),
        x=alt.X("skaar:Q", title="Standardavvik fra landssnittet (høyere er bedre)"),
        color=alt.condition("datum.skaar > 0", alt.value("#1b9e77"), alt.value("#d95f02")),
        tooltip=["navn", alt.Tooltip("verdi:Q", format=".2f"), alt.Tooltip("landssnitt:Q", format=".2f")],
    )
    return _finish(chart, "Indikatorer som trekker opp og ned",
                   "Stolpediagram over indikatorene som trekker mest opp (grønt) og ned (oransje).")


def chart_for(frame: Frame, results: list[Result]) -> dict | None:
    """The chart that fits the answer, or None."""
    s, first = frame.sporsmaal, results[0]
    if not first.rows:
        return None
    if s in ("rang", "sammenlign"):
        return rang_chart(frame, first)
    if s == "utvikling":
        return utvikling_chart(frame, first)
    if s == "liste":
        return liste_chart(frame, first, "verdi", f"{INDEKSNAVN[frame.indekstyper[0]].capitalize()} {frame.aar}")
    if s == "innsparing":
        if frame.kommuner:
            return innsparing_chart(frame, first)
        return liste_chart(frame, first, "innsparingspotensial_kr", "Innsparingspotensial (kr)")
    if s == "kostnad":
        if frame.kommuner:
            return kostnad_chart(frame, first)
        return liste_chart(frame, first, "behovskorrigert_kr_per_innbygger", "Kr per innbygger, behovskorrigert")
    if s == "finans":
        if frame.kommuner:
            return finans_chart(frame, first)
        m = frame.finansmaal[0]
        return liste_chart(frame, first, m, "% av brutto driftsinntekter")
    if s == "indikator":
        if frame.kommuner:
            return indikator_chart(frame, first)
        return liste_chart(frame, first, "verdi", first.rows[0][first.columns.index("navn")])
    if s == "forklaring":
        return forklaring_chart(frame, results)
    return None
