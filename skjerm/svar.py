"""One `Answer` on the screen, answer first: the text, the chart and the map with their
descriptions, then the table behind them in an expander (Norwegian headings and numbers), the
source, the SQL and downloads (staff), and the follow-ups. Also `guarded`, the screen's one
catch-all."""

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from assistant import (
    Answer,
    Assistant,
    answer_markdown,
    csv_bytes,
    excel_bytes,
    file_name,
    markdown_literal,
    plain_cells,
    shown_text,
    sized,
    valgt_indekstype,
)
from skjerm.hva_om import open_hva_om

log = logging.getLogger("kommuneindeks.app")

BEKLAGER = "Beklager, noe gikk galt her. Prøv igjen, eller start en ny samtale."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TALLENE = "Se tallene bak svaret"
KIOSK_FONT = 20  # px: chart text as large as the kiosk's own text


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


def show_chart(spec: dict, kiosk: bool) -> None:
    """A chart with its description (its text alternative) and its source line under it."""
    st.vega_lite_chart(sized(spec, KIOSK_FONT) if kiosk else spec, width="stretch", theme=None)
    st.caption(markdown_literal(spec.get("description", "")))
    kilde = spec.get("usermeta", {}).get("kilde")
    if kilde:
        st.caption(markdown_literal(kilde))


def show_table(assistant: Assistant, answer: Answer, kiosk: bool) -> None:
    """The rows behind the answer as people read them, in an expander under the answer (open
    when there is no chart: then the table is the answer, as for own SQL)."""
    tabell = assistant.display_table(answer.columns, answer.rows)
    with st.expander(TALLENE, expanded=not (answer.chart or answer.kart)):
        if kiosk:  # st.table renders Markdown in its cells: every text made literal
            st.table(pd.DataFrame(plain_cells(tabell.rows), columns=plain_cells([tabell.columns])[0]))
        else:
            st.dataframe(
                pd.DataFrame(tabell.rows, columns=tabell.columns),
                hide_index=True,
                column_config={
                    c: st.column_config.TextColumn(c, alignment="right" if n else "left")
                    for c, n in zip(tabell.columns, tabell.numeric)
                },
            )
        if tabell.merknad:
            st.caption(tabell.merknad)


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
        help="Semikolon mellom kolonnene og desimalkomma, for norsk Excel; alle desimaler med.",
    )
    row.download_button(
        "Last ned Excel",
        partial(excel_bytes, answer.columns, answer.rows, notes=notes),
        file_name=file_name(name, "xlsx"),
        mime=XLSX,
        key=f"xlsx-{key}",
        on_click="ignore",
    )


def show_suggestions(answer: Answer, key: str, kiosk: bool) -> None:
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


def change_reading(assistant: Assistant, i: int, part: str) -> None:
    """Widget callback: answer number `i` again with one part of its reading changed."""
    question, answer = st.session_state["samtale"][i]
    value = st.session_state[f"{part}-{i}"]
    new = assistant.reread(answer, hjemkommune=st.session_state.get("min_kommune"), **{part: value})
    samtale = list(st.session_state["samtale"])
    samtale[i] = (question, new)
    st.session_state["samtale"] = samtale
    st.session_state["nytt_svar"] = i


def show_reading_controls(assistant: Assistant, answer: Answer, key: str) -> None:
    """Staff: another year, service or index for the same question, without retyping it."""
    valg = assistant.tolkningsvalg(answer)
    if not valg:
        return
    frame = answer.frame
    current = {"aar": frame.aar, "tjeneste": frame.tjeneste, "indekstype": valgt_indekstype(frame)}
    labels = {"aar": "År", "tjeneste": "Tjeneste", "indekstype": "Indeks"}
    with st.popover("Endre tolkningen", icon=":material/edit:"):
        for part, choices in (("aar", valg.aar), ("tjeneste", valg.tjeneste), ("indekstype", valg.indekstype)):
            if choices and current[part] in choices:
                st.selectbox(
                    labels[part],
                    list(choices),
                    index=list(choices).index(current[part]),
                    format_func=choices.get,
                    key=f"{part}-{key}",
                    on_change=change_reading,
                    args=(assistant, int(key), part),
                )


def show_answer(assistant: Assistant, answer: Answer, key: str, last: bool, kiosk: bool) -> None:
    """An answer, its start first: text, chart and map; then the numbers behind it, the source,
    SQL and downloads (staff), and the follow-ups. How the question was read (`tolkning`)
    stands above the text; in the staff view each part of it may be changed in place."""
    if answer.tolkning:
        st.caption(markdown_literal(f"Tolket som: {answer.tolkning}"))
    if not kiosk and answer.status == "ok":
        show_reading_controls(assistant, answer, key)
    st.markdown(answer_markdown(shown_text(answer.text, answer.kilde if answer.status == "ok" else "")))
    if answer.status == "ok":
        for spec in (answer.chart, answer.kart):
            if spec:
                show_chart(spec, kiosk)
        if answer.rows:
            show_table(assistant, answer, kiosk)
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
        show_suggestions(answer, key, kiosk)
