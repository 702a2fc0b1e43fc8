"""The screen, driven headless with AppTest: chat, follow-ups, min kommune, report, kiosk, errors."""

import re
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import Answer, Assistant
from assistant.session import device_key
from skjerm.chat import device_limit
from tests.app.conftest import APP

SPORSMAAL = "Hvor ligger Sør-Varanger i pleie og omsorg?"


def ask(at: AppTest, question: str) -> AppTest:
    return at.chat_input[0].set_value(question).run()


def answers(at: AppTest) -> list:
    return [m for m in at.chat_message if m.name == "assistant"]


def last_text(at: AppTest) -> str:
    return answers(at)[-1].markdown[0].value


def run_button(at: AppTest):
    return next(b for b in at.button if b.label == "Kjør")


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def opened(**params: str | list[str]) -> AppTest:
    """The app opened from a link with these parameters (a new session)."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_start_screen_shows_the_introduction_and_six_examples(app):
    no_exception(app)
    assert app.title[0].value == "Kommuneindeks-assistenten"
    assert "357 kommuner" in app.markdown[0].value
    assert len([b for b in app.button if b.key.startswith("eksempel-")]) == 6
    assert app.sidebar.selectbox(key="min_kommune").value is None


def test_a_question_gets_text_chart_table_source_sql_and_downloads(app):
    ask(app, SPORSMAAL)
    no_exception(app)
    svar = answers(app)[-1]
    text = svar.markdown[0].value
    assert "Sør-Varanger" in text
    assert re.search(r"Norges \d+\. mest effektive av \d+", text)
    assert len(svar.get("vega_lite_chart")) == 1
    captions = [c.value for c in svar.caption]
    description = app.session_state["samtale"][-1][1].chart["description"]
    assert description and description in captions  # the chart in words, for screen readers
    assert any("Demodata" in c for c in captions), captions  # the source line
    assert [e.label for e in svar.expander] == ["Se tallene bak svaret", "Vis SQL"]
    table = svar.expander[0].dataframe[0].value  # the numbers under the answer, in Norwegian
    assert {"Kommune", "Tjeneste", "Indeks", "Verdi", "Plass"} <= set(table.columns)
    assert set(table["Tjeneste"]) == {"Pleie og omsorg"} and "pleie_og_omsorg" not in str(svar)
    assert "SELECT" in svar.code[0].value.upper()
    assert [d.label for d in svar.get("download_button")] == ["Last ned CSV", "Last ned Excel"]
    assert "Hvorfor?" in [b.label for b in svar.button]


def test_an_example_button_asks_its_question(app):
    app.button(key="eksempel-0").click().run()
    no_exception(app)
    assert app.chat_message[0].markdown[0].value == SPORSMAAL
    assert "Sør-Varanger" in last_text(app)


def test_a_clarify_answer_offers_the_choices_and_a_click_answers(app):
    ask(app, "Hvor ligger Herøy?")
    assert "Hvilken mener du" in last_text(app)
    choice = next(b for b in answers(app)[-1].button if b.label == "Herøy (Nordland)")
    choice.click().run()
    no_exception(app)
    assert last_text(app).startswith("Herøy (Nordland) er nr.")
    assert app.session_state["samtale"][-1][1].status == "ok"


def test_a_follow_up_uses_the_conversation(app):
    ask(app, SPORSMAAL)
    ask(app, "og i barnehage?")
    no_exception(app)
    assert len(answers(app)) == 2
    assert last_text(app).startswith("Barnehage i Sør-Varanger")


def test_a_suggestion_button_asks_the_follow_up(app):
    ask(app, SPORSMAAL)
    next(b for b in answers(app)[-1].button if b.label == "Og i grunnskole?").click().run()
    assert last_text(app).startswith("Grunnskole i Sør-Varanger")


def test_min_kommune_answers_questions_about_us(app):
    app.sidebar.selectbox(key="min_kommune").set_value("1804").run()
    ask(app, "hvor ligger vi i barnehage?")
    no_exception(app)
    assert last_text(app).startswith("Barnehage i Bodø")


def test_new_conversation_returns_to_the_start_screen(app):
    ask(app, SPORSMAAL)
    app.sidebar.button(key="ny_samtale").click().run()
    assert not app.chat_message
    assert app.button(key="eksempel-0")


def test_kommunerapport_page_shows_every_section_with_chart_and_downloads(app):
    app.sidebar.radio(key="visning").set_value("Kommunerapport").run()
    app.selectbox(key="rapport_kommune").set_value("5605").run()
    no_exception(app)
    assert app.subheader[0].value == "Kommunerapport for Sør-Varanger 2024"
    titles = [m.value for m in app.markdown if m.value.startswith("#### ")]
    assert len(titles) == 6 and "Innsparingspotensial" in titles[3] and "fylket" in titles[5]
    assert len(app.get("vega_lite_chart")) == 6
    assert len(app.dataframe) == 6
    assert "2022" in app.dataframe[0].value.columns  # the rank two years before
    assert "Kommunegrenser: robhop/fylker-og-kommuner (CC BY 4.0)" in [c.value for c in app.caption]
    assert [d.label for d in app.get("download_button")] == [
        "Last ned som Word",
        "Last ned som HTML",
        "Last ned som Markdown",
    ]


def test_kommunerapport_starts_with_min_kommune(app):
    app.sidebar.selectbox(key="min_kommune").set_value("1804").run()
    app.sidebar.radio(key="visning").set_value("Kommunerapport").run()
    assert app.subheader[0].value == "Kommunerapport for Bodø 2024"


def test_own_sql_runs_through_the_validator(app):
    app.sidebar.radio(key="visning").set_value("Egen SQL").run()
    assert "docs/schema.md" in app.caption[0].value  # the contract, in the repository itself
    tables = app.code[0].value
    assert "- kommune(kommunenr VARCHAR" in tables and "indikatorskaar(" in tables
    app.text_area[0].set_value("SELECT kommune FROM kommune WHERE kommunenr = '5605'")
    run_button(app).click().run()
    no_exception(app)
    tallene = next(e for e in app.expander if e.label == "Se tallene bak svaret")
    assert tallene.proto.expanded  # no chart: the table is the answer, shown open
    assert app.dataframe[0].value["Kommune"].tolist() == ["Sør-Varanger"]
    app.text_area[0].set_value("DELETE FROM kommune")
    run_button(app).click().run()
    assert "Bare SELECT" in app.main.markdown[-1].value and not app.dataframe


@pytest.mark.parametrize(
    ("sql", "said"),
    [
        ("SELECT lpad('x', 1000000, 'y') FROM indeks LIMIT 1000", "Funksjonen «lpad»"),
        ("SELECT length(lpad('x', 2000000000, 'y'))", "Funksjonen «lpad»"),
        (
            "SELECT rpad(kommunenr, 1000, 'x') AS a, rpad(tjeneste, 1000, 'y') AS b, "
            "rpad(indekstype, 1000, 'z') AS c FROM indeks",
            "Resultatet er kortet ned",
        ),
    ],
)
def test_own_sql_that_would_build_a_huge_result_gets_a_norwegian_message(app, sql, said):
    """Issue 17: the page grew to 7.9 GB and showed Streamlit's own MessageSizeError box."""
    app.sidebar.radio(key="visning").set_value("Egen SQL").run()
    app.text_area[0].set_value(sql)
    run_button(app).click().run()
    no_exception(app)
    assert said in " ".join(m.value for m in app.main.markdown)
    assert not app.error
    if app.dataframe:
        assert len(app.dataframe[0].value) < 1000


@pytest.fixture
def kiosk(app_env: Path) -> AppTest:
    return opened(modus="kiosk")


def styles(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def test_kiosk_shows_big_text_and_no_technical_parts(kiosk):
    no_exception(kiosk)
    assert "font-size: 20px" in styles(kiosk)  # the kiosk's large text
    assert not kiosk.sidebar.radio and not kiosk.sidebar.selectbox  # no sidebar at all
    assert kiosk.main.selectbox(key="min_kommune") and kiosk.main.button(key="ny_samtale")
    assert len(kiosk.get("vega_lite_chart")) == 1  # the start screen's map
    ask(kiosk, SPORSMAAL)
    no_exception(kiosk)
    assert "Sør-Varanger" in last_text(kiosk)
    assert [e.label for e in kiosk.expander] == ["Se tallene bak svaret"]
    assert kiosk.expander[0].table  # the numbers behind the answer, as plain text
    assert not kiosk.code and not kiosk.get("download_button") and not kiosk.dataframe
    assert not kiosk.text_area
    chart = kiosk.get("vega_lite_chart")[0].proto.spec
    assert '"labelFontSize": 20' in chart  # chart text as large as the kiosk's own


def test_kiosk_mode_from_the_environment_cannot_be_left_by_url(app_env, monkeypatch):
    monkeypatch.setenv("KOMMUNEINDEKS_MODUS", "kiosk")
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params["modus"] = "ansatt"
    at.run()
    assert "font-size: 20px" in styles(at)
    assert not at.sidebar.radio


def test_kiosk_starts_over_after_being_idle(kiosk):
    ask(kiosk, SPORSMAAL)
    kiosk.selectbox(key="min_kommune").set_value("1804").run()
    kiosk.session_state["sist_aktiv"] = time.time() - 3600
    kiosk.run()
    assert not kiosk.chat_message
    assert kiosk.button(key="eksempel-0")
    assert kiosk.selectbox(key="min_kommune").value is None
    assert "q" not in kiosk.query_params and "kommune" not in kiosk.query_params


def test_kiosk_limits_questions_per_minute_per_device_so_a_reload_does_not_reset_it(kiosk):
    ask(kiosk, SPORSMAAL)
    assert len(answers(kiosk)) == 1
    limit = device_limit()  # the count every session of this device shares
    for _ in range(9):
        assert limit.allow(device_key(None), time.time())
    ask(kiosk, SPORSMAAL)
    assert "mange spørsmål på kort tid" in kiosk.warning[0].value
    assert len(answers(kiosk)) == 1
    countdown = next(h.proto.body for h in kiosk.get("html") if h.proto.body.startswith('<p class="nedtelling"'))
    seconds = int(re.search(r'data-nedtelling="\d+">(\d+)<', countdown).group(1))
    assert 50 <= seconds <= 60  # the first question of the minute was just asked
    reloaded = AppTest.from_file(str(APP), default_timeout=30)  # a new session: a reload
    reloaded.query_params["modus"] = "kiosk"
    ask(reloaded.run(), SPORSMAAL)
    assert "mange spørsmål på kort tid" in reloaded.warning[0].value
    assert not reloaded.chat_message


def test_staff_screens_have_no_question_limit(app):
    limit = device_limit()
    for _ in range(10):
        limit.allow(device_key(None), time.time())
    ask(app, SPORSMAAL)
    assert not app.warning and len(answers(app)) == 1


def test_missing_database_shows_how_to_build_it(app_env, tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNEINDEKS_DB", str(tmp_path / "mangler.duckdb"))
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    no_exception(at)
    assert "Databasen mangler" in at.error[0].value
    assert "make run" in at.code[0].value and "kommuneindeks build" in at.code[0].value


def test_missing_database_in_the_kiosk_says_nothing_technical(app_env, tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNEINDEKS_DB", str(tmp_path / "mangler.duckdb"))
    monkeypatch.setenv("KOMMUNEINDEKS_MODUS", "kiosk")
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    no_exception(at)
    assert "ikke klar" in at.info[0].value and not at.code and not at.error


def test_an_unexpected_error_is_polite_and_the_app_keeps_working(app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("hemmelig detalj")

    working = Assistant.ask
    monkeypatch.setattr(Assistant, "ask", broken)
    ask(app, SPORSMAAL)
    no_exception(app)
    assert app.error[0].value.startswith("Beklager")
    shown = " ".join(str(e.value) for e in [*app.markdown, *app.error, *app.caption])
    assert "hemmelig" not in shown and "Traceback" not in shown
    monkeypatch.setattr(Assistant, "ask", working)
    ask(app, SPORSMAAL)
    no_exception(app)
    assert not app.error and "Sør-Varanger" in last_text(app)


# --- nothing a user or a model wrote is rendered as markup (issue 17) -----------------------

URL_SPORSMAAL = "Hvor ligger http://127.0.0.1:8611/x i skole? Eller www.evil.example?"
HOSTILE_TEXT = "![bilde](https://evil.example/x.png) [Ring oss](http://evil.example) :red[VIKTIG]"


def user_echo(at: AppTest) -> str:
    return [m for m in at.chat_message if m.name == "user"][-1].markdown[0].value


# Markdown that would still act: a URL or www. address (autolinked), a link or image, a colour.
LIVE_MARKDOWN = re.compile(r"https?://|www\.|(?<!\\)\]\(|(?<!\\):red|(?<!\\)<")


def assert_no_link(markdown: str) -> None:
    """No URL, www. address, link, image, colour or HTML survives unescaped."""
    assert not LIVE_MARKDOWN.search(markdown), markdown


@pytest.mark.parametrize("kiosk_mode", [False, True], ids=["ansatt", "kiosk"])
def test_a_url_in_a_question_is_echoed_as_plain_text(app_env, kiosk_mode):
    at = ask(opened(**({"modus": "kiosk"} if kiosk_mode else {})), URL_SPORSMAAL)
    no_exception(at)
    echo = user_echo(at)
    assert_no_link(echo)
    assert "127.0.0.1" in echo and "evil" in echo  # the question is still shown, as text
    assert_no_link(last_text(at))


def hostile_answer(*args, **kwargs) -> Answer:
    """What a hostile model could make of an answer: text, a table and suggestions of its own."""
    return Answer(
        "ok", HOSTILE_TEXT, sql="SELECT 1", columns=[f"Melding {HOSTILE_TEXT}"],
        rows=[[HOSTILE_TEXT], ["**fet** <b>html</b> ola@example.no"]],
        suggestions=[HOSTILE_TEXT], kilde="Kilde: SSB",
    )  # fmt: skip


@pytest.mark.parametrize("kiosk_mode", [False, True], ids=["ansatt", "kiosk"])
def test_text_table_and_suggestions_are_plain_text_in_both_modes(app_env, monkeypatch, kiosk_mode):
    monkeypatch.setattr(Assistant, "ask", hostile_answer)
    at = ask(opened(**({"modus": "kiosk"} if kiosk_mode else {})), SPORSMAAL)
    no_exception(at)
    assert_no_link(last_text(at))
    assert_no_link(answers(at)[-1].button[0].label)
    if kiosk_mode:  # st.table renders Markdown in its cells
        table = answers(at)[-1].table[0].value
        cells = [*table.columns, *table.iloc[:, 0]]
        for cell in cells:
            assert_no_link(cell)
        assert "\\*\\*fet\\*\\*" in cells[-1] and "\\<b\\>" in cells[-1] and "\\@" in cells[-1]
    else:  # st.dataframe shows text as text: the cells are the rows as they came
        assert answers(at)[-1].dataframe[0].value.iloc[0, 0] == HOSTILE_TEXT


# --- links that keep the state (issue 16) --------------------------------------------------------


def test_the_link_follows_the_view_min_kommune_and_the_questions(app):
    app.sidebar.selectbox(key="min_kommune").set_value("1804").run()
    ask(app, "hvor ligger vi i barnehage?")
    ask(app, "og i grunnskole?")
    assert app.query_params["kommune"] == "1804"
    assert app.query_params["q"] == ["hvor ligger vi i barnehage?", "og i grunnskole?"]
    assert app.query_params["visning"] == "spor"
    app.sidebar.button(key="ny_samtale").click().run()
    assert "q" not in app.query_params and app.query_params["kommune"] == "1804"


def test_a_link_opens_the_conversation_it_holds(app_env):
    at = opened(kommune="1804", q=["hvor ligger vi i barnehage?", "og i grunnskole?"])
    no_exception(at)
    assert at.sidebar.selectbox(key="min_kommune").value == "1804"
    assert [m.markdown[0].value for m in at.chat_message if m.name == "user"] == [
        "hvor ligger vi i barnehage?", "og i grunnskole?"
    ]
    assert last_text(at).startswith("Grunnskole i Bodø")


def test_a_link_opens_the_report_on_its_municipality_and_year(app_env):
    at = opened(visning="rapport", rapport="5605", aar="2023")
    no_exception(at)
    assert at.subheader[0].value == "Kommunerapport for Sør-Varanger 2023"
    assert at.query_params["rapport"] == "5605" and at.query_params["aar"] == "2023"


def test_a_link_with_unknown_values_opens_the_start_screen(app_env):
    at = opened(visning="<script>", kommune="9999", rapport="DROP TABLE")
    no_exception(at)
    assert at.sidebar.radio(key="visning").value == "Spør"
    assert at.sidebar.selectbox(key="min_kommune").value is None
    assert at.button(key="eksempel-0")


def test_the_newest_answer_is_marked_for_the_focus_and_the_table_sits_under_it(app):
    ask(app, SPORSMAAL)
    svar = answers(app)[-1]
    markers = [h.proto.body for h in svar.get("html")]
    assert len(markers) == 1 and "data-nytt-svar" in markers[0]
    order = [type(c).__name__ for c in svar.children.values()]
    assert order.index("Markdown") < order.index("Expander")  # answer first, numbers under it
    ask(app, "og i barnehage?")
    assert not answers(app)[0].get("html")  # only the new answer takes the focus


@pytest.mark.parametrize("mode", ["ansatt", "kiosk"])
def test_the_reading_stands_above_the_answer_in_both_modes(app_env, mode):
    at = ask(opened(modus=mode), SPORSMAAL)
    no_exception(at)
    svar = answers(at)[-1]
    first = next(c for c in svar.children.values() if type(c).__name__ in ("Caption", "Markdown"))
    assert type(first).__name__ == "Caption" and first.value.startswith("Tolket som: ")
    assert "pleie og omsorg · Sør-Varanger · 2024" in first.value
    assert bool(svar.selectbox) == (mode == "ansatt")  # only staff change the reading in place


def test_staff_change_the_year_and_service_of_an_answer_in_place(app):
    ask(app, SPORSMAAL)
    app.selectbox(key="aar-0").set_value(2022).run()
    no_exception(app)
    assert len(app.session_state["samtale"]) == 1  # the same answer, read again, not a new one
    assert "2022" in answers(app)[-1].caption[0].value and "i 2022" in last_text(app)
    app.selectbox(key="tjeneste-0").set_value("barnehage").run()
    assert "barnehage · Sør-Varanger · 2022" in answers(app)[-1].caption[0].value
    assert "Barnehage i Sør-Varanger" in last_text(app)
    app.selectbox(key="indekstype-0").set_value("kvalitet").run()
    assert answers(app)[-1].caption[0].value.startswith("Tolket som: Kvalitet · barnehage")


def test_demodata_is_said_once_under_the_answer_not_again_in_its_text(app):
    ask(app, SPORSMAAL)
    svar = answers(app)[-1]
    assert "demodata" in app.session_state["samtale"][-1][1].text  # the answer itself says it …
    assert "demodata" not in last_text(app).lower()  # … the screen says it in the source line
    assert sum("demodata" in c.value.lower() for c in svar.caption) == 1
