"""The kommunerapport's content: one municipality and one year in a few sections, each with
text, a table and a chart, and the municipality on a map of its county.

Built from frames answered exactly as the chat answers them (`answer_frame`), never by asking
questions in Norwegian, so it says what the chat would say and no change in how questions are
read can empty a section. `markdown.py`, `html.py` and `word.py` write it out.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import altair as alt
import pandas as pd

from assistant.answer import Answer, answer_frame
from assistant.chart.kart import kart_chart
from assistant.chart.vega import config
from assistant.chart.vega import title as chart_title
from assistant.errors import UnknownKommune
from assistant.query.build import fill
from assistant.query.execute import Sandbox
from assistant.text.formatting import kroner, liste, stor_forbokstav, tall, verdi_med_enhet
from assistant.text.phrases import (
    DEMO_NOTE,
    INDEKSNAVN,
    aarstekst,
    i_aar,
    sammenlign_gruppe,
    without_demo_note,
)
from assistant.understand.complete import finish
from assistant.understand.context import Context
from assistant.understand.frame import Frame, Sporsmaal
from assistant.understand.numbers import check_year
from scoring.contract import ALLE, INDEKSTYPER, KOSTNADSTJENESTER, TJENESTER

__all__ = ["Rapport", "Section", "kommunerapport"]

N_INDIKATORER = 5  # strongest and weakest indicators shown
TOM = "–"
SAMME = "omtrent samme "
KOLONNE = {"kostnad": "Kostnad", "kvalitet": "Kvalitet", "effektivitet": "Effektivitet"}


@dataclass(frozen=True)
class Section:
    """One part of the report: a heading, a few sentences, a table of text and a chart."""

    title: str
    text: str
    columns: list[str]
    rows: list[list[str]]
    chart: dict | None = None

    @property
    def chart_description(self) -> str:
        """The chart's one-line summary for screen readers ('' without a chart)."""
        return (self.chart or {}).get("description", "")

    @property
    def chart_kilde(self) -> str:
        """The source line a chart carries (a map's outlines), or ''."""
        return (self.chart or {}).get("usermeta", {}).get("kilde", "")


@dataclass(frozen=True)
class Rapport:
    title: str
    intro: str
    kilde: str
    sections: tuple[Section, ...]
    kommunenr: str
    aar: int


def plass(rec: dict | None) -> str:
    """A rank as "46 av 357".

    >>> plass({"rang": 46, "antall": 357}), plass({"rang": None, "antall": 357}), plass(None)
    ('46 av 357', 'ikke rangert', '–')
    """
    if rec is None:
        return TOM
    return f"{rec['rang']} av {rec['antall']}" if rec["rang"] else "ikke rangert"


def endring(first: int | None, last: int | None) -> str:
    """A change in rank in words; a lower rank is better.

    >>> endring(33, 46), endring(46, 33), endring(5, 5), endring(None, 3)
    ('13 plasser ned', '13 plasser opp', 'uendret', '–')
    """
    if not first or not last:
        return TOM
    if first == last:
        return "uendret"
    n = abs(first - last)
    return f"{n} {'plass' if n == 1 else 'plasser'} {'opp' if last < first else 'ned'}"


def mot_gruppen(recs: Iterable[dict]) -> str:
    """Quality and cost against the KOSTRA group's average, in words.

    >>> mot_gruppen([{"indekstype": "kvalitet", "verdi": 1.03, "gruppesnitt": 1.0},
    ...              {"indekstype": "kostnad", "verdi": 1.08, "gruppesnitt": 1.0}])
    'noe bedre kvalitet og klart lavere kostnader enn kommunegruppen'
    >>> mot_gruppen([{"indekstype": "kvalitet", "verdi": 1.0, "gruppesnitt": 1.0},
    ...              {"indekstype": "kostnad", "verdi": 0.9, "gruppesnitt": 1.0}])
    'klart høyere kostnader enn kommunegruppen, og omtrent samme kvalitet'
    >>> mot_gruppen([{"indekstype": "kvalitet", "verdi": 1.0, "gruppesnitt": 1.0}])
    'omtrent samme kvalitet som kommunegruppen'
    """
    order = {"kvalitet": 0, "kostnad": 1}
    parts = [
        sammenlign_gruppe(r["indekstype"], r["verdi"], r["gruppesnitt"])
        for r in sorted(recs, key=lambda r: order.get(r["indekstype"], 9))
        if r["indekstype"] in order
    ]
    same = [p.removeprefix(SAMME) for p in parts if p and p.startswith(SAMME)]
    diff = [p for p in parts if p and not p.startswith(SAMME)]
    if diff and same:
        return f"{liste(diff)} enn kommunegruppen, og {SAMME}{liste(same)}"
    if diff:
        return f"{liste(diff)} enn kommunegruppen"
    return f"{SAMME}{liste(same)} som kommunegruppen" if same else TOM


def _records(answer: Answer) -> list[dict]:
    return [dict(zip(answer.columns, row)) for row in answer.rows]


def _text(answer: Answer) -> str:
    """The answer's text without the demo-data note (the report says it once)."""
    return without_demo_note(answer.text).strip()


@dataclass(frozen=True)
class _Subject:
    """The municipality and year a report is about, and where its numbers come from."""

    sandbox: Sandbox
    ctx: Context
    kommunenr: str
    navn: str
    aar: int

    def answer(self, sporsmaal: Sporsmaal, aar: int | None = None, **fields) -> Answer:
        """One frame about the municipality, with the defaults a question the parser read gets,
        answered like the chat answers it."""
        frame = Frame(sporsmaal, kommuner=(self.kommunenr,), aar=aar or self.aar, **fields)
        return answer_frame(finish(frame, self.ctx), "", self.sandbox, self.ctx)

    @property
    def years(self) -> list[int]:
        """The year and the two before it that have data."""
        return [y for y in self.ctx.years if self.aar - 2 <= y <= self.aar]


def _rank_chart(recs: list[dict], title: str, description: str) -> dict | None:
    """Ranks per service and index as dots (1, the best, at the left)."""
    df = pd.DataFrame([r for r in recs if r["rang"]])
    if df.empty:
        return None
    df["indeks"] = df["indekstype"].map(INDEKSNAVN).map(stor_forbokstav)
    antall = int(df["antall"].max())
    chart = (
        alt.Chart(df)
        .mark_point(filled=True, size=140)
        .encode(
            y=alt.Y("tjenestenavn:N", title=None, sort=None),
            x=alt.X("rang:Q", title="Plass (1 er best)", scale=alt.Scale(domain=[1, antall])),
            color=alt.Color("indeks:N", title="Indeks"),
            shape=alt.Shape("indeks:N", title="Indeks"),
            tooltip=["tjenestenavn", "indeks", "rang", "antall"],
        )
    )
    spec = chart.properties(width=520, title=title, description=description).to_dict()
    spec["config"] = config()
    return spec


def _plassering(k: _Subject) -> Section:
    title = "Plassering på de fem indeksene"
    indekser = ("kommuneindeks", *INDEKSTYPER[:4])  # the total first, then its four parts
    now = k.answer("rang")
    trend = k.answer("utvikling", indekstyper=indekser)
    years, aar = k.years, k.aar
    recs = {(r["indekstype"], r["aar"]): r for r in _records(trend)}
    rows = []
    for it in indekser:
        cells = [plass(recs.get((it, y))) for y in years]
        if len(years) > 1:
            first, last = recs.get((it, years[0])), recs.get((it, aar))
            cells.append(endring(first and first["rang"], last and last["rang"]))
        rows.append([INDEKSNAVN[it].capitalize(), *cells])
    columns = ["Indeks", *[str(y) for y in years]]
    columns += [f"Endring siden {years[0]}"] if len(years) > 1 else []
    return Section(title, _text(now), columns, rows, trend.chart)


def _tjenester(k: _Subject, tjenester: tuple[str, ...]) -> Section:
    """Ranks and the comparison with the KOSTRA group for a set of services."""
    med_kostnad = tjenester == KOSTNADSTJENESTER
    title = (
        "Tjenester med kostnad, kvalitet og effektivitet"
        if med_kostnad
        else "Tjenester med kvalitet"
    )
    indekser = ("kostnad", "kvalitet", "effektivitet") if med_kostnad else ("kvalitet",)
    rows, alle = [], []
    for tj in tjenester:
        tjenestenavn = k.ctx.tjenestenavn[tj]
        ans = k.answer("rang", tjeneste=tj)
        recs = {r["indekstype"]: {**r, "tjenestenavn": tjenestenavn} for r in _records(ans)}
        alle.extend(recs.values())
        rows.append(
            [tjenestenavn, *[plass(recs.get(it)) for it in indekser], mot_gruppen(recs.values())]
        )
    hoved = "effektivitet" if med_kostnad else "kvalitet"
    ranked = sorted(
        (r for r in alle if r["indekstype"] == hoved and r["rang"]), key=lambda r: r["rang"]
    )
    sentences = []
    if ranked:
        best, worst = ranked[0], ranked[-1]
        word = "Mest effektiv" if med_kostnad else "Best kvalitet"
        sentences.append(
            f"{word}: {best['tjenestenavn'].lower()} (nr. {best['rang']} av {best['antall']})."
        )
        word = "Minst effektiv" if med_kostnad else "Svakest kvalitet"
        sentences.append(
            f"{word}: {worst['tjenestenavn'].lower()} (nr. {worst['rang']} av {worst['antall']})."
        )
    if med_kostnad:
        kost = [r for r in alle if r["indekstype"] == "kostnad" and r["verdi"] is not None]
        lavere = sum(
            1 for r in kost if r["gruppesnitt"] is not None and r["verdi"] > r["gruppesnitt"]
        )
        sentences.append(
            f"{lavere} av {len(kost)} tjenester har lavere kostnader enn snittet i kommunegruppen."
        )
    columns = ["Tjeneste", *[KOLONNE[it] for it in indekser], "Sammenlignet med kommunegruppen"]
    chart = _rank_chart(
        alle,
        f"{k.navn} {k.aar}: plass per tjeneste",
        f"Punktdiagram over plassene til {k.navn} på {liste([KOLONNE[i].lower() for i in indekser])} "
        f"i {len(tjenester)} tjenester i {k.aar}; 1 er best, lengst til venstre.",
    )
    return Section(title, " ".join(sentences), columns, rows, chart)


def _innsparing(k: _Subject) -> Section:
    title = "Innsparingspotensial"
    years, aar = k.years, k.aar
    answers = {y: k.answer("innsparing", aar=y) for y in years}
    kr = {
        (r["tjeneste"], y): r["innsparingspotensial_kr"]
        for y, a in answers.items()
        for r in _records(a)
    }
    rows = []
    for tj in (*KOSTNADSTJENESTER, ALLE):
        values = [kr.get((tj, y)) for y in years]
        known = [v for v in values if v is not None]
        label = "Alle sju tjenester" if tj == ALLE else k.ctx.tjenestenavn[tj]
        rows.append(
            [
                label,
                *[kroner(v) if v is not None else TOM for v in values],
                kroner(sum(known)) if known else TOM,
            ]
        )
    text = (
        _text(answers[aar])
        + " Negative tall betyr at kommunen bruker mindre enn snittet i kommunegruppen."
    )
    total = [kr[(ALLE, y)] for y in years if kr.get((ALLE, y)) is not None]
    if len(total) > 1:
        span = f"{years[0]}–{aar}"
        if sum(total) >= 0:
            text += f" For {span} til sammen {kroner(sum(total))} over snittet i kommunegruppen."
        else:
            text += f" For {span} til sammen {kroner(-sum(total))} under snittet i kommunegruppen."
    columns = ["Tjeneste", *[str(y) for y in years], "Sum"]
    return Section(title, text, columns, rows, answers[aar].chart)


def _indikatorer(k: _Subject) -> Section:
    title = "Sterkeste og svakeste indikatorer"
    why = k.answer("forklaring")
    # every indicator with a score, the strongest first (the answer's text names only a few)
    query = fill("forklaring", aar=k.aar, tjeneste=ALLE, kommuner=(k.kommunenr,))
    recs = k.sandbox.results([query])[0].records()
    sterk = [r for r in recs if r["skaar"] > 0][:N_INDIKATORER]
    svak = [r for r in reversed(recs) if r["skaar"] < 0][:N_INDIKATORER]

    def phrase(r: dict) -> str:
        return f"{r['navn'].lower()} ({verdi_med_enhet(r['verdi'], r['enhet'])})"

    def row(kind: str, r: dict) -> list[str]:
        return [
            kind,
            r["navn"],
            k.ctx.tjenestenavn.get(r["tjeneste"], r["tjeneste"]),
            verdi_med_enhet(r["verdi"], r["enhet"]),
            verdi_med_enhet(r["landssnitt"], r["enhet"]),
            verdi_med_enhet(r["gruppesnitt"], r["enhet"]),
        ]

    sentences = []
    if sterk:
        sentences.append(f"Sterkest: {liste([phrase(r) for r in sterk])}.")
    if svak:
        sentences.append(f"Svakest: {liste([phrase(r) for r in svak])}.")
    rows = [row("Sterk", r) for r in sterk] + [row("Svak", r) for r in svak]
    columns = ["Sterk eller svak", "Indikator", "Tjeneste", "Verdi", "Landssnitt", "Kommunegruppen"]
    text = " ".join(sentences) or "Fant ingen indikatorer med tall for dette året."
    return Section(title, text, columns, rows, why.chart)


def _fylket(k: _Subject) -> Section:
    """The municipality among the others of its county: Kommuneindeksen in a table and a map
    (those without a rank listed last, grey on the map)."""
    fylke = k.ctx.register.kommuner[k.kommunenr].fylke
    frame = Frame("liste", fylke=fylke, aar=k.aar, indekstyper=("kommuneindeks",),
                  n=len(k.ctx.register.kommuner))
    recs = _records(answer_frame(finish(frame, k.ctx), "", k.sandbox, k.ctx))
    ranked = {r["kommunenr"] for r in recs}
    unranked = sorted((nr for nr, kommune in k.ctx.register.kommuner.items()
                       if kommune.fylke == fylke and nr not in ranked), key=k.ctx.names.get)
    plass_i_fylket = next((i for i, r in enumerate(recs, 1) if r["kommunenr"] == k.kommunenr), None)
    rows = [[str(i), r["kommune"], plass(r), tall(r["verdi"])] for i, r in enumerate(recs, 1)]
    rows += [[TOM, k.ctx.names[nr], "ikke rangert", TOM] for nr in unranked]
    columns = ["Plass i fylket", "Kommune", "Plass i landet", "Indeks"]
    if plass_i_fylket is None:
        text = f"{k.navn} er ikke rangert på Kommuneindeksen{i_aar(k.aar)}."
    elif len(rows) == 1:
        text = f"{k.navn} er den eneste kommunen i {fylke}."
    else:
        text = (f"{k.navn} er nr. {plass_i_fylket} av {len(recs)} rangerte kommuner i {fylke} på "
                f"Kommuneindeksen{i_aar(k.aar)}.")
    chart = None
    if k.ctx.kart is not None:
        data = pd.DataFrame([
            *({"kommunenr": r["kommunenr"], "kommune": r["kommune"], "verdi": r["verdi"],
               "tekst": f"nr. {r['rang']}, indeks {tall(r['verdi'])}"} for r in recs),
            *({"kommunenr": nr, "kommune": k.ctx.names[nr], "verdi": None, "tekst": "ikke rangert"}
              for nr in unranked),
        ])
        chart = kart_chart(
            k.ctx.kart, data, chart_title(f"{fylke}: indeksverdi", i_aar(k.aar)), "Indeksverdi",
            f"Kart over kommunene i {fylke}, fargelagt etter verdien på Kommuneindeksen: blått er "
            f"over landsgjennomsnittet 1,00, oransje under, grått ikke rangert; {k.navn} har tykk "
            "mørk kant.",
            midpoint=1.0, only_listed=True, markert=k.kommunenr,
        )
    return Section("Kommunen i fylket", text, columns, rows, chart)


def kommunerapport(
    sandbox: Sandbox, ctx: Context, kommunenr: str, aar: int | None = None
) -> Rapport:
    """The report for one municipality and data year (the latest without `aar`).

    Raises `UnknownKommune` or `NoDataForYear` (both with a Norwegian message).
    """
    navn = ctx.names.get(kommunenr)
    if navn is None:
        raise UnknownKommune(f"Fant ingen kommune med nummer {kommunenr}.")
    aar = aar if aar is not None else max(ctx.years)
    check_year(aar, ctx.years)
    k = _Subject(sandbox, ctx, kommunenr, navn, aar)
    sections = (
        _plassering(k),
        _tjenester(k, KOSTNADSTJENESTER),
        _tjenester(k, tuple(t for t in TJENESTER if t not in KOSTNADSTJENESTER)),
        _innsparing(k),
        _indikatorer(k),
        _fylket(k),
    )
    intro = f"{navn} (kommunenummer {kommunenr}), tall for {aarstekst(aar)}."
    if ctx.er_demodata:
        intro += DEMO_NOTE
    return Rapport(f"Kommunerapport for {navn} {aar}", intro, ctx.kilde, sections, kommunenr, aar)

