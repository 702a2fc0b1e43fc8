"""Kommuneindeks-assistenten: Norwegian questions → validated SQL → answers.

The front door: the screen (`skjerm/`, `streamlit_app.py`) imports only these names.

>>> from assistant import Assistant, Answer
"""

from assistant.answer import Answer
from assistant.assistant import Assistant, default_db_path
from assistant.chart import sized
from assistant.errors import AssistantError, DatabaseError
from assistant.export import csv_bytes, excel_bytes, file_name
from assistant.hva_om.compute import HvaOm
from assistant.lenke import Lenke, read_lenke
from assistant.rapport import Rapport, Section, to_docx, to_html, to_markdown
from assistant.session import (
    EKSEMPLER,
    LIMIT_ENV,
    MODE_ENV,
    DeviceRateLimit,
    answer_markdown,
    choose_mode,
    device_key,
    is_idle,
    markdown_literal,
    plain_cells,
    questions_per_minute,
    shown_text,
    sorted_kommuner,
)
from assistant.text.tabell import Tabell
from assistant.text.valg import Tolkningsvalg, valgt_indekstype
from scoring.contract import KOSTNADSTJENESTER

__all__ = [
    # the assistant and its answers
    "Assistant", "Answer", "Tabell", "Tolkningsvalg", "valgt_indekstype", "default_db_path", "AssistantError", "DatabaseError",
    # what its other views return: the kommunerapport and a what-if
    "Rapport", "Section", "to_docx", "to_html", "to_markdown", "HvaOm", "KOSTNADSTJENESTER",
    # charts at the kiosk's text size
    "sized",
    # the rules of a screen session, and downloads
    "EKSEMPLER", "MODE_ENV", "LIMIT_ENV", "choose_mode", "is_idle", "DeviceRateLimit", "device_key",
    "questions_per_minute", "shown_text",
    "markdown_literal", "plain_cells", "sorted_kommuner", "csv_bytes", "excel_bytes", "file_name",
    "answer_markdown",
    # links that keep the screen's state
    "Lenke", "read_lenke",
]  # fmt: skip
