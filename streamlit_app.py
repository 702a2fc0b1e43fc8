"""Kommuneindeks-assistenten i nettleseren: chat, kommunerapport og egen SQL, eller en kiosk.

Skjermen gjør bare oppsett, widgeter, øktstatus og visning av et `Answer`; logikken ligger i
`assistant/` (svar i `Assistant`, rapporten i `rapport.py`, filer i `export.py`, øktregler i
`session.py`). Kioskmodus: `?modus=kiosk` eller `KOMMUNEINDEKS_MODUS=kiosk`.
"""

import logging
import os
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from assistant import Answer, Assistant, export, session
from assistant.errors import AssistantError, DatabaseError
from assistant.rapport import Rapport, kommunerapport, to_html, to_markdown
from scoring.contract import DB_ENV, DEFAULT_DB

log = logging.getLogger("kommuneindeks.app")

TITTEL = "Kommuneindeks-assistenten"
BEKLAGER = "Beklager, noe gikk galt her. Prøv igjen, eller start en ny samtale."
IKKE_KLAR_KIOSK = "Assistenten er ikke klar akkurat nå. Prøv igjen senere."
FOR_MANGE = "Du har stilt mange spørsmål på kort tid. Vent et minutt, så kan du spørre igjen."
INTRO = (
    "Spør om hvordan en kommune ligger an i Kommuneindeksen: kostnad, kvalitet, effektivitet "
    "og økonomi for alle 357 kommuner.  \n"
    "Du får svaret i klartekst, med figur, tallene bak og kilden."
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VISNINGER = {"ansatt": ["Spør", "Kommunerapport", "Egen SQL"], "kiosk": ["Spør"]}
KIOSK_CSS = """<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 20px; }
[data-testid="stMainBlockContainer"] { max-width: 72rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.35rem; line-height: 1.55; }
[data-testid="stCaptionContainer"] { font-size: 1.05rem; }
.stButton > button { font-size: 1.3rem; min-height: 3.6rem; padding: .8rem 1.2rem; }
[data-testid="stChatInput"] textarea { font-size: 1.35rem; }
[data-testid="stToolbar"], [data-testid="stMainMenu"], footer { display: none; }
</style>"""


@st.cache_resource(show_spinner="Åpner databasen …", max_entries=4)
def get_assistant(db_path: str) -> Assistant:
    """The shared, read-only assistant for one database file (never mutated)."""
    return Assistant(db_path)


@st.cache_data(show_spinner="Lager kommunerapporten …", max_entries=64, ttl=3600)
def get_rapport(_assistant: Assistant, db_path: str, kommunenr: str, aar: int) -> Rapport:
    """The report for one municipality and year, cached per database file."""
    return kommunerapport(_assistant, kommunenr, aar)


def guarded(render: Callable[..., None], *args: Any) -> None:
    """Run one part of the screen; an unexpected error is logged and shown politely."""
    try:
        render(*args)
    except Exception:  # the screen's one catch-all: logged with its traceback, shown politely
        log.exception("Feil under visning av %s", getattr(render, "__name__", render))
        st.error(BEKLAGER)


# --- session state -------------------------------------------------------------------------


def init_state() -> None:
    """The per-session state, set up once: the conversation and the kiosk's clocks."""
    st.session_state.setdefault("samtale", [])  # list[tuple[str, Answer]]
    st.session_state.setdefault("neste", None)  # a question chosen with a button
    st.session_state.setdefault("spurt", [])  # times of recent questions (rate limit)
    st.session_state.setdefault("sist_aktiv", None)
    st.session_state.setdefault("sql_svar", None)


def new_conversation() -> None:
    st.session_state["samtale"] = []
    st.session_state["neste"] = None


def queue(question: str) -> None:
    """Button callback: ask this question on the rerun."""
    st.session_state["neste"] = question


def idle_reset(kiosk: bool) -> None:
    """In the kiosk, a session quiet for a few minutes starts over; any rerun is activity."""
    now = time.time()
    if kiosk and session.is_idle(st.session_state["sist_aktiv"], now):
        new_conversation()
        st.session_state.pop("min_kommune", None)
    st.session_state["sist_aktiv"] = now


@st.fragment(run_every=30)
def idle_watch() -> None:
    """Checks the kiosk's idle clock even when nobody touches the screen."""
    if session.is_idle(st.session_state.get("sist_aktiv"), time.time()):
        st.rerun()


# --- rendering an answer --------------------------------------------------------------------


def show_table(answer: Answer, kiosk: bool) -> None:
    table = pd.DataFrame(answer.rows, columns=answer.columns)
    if kiosk:
        with st.expander("Se tallene bak svaret"):
            st.table(table)
    else:
        st.dataframe(table, hide_index=True)


def show_downloads(answer: Answer, key: str) -> None:
    name = answer.question or "resultat"
    notes = [f"Spørsmål: {answer.question}", answer.kilde, f"SQL: {answer.sql or ''}"]
    row = st.container(horizontal=True)
    row.download_button(
        "Last ned CSV",
        partial(export.csv_bytes, answer.columns, answer.rows),
        file_name=export.file_name(name, "csv"),
        mime="text/csv",
        key=f"csv-{key}",
        on_click="ignore",
    )
    row.download_button(
        "Last ned Excel",
        partial(export.excel_bytes, answer.columns, answer.rows, notes=notes),
        file_name=export.file_name(name, "xlsx"),
        mime=XLSX,
        key=f"xlsx-{key}",
        on_click="ignore",
    )


def show_answer(answer: Answer, key: str, last: bool, kiosk: bool) -> None:
    """An answer: text, chart with its summary, table, source, SQL, downloads and follow-ups."""
    st.markdown(session.markdown_literal(answer.text))
    if answer.status == "ok":
        if answer.chart:
            description = answer.chart.get("description", "")
            st.vega_lite_chart(answer.chart, width="stretch", theme=None)
            st.caption(description)
        if answer.rows:
            show_table(answer, kiosk)
        if answer.kilde:
            st.caption(answer.kilde)
        if not kiosk and answer.sql:
            with st.expander("Vis SQL"):
                st.code(answer.sql, language="sql")
        if not kiosk and answer.rows:
            show_downloads(answer, key)
    if last and answer.suggestions:
        st.caption("Velg ett:" if answer.status == "clarify" else "Du kan også spørre:")
        kind = "primary" if answer.status == "clarify" else "secondary"
        row = st.container(horizontal=not kiosk)
        for j, suggestion in enumerate(answer.suggestions):
            row.button(
                suggestion,
                key=f"forslag-{key}-{j}",
                type=kind,
                on_click=queue,
                args=(suggestion,),
                width="stretch" if kiosk else "content",
            )


# --- the views ------------------------------------------------------------------------------


def ask(assistant: Assistant, question: str, kiosk: bool) -> None:
    """Ask one question with the conversation so far and add the answer to it."""
    if kiosk:
        allowed, st.session_state["spurt"] = session.rate_limit(
            st.session_state["spurt"], time.time()
        )
        if not allowed:
            st.warning(FOR_MANGE)
            return
    with st.spinner("Finner svaret …"):
        answer = assistant.ask(
            question,
            history=st.session_state["samtale"],
            hjemkommune=st.session_state.get("min_kommune"),
        )
    st.session_state["samtale"] = [*st.session_state["samtale"], (question, answer)]


def start_screen(kiosk: bool) -> None:
    st.markdown(INTRO)
    st.markdown("**Prøv for eksempel:**")
    columns = st.columns(2)
    for i, example in enumerate(session.EKSEMPLER[:6]):
        columns[i % 2].button(
            example,
            key=f"eksempel-{i}",
            on_click=queue,
            args=(example,),
            width="stretch" if kiosk else "content",
        )


def chat_view(assistant: Assistant, kiosk: bool) -> None:
    question = st.chat_input("Still et spørsmål om Kommuneindeksen …", max_chars=500)
    question = question or st.session_state["neste"]
    st.session_state["neste"] = None
    if question:
        guarded(ask, assistant, question, kiosk)
    samtale = st.session_state["samtale"]
    if not samtale:
        start_screen(kiosk)
    for i, (asked, answer) in enumerate(samtale):
        with st.chat_message("user"):
            st.markdown(session.markdown_literal(asked))
        with st.chat_message("assistant"):
            guarded(show_answer, answer, str(i), i == len(samtale) - 1, kiosk)


def rapport_view(assistant: Assistant, db_path: str, kiosk: bool) -> None:
    st.set_page_config(layout="wide")  # room for the report's tables
    st.header("Kommunerapport")
    st.caption(
        "Rang nå og to år før, tjenestene mot kommunegruppen, innsparingspotensial og indikatorer."
    )
    options = session.sorted_kommuner(assistant.names)
    mine = st.session_state.get("min_kommune")
    left, right = st.columns([3, 1])
    kommunenr = left.selectbox(
        "Kommune",
        options,
        index=options.index(mine) if mine in options else 0,
        format_func=assistant.names.get,
        key="rapport_kommune",
    )
    aar = right.selectbox("År", sorted(assistant.years, reverse=True), key="rapport_aar")
    try:
        rapport = get_rapport(assistant, db_path, kommunenr, aar)
    except AssistantError as err:
        st.warning(str(err))
        return
    st.subheader(rapport.title)
    st.markdown(session.markdown_literal(rapport.intro))
    for section in rapport.sections:
        st.markdown(f"#### {session.markdown_literal(section.title)}")
        st.markdown(session.markdown_literal(section.text))
        if section.chart:
            st.vega_lite_chart(section.chart, width="stretch", theme=None)
            st.caption(section.chart_description)
        if section.columns:
            st.dataframe(pd.DataFrame(section.rows, columns=section.columns), hide_index=True)
    st.caption(rapport.kilde)
    if not kiosk:
        row = st.container(horizontal=True)
        row.download_button(
            "Last ned som HTML",
            partial(to_html, rapport),
            file_name=export.file_name(rapport.title, "html"),
            mime="text/html",
            key="rapport-html",
            on_click="ignore",
        )
        row.download_button(
            "Last ned som Markdown",
            partial(to_markdown, rapport),
            file_name=export.file_name(rapport.title, "md"),
            mime="text/markdown",
            key="rapport-md",
            on_click="ignore",
        )


def sql_view(assistant: Assistant) -> None:
    st.header("Skriv egen SQL")
    st.caption(
        "Bare én SELECT mot tabellene i databasen, kjørt skrivebeskyttet med tids- og radgrense. "
        "Skjemaet står i docs/ og i ../shared/spec/schema.md."
    )
    with st.form("egen_sql"):
        sql = st.text_area(
            "SQL",
            height=160,
            value="SELECT kommune, fylke, kostragruppe FROM kommune ORDER BY kommune LIMIT 10",
        )
        if st.form_submit_button("Kjør"):
            st.session_state["sql_svar"] = assistant.run_sql(sql)
    if st.session_state["sql_svar"] is not None:
        guarded(show_answer, st.session_state["sql_svar"], "sql", False, False)


def sidebar(assistant: Assistant, kiosk: bool) -> str:
    """The sidebar: view, "Min kommune" and a fresh start. Returns the chosen view."""
    with st.sidebar:
        st.markdown(f"### {TITTEL}")
        views = VISNINGER["kiosk" if kiosk else "ansatt"]
        view = st.radio("Visning", views, key="visning") if len(views) > 1 else views[0]
        st.selectbox(
            "Min kommune",
            session.sorted_kommuner(assistant.names),
            index=None,
            format_func=assistant.names.get,
            placeholder="Velg kommune",
            key="min_kommune",
            help="Da forstår jeg «vi» og «oss», for eksempel «hvor ligger vi i barnehage?»",
        )
        st.button("Ny samtale", on_click=new_conversation, key="ny_samtale")
        if assistant.er_demodata:
            st.info("Tallene er demodata: syntetiske tall, ikke ekte KOSTRA-tall.")
    return view


def missing_database(err: DatabaseError, db_path: str, kiosk: bool) -> None:
    """No database yet: say how to build it (staff) or just that it is not ready (kiosk)."""
    if kiosk:
        st.info(IKKE_KLAR_KIOSK)
        return
    st.error("Databasen mangler eller kan ikke åpnes, så assistenten kan ikke svare ennå.")
    st.markdown("Bygg den fra prosjektmappen med én av disse kommandoene, og last siden på nytt:")
    st.code(f"make run\n# eller\nkommuneindeks build --db {db_path}", language="bash")
    st.caption(str(err))


def main() -> None:
    st.set_page_config(page_title=TITTEL, page_icon="🏛️", layout="centered")
    kiosk = (
        session.choose_mode(st.query_params.get("modus"), os.environ.get(session.MODE_ENV))
        == "kiosk"
    )
    init_state()
    if kiosk:
        st.markdown(KIOSK_CSS, unsafe_allow_html=True)
    idle_reset(kiosk)
    db_path = os.environ.get(DB_ENV, DEFAULT_DB)
    try:
        assistant = get_assistant(db_path)
    except DatabaseError as err:
        st.title(TITTEL)
        missing_database(err, db_path, kiosk)
        return
    view = sidebar(assistant, kiosk)
    if kiosk:
        idle_watch()
    if view == "Kommunerapport":
        rapport_view(assistant, db_path, kiosk)
    elif view == "Egen SQL":
        sql_view(assistant)
    else:
        st.title(TITTEL)
        chat_view(assistant, kiosk)


guarded(main)
