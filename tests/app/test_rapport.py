"""The kommunerapport: built from frames answered like the chat answers them, written as Markdown,
HTML and Word with its charts."""

import base64
import io
import re

import docx
import pytest

from assistant import Rapport, Section, to_docx, to_html, to_markdown
from assistant.errors import NoDataForYear, NotUnderstood, UnknownKommune


@pytest.fixture(scope="module")
def rapport(assistant) -> Rapport:
    return assistant.rapport("5605", 2024)


def section(rapport: Rapport, title: str) -> Section:
    return next(s for s in rapport.sections if s.title.startswith(title))


def test_report_has_six_sections_each_with_text_table_and_chart(rapport):
    assert rapport.title == "Kommunerapport for Sør-Varanger 2024"
    assert "demodata" in rapport.intro and "Demodata" in rapport.kilde
    assert [s.title for s in rapport.sections] == [
        "Plassering på de fem indeksene",
        "Tjenester med kostnad, kvalitet og effektivitet",
        "Tjenester med kvalitet",
        "Innsparingspotensial",
        "Sterkeste og svakeste indikatorer",
        "Kommunen i fylket",
    ]
    for s in rapport.sections:
        assert s.text and s.rows and all(len(r) == len(s.columns) for r in s.rows), s.title
        assert s.chart and s.chart_description, s.title


def test_ranks_cover_the_year_and_the_two_before(rapport):
    s = section(rapport, "Plassering")
    assert s.columns == ["Indeks", "2022", "2023", "2024", "Endring siden 2022"]
    assert [r[0] for r in s.rows] == [
        "Kommuneindeksen",
        "Kostnad",
        "Kvalitet",
        "Effektivitet",
        "Økonomi",
    ]
    assert all(re.fullmatch(r"\d+ av \d+|ikke rangert", cell) for r in s.rows for cell in r[1:4])


def test_service_ranks_match_the_chat_answer(rapport, assistant):
    s = section(rapport, "Tjenester med kostnad")
    pleie = next(r for r in s.rows if r[0] == "Pleie og omsorg")
    ans = assistant.ask("Hvor ligger Sør-Varanger i pleie og omsorg i 2024?")
    rang = {
        row[ans.columns.index("indekstype")]: (row[ans.columns.index("rang")], row[ans.columns.index("antall")])
        for row in ans.rows
    }
    assert pleie[1:4] == [f"{rang[t][0]} av {rang[t][1]}" for t in ("kostnad", "kvalitet", "effektivitet")]
    assert len(s.rows) == 7
    assert all(re.search(r"(enn|som) kommunegruppen", r[-1]) for r in s.rows)


def test_quality_only_services_have_one_rank(rapport):
    s = section(rapport, "Tjenester med kvalitet")
    assert s.columns == ["Tjeneste", "Kvalitet", "Sammenlignet med kommunegruppen"]
    assert len(s.rows) == 6


def test_savings_by_service_and_in_total_over_three_years(rapport):
    s = section(rapport, "Innsparing")
    assert s.columns == ["Tjeneste", "2022", "2023", "2024", "Sum"]
    assert len(s.rows) == 8 and s.rows[-1][0] == "Alle sju tjenester"
    assert all(cell.endswith("kr") for cell in s.rows[-1][1:])


def test_strongest_and_weakest_indicators(rapport):
    s = section(rapport, "Sterkeste")
    kinds = [r[0] for r in s.rows]
    assert kinds == sorted(kinds, key=["Sterk", "Svak"].index) and {"Sterk", "Svak"} <= set(kinds)
    assert s.text.startswith("Sterkest:") and "Svakest:" in s.text


def test_the_first_year_has_no_change_column(assistant):
    r = assistant.rapport("1818", min(assistant.years))
    assert r.sections[0].columns == ["Indeks", str(min(assistant.years))]


def test_unknown_municipality_and_year_are_refused_in_norwegian(assistant):
    with pytest.raises(UnknownKommune, match="9999"):
        assistant.rapport("9999", 2024)
    with pytest.raises(NoDataForYear, match="2022"):
        assistant.rapport("5605", 1999)


def test_markdown_has_headings_and_tables(rapport):
    md = to_markdown(rapport)
    assert md.startswith("# Kommunerapport for Sør-Varanger 2024\n")
    assert md.count("\n## ") == 6
    assert "| Tjeneste | 2022 | 2023 | 2024 | Sum |" in md


def test_html_is_self_contained_and_escapes_every_text(rapport):
    page = to_html(rapport)
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page
    assert "http" not in page and "<script" not in page  # nothing loaded from outside
    evil = "<script>alert('x')</script>"
    hostile = Rapport(evil, evil, evil, (Section(evil, evil, [evil], [[evil]]),), "0301", 2024)
    page = to_html(hostile)
    assert "<script" not in page
    assert page.count("&lt;script&gt;") == 8  # title, h1, intro, h2, text, header, cell, source


def test_markdown_tables_survive_pipes():
    r = Rapport("T", "i", "k", (Section("S", "t", ["a|b"], [["c|d"]]),), "0301", 2024)
    assert "| a\\|b |" in to_markdown(r) and "| c\\|d |" in to_markdown(r)


def test_the_report_does_not_depend_on_how_questions_are_read(assistant, monkeypatch):
    """Built from frames, not from questions in Norwegian: a reader that understands nothing
    empties no section."""
    import assistant.assistant as orchestrator

    def understands_nothing(question, ctx):
        raise NotUnderstood("Det forstod jeg ikke.")

    monkeypatch.setattr(orchestrator, "read_question", understands_nothing)
    assert assistant.ask("Hvor ligger Sør-Varanger?").status == "refused"
    r = assistant.rapport("5605", 2024)
    assert len(r.sections) == 6 and all(s.rows and s.text for s in r.sections)


def test_the_county_section_maps_the_municipality_among_its_neighbours(rapport, assistant):
    s = section(rapport, "Kommunen i fylket")
    finnmark = [nr for nr, k in assistant.context().register.kommuner.items() if k.fylke == "Finnmark"]
    assert len(s.rows) == len(finnmark) and s.columns[:2] == ["Plass i fylket", "Kommune"]
    own = next(r for r in s.rows if r[1] == "Sør-Varanger")
    ranked = [r for r in s.rows if r[2] != "ikke rangert"]
    assert f"nr. {own[0]} av {len(ranked)} rangerte kommuner i Finnmark" in s.text
    assert {r["kommunenr"] for r in s.chart["datasets"]["rader"]} == set(finnmark)
    assert s.chart["layer"][-1]["transform"][0]["filter"]["equal"] == "5605"  # outlined
    assert s.chart_kilde == "Kommunegrenser: robhop/fylker-og-kommuner (CC BY 4.0)"


def test_html_holds_every_chart_as_svg_with_its_description(rapport):
    page = to_html(rapport)
    pictures = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)">', page)
    assert len(pictures) == len(rapport.sections)
    for data, alt in pictures:
        svg = base64.b64decode(data).decode("utf-8")
        assert svg.lstrip().startswith("<svg") and "<script" not in svg and alt
    assert "robhop/fylker-og-kommuner" in page
    assert re.search(r"\d,\d", " ".join(re.findall(r">([^<]+)</text>", svg)))  # decimal comma


def test_the_word_report_opens_and_holds_the_charts_and_tables(rapport):
    document = docx.Document(io.BytesIO(to_docx(rapport)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [s.title for s in rapport.sections]
    assert document.paragraphs[0].text == rapport.title
    assert len(document.inline_shapes) == len(rapport.sections)  # one chart per section
    described = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert described == [s.chart_description for s in rapport.sections]
    assert len(document.tables) == len(rapport.sections)
    first = document.tables[0]
    assert [c.text for c in first.rows[0].cells] == rapport.sections[0].columns
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert not bullets or all(not b.startswith("•") for b in bullets)
    assert document.core_properties.language == "nb-NO"
