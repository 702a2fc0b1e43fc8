"""The "Egen SQL" page: one SELECT of the user's own, run through the assistant's validator."""

import streamlit as st

from assistant import Assistant
from skjerm.svar import guarded, show_answer


def sql_view(assistant: Assistant) -> None:
    st.header("Skriv egen SQL")
    st.caption(
        "Bare én SELECT mot tabellene i databasen, kjørt skrivebeskyttet med tids- og radgrense. "
        "Tabellene og hva kolonnene betyr står i docs/schema.md."
    )
    with st.expander("Tabellene du kan spørre i"):
        st.code(assistant.schema_text, language=None)
    with st.form("egen_sql"):
        sql = st.text_area(
            "SQL",
            height=160,
            value="SELECT kommune, fylke, kostragruppe FROM kommune ORDER BY kommune LIMIT 10",
        )
        if st.form_submit_button("Kjør"):
            st.session_state["sql_svar"] = assistant.run_sql(sql)
    if st.session_state["sql_svar"] is not None:
        guarded(show_answer, assistant, st.session_state["sql_svar"], "sql", False, False)
