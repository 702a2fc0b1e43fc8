"""The Kommunerapport page: one municipality and year, section by section (the last one the
municipality on a map of its county), with downloads as Word, HTML and Markdown."""

from functools import partial

import pandas as pd
import streamlit as st

from assistant import (
    Assistant,
    AssistantError,
    Rapport,
    answer_markdown,
    file_name,
    markdown_literal,
    sorted_kommuner,
    to_docx,
    to_html,
    to_markdown,
)
from skjerm.svar import show_chart

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@st.cache_data(show_spinner="Lager kommunerapporten …", max_entries=64, ttl=3600)
def get_rapport(_assistant: Assistant, db_path: str, kommunenr: str, aar: int) -> Rapport:
    """The report for one municipality and year, cached per database file."""
    return _assistant.rapport(kommunenr, aar)


def rapport_view(assistant: Assistant, db_path: str, kiosk: bool) -> None:
    st.header("Kommunerapport")
    st.caption(
        "Rang nå og to år før, tjenestene mot kommunegruppen, innsparingspotensial og indikatorer."
    )
    options = sorted_kommuner(assistant.names)
    mine = st.session_state.get("min_kommune")
    if st.session_state.get("rapport_kommune") not in options:  # first visit: «Min kommune»
        st.session_state["rapport_kommune"] = mine if mine in options else options[0]
    if st.session_state.get("rapport_aar") not in assistant.years:
        st.session_state["rapport_aar"] = max(assistant.years)
    left, right = st.columns([3, 1])
    kommunenr = left.selectbox(
        "Kommune", options, format_func=assistant.names.get, key="rapport_kommune"
    )
    aar = right.selectbox("År", sorted(assistant.years, reverse=True), key="rapport_aar")
    try:
        rapport = get_rapport(assistant, db_path, kommunenr, aar)
    except AssistantError as err:
        st.warning(str(err))
        return
    st.subheader(rapport.title)
    st.markdown(markdown_literal(rapport.intro))
    for section in rapport.sections:
        st.markdown(f"#### {markdown_literal(section.title)}")
        st.markdown(answer_markdown(section.text))
        if section.chart:
            show_chart(section.chart, kiosk)
        if section.columns:
            st.dataframe(pd.DataFrame(section.rows, columns=section.columns), hide_index=True)
    st.caption(rapport.kilde)
    if not kiosk:
        row = st.container(horizontal=True)
        row.download_button(
            "Last ned som Word",
            partial(to_docx, rapport),
            file_name=file_name(rapport.title, "docx"),
            mime=DOCX,
            key="rapport-docx",
            on_click="ignore",
        )
        row.download_button(
            "Last ned som HTML",
            partial(to_html, rapport),
            file_name=file_name(rapport.title, "html"),
            mime="text/html",
            key="rapport-html",
            on_click="ignore",
        )
        row.download_button(
            "Last ned som Markdown",
            partial(to_markdown, rapport),
            file_name=file_name(rapport.title, "md"),
            mime="text/markdown",
            key="rapport-md",
            on_click="ignore",
        )
