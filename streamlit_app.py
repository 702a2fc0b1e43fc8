"""Kommuneindeks-assistenten i nettleseren: chat, kommunerapport, hva om og egen SQL, eller en kiosk.

Inngangen til skjermen: sideoppsett, modus, sidemeny, lenken som holder på tilstanden, og valg
av visning. Visningene ligger i `skjerm/` (én modul per side), logikken i `assistant/`, som
skjermen bare når gjennom inngangsdøra (`from assistant import …`: `Assistant.ask`, `.rapport`,
`.hva_om`, `.run_sql`, øktreglene, lenken og nedlastingene). Kioskmodus: `?modus=kiosk` eller
`KOMMUNEINDEKS_MODUS=kiosk`: én kolonne, ingen sidemeny; en kioskmaskin setter
miljøvariabelen, som ingen adresse kan oppheve (docs/grenser.md).
"""

import os
import secrets
import time

import streamlit as st

from assistant import (
    MODE_ENV,
    Assistant,
    DatabaseError,
    Lenke,
    choose_mode,
    default_db_path,
    is_idle,
    read_lenke,
    sorted_kommuner,
)
from skjerm import hva_om
from skjerm.chat import chat_view
from skjerm.egen_sql import sql_view
from skjerm.hva_om import hva_om_view
from skjerm.rapport import rapport_view
from skjerm.side import page_setup
from skjerm.svar import guarded

TITTEL = "Kommuneindeks-assistenten"
IKKE_KLAR_KIOSK = "Assistenten er ikke klar akkurat nå. Prøv igjen senere."
VISNINGER = {
    "ansatt": ["Spør", "Kommunerapport", hva_om.SIDE, "Egen SQL"],
    "kiosk": ["Spør"],
}
I_LENKEN = {"spor": "Spør", "rapport": "Kommunerapport", "hva-om": hva_om.SIDE, "sql": "Egen SQL"}
BREDE = {"Kommunerapport", hva_om.SIDE}  # views laid out wide: the report's tables, the sliders
MIN_KOMMUNE_HJELP = "Da forstår jeg «vi» og «oss», for eksempel «hvor ligger vi i barnehage?»"


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
    st.session_state.setdefault("okt", secrets.token_hex(4))  # names this session's answers


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


# --- the link that keeps the state -----------------------------------------------------------


def from_link(assistant: Assistant, kiosk: bool) -> None:
    """A new session takes its state from the link it was opened with (a reload, a shared
    link): the view, «Min kommune», the report and the conversation's questions."""
    if "lenke_lest" in st.session_state:
        return
    st.session_state["lenke_lest"] = True
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    visninger = [slug for slug, v in I_LENKEN.items() if v in VISNINGER["kiosk" if kiosk else "ansatt"]]
    lenke = read_lenke(params, visninger, assistant.names, assistant.years)
    if lenke.visning and not kiosk:
        st.session_state["visning"] = I_LENKEN[lenke.visning]
    if lenke.kommune:
        st.session_state["min_kommune"] = lenke.kommune
    if lenke.rapport:
        st.session_state["rapport_kommune"] = lenke.rapport
    if lenke.aar is not None:
        st.session_state["rapport_aar"] = lenke.aar
    st.session_state["fra_lenke"] = lenke.sporsmaal


def to_link(view: str, kiosk: bool) -> None:
    """The link follows the state, so a reload keeps it and a copied address shares it."""
    state = st.session_state
    lenke = Lenke(
        visning=None if kiosk else next(slug for slug, v in I_LENKEN.items() if v == view),
        kommune=state.get("min_kommune"),
        sporsmaal=tuple(q for q, _ in state["samtale"]),
        rapport=state.get("rapport_kommune") if view == "Kommunerapport" else None,
        aar=state.get("rapport_aar") if view == "Kommunerapport" else None,
    )
    wanted = lenke.query_params()
    if "modus" in st.query_params:
        wanted["modus"] = st.query_params["modus"]
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    for key in current.keys() - wanted.keys():
        del st.query_params[key]
    for key, value in wanted.items():  # key by key: only what changed
        if current.get(key) != (value if isinstance(value, list) else [value]):
            st.query_params[key] = value


# --- sidebar and dispatch ------------------------------------------------------------------


def min_kommune(assistant: Assistant) -> None:
    st.selectbox(
        "Min kommune",
        sorted_kommuner(assistant.names),
        index=None,
        format_func=assistant.names.get,
        placeholder="Velg kommune",
        key="min_kommune",
        help=MIN_KOMMUNE_HJELP,
    )


def sidebar(assistant: Assistant) -> str:
    """The staff sidebar: view, "Min kommune" and a fresh start. Returns the chosen view."""
    with st.sidebar:
        st.markdown(f"### {TITTEL}")
        view = st.radio("Visning", VISNINGER["ansatt"], key="visning")
        min_kommune(assistant)
        st.button("Ny samtale", on_click=new_conversation, key="ny_samtale")
        if assistant.er_demodata:
            st.info("Tallene er demodata: syntetiske tall, ikke ekte KOSTRA-tall.")
    return view


def kiosk_header(assistant: Assistant) -> None:
    """The kiosk's controls in its one column: «Min kommune» and a fresh start."""
    st.title(TITTEL)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        min_kommune(assistant)
    right.button("Ny samtale", on_click=new_conversation, key="ny_samtale", width="stretch")


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
    wanted = st.session_state.get("visning") or I_LENKEN.get(st.query_params.get("visning", ""))
    wide = not kiosk and wanted in BREDE
    st.set_page_config(
        page_title=TITTEL,
        page_icon="🏛️",
        layout="wide" if wide else "centered",
        initial_sidebar_state="collapsed" if kiosk else "auto",
    )
    init_state()
    page_setup(kiosk)
    idle_reset(kiosk)
    db_path = str(default_db_path())
    try:
        assistant = get_assistant(db_path)
    except DatabaseError as err:
        st.title(TITTEL)
        missing_database(err, db_path, kiosk)
        return
    from_link(assistant, kiosk)
    if kiosk:
        kiosk_header(assistant)
        idle_watch()
        view = "Spør"
    else:
        view = sidebar(assistant)
    if view == "Kommunerapport":
        rapport_view(assistant, db_path, kiosk)
    elif view == hva_om.SIDE:
        hva_om_view(assistant)
    elif view == "Egen SQL":
        sql_view(assistant)
    else:
        if not kiosk:
            st.title(TITTEL)
        chat_view(assistant, db_path, kiosk)
    to_link(view, kiosk)


guarded(main)
