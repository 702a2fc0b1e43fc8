"""The chat ("Spør"): the start screen with examples, then the conversation, one `Answer` each.
The newest answer is scrolled to its start and gets the focus; in the kiosk, a question over the
limit gets its message right above the input, with a countdown."""

import os
import time

import streamlit as st

from assistant import (
    EKSEMPLER,
    LIMIT_ENV,
    Assistant,
    DeviceRateLimit,
    device_key,
    markdown_literal,
    questions_per_minute,
)
from skjerm.side import countdown, new_answer_marker
from skjerm.svar import guarded, queue, show_answer, show_chart

INTRO = (
    "Spør om hvordan en kommune ligger an i Kommuneindeksen: kostnad, kvalitet, effektivitet "
    "og økonomi for alle 357 kommuner.  \n"
    "Du får svaret i klartekst, med figur, tallene bak og kilden."
)
FOR_MANGE = "Du har stilt mange spørsmål på kort tid, så dette spørsmålet ble ikke sendt."
START_KART = "Vis kart over kommuneindeksen"  # the kiosk's start screen shows this map


@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def start_map(_assistant: Assistant, db_path: str) -> dict | None:
    """The map of the Kommuneindeksen on the kiosk's start screen, once per database file."""
    return _assistant.ask(START_KART).kart


@st.cache_resource(max_entries=1)
def device_limit() -> DeviceRateLimit:
    """The kiosk's question count per device, shared by all sessions (a reload keeps it)."""
    return DeviceRateLimit(max_questions=questions_per_minute(os.environ.get(LIMIT_ENV)))


def ask(assistant: Assistant, question: str, kiosk: bool) -> None:
    """Ask one question with the conversation so far and add the answer to it. In the kiosk,
    a question over the limit is not asked; `sperret_til` says until when."""
    if kiosk:
        device = device_key(st.context.ip_address)
        now = time.time()
        if not device_limit().allow(device, now):
            st.session_state["sperret_til"] = now + device_limit().wait(device, now)
            return
    with st.spinner("Finner svaret …"):
        answer = assistant.ask(
            question,
            history=st.session_state["samtale"],
            hjemkommune=st.session_state.get("min_kommune"),
        )
    st.session_state["samtale"] = [*st.session_state["samtale"], (question, answer)]
    st.session_state["nytt_svar"] = len(st.session_state["samtale"]) - 1


def start_screen(assistant: Assistant, db_path: str, kiosk: bool) -> None:
    st.markdown(INTRO)
    st.markdown("**Prøv for eksempel:**")
    row = st.container(horizontal=not kiosk)  # in reading order, wrapping on a narrow screen
    for i, example in enumerate(EKSEMPLER[:6]):
        row.button(
            markdown_literal(example),
            key=f"eksempel-{i}",
            on_click=queue,
            args=(example,),
            width="stretch" if kiosk else "content",
        )
    if kiosk:
        kart = start_map(assistant, db_path)
        if kart:
            show_chart(kart, kiosk)


def rate_limit_message(kiosk: bool) -> None:
    """The kiosk's message for a question over the limit, last on the page (right above the
    input, where the visitor is looking) until the wait is over."""
    until = st.session_state.get("sperret_til")
    if kiosk and until and until > time.time():
        st.warning(FOR_MANGE, icon=":material/hourglass_top:")
        countdown(until)


def chat_view(assistant: Assistant, db_path: str, kiosk: bool) -> None:
    question = st.chat_input("Still et spørsmål om Kommuneindeksen …", max_chars=500)
    waiting = st.session_state.pop("fra_lenke", ())  # the questions of a link, asked again
    for asked in (*waiting, question or st.session_state["neste"]):
        if asked:
            guarded(ask, assistant, asked, kiosk)
    st.session_state["neste"] = None
    samtale = st.session_state["samtale"]
    if not samtale:
        start_screen(assistant, db_path, kiosk)
    new = st.session_state.pop("nytt_svar", None)
    for i, (asked, answer) in enumerate(samtale):
        with st.chat_message("user"):
            st.markdown(markdown_literal(asked))
        with st.chat_message("assistant"):
            if i == new:
                new_answer_marker(f"{st.session_state['okt']}-{i}")
            guarded(show_answer, assistant, answer, str(i), i == len(samtale) - 1, kiosk)
    rate_limit_message(kiosk)
