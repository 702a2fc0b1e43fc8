"""An answer's table as files to download: CSV, Excel (openpyxl) and a safe file name.

The CSV is written for Norwegian Excel: semicolons between cells, decimal comma, UTF-8 with a
byte order mark, and every number exact (never rounded as on the screen). Text that a
spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is kept as text, also where Excel
may split a cell in two: after a comma, a semicolon (Norwegian Excel's separator), a tab or a
line break.
"""

import csv
import io
import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

__all__ = ["csv_bytes", "excel_bytes", "file_name"]

# A formula may start a cell, or any piece Excel splits a cell into: after a comma, a semicolon,
# a tab or a line break (spaces before the formula do not stop it).
_FORMULA = re.compile(r"(^|[,;\t\r\n])([ \t\r\n]*)(?=[=+\-@])")
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
MAX_NAME = 60
MAX_CELL = 32_000  # Excel holds at most 32 767 characters in a cell


def _cell(value: Any) -> Any:
    """A result value as a spreadsheet cell: numbers stay numbers, lists and dicts become JSON.

    >>> _cell(1.5), _cell(None), _cell([1, 2]), _cell(True)
    (1.5, None, '[1, 2]', True)
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value, ensure_ascii=False)


def _as_text(value: Any) -> Any:
    r"""Text that starts like a formula, at the start or after a separator or line break, gets
    an apostrophe there in CSV.

    >>> _as_text("=HYPERLINK(1)"), _as_text("Oslo"), _as_text(-3)
    ("'=HYPERLINK(1)", 'Oslo', -3)
    >>> _as_text("x;=1+1"), _as_text("a,b\t@SUM(A1)"), _as_text("Sør-Varanger; -2 %")
    ("x;'=1+1", "a,b\t'@SUM(A1)", "Sør-Varanger; '-2 %")
    """
    value = _cell(value)
    if isinstance(value, str):
        return _FORMULA.sub(r"\1\2'", value)
    return value


def _csv_cell(value: Any) -> Any:
    """A cell as Norwegian Excel reads it: a number with decimal comma and every digit it has
    (no thousands separator, no exponent), yes/no in words, text guarded against formulas.

    >>> _csv_cell(40037464.2551), _csv_cell(1e-7), _csv_cell(-3), _csv_cell(True)
    ('40037464,2551', '0,0000001', -3, 'ja')
    """
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f").replace(".", ",")
    return _as_text(value)


def csv_bytes(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """The table as CSV for Norwegian Excel: `;` between cells, decimal comma, UTF-8 with a
    byte order mark (so Excel shows æ, ø and å).

    >>> csv_bytes(["kommune", "verdi"], [["Sør-Varanger", 1.0184]]).decode("utf-8-sig")
    'kommune;verdi\\r\\nSør-Varanger;1,0184\\r\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_as_text(c) for c in columns])
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def excel_bytes(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    sheet: str = "Svar",
    notes: Sequence[str] = (),
) -> bytes:
    """The table as an .xlsx workbook; `notes` (question, source) go on a second sheet.

    >>> from openpyxl import load_workbook
    >>> book = load_workbook(io.BytesIO(excel_bytes(["kommune", "rang"], [["=1+1", 3]])))
    >>> [[c.value for c in row] for row in book["Svar"].iter_rows()]
    [['kommune', 'rang'], ['=1+1', 3]]
    """
    book = Workbook()
    table = book.active
    table.title = sheet[:31]
    table.append([str(c) for c in columns])
    for cell in table[1]:
        cell.font = Font(bold=True)
    for row in rows:
        table.append([_cell(v) for v in row])
    for line in table.iter_rows(min_row=1):
        for cell in line:
            if isinstance(cell.value, str):
                cell.value = cell.value[:MAX_CELL]
                cell.data_type = "s"  # never a formula
    if notes:
        about = book.create_sheet("Om tallene")
        for note in notes:
            about.append([note[:MAX_CELL]])
            about.cell(about.max_row, 1).data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def file_name(text: str, ext: str, fallback: str = "kommuneindeks") -> str:
    """A short ASCII file name from a question or title.

    >>> file_name("Hvor ligger Sør-Varanger i pleie og omsorg?", "csv")
    'hvor-ligger-sor-varanger-i-pleie-og-omsorg.csv'
    >>> file_name("???", "xlsx")
    'kommuneindeks.xlsx'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().translate(_ASCII)).strip("-")
    slug = slug[:MAX_NAME].rstrip("-") or fallback
    return f"{slug}.{ext}"
