"""The `Answer` (the public shape of docs/schema.md), and how a finished frame or a query
specification becomes one: its SQL through the sandbox, the text and the chart. Used by
`Assistant.ask` and the report alike; method questions are answered from their text."""

from dataclasses import dataclass, field, replace
from typing import Any

from assistant.chart import chart_for, kart_for, spec_chart
from assistant.katalog import Maal
from assistant.query.build import queries
from assistant.query.compile import compile_spec
from assistant.query.execute import Sandbox
from assistant.query.from_frame import frame_spec
from assistant.query.spec import QuerySpec, check_spec, form
from assistant.text.amounts import finans_vinner
from assistant.text.compose import compose
from assistant.text.kilde import kilde
from assistant.text.metode import method_text
from assistant.text.phrases import with_demo_note, without_demo_note
from assistant.text.shapes import shape_text
from assistant.text.suggestions import suggestions
from assistant.text.tolkning import tolkning
from assistant.understand.context import Context
from assistant.understand.frame import Frame


@dataclass
class Answer:
    """One answer, as in docs/schema.md, plus what the screen and follow-ups need."""

    status: str
    text: str
    sql: str | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    chart: dict | None = None
    suggestions: list[str] = field(default_factory=list)
    frame: Frame | None = None  # what was understood, for follow-up questions
    kilde: str = ""  # the source line under the numbers
    brukte_modell: bool = False  # true when the optional language model read the question
    question: str = ""  # the question as asked (cleaned)
    clarify_surface: str = ""  # the ambiguous name a `clarify` answer asks about
    spec: QuerySpec | None = None  # the query specification answered, for follow-up questions
    tolkning: str = ""  # how the question was read, in one line («Antall kommuner · … · 2024»)
    kart: dict | None = None  # a map of the municipalities in the answer (Vega-Lite), if any

    def to_dict(self) -> dict:
        """The public JSON shape of `kommuneindeks ask --json`."""
        return {
            "status": self.status,
            "text": self.text,
            "sql": self.sql,
            "columns": self.columns,
            "rows": self.rows,
            "chart": self.chart,
            "suggestions": self.suggestions,
            "tolkning": self.tolkning,
        }


def answer_frame(frame: Frame, question: str, sandbox: Sandbox, ctx: Context) -> Answer:
    """A finished frame answered: its SQL through the sandbox (the first query carries the rows),
    the text for its kind of question and the chart that fits; the one-line `tolkning` and the
    source line from the measures it reads (`frame_spec`), the demo-data note only if one of
    them is demo data."""
    qs = queries(frame, ctx.years)
    results = sandbox.results(qs)
    main = results[0]
    reading = frame_spec(frame, ctx)
    source = kilde(reading, ctx)
    return Answer(
        status="ok",
        text=with_demo_note(compose(frame, results, ctx), source.demo),
        sql=qs[0].sql,
        columns=main.columns,
        rows=_winner_rows(frame, main),
        chart=chart_for(frame, results, ctx),
        kart=kart_for(frame, results, ctx),
        suggestions=suggestions(frame, ctx.names),
        frame=frame,
        kilde=source.tekst,
        question=question,
        tolkning=frame_tolkning(frame, ctx, reading),
    )


def frame_tolkning(frame: Frame, ctx: Context, reading: QuerySpec | None = None) -> str:
    """The one-line reading of a finished frame of an older kind (a what-if too)."""
    return KIND_WORDS.get(frame.sporsmaal, "") + tolkning(reading or frame_spec(frame, ctx), ctx)


def _winner_rows(frame: Frame, result) -> list[list]:
    """ "Hvem er best av Hamar og Lillehammer?", "har Askøy eller Øygarden lavest netto
    lånegjeld?": the rows of the one asked for; the text still names them all. Other answers
    keep their rows."""
    recs = result.records()
    one = frame.n == 1 or (frame.ord is not None and "eller" in frame.ord.toks)  # «A eller B»: one of them
    if frame.sporsmaal == "finans" and one:
        vinner = finans_vinner(frame, recs)
        return [row for row, r in zip(result.rows, recs) if r is vinner] if vinner else result.rows
    if frame.sporsmaal != "sammenlign" or frame.n != 1:
        return result.rows
    ranked = [r for r in recs if r["aar"] == frame.aar and r["indekstype"] == frame.indekstyper[0] and r["rang"]]
    if not ranked:
        return result.rows
    pick = (max if frame.verst else min)(ranked, key=lambda r: r["rang"])["kommunenr"]
    return [row for row, r in zip(result.rows, recs) if r["kommunenr"] == pick]


# What an older kind adds to the one-line reading, before the measures.
KIND_WORDS = {"forklaring": "Hvorfor · ", "endring": "Endring i rang · ", "sammenlign": "Sammenligning · ",
              "hva_om": "Hva om · "}  # fmt: skip


# Units whose average says little about one municipality (totals grow with its size).
NO_AVERAGE = ("tekst", "kr", "innbyggere")


def with_context(spec: QuerySpec, resolved: tuple[tuple[Maal, str | None], ...]) -> QuerySpec:
    """A number for named municipalities comes with its national and KOSTRA-group averages,
    where an average compares (an index, a share, kroner per inhabitant; not a total)."""
    numeric = all(m.enhet not in NO_AVERAGE and m.har_aar for m, _ in resolved)
    if form(spec) == "verdi" and numeric and resolved and not spec.med_snitt:
        return replace(spec, med_snitt=True)
    return spec


def answer_spec(spec: QuerySpec, question: str, sandbox: Sandbox, ctx: Context) -> Answer:
    """A query specification answered: one SQL query through the sandbox, the text and chart
    of its form, the `tolkning`, and the source line of the measures it read (the demo-data
    note once, only when one of them is demo data). Raises SpecError or NoDataForYear for a spec the catalogue
    cannot answer (`Assistant.ask` turns them into answers)."""
    spec = with_context(spec, check_spec(spec, ctx.katalog))
    query = compile_spec(spec, ctx.katalog)
    result = sandbox.results([query])[0]
    source = kilde(spec, ctx)
    return Answer(
        status="ok",
        text=with_demo_note(shape_text(spec, result, ctx), source.demo),
        sql=query.sql,
        columns=result.columns,
        rows=result.rows,
        chart=spec_chart(spec, result, ctx),
        kilde=source.tekst,
        question=question,
        spec=spec,
        tolkning=tolkning(spec, ctx),
    )


def answer_metode(key: str, question: str, ctx: Context) -> Answer:
    """A method question («Hva betyr kvalitetsindeksen?») answered from its text, without numbers."""
    metode = ctx.katalog.metoder.get(key)
    return Answer(
        status="ok",
        text=method_text(key, ctx.katalog),
        kilde="docs/metode.md",
        question=question,
        tolkning=f"Metode · {metode.tittel}" if metode else "Metode",
    )


def combine(answers: list[Answer], tjenester: tuple[str, ...]) -> Answer:
    """Answers to the parts of one question (one per service) as one: the texts in turn (the
    demo-data note once), every row once, each part's SQL, the first part's chart, and a frame
    that keeps all the services for follow-ups ("og i 2023?")."""
    texts = [without_demo_note(a.text) for a in answers]
    has_note = any(t != a.text for t, a in zip(texts, answers))
    return replace(
        answers[0],
        text=with_demo_note(" ".join(texts), has_note),
        sql=";\n\n".join(a.sql for a in answers if a.sql),
        rows=list({tuple(row): row for a in answers for row in a.rows}.values()),
        frame=replace(answers[0].frame, tjenester=tjenester),
    )
