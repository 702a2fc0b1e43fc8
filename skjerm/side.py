"""The page around the views: its styles (both modes, and the kiosk's), its script (Norwegian
labels for what a screen reader announces, focus on a new answer, a countdown), and the markers
the script acts on (`side.js`). Nothing here shows what a user or a model wrote."""

import html
import math
import time
from functools import cache
from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent


@cache
def _asset(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def page_setup(kiosk: bool) -> None:
    """The styles and the page script, once per run (the script itself acts once per page)."""
    css = _asset("side.css") + (_asset("kiosk.css") if kiosk else "")
    st.html(f"<style>{css}</style>")
    st.html(f"<script data-side-skript>{_asset('side.js')}</script>", unsafe_allow_javascript=True)


def new_answer_marker(ident: str) -> None:
    """Marks the start of a new answer: the script scrolls to it and moves the focus there."""
    st.html(f'<span data-nytt-svar="{html.escape(ident)}"></span>')


def countdown(until: float) -> None:
    """A line that counts down to `until` (epoch seconds), when the next question may be asked;
    scrolled into view once."""
    ends_ms = int(until * 1000)
    seconds = max(1, math.ceil(until - time.time()))
    st.html(
        f'<p class="nedtelling" data-vis-meg="{ends_ms}" '
        'data-nedtelling-tekst="Nå kan du spørre igjen.">'
        f'Du kan spørre igjen om <span data-nedtelling="{ends_ms}">{seconds}</span> sekunder.</p>'
    )
