"""`Assistant.ask`: question → frame → SQL → validated, read-only execution → answer and chart.

The one place where known failures become answers (refused, clarify) and unknown ones are
logged and answered politely with status `error`, never a traceback.
"""

import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.chart import chart_for
from assistant.chart import warm_up as chart_warm_up
from assistant.errors import AssistantError, NotUnderstood
from assistant.hva_om.compute import answer_hva_om
from assistant.llm.client import Modell
from assistant.llm.read import answer_with_model
from assistant.query.build import queries
from assistant.query.build import warm_up as sql_warm_up
from assistant.query.execute import Sandbox
from assistant.settings import load_settings
from assistant.text.compose import compose
from assistant.text.phrases import DEMO_NOTE, Result, Vocab
from assistant.text.suggestions import suggestions
from assistant.understand.complete import complete, finish
from assistant.understand.frame import EKSEMPLER, FLERE_TJENESTER, Context, Frame
from assistant.understand.names import Kommune, KommuneRegister, read_tettsteder, read_vanlige_ord
from assistant.understand.normalize import clean, fold
from assistant.understand.read import read_question
from assistant.understand.vocabulary import default_vocabulary
from scoring.contract import DB_ENV, DEFAULT_DB

log = logging.getLogger(__name__)

FEILMELDING = (
    "Beklager, noe gikk galt da jeg skulle svare. Prøv gjerne å spørre på en annen måte, "
    "eller prøv igjen litt senere."
)


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
        }


def combine(answers: list[Answer], tjenester: tuple[str, ...]) -> Answer:
    """Answers to the parts of one question (one per service) as one: the texts in turn (the
    demo-data note once), every row once, each part's SQL, the first part's chart, and a frame
    that keeps all the services for follow-ups ("og i 2023?")."""
    note = DEMO_NOTE
    texts = [a.text.replace(note, "") for a in answers]
    has_note = any(note in a.text for a in answers)
    return replace(
        answers[0],
        text=" ".join(texts) + (note if has_note else ""),
        sql=";\n\n".join(a.sql for a in answers if a.sql),
        rows=list({tuple(row): row for a in answers for row in a.rows}.values()),
        frame=replace(answers[0].frame, tjenester=tjenester),
    )


def _county(choice: str) -> str:
    """ "Herøy (Møre og Romsdal)" → "more og romsdal" (folded), the part a reply may name."""
    return fold(choice.split("(")[-1].rstrip(")")) if "(" in choice else fold(choice)


def default_db_path() -> Path:
    """The database: `$KOMMUNEINDEKS_DB`, else data/kommuneindeks.duckdb (read here only)."""
    return Path(os.environ.get(DB_ENV, DEFAULT_DB))


class Assistant:
    """Answers Norwegian questions about the Kommuneindeksen from a read-only database.

    Holds no per-user state: the conversation is passed to `ask` as `history`.
    """

    def __init__(self, db_path: str | Path | None = None, modell: "Modell | None" = None):
        self.settings = load_settings()
        self.modell = modell if modell is not None else Modell.from_env()
        self.sandbox = Sandbox(db_path or default_db_path(), self.settings.sql)
        self.vocabulary = default_vocabulary()
        _, rows = self.sandbox.query(
            "SELECT kommunenr, kommune, fylke, kostragruppe, offisielt_navn FROM kommune ORDER BY kommunenr"
        )
        kommuner = [Kommune(*r) for r in rows]
        self.register = KommuneRegister(
            kommuner, read_tettsteder(), read_vanlige_ord(), self.vocabulary.knows,
            etter_navn=self.vocabulary.words("navn", "etter_navn"),
            foran_navn=self.vocabulary.words("navn", "foran_navn"),
        )
        self.years = tuple(r[0] for r in self.sandbox.query("SELECT DISTINCT aar FROM indeks ORDER BY aar")[1])
        self.tjenestenavn = dict(self.sandbox.query("SELECT tjeneste, navn FROM tjeneste")[1])
        katalog = self.sandbox.query("SELECT indikator, tjeneste, navn FROM indikator")[1]
        self.indikator_tjeneste = {k: t for k, t, _ in katalog}
        self.indikator_navn = {k: n for k, _, n in katalog}
        demo = self.sandbox.query("SELECT bool_or(er_demodata) FROM datakilde WHERE kilde <> ''")[1]
        self.er_demodata = bool(demo and demo[0][0])
        self.names = {k.kommunenr: k.kommune for k in kommuner}

    @property
    def kilde(self) -> str:
        if self.er_demodata:
            return "Demodata: syntetiske tall for de 357 kommunene (ikke ekte KOSTRA-tall). Befolkning: SSB."
        return "Kilde: SSB (KOSTRA), beregnet etter metoden i docs/metode.md."

    def context(self, hjemkommune: str | None = None) -> Context:
        return Context(self.register, self.vocabulary, self.years, self.indikator_tjeneste,
                       self.indikator_navn, hjemkommune)

    def warm_up(self) -> None:
        """Do the one-time work of the first answer now: chart and SQL templates, and one
        question through the whole path (the validator's schema, the sandbox)."""
        chart_warm_up()
        sql_warm_up()
        self.ask("Hvor ligger Oslo i grunnskole?")

    def ask(
        self,
        question: str,
        history: list[tuple[str, "Answer"]] | None = None,
        hjemkommune: str | None = None,
    ) -> Answer:
        """Answer one question; `history` holds the earlier (question, Answer) pairs."""
        max_chars = self.settings.question.max_chars
        q = clean(question, max_chars * 4)
        try:
            if not q:
                return Answer("refused", "Skriv et spørsmål om Kommuneindeksen, for eksempel:",
                              suggestions=EKSEMPLER[:4])
            if len(q) > max_chars:
                return Answer("refused", f"Spørsmålet er for langt. Skriv det gjerne kortere (høyst {max_chars} tegn).",
                              suggestions=EKSEMPLER[:3], question=q[:max_chars])
            q = self._after_clarify(q, history or [])
            try:
                return self._answer(q, history or [], hjemkommune)
            except NotUnderstood:
                # The optional model gets the questions the offline parser cannot read.
                answer = self._ask_model(q, history or [], hjemkommune)
                if answer is None:
                    raise
                return answer
        except AssistantError as err:
            status = err.status
            return Answer(status, str(err), suggestions=err.suggestions, question=q,
                          clarify_surface=err.surface if status == "clarify" else "")
        except Exception:  # noqa: BLE001 — the one catch-all: logged, never shown raw
            log.exception("Uventet feil for spørsmålet %r", q)
            return Answer("error", FEILMELDING, suggestions=EKSEMPLER[:3], question=q)

    def _answer(self, q: str, history: list, hjemkommune: str | None) -> Answer:
        ctx = self.context(hjemkommune)
        frame = read_question(q, ctx)
        previous = self._previous_frame(history, ctx)
        if frame.blant_dem and previous is not None:
            previous = replace(previous, kommuner=self._recent_kommuner(history))
        frame = complete(frame, previous)
        if len(frame.tjenester) > 1 and frame.sporsmaal in FLERE_TJENESTER and frame.kommuner:
            # "skole og barnehage": one answer per service, shown together
            parts = [finish(replace(frame, tjeneste=t, tjenester=()), ctx) for t in frame.tjenester]
            return combine([self.answer_frame(p, q) for p in parts], frame.tjenester)
        frame = finish(frame, ctx)
        if frame.sporsmaal == "hva_om":
            return answer_hva_om(self, frame)
        return self.answer_frame(frame, q)

    def answer_frame(self, frame: Frame, q: str) -> Answer:
        """Answer a finished frame: its SQL through the sandbox, the text and the chart.
        The optional model's readings are answered here too, the same way."""
        qs = queries(frame, self.years)
        results = [Result(x.name, *self.sandbox.query(x.sql)) for x in qs]
        main = results[0]
        chart = chart_for(frame, results, self.names)
        if chart and self.er_demodata:
            chart["title"] += " (demodata)"
        return Answer(
            status="ok",
            text=compose(frame, results, Vocab(self.tjenestenavn, self.er_demodata)),
            sql=qs[0].sql,
            columns=main.columns,
            rows=main.rows,
            chart=chart,
            suggestions=suggestions(frame, self.names),
            frame=frame,
            kilde=self.kilde,
            question=q,
        )

    def _ask_model(self, q: str, history: list, hjemkommune: str | None) -> Answer | None:
        """The language-model path (assistant/llm/), when one is configured."""
        if self.modell is None:
            return None
        fields = answer_with_model(self, self.modell, q, history, self.context(hjemkommune))
        return None if fields is None else Answer(**fields)

    @staticmethod
    def _recent_kommuner(history: list, turns: int = 3) -> tuple[str, ...]:
        """The municipalities of the last few answered questions, oldest first ("av dem")."""
        frames = [a.frame for _, a in history[-turns:] if getattr(a, "frame", None) is not None]
        return tuple(dict.fromkeys(k for f in frames for k in f.kommuner))

    def _previous_frame(self, history: list, ctx: Context) -> Frame | None:
        """The frame of the last answered question, read again from its text if needed."""
        for question, answer in reversed(history):
            if getattr(answer, "frame", None) is not None:
                return answer.frame
            if getattr(answer, "status", "ok") != "ok":
                continue
            try:
                return finish(read_question(clean(question, 2000), ctx), ctx)
            except AssistantError:
                continue
        return None

    def _after_clarify(self, q: str, history: list) -> str:
        """After "which Herøy?", a bare choice ("Herøy (Nordland)") re-asks the question."""
        if not history:
            return q
        question, answer = history[-1]
        surface = getattr(answer, "clarify_surface", "")
        if getattr(answer, "status", "") != "clarify" or not surface:
            return q
        reply = fold(q).rstrip("?. ")
        matching = [s for s in answer.suggestions if reply == fold(s) or _county(s) in reply]
        if len(matching) != 1:
            return q
        choice = matching[0]
        return question.replace(surface, choice, 1)

    def run_sql(self, sql: str) -> Answer:
        """A staff user's own SQL through the same validator and read-only sandbox."""
        try:
            columns, rows = self.sandbox.query(sql)
        except AssistantError as err:
            return Answer(err.status, str(err), sql=None)
        except Exception:  # noqa: BLE001 — logged, answered politely
            log.exception("Uventet feil for SQL %r", sql[:200])
            return Answer("error", FEILMELDING)
        text = f"{len(rows)} rader." + (" Tallene er demodata." if self.er_demodata else "")
        return Answer("ok", text, sql=sql, columns=columns, rows=rows, kilde=self.kilde)

    def close(self) -> None:
        self.sandbox.close()
