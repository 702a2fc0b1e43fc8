"""One `Answer` on the screen (text, chart, table, source, SQL, downloads, follow-ups), and
`guarded`, the screen's one catch-all."""

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from assistant import Answer, csv_bytes, excel_bytes, file_name, markdown_literal, plain_cells
from skjerm.hva_om import open_hva_om

log = logging.getLogger("kommuneindeks.app")

BEKLAGER = "Beklager, noe gikk galt her. Prøv igjen, eller start en ny samtale."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def guarded(render: Callable[..., None], *args: Any) -> None:
    """Run one part of the screen; an unexpected error is logged and shown politely."""
    try:
        render(*args)
    except Exception:  # the screen's one catch-all: logged with its traceback, shown politely
        log.exception("Feil under visning av %s", getattr(render, "__name__", render))
        st.error(BEKLAGER)


def queue(question: str) -> None:
    """Button callback: ask this question on the rerun."""
    st.session_state["neste"] = question


def show_table(answer: Answer, kiosk: bool) -> None:
    if kiosk:  # st.table renders Markdown in its cells: every text made literal
        table = pd.DataFrame(
            plain_cells(answer.rows), columns=plain_cells([answer.columns])[0]
        )
        with st.expander("Se tallene bak svaret"):
            st.table(table)
    else:  # st.dataframe shows text as text
        st.dataframe(pd.DataFrame(answer.rows, columns=answer.columns), hide_index=True)


def show_downloads(answer: Answer, key: str) -> None:
    name = answer.question or "resultat"
    notes = [f"Spørsmål: {answer.question}", answer.kilde, f"SQL: {answer.sql or ''}"]
    row = st.container(horizontal=True)
    row.download_button(
        "Last ned CSV",
        partial(csv_bytes, answer.columns, answer.rows),
        file_name=file_name(name, "csv"),
        mime="text/csv",
        key=f"csv-{key}",
        on_click="ignore",
    )
    row.download_button(
        "Last ned Excel",
        partial(excel_bytes, answer.columns, answer.rows, notes=notes),
        file_name=file_name(name, "xlsx"),
        mime=XLSX,
        key=f"xlsx-{key}",
        on_click="ignore",
    )


def show_answer(answer: Answer, key: str, last: bool, kiosk: bool) -> None:
    """An answer: text, chart with its summary, table, source, SQL, downloads and follow-ups."""
    st.markdown(markdown_literal(answer.text))
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
        if not kiosk and answer.frame and answer.frame.sporsmaal == "hva_om":
            st.button(
                "Åpne Hva om-siden",
                key=f"hva_om-{key}",
                icon=":material/tune:",
                on_click=open_hva_om,
                args=(answer.frame.kommuner[0], answer.frame.aar),
            )
    if last and answer.suggestions:
        st.caption("Velg ett:" if answer.status == "clarify" else "Du kan også spørre:")
        kind = "primary" if answer.status == "clarify" else "secondary"
        row = st.container(horizontal=not kiosk)
        for j, suggestion in enumerate(answer.suggestions):
            row.button(
                markdown_literal(suggestion),  # a label renders Markdown
                key=f"forslag-{key}-{j}",
                type=kind,
                on_click=queue,
                args=(suggestion,),
                width="stretch" if kiosk else "content",
            )
