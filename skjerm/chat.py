"""The chat ("Spør"): the start screen with examples, then the conversation, one `Answer` each."""

import time

import streamlit as st

from assistant import EKSEMPLER, Assistant, DeviceRateLimit, device_key, markdown_literal
from skjerm.svar import guarded, queue, show_answer

INTRO = (
    "Spør om hvordan en kommune ligger an i Kommuneindeksen: kostnad, kvalitet, effektivitet "
    "og økonomi for alle 357 kommuner.  \n"
    "Du får svaret i klartekst, med figur, tallene bak og kilden."
)
FOR_MANGE = "Du har stilt mange spørsmål på kort tid. Vent et minutt, så kan du spørre igjen."


@st.cache_resource(max_entries=1)
def device_limit() -> DeviceRateLimit:
    """The kiosk's question count per device, shared by all sessions (a reload keeps it)."""
    return DeviceRateLimit()


def ask(assistant: Assistant, question: str, kiosk: bool) -> None:
    """Ask one question with the conversation so far and add the answer to it."""
    if kiosk:
        device = device_key(st.context.ip_address)
        if not device_limit().allow(device, time.time()):
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
    for i, example in enumerate(EKSEMPLER[:6]):
        columns[i % 2].button(
            markdown_literal(example),
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
            st.markdown(markdown_literal(asked))
        with st.chat_message("assistant"):
            guarded(show_answer, answer, str(i), i == len(samtale) - 1, kiosk)
