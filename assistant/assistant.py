"""`Assistant.ask`: question → frame → SQL → validated, read-only execution → answer and chart.

The one place where known failures become answers (refused, clarify) and unknown ones are
logged and answered politely with status `error`, never a traceback.
"""

import logging
import os
from dataclasses import replace
from pathlib import Path

from assistant.answer import (
    Answer,
    answer_frame,
    answer_metode,
    answer_spec,
    combine,
    frame_tolkning,
)
from assistant.chart import warm_up as chart_warm_up
from assistant.chart.kart import read_kart
from assistant.errors import AssistantError, NotUnderstood, UnsafeSql
from assistant.hva_om.compute import HvaOm, compute_hva_om, compute_hva_om_tjenester
from assistant.katalog import complete_katalog, load_katalog
from assistant.llm.client import Modell
from assistant.llm.read import STOPPET_SQL, Reading, read_with_model
from assistant.query.allowlist import schema_text
from assistant.query.build import warm_up as sql_warm_up
from assistant.query.execute import QueryResult, Sandbox, cut_note
from assistant.query.from_frame import fields_used as spec_fields_used
from assistant.query.from_frame import spec_for
from assistant.rapport import Rapport, kommunerapport
from assistant.settings import load_settings
from assistant.text.compose import model_sql_text, own_sql_text
from assistant.text.phrases import demo_note
from assistant.text.tabell import Tabell, display_table
from assistant.text.valg import ALLE_INDEKSER, Tolkningsvalg, tolkningsvalg
from assistant.understand.check import check_unknown, check_words
from assistant.understand.complete import complete, finish
from assistant.understand.context import Context, Indikator
from assistant.understand.frame import EKSEMPLER, FLERE_TJENESTER, SPEC_KINDS, Frame
from assistant.understand.names import Kommune, KommuneRegister, read_tettsteder, read_vanlige_ord
from assistant.understand.normalize import clean, fold
from assistant.understand.read import read_question
from assistant.understand.vocabulary import default_vocabulary, with_katalog
from scoring.contract import DB_ENV, DEFAULT_DB

log = logging.getLogger(__name__)

FEILMELDING = (
    "Beklager, noe gikk galt da jeg skulle svare. Prøv gjerne å spørre på en annen måte, "
    "eller prøv igjen litt senere."
)


def default_db_path() -> Path:
    """The database: `$KOMMUNEINDEKS_DB`, else data/kommuneindeks.duckdb (read here only)."""
    return Path(os.environ.get(DB_ENV, DEFAULT_DB))


def read_context(sandbox: Sandbox) -> Context:
    """What the steps need to know about the database, read once through the sandbox."""
    katalog = complete_katalog(load_katalog(), sandbox.query)
    vocabulary = with_katalog(default_vocabulary(), katalog)
    _, rows = sandbox.query(
        "SELECT kommunenr, kommune, fylke, kostragruppe, offisielt_navn FROM kommune ORDER BY kommunenr"
    )
    register = KommuneRegister(
        [Kommune(*r) for r in rows], read_tettsteder(), read_vanlige_ord(), vocabulary.knows,
        etter_navn=vocabulary.words("navn", "etter_navn"),
        foran_navn=vocabulary.words("navn", "foran_navn"),
    )
    _, indikatorer = sandbox.query(
        "SELECT indikator, tjeneste, navn, enhet FROM indikator ORDER BY tjeneste, indikator"
    )
    _, demo = sandbox.query("SELECT bool_or(er_demodata) FROM datakilde WHERE kilde <> ''")
    return Context(
        register=register,
        vocabulary=vocabulary,
        years=tuple(r[0] for r in sandbox.query("SELECT DISTINCT aar FROM indeks ORDER BY aar")[1]),
        tjenestenavn=dict(sandbox.query("SELECT tjeneste, navn FROM tjeneste")[1]),
        indikatorer={k: Indikator(t, n, e) for k, t, n, e in indikatorer},
        katalog=katalog,
        er_demodata=bool(demo and demo[0][0]),
        kart=read_kart(sandbox.path),
    )


def _failure(err: AssistantError, q: str, by_model: bool = False) -> Answer:
    """A known failure as an answer: its status, message and suggestions. A `clarify` needs the
    ambiguous name in the question (the choice replaces it); SQL from the model that the
    validator stops is answered in our own words."""
    if by_model:
        log.info("Tolkningen fra språkmodellen ga %s: %s", type(err).__name__, err)
        if isinstance(err, UnsafeSql):
            log.warning("SQL fra språkmodellen ble stoppet: %s", err)
            err = NotUnderstood(STOPPET_SQL, EKSEMPLER[:4])
    clarify = err.status == "clarify" and err.surface in q
    return Answer(
        "refused" if err.status == "clarify" and not clarify else err.status,
        str(err),
        suggestions=err.suggestions,
        brukte_modell=by_model,
        question=q,
        clarify_surface=err.surface if clarify else "",
    )


class Assistant:
    """Answers Norwegian questions about the Kommuneindeksen from a read-only database.

    Holds no per-user state: the conversation is passed to `ask` as `history`.
    """

    def __init__(self, db_path: str | Path | None = None, modell: "Modell | None" = None):
        self.settings = load_settings()
        self.modell = modell if modell is not None else Modell.from_env(
            max_reply_bytes=self.settings.llm.max_reply_bytes
        )
        self.sandbox = Sandbox(db_path or default_db_path(), self.settings.sql)
        self._context = read_context(self.sandbox)

    # --- what the screen shows besides answers ---------------------------------------------

    @property
    def names(self) -> dict[str, str]:
        """kommunenr → the municipality's short name."""
        return self._context.names

    @property
    def years(self) -> tuple[int, ...]:
        """The data years the database holds, oldest first."""
        return self._context.years

    @property
    def tjenestenavn(self) -> dict[str, str]:
        """Service key → display name."""
        return self._context.tjenestenavn

    @property
    def er_demodata(self) -> bool:
        return self._context.er_demodata

    @property
    def kilde(self) -> str:
        """The source line under the numbers."""
        return self._context.kilde

    def display_table(
        self, columns: list[str], rows: list[list], only: list[str] | None = None
    ) -> Tabell:
        """An answer's rows as the screen shows them: Norwegian headings, display names for
        keys, rounded Norwegian numbers and a note when the row limit cut them; `only` these
        columns, in this order, when given."""
        if only is not None:
            picked = [columns.index(c) for c in only]
            columns, rows = list(only), [[row[i] for i in picked] for row in rows]
        return display_table(columns, rows, self._context, self.settings.sql.max_rows)

    def context(self, hjemkommune: str | None = None) -> Context:
        """The frozen context the steps read, for a user with this home municipality."""
        return self._context.for_user(hjemkommune)

    def warm_up(self) -> None:
        """Do the one-time work of the first answer now: chart and SQL templates, and one
        question through the whole path (the validator's schema, the sandbox)."""
        chart_warm_up()
        sql_warm_up()
        self.ask("Hvor ligger Oslo i grunnskole?")

    # --- questions ---------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        history: list[tuple[str, "Answer"]] | None = None,
        hjemkommune: str | None = None,
    ) -> Answer:
        """Answer one question; `history` holds the earlier (question, Answer) pairs."""
        history = history or []
        max_chars = self.settings.question.max_chars
        q = clean(question, max_chars * 4)
        by_model = False
        try:
            if not q:
                return Answer("refused", "Skriv et spørsmål om Kommuneindeksen, for eksempel:",
                              suggestions=EKSEMPLER[:4])
            if len(q) > max_chars:
                return Answer("refused", f"Spørsmålet er for langt. Skriv det gjerne kortere (høyst {max_chars} tegn).",
                              suggestions=EKSEMPLER[:3], question=q[:max_chars])
            q = self._after_clarify(q, history)
            ctx = self.context(hjemkommune)
            try:
                return self._answer(q, history, ctx)
            except NotUnderstood:
                # The optional model gets the questions the offline parser cannot read.
                reading = read_with_model(self.modell, q, history, ctx) if self.modell else None
                if reading is None:
                    raise
            by_model = True
            return self._answer_reading(reading, q, ctx)
        except AssistantError as err:
            return _failure(err, q, by_model)
        except Exception:  # noqa: BLE001 — the one catch-all: logged, never shown raw
            log.exception("Uventet feil for spørsmålet %r", q)
            return Answer("error", FEILMELDING, suggestions=EKSEMPLER[:3], question=q)

    def _answer(self, q: str, history: list, ctx: Context) -> Answer:
        """The parser's reading of a question, completed from the conversation, and answered."""
        frame = read_question(q, ctx)
        previous = self._previous_frame(history, ctx)
        if frame.blant_dem and previous is not None and not previous.naboer:  # «dem» = the neighbours themselves
            previous = replace(previous, kommuner=self._recent_kommuner(history))
        frame = complete(frame, previous)
        try:
            finished = finish(frame, ctx)
        except NotUnderstood:
            check_unknown(frame, ctx)  # name the words not understood, if any
            raise
        return self._answer_finished(frame, finished, q, ctx, check=True)

    def _answer_finished(self, frame: Frame, finished: Frame, q: str, ctx: Context, check: bool) -> Answer:
        """A finished frame answered by the path its kind takes; `check` accounts for every word
        of the question first (a reading changed in place has no new words)."""
        def checked(used=None) -> None:
            if check:
                check_words(finished, ctx, used=used)

        if finished.sporsmaal == "metode":
            checked({"*", "metode", "form:metodespm", "form:metodeord", "intensjon:hva_om",
                     *(f"maal:{m}" for m in finished.maal)})
            return replace(answer_metode(finished.metode, q, ctx), frame=finished)
        if finished.sporsmaal in SPEC_KINDS:
            spec = spec_for(finished, ctx)
            checked(spec_fields_used(spec, finished, ctx.katalog))
            return replace(answer_spec(spec, q, self.sandbox, ctx), frame=finished)
        if finished.sporsmaal == "hva_om":
            answer = self._answer_hva_om(finished, ctx)  # its own message for a change it cannot read
            checked()
            return answer
        checked()
        if len(frame.tjenester) > 1 and frame.sporsmaal in FLERE_TJENESTER and frame.kommuner:
            # "skole og barnehage": one answer per service, shown together
            parts = [finish(replace(frame, tjeneste=t, tjenester=()), ctx) for t in frame.tjenester]
            return combine([answer_frame(p, q, self.sandbox, ctx) for p in parts], frame.tjenester)
        return answer_frame(finished, q, self.sandbox, ctx)

    def reread(
        self,
        answer: Answer,
        *,
        aar: int | None = None,
        tjeneste: str | None = None,
        indekstype: str | None = None,
        hjemkommune: str | None = None,
    ) -> Answer:
        """The same reading with one part changed in place (the staff view's `tolkning`
        controls): another year, service or index, without retyping the question."""
        if answer.frame is None or answer.status != "ok":
            return Answer("refused", "Dette svaret har ingen tolkning som kan endres. Still spørsmålet på nytt.")
        ctx = self.context(hjemkommune)
        changes: dict = {"aar_relativt": None}
        if aar is not None:
            changes["aar"] = aar
            if answer.frame.aar is not None and answer.frame.fra_aar == answer.frame.aar - 1:
                changes["fra_aar"] = None  # the year before, as the new year has it
        if tjeneste is not None:
            changes |= {"tjeneste": tjeneste, "tjenester": (), "indekstyper": ()}
        if indekstype is not None:
            changes["indekstyper"] = () if indekstype == ALLE_INDEKSER else (indekstype,)
        frame = replace(answer.frame, **changes)
        try:
            return self._answer_finished(frame, finish(frame, ctx), answer.question, ctx, check=False)
        except AssistantError as err:
            return _failure(err, answer.question)
        except Exception:  # noqa: BLE001 — logged, answered politely
            log.exception("Uventet feil da tolkningen av %r ble endret", answer.question)
            return Answer("error", FEILMELDING, question=answer.question)

    def tolkningsvalg(self, answer: Answer) -> Tolkningsvalg:
        """The parts of an answer's reading `reread` may change, with their choices."""
        return tolkningsvalg(answer.frame if answer.status == "ok" else None, self.context())

    def _answer_hva_om(self, frame: Frame, ctx: Context) -> Answer:
        """A what-if: the indices recomputed in memory, the ranks before and after."""
        hva_om = compute_hva_om(frame, self.sandbox, ctx)
        return Answer(
            status="ok",
            text=hva_om.text + demo_note(ctx),
            sql=hva_om.sql,
            columns=hva_om.columns,
            rows=hva_om.rows,
            chart=hva_om.chart,
            suggestions=list(hva_om.suggestions),
            frame=frame,
            kilde=ctx.kilde,
            question=frame.endring,
            tolkning=frame_tolkning(frame, ctx),
        )

    def _answer_reading(self, reading: Reading, q: str, ctx: Context) -> Answer:
        """The language model's reading answered like any other: a frame by its SQL, text and
        chart; SQL through the validator and the sandbox; a refusal where errors are answered."""
        if reading.refusal is not None:
            raise reading.refusal
        if reading.sql is not None:
            safe = self.sandbox.validate(reading.sql)
            result = self.sandbox.fetch(safe)
            text = _with_cut(model_sql_text(len(result.rows), ctx), result, self.sandbox)
            return Answer("ok", text, sql=safe, columns=result.columns, rows=result.rows,
                          kilde=ctx.kilde, brukte_modell=True, question=q)
        return replace(answer_frame(reading.frame, q, self.sandbox, ctx), brukte_modell=True)

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

    # --- the app's other views --------------------------------------------------------------

    def rapport(self, kommunenr: str, aar: int | None = None) -> Rapport:
        """The kommunerapport of one municipality and data year (the latest without `aar`).
        Raises `UnknownKommune` or `NoDataForYear`, both with a Norwegian message."""
        return kommunerapport(self.sandbox, self._context, kommunenr, aar)

    def hva_om(self, kommunenr: str, aar: int, endringer: dict[str, float]) -> HvaOm:
        """The municipality's indices if each cost service's cost changed by a percentage
        (`endringer`: service → per cent, e.g. {"pleie_og_omsorg": -10.0}), recomputed in
        memory. Raises `ValueError` for a key that is not one of the seven cost services."""
        return compute_hva_om_tjenester(self.sandbox, self._context, kommunenr, aar, endringer)


    @property
    def schema_text(self) -> str:
        """The tables own SQL may read, one line each with its columns and their types."""
        return schema_text(self.sandbox.tables)

    def run_sql(self, sql: str) -> Answer:
        """A staff user's own SQL through the same validator and read-only sandbox."""
        try:
            result = self.sandbox.fetch(sql)
        except AssistantError as err:
            return _failure(err, "")
        except Exception:  # noqa: BLE001 — logged, answered politely
            log.exception("Uventet feil for SQL %r", sql[:200])
            return Answer("error", FEILMELDING)
        text = _with_cut(own_sql_text(len(result.rows), self._context), result, self.sandbox)
        return Answer("ok", text, sql=sql, columns=result.columns, rows=result.rows,
                      kilde=self.kilde)

    def close(self) -> None:
        self.sandbox.close()


def _with_cut(text: str, result: QueryResult, sandbox: Sandbox) -> str:
    """The text over a result, and what the result limits cut from it, if anything."""
    cut = cut_note(result.cut, sandbox.settings)
    return f"{text} {cut}" if cut else text


def _county(choice: str) -> str:
    """ "Herøy (Møre og Romsdal)" → "more og romsdal" (folded), the part a reply may name."""
    return fold(choice.split("(")[-1].rstrip(")")) if "(" in choice else fold(choice)
