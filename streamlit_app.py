"""Kommuneindeks-assistenten i nettleseren: chat, kommunerapport, hva om og egen SQL, eller en kiosk.

Inngangen til skjermen: sideoppsett, modus, sidemeny og valg av visning. Visningene ligger i
`skjerm/` (én modul per side), logikken i `assistant/`, som skjermen bare når gjennom
inngangsdøra (`from assistant import …`: `Assistant.ask`, `.rapport`, `.hva_om`, `.run_sql`,
øktreglene og nedlastingene). Kioskmodus: `?modus=kiosk` eller `KOMMUNEINDEKS_MODUS=kiosk`; en
kioskmaskin setter miljøvariabelen, som ingen adresse kan oppheve (docs/grenser.md).
"""

import os
import time

import streamlit as st

from assistant import (
    MODE_ENV,
    Assistant,
    DatabaseError,
    choose_mode,
    default_db_path,
    is_idle,
    sorted_kommuner,
)
from skjerm import hva_om
from skjerm.chat import chat_view
from skjerm.egen_sql import sql_view
from skjerm.hva_om import hva_om_view
from skjerm.rapport import rapport_view
from skjerm.svar import guarded

TITTEL = "Kommuneindeks-assistenten"
IKKE_KLAR_KIOSK = "Assistenten er ikke klar akkurat nå. Prøv igjen senere."
VISNINGER = {
    "ansatt": ["Spør", "Kommunerapport", hva_om.SIDE, "Egen SQL"],
    "kiosk": ["Spør"],
}
BREDE = {"Kommunerapport", hva_om.SIDE}  # views laid out wide: the report's tables, the sliders
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
    """The shared, read-only assistant for one database file (never mutated), warmed up so
    that the first question does not pay for building charts and parsing templates."""
    assistant = Assistant(db_path)
    assistant.warm_up()
    return assistant


# --- session state -------------------------------------------------------------------------


def init_state() -> None:
    """The per-session state, set up once: the conversation and the kiosk's idle clock (its
    question count is per device, in `skjerm.chat.device_limit`)."""
    st.session_state.setdefault("samtale", [])  # list[tuple[str, Answer]]
    st.session_state.setdefault("neste", None)  # a question chosen with a button
    st.session_state.setdefault("sist_aktiv", None)
    st.session_state.setdefault("sql_svar", None)


def new_conversation() -> None:
    st.session_state["samtale"] = []
    st.session_state["neste"] = None


def idle_reset(kiosk: bool) -> None:
    """In the kiosk, a session quiet for a few minutes starts over; any rerun is activity."""
    now = time.time()
    if kiosk and is_idle(st.session_state["sist_aktiv"], now):
        new_conversation()
        st.session_state.pop("min_kommune", None)
    st.session_state["sist_aktiv"] = now


@st.fragment(run_every=30)
def idle_watch() -> None:
    """Checks the kiosk's idle clock even when nobody touches the screen."""
    if is_idle(st.session_state.get("sist_aktiv"), time.time()):
        st.rerun()


# --- sidebar and dispatch ------------------------------------------------------------------


def sidebar(assistant: Assistant, kiosk: bool) -> str:
    """The sidebar: view, "Min kommune" and a fresh start. Returns the chosen view."""
    with st.sidebar:
        st.markdown(f"### {TITTEL}")
        views = VISNINGER["kiosk" if kiosk else "ansatt"]
        view = st.radio("Visning", views, key="visning") if len(views) > 1 else views[0]
        st.selectbox(
            "Min kommune",
            sorted_kommuner(assistant.names),
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
    kiosk = (
        choose_mode(st.query_params.get("modus"), os.environ.get(MODE_ENV))
        == "kiosk"
    )
    # One page config per run: a second call in the view makes the layout flip on every rerun.
    wide = not kiosk and st.session_state.get("visning") in BREDE
    st.set_page_config(page_title=TITTEL, page_icon="🏛️", layout="wide" if wide else "centered")
    init_state()
    if kiosk:
        st.markdown(KIOSK_CSS, unsafe_allow_html=True)
    idle_reset(kiosk)
    db_path = str(default_db_path())
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
    elif view == hva_om.SIDE:
        hva_om_view(assistant)
    elif view == "Egen SQL":
        sql_view(assistant)
    else:
        st.title(TITTEL)
        chat_view(assistant, kiosk)


guarded(main)
