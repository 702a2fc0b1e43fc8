"""The kommunerapport: its content (`compose.py`), and the files it is written to: Markdown,
HTML and Word, the last two with the charts as static pictures (`figures.py`)."""

from assistant.rapport.compose import Rapport, Section, kommunerapport
from assistant.rapport.html import to_html
from assistant.rapport.markdown import to_markdown
from assistant.rapport.word import to_docx

__all__ = ["Rapport", "Section", "kommunerapport", "to_docx", "to_html", "to_markdown"]
