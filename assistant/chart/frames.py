"""Charts for the answers to frames (the question kinds of understand/frame.py), chosen by the
kind of answer and built in code with Altair. Never model code. Every chart speaks Norwegian
(`vega.py`: number formats, display names, wrapped labels) and names its year as the answer's
text does (`i_aar`)."""

from functools import cache

import altair as alt
import pandas as pd

from assistant.chart.vega import (
    DATA,
    LABEL_LINES,
    filled,
    line_step,
    title,
    vega_spec,
    with_source,
    wrap,
)
from assistant.query.execute import Result
from assistant.text.formatting import stor_forbokstav
from assistant.text.phrases import FINANSNAVN, INDEKSNAVN, i_aar, list_measure
from assistant.understand.context import Context
from assistant.understand.frame import Frame
from scoring.contract import ALLE

WRAPPED = alt.Axis(labelExpr=LABEL_LINES)  # labels wrapped by `wrap`, shown on their lines
MILLION = 1e6  # kroner from here on are shown in millions
INDEKSER = [stor_forbokstav(n) for n in INDEKSNAVN.values()]


@cache
def template(kind: str) -> dict:
    """The cached Vega-Lite spec of one kind of chart, without data."""
    return vega_spec(TEMPLATES[kind]())


def _rang(several: bool):
    offset = {"yOffset": alt.YOffset("kommune:N")} if several else {}
    color = alt.Color("kommune:N", title="Kommune") if several else alt.value("#2f6f8f")
    base = alt.Chart(DATA)
    bars = base.mark_bar().encode(
        y=alt.Y("indeks:N", title=None, sort=INDEKSER),
        x=alt.X("verdi:Q", title="Indeks (1,00 = landsgjennomsnittet)", scale=alt.Scale(zero=False)),
        color=color,
        tooltip=["kommune:N", "indeks:N", alt.Tooltip("verdi:Q", format=".2f"), "rang:Q", "antall:Q"],
        **offset,
    )
    ticks = base.mark_tick(color="#d95f02", thickness=3, size=18).encode(
        y=alt.Y("indeks:N", sort=INDEKSER), x="gruppesnitt:Q", **offset
    )
    rule = alt.Chart(alt.Data(values=[{"x": 1.0}])).mark_rule(strokeDash=[4, 4]).encode(x="x:Q")
    return bars + ticks + rule


def _utvikling():
    return alt.Chart(DATA).mark_line(point=True).encode(
        x=alt.X("aar:O", title="Dataår", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("rang:Q", title="Plass (1 er best)", scale=alt.Scale(reverse=True)),
        color=alt.Color("indeks:N", title="Indeks"),
        strokeDash=alt.StrokeDash("kommune:N", title="Kommune"),
        tooltip=["kommune:N", "indeks:N", "aar:O", "rang:Q", "antall:Q"],
    )


def _liste():
    return alt.Chart(DATA).mark_bar(color="#2f6f8f").encode(
        y=alt.Y("kommune:N", sort=None, title=None),
        x=alt.X("verdi:Q", title=alt.Undefined),
        tooltip=["kommune:N", alt.Tooltip("verdi:Q", format=",.2f")],
    )


def _innsparing():
    return alt.Chart(DATA).mark_bar().encode(
        y=alt.Y("tjeneste:N", sort="-x", title=None, axis=WRAPPED),
        x=alt.X("mill_kr:Q", title="Innsparingspotensial (mill. kr)"),
        color=alt.condition("datum.mill_kr > 0", alt.value("#d95f02"), alt.value("#1b9e77")),
        tooltip=["kommune:N", "tjeneste:N", alt.Tooltip("mill_kr:Q", format=".1f")],
    )


def _grouped(value_title: str):
    """Bars side by side (yOffset), one per municipality or average, never stacked."""
    return alt.Chart(DATA).mark_bar().encode(
        y=alt.Y("etikett:N", title=None, axis=WRAPPED),
        yOffset="hvem:N",
        x=alt.X("tall:Q", title=value_title, stack=None),
        color=alt.Color("hvem:N", title=None),
        tooltip=["kommune:N", "navn:N", "hvem:N", alt.Tooltip("tall:Q", format=",.2f")],
    )


def _finans():
    return alt.Chart(DATA).mark_line(point=True).encode(
        x=alt.X("aar:O", title="Dataår", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("prosent:Q", title="% av brutto driftsinntekter"),
        color=alt.Color("noekkeltall:N", title="Nøkkeltall"),
        strokeDash=alt.StrokeDash("kommune:N", title="Kommune"),
        tooltip=["kommune:N", "aar:O", "noekkeltall:N", alt.Tooltip("prosent:Q", format=".1f")],
    )


def _forklaring():
    return alt.Chart(DATA).mark_bar().encode(
        y=alt.Y("etikett:N", sort="-x", title=None, axis=WRAPPED),
        x=alt.X("skaar:Q", title="Standardavvik fra landssnittet (høyere er bedre)"),
        color=alt.condition("datum.skaar > 0", alt.value("#1b9e77"), alt.value("#d95f02")),
        tooltip=["navn:N", alt.Tooltip("verdi:Q", format=".2f"), alt.Tooltip("landssnitt:Q", format=".2f")],
    )


def _hva_om():
    """Rank before and after a what-if, one line per index (a dumbbell); 1 is best."""
    base = alt.Chart(DATA).encode(
        y=alt.Y("etikett:N", sort=None, title=None, axis=WRAPPED),
        x=alt.X("rang:Q", title="Plass (1 er best)", scale=alt.Scale(reverse=True)),
    )
    line = base.mark_line(color="#999999").encode(detail="etikett:N")
    points = base.mark_point(filled=True, size=120).encode(
        color=alt.Color("hvem:N", title=None, sort=["Før", "Etter"],
                        scale=alt.Scale(range=["#999999", "#2f6f8f"])),
        tooltip=["navn:N", "hvem:N", "rang:Q", "antall:Q"],
    )
    return line + points


def _spredning():
    base = alt.Chart(DATA)
    points = base.mark_circle(size=60).encode(
        x=alt.X("kostnad:Q", title="Kostnadsindeks (høyere = billigere)", scale=alt.Scale(zero=False)),
        y=alt.Y("kvalitet:Q", title="Kvalitetsindeks", scale=alt.Scale(zero=False)),
        color=alt.Color("hvem:N", title=None,
                        scale=alt.Scale(domain=["Kommunen", "Kommunegruppen", "Andre kommuner"],
                                        range=["#d95f02", "#2f6f8f", "#c8c8c8"])),
        order=alt.Order("lag:Q"),
        tooltip=["kommune:N", alt.Tooltip("kostnad:Q", format=".2f"), alt.Tooltip("kvalitet:Q", format=".2f")],
    )
    label = base.transform_filter("datum.hvem == 'Kommunen'").mark_text(
        align="left", dx=8, fontWeight="bold").encode(x="kostnad:Q", y="kvalitet:Q", text="kommune:N")
    one_x = alt.Chart(alt.Data(values=[{"v": 1.0}])).mark_rule(strokeDash=[4, 4]).encode(x="v:Q")
    one_y = alt.Chart(alt.Data(values=[{"v": 1.0}])).mark_rule(strokeDash=[4, 4]).encode(y="v:Q")
    return points + label + one_x + one_y


def _gruppe():
    return alt.Chart(DATA).mark_bar().encode(
        y=alt.Y("kommune:N", sort=None, title=None),
        x=alt.X("verdi:Q", title="Indeks (1,00 = landsgjennomsnittet)", scale=alt.Scale(zero=False)),
        color=alt.condition("datum.valgt", alt.value("#d95f02"), alt.value("#2f6f8f")),
        tooltip=["kommune:N", alt.Tooltip("verdi:Q", format=".2f"), "rang:Q"],
    )


TEMPLATES = {
    "spredning": _spredning,
    "gruppe": _gruppe,
    "rang": lambda: _rang(False),
    "rang_flere": lambda: _rang(True),
    "utvikling": _utvikling,
    "liste": _liste,
    "innsparing": _innsparing,
    "kostnad": lambda: _grouped("Kr per innbygger, behovskorrigert"),
    "indikator": lambda: _grouped("Verdi"),
    "finans": _finans,
    "forklaring": _forklaring,
    "hva_om": _hva_om,
}


def _fill(kind: str, df: pd.DataFrame, heading: str, description: str, x_title: str | None = None) -> dict:
    spec = filled(template(kind), df, heading, description, x_title)
    if "etikett" in df and df["etikett"].str.contains("\n").any():  # room for wrapped labels
        spec["height"] = {"step": line_step(int(df["etikett"].str.count("\n").max()) + 1)}
    return spec


def _frame(result: Result) -> pd.DataFrame:
    df = pd.DataFrame(result.rows, columns=result.columns)
    if "indekstype" in df:
        df["indeks"] = df["indekstype"].map(INDEKSNAVN).map(stor_forbokstav)
    return df


def _labels(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """The frame with `etikett`: the column's labels wrapped for an axis (`navn` keeps them
    whole for the tooltip)."""
    return df.assign(navn=df[column], etikett=df[column].map(wrap))


def spredning_chart(frame: Frame, result: Result, ctx: Context) -> dict | None:
    """Quality against cost for every municipality, the asked one and its group marked."""
    df = _frame(result).dropna(subset=["kostnad", "kvalitet"])
    nr = frame.kommuner[0]
    own = df[df["kommunenr"] == nr]
    if own.empty:
        return None
    gruppe = int(own["kostragruppe"].iloc[0])
    df["hvem"] = "Andre kommuner"
    df.loc[df["kostragruppe"] == gruppe, "hvem"] = "Kommunegruppen"
    df.loc[df["kommunenr"] == nr, "hvem"] = "Kommunen"
    df["lag"] = df["hvem"].map({"Andre kommuner": 0, "Kommunegruppen": 1, "Kommunen": 2})
    navn = ctx.names.get(nr, nr)
    what = "" if frame.tjeneste == ALLE else f" i {ctx.tjenestenavn[frame.tjeneste].lower()}"
    return _fill("spredning", df[["kommune", "kostnad", "kvalitet", "hvem", "lag"]],
                 title(f"Kvalitet mot kostnad{what}", i_aar(frame.aar)),
                 f"Punktdiagram: kvalitetsindeks mot kostnadsindeks for alle kommuner{what} i {frame.aar}; "
                 f"{navn} er oransje, resten av kommunegruppe {gruppe} blå. Øverst til høyre er billig og god.")


def gruppe_chart(frame: Frame, result: Result, ctx: Context) -> dict | None:
    """The asked municipality among the members of its KOSTRA group."""
    df = _frame(result)
    if df.empty:
        return None
    nr = frame.kommuner[0]
    df["valgt"] = df["kommunenr"] == nr
    gruppe = int(df["kostragruppe"].iloc[0])
    navn = ctx.names.get(nr, nr)
    return _fill("gruppe", df[["kommune", "verdi", "rang", "valgt"]],
                 title(f"{navn} i kommunegruppe {gruppe}", i_aar(frame.aar)),
                 f"Stolpediagram over kommunene i kommunegruppe {gruppe}, sortert etter rang; "
                 f"{navn} er oransje.")


def rang_chart(frame: Frame, result: Result) -> dict | None:
    """Index values against 1.00 (national average), with the KOSTRA group's average as a tick."""
    df = _frame(result)
    df = df[df["aar"] == frame.aar].dropna(subset=["verdi"])
    if df.empty:
        return None
    names = ", ".join(df["kommune"].unique())
    kind = "rang_flere" if df["kommune"].nunique() > 1 else "rang"
    cols = ["kommune", "indeks", "verdi", "rang", "antall", "gruppesnitt"]
    return _fill(
        kind, df[cols], title(f"{names}: indeksverdier", i_aar(frame.aar)),
        f"Stolpediagram over indeksverdiene til {names} i {frame.aar}; oransje strek er snittet i "
        "kommunegruppen, stiplet linje er landsgjennomsnittet 1,00.",
    )


def utvikling_chart(frame: Frame, result: Result) -> dict | None:
    df = _frame(result).dropna(subset=["rang"])
    if df.empty:
        return None
    names = ", ".join(df["kommune"].unique())
    return _fill("utvikling", df[["kommune", "indeks", "aar", "rang", "antall"]],
                 f"Utvikling for {names}", f"Linjediagram over plasseringen til {names} per år; lavere er bedre.")


def in_millions(values: pd.Series, label: str) -> tuple[pd.Series, str]:
    """Kroner in millions when they run that high, with the axis title to match.

    >>> in_millions(pd.Series([-4.2e8, 1e6]), "Innsparingspotensial (kr)")[1]
    'Innsparingspotensial (mill. kr)'
    >>> in_millions(pd.Series([64872.0]), "Kr per innbygger")[1]
    'Kr per innbygger'
    """
    if "(kr)" in label and values.abs().max() >= MILLION:
        return values / MILLION, label.replace("(kr)", "(mill. kr)")
    return values, label


def liste_chart(frame: Frame, result: Result, value: str, label: str) -> dict | None:
    df = _frame(result).dropna(subset=[value])
    if df.empty:
        return None
    values, label = in_millions(df[value].astype(float), label)
    data = pd.DataFrame({"kommune": df["kommune"], "verdi": values})
    year = i_aar(frame.aar) if frame.sporsmaal == "liste" else f" i {frame.aar}"
    return _fill("liste", data, title(label, year),
                 f"Stolpediagram: {label.lower()} for {len(df)} kommuner, i rekkefølgen i tabellen.",
                 x_title=label)


def innsparing_chart(result: Result, ctx: Context) -> dict | None:
    df = _frame(result)
    df = df[df["tjeneste"] != ALLE].dropna(subset=["innsparingspotensial_kr"])
    if df.empty:
        return None
    data = pd.DataFrame({"kommune": df["kommune"],
                         "tjeneste": df["tjeneste"].map(lambda t: wrap(ctx.tjenestenavn.get(t, t))),
                         "mill_kr": df["innsparingspotensial_kr"] / MILLION})
    return _fill("innsparing", data, "Innsparingspotensial per tjeneste",
                 "Stolpediagram over innsparingspotensialet per tjeneste i millioner kroner; oransje er over gruppesnittet.")


def _side_by_side(df: pd.DataFrame, label: str, columns: dict[str, str]) -> pd.DataFrame:
    """Long rows (navn, hvem, tall) for grouped bars. With several municipalities each bar is a
    municipality (the averages of their own groups differ, so only the national one is kept),
    so no two bars share a place and nothing is stacked."""
    long = df.melt(id_vars=["kommune", label], value_vars=list(columns), var_name="hvem", value_name="tall")
    own = long["hvem"] == next(iter(columns))
    long["hvem"] = long["hvem"].map(columns)
    if df["kommune"].nunique() > 1:
        long.loc[own, "hvem"] = long.loc[own, "kommune"]
        long = long[own | (long["hvem"] == "Landet")].drop_duplicates([label, "hvem"])
    return _labels(long, label).dropna(subset=["tall"])


def kostnad_chart(result: Result, ctx: Context) -> dict | None:
    df = _frame(result).dropna(subset=["behovskorrigert_kr_per_innbygger"])
    if (df["tjeneste"] != ALLE).any():
        df = df[df["tjeneste"] != ALLE]
    if df.empty:
        return None
    df = df.assign(tjeneste=df["tjeneste"].map({**ctx.tjenestenavn, ALLE: "Alle tjenester"}))
    data = _side_by_side(df, "tjeneste", {"behovskorrigert_kr_per_innbygger": "Kommunen",
                                          "gruppesnitt_kr_per_innbygger": "Snitt i kommunegruppen"})
    return _fill("kostnad", data, "Behovskorrigerte utgifter mot kommunegruppen",
                 "Stolpediagram: kommunens behovskorrigerte utgifter per innbygger mot snittet i kommunegruppen.")


def finans_chart(result: Result) -> dict | None:
    df = _frame(result)
    long = df.melt(id_vars=["kommune", "aar"], value_vars=list(FINANSNAVN), var_name="noekkeltall", value_name="prosent")
    long["noekkeltall"] = long["noekkeltall"].map(lambda m: FINANSNAVN[m].capitalize())
    long = long.dropna(subset=["prosent"])
    if long.empty:
        return None
    return _fill("finans", long, "Økonomiske nøkkeltall",
                 "Linjediagram over netto driftsresultat, netto lånegjeld og disposisjonsfond per år.")


def indikator_chart(result: Result) -> dict | None:
    df = _frame(result).dropna(subset=["verdi"])
    if df.empty:
        return None
    data = _side_by_side(df, "navn", {"verdi": "Kommunen", "gruppesnitt": "Kommunegruppen", "landssnitt": "Landet"})
    return _fill("indikator", data, "Indikator mot snitt",
                 "Stolpediagram: kommunens verdi mot snittet i kommunegruppen og landet.")


def forklaring_chart(frame: Frame, results: list[Result]) -> dict | None:
    df = _frame(results[1]).dropna(subset=["skaar"])
    if df.empty:
        return None
    df = _labels(pd.concat([df.head(5), df.tail(5)]).drop_duplicates("indikator"), "navn")
    return _fill("forklaring", df[["navn", "etikett", "skaar", "verdi", "landssnitt"]],
                 title("Indikatorer som trekker opp og ned", i_aar(frame.aar)),
                 "Stolpediagram over indikatorene som trekker mest opp (grønt) og ned (oransje).")


def hva_om_chart(records: list[dict], tjenestenavn: dict[str, str], title: str) -> dict | None:
    """Ranks before and after a what-if (records with tjeneste, indekstype, rang_for,
    rang_etter, antall), for the indices that have a rank."""
    rows = []
    for r in records:
        where = "Samlet" if r["tjeneste"] == ALLE else tjenestenavn.get(r["tjeneste"], r["tjeneste"])
        navn = "Kommuneindeksen" if r["indekstype"] == "kommuneindeks" else f"{where}: {INDEKSNAVN[r['indekstype']]}"
        for hvem, rang in (("Før", r["rang_for"]), ("Etter", r["rang_etter"])):
            if rang is not None:
                rows.append({"navn": navn, "etikett": wrap(navn), "hvem": hvem, "rang": rang,
                             "antall": r["antall"]})
    if not rows:
        return None
    return _fill("hva_om", pd.DataFrame(rows), title,
                 "Prikkdiagram over plasseringen før (grå) og etter (blå) endringen, per indeks; "
                 "plass 1 er best.")


def chart_for(frame: Frame, results: list[Result], ctx: Context) -> dict | None:
    """The chart that fits the answer, or None; its title says when the numbers are demo data.
    A question that asks for a map gets the map instead (`kart.py`)."""
    return with_source(None if frame.kart else _chart(frame, results, ctx), ctx.er_demodata)


def _chart(frame: Frame, results: list[Result], ctx: Context) -> dict | None:
    s, first = frame.sporsmaal, results[0]
    if not first.rows:
        return None
    if s == "rang" and len(results) > 1:
        extra = results[1]
        chart = (spredning_chart if extra.name == "spredning" else gruppe_chart)(frame, extra, ctx)
        return chart or rang_chart(frame, first)
    if s in ("rang", "sammenlign"):
        return rang_chart(frame, first)
    if s == "utvikling":
        return utvikling_chart(frame, first)
    if s == "forklaring":
        return forklaring_chart(frame, results)
    if frame.kommuner:
        by_kind = {"innsparing": lambda r: innsparing_chart(r, ctx), "kostnad": lambda r: kostnad_chart(r, ctx),
                   "finans": finans_chart, "indikator": indikator_chart}
        return by_kind[s](first) if s in by_kind else None
    measure = list_measure(frame, ctx)
    if measure and measure[0] in first.columns and s != "befolkning":
        return liste_chart(frame, first, *measure)
    return None
