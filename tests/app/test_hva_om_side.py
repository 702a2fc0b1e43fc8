"""The Hva om page: sliders per cost service, the ranks before and after, nothing stored."""

import hashlib
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from scoring.contract import KOSTNADSTJENESTER
from tests.app.conftest import APP
from tests.app.test_app import ask, no_exception

HVA_OM = "Hva om"


def open_page(at: AppTest) -> AppTest:
    return at.sidebar.radio(key="visning").set_value(HVA_OM).run()


def row(at: AppTest, tjeneste: str, indeks: str) -> dict:
    """One row of the page's table (display names, Norwegian numbers), read back as numbers."""
    table = at.dataframe[0].value
    rows = table[(table["Tjeneste"] == tjeneste) & (table["Indeks"] == indeks)]
    shown = rows.iloc[0].to_dict()
    return {
        "rang_for": int(shown["Plass før"]), "rang_etter": int(shown["Plass etter"]),
        "verdi_for": float(shown["Verdi før"].replace(",", ".")),
        "verdi_etter": float(shown["Verdi etter"].replace(",", ".")),
    }


def page_text(at: AppTest) -> str:
    """The what-if text: the first paragraph that is not a bold heading or line."""
    return next(m.value for m in at.main.markdown if not m.value.startswith("**"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_page_has_a_slider_per_cost_service_at_zero_and_min_kommune(app):
    app.sidebar.selectbox(key="min_kommune").set_value("5605").run()
    open_page(app)
    no_exception(app)
    assert app.header[0].value == "Hva om …?"
    assert app.selectbox(key="hva_om_kommune").value == "5605"
    sliders = [app.slider(key=f"hva_om_{t}") for t in KOSTNADSTJENESTER]
    assert [(s.min, s.max, s.step, s.value) for s in sliders] == [(-30, 30, 1, 0)] * 7
    assert [s.label for s in sliders][3] == "Pleie og omsorg"
    assert page_text(app).startswith("Uten endringer for Sør-Varanger.")


def test_less_cost_in_pleie_og_omsorg_saves_money_and_never_worsens_the_cost_rank(app):
    app.sidebar.selectbox(key="min_kommune").set_value("5605").run()
    open_page(app)
    app.slider(key="hva_om_pleie_og_omsorg").set_value(-10).run()
    no_exception(app)
    text = page_text(app)
    assert text.startswith(
        "Med kostnadene endret slik i Sør-Varanger (pleie og omsorg 10 % mindre)"
    )
    assert "ville kommunen spart" in text and "mill. kr i 2024" in text
    assert any(m.value.startswith("**Innsparing i 2024:") for m in app.main.markdown)
    table = app.dataframe[0].value
    assert list(table.columns) == ["Tjeneste", "Indeks", "Verdi før", "Verdi etter", "Plass før", "Plass etter"]
    assert all(re.fullmatch(r"\d,\d{3}", v) for v in table["Verdi før"])  # «1,032», not «1.032»
    for tjeneste in ("Pleie og omsorg", "Alle tjenester"):
        cost = row(app, tjeneste, "Kostnad")
        assert cost["rang_etter"] <= cost["rang_for"], cost
        assert cost["verdi_etter"] > cost["verdi_for"], cost  # lower cost, higher cost index
    assert (
        row(app, "Barnehage", "Kostnad")["rang_etter"]
        == row(app, "Barnehage", "Kostnad")["rang_for"]
    )
    assert len(app.get("vega_lite_chart")) == 1
    description = "Prikkdiagram over plasseringen før (grå) og etter (blå)"
    assert any(c.value.startswith(description) for c in app.main.caption)
    assert any("databasen endres ikke" in i.value for i in app.main.info)


def test_nullstill_puts_every_slider_back_to_zero(app):
    open_page(app)
    app.slider(key="hva_om_pleie_og_omsorg").set_value(-10).run()
    app.slider(key="hva_om_helse").set_value(5).run()
    app.button(key="hva_om_nullstill").click().run()
    no_exception(app)
    assert all(app.slider(key=f"hva_om_{t}").value == 0 for t in KOSTNADSTJENESTER)
    assert page_text(app).startswith("Uten endringer for")
    assert any(m.value == "**Ingen endring i kostnadene i 2024**" for m in app.main.markdown)


def test_a_what_if_answer_in_the_chat_opens_the_page_on_its_municipality(app):
    ask(app, "Hva om pleie og omsorg i Alta kostet 10 % mindre?")
    link = next(b for b in app.button if b.label == "Åpne Hva om-siden")
    link.click().run()
    no_exception(app)
    assert app.sidebar.radio(key="visning").value == HVA_OM
    assert app.selectbox(key="hva_om_kommune").value == "5601"  # Alta
    assert page_text(app).startswith("Uten endringer for Alta.")


def test_using_the_page_leaves_the_database_file_unchanged(app, app_env):
    before = sha256(app_env)
    open_page(app)
    for tjeneste, pct in [("pleie_og_omsorg", -10), ("grunnskole", 30), ("sosial", -30)]:
        app.slider(key=f"hva_om_{tjeneste}").set_value(pct).run()
    app.selectbox(key="hva_om_aar").set_value(2022).run()
    app.button(key="hva_om_nullstill").click().run()
    no_exception(app)
    assert sha256(app_env) == before


def test_the_kiosk_has_no_hva_om_page(app_env):
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params["modus"] = "kiosk"
    at.session_state["visning"] = HVA_OM  # even when asked for, the kiosk shows the chat
    at.run()
    no_exception(at)
    assert not at.sidebar.radio and not at.slider
    assert at.chat_input and at.title[0].value == "Kommuneindeks-assistenten"
    ask(at, "Hva om pleie og omsorg i Alta kostet 10 % mindre?")
    assert "Åpne Hva om-siden" not in [b.label for b in at.button]
