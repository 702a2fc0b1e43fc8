"""The kommunerapport as a Word document (python-docx) a council secretariat can edit: headings,
text with its lists, each chart as a picture with its description as alternative text and
caption, and the tables. Marked as Norwegian bokmål, so Word checks the spelling in Norwegian."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from assistant.rapport.compose import Rapport, Section
from assistant.rapport.figures import png
from assistant.text.phrases import PUNKT

__all__ = ["to_docx"]

LANGUAGE = "nb-NO"
PICTURE_WIDTH = Cm(15)


def _norwegian(document) -> None:
    """Set the default language of the document's text to Norwegian bokmål."""
    properties = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    properties.append(lang)


def _text(document, text: str) -> None:
    for line in text.split("\n"):
        if line.startswith(PUNKT):
            document.add_paragraph(line.removeprefix(PUNKT), style="List Bullet")
        else:
            document.add_paragraph(line)


def _figure(document, s: Section) -> None:
    document.add_picture(io.BytesIO(png(s.chart)), width=PICTURE_WIDTH)
    picture = document.inline_shapes[-1]
    picture._inline.docPr.set("descr", s.chart_description)  # alternative text for screen readers
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = document.add_paragraph(s.chart_description, style="Caption")
    if s.chart_kilde:
        caption.add_run("\n" + s.chart_kilde)


def _table(document, s: Section) -> None:
    table = document.add_table(rows=1, cols=len(s.columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, s.columns):
        cell.text = name
        cell.paragraphs[0].runs[0].bold = True
    for row in s.rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = str(value)


def to_docx(rapport: Rapport) -> bytes:
    """The report as a .docx file."""
    document = Document()
    _norwegian(document)
    document.core_properties.title = rapport.title
    document.core_properties.language = LANGUAGE
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(rapport.title, level=0)
    document.add_paragraph(rapport.intro)
    for s in rapport.sections:
        document.add_heading(s.title, level=1)
        _text(document, s.text)
        if s.chart:
            _figure(document, s)
        if s.columns:
            _table(document, s)
    document.add_paragraph(rapport.kilde, style="Caption")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
