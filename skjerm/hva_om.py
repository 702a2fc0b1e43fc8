"""The "Hva om" page: one slider per cost service, and the ranks before and after (issue 8).

The numbers come from `Assistant.hva_om`, which recomputes the indices in
memory; nothing is stored and the database is never written.
"""

import pandas as pd
import streamlit as st

from assistant import (
    KOSTNADSTJENESTER,
    Assistant,
    AssistantError,
    markdown_literal,
    sorted_kommuner,
)

SIDE = "Hva om"  # the page's name in the sidebar
LAGRES_IKKE = (
    "Ingenting lagres: beregningen gjøres i minnet for denne visningen, og databasen endres ikke."
)
TABELL = ["tjeneste", "indekstype", "verdi_for", "verdi_etter", "rang_for", "rang_etter"]


def slider_key(tjeneste: str) -> str:
    return f"hva_om_{tjeneste}"


def reset() -> None:
    """The "Nullstill" button: every service back to today's cost."""
    for tjeneste in KOSTNADSTJENESTER:
        st.session_state[slider_key(tjeneste)] = 0


def open_hva_om(kommunenr: str, aar: int | None) -> None:
    """Button callback (a what-if answer in the chat): open this page on its municipality."""
    st.session_state["visning"] = SIDE
    st.session_state["hva_om_kommune"] = kommunenr
    if aar is not None:
        st.session_state["hva_om_aar"] = aar
    reset()


def hva_om_view(assistant: Assistant) -> None:
    st.header("Hva om …?")
    st.caption(
        "Endre kostnaden i hver av de sju tjenestene og se hvordan plasseringene ville blitt. "
        "Hver tjeneste kan gå 30 % ned eller opp fra dagens netto driftsutgifter."
    )
    options = sorted_kommuner(assistant.names)
    mine = st.session_state.get("min_kommune")
    st.session_state.setdefault("hva_om_kommune", mine if mine in options else options[0])
    st.session_state.setdefault("hva_om_aar", max(assistant.years))
    for tjeneste in KOSTNADSTJENESTER:
        st.session_state.setdefault(slider_key(tjeneste), 0)
    left, right = st.columns([3, 1])
    kommunenr = left.selectbox(
        "Kommune", options, format_func=assistant.names.get, key="hva_om_kommune"
    )
    aar = right.selectbox("År", sorted(assistant.years, reverse=True), key="hva_om_aar")
    controls, result = st.columns([1, 2], gap="large")
    with controls:
        st.markdown("**Endring i kostnad per tjeneste**")
        endringer = {
            tjeneste: st.slider(
                assistant.tjenestenavn[tjeneste],
                min_value=-30,
                max_value=30,
                step=1,
                format="%d %%",
                key=slider_key(tjeneste),
            )
            for tjeneste in KOSTNADSTJENESTER
        }
        st.button("Nullstill", on_click=reset, key="hva_om_nullstill", icon=":material/undo:")
    with result:
        try:
            svar = assistant.hva_om(kommunenr, aar, endringer)
        except AssistantError as err:
            st.warning(str(err))
            return
        st.markdown(markdown_literal(svar.text))
        st.markdown(f"**{svar.savings_line}**")
        if svar.chart:
            st.vega_lite_chart(svar.chart, width="stretch", theme=None)
            st.caption(svar.chart.get("description", ""))
        tabell = assistant.display_table(svar.columns, svar.rows, only=TABELL)  # «1,032»
        st.dataframe(
            pd.DataFrame(tabell.rows, columns=tabell.columns),
            hide_index=True,
            height=35 * (len(tabell.rows) + 1) + 3,  # every row in view, no inner scrolling
            column_config={
                c: st.column_config.TextColumn(c, alignment="right" if n else "left")
                for c, n in zip(tabell.columns, tabell.numeric)
            },
        )
        st.caption(assistant.kilde)
        st.info(LAGRES_IKKE, icon=":material/info:")
