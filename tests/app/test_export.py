"""Downloads: CSV and Excel of an answer's table, safe for spreadsheets."""

import csv
import io
import re

import pandas as pd
from openpyxl import load_workbook

from assistant.export import csv_bytes, excel_bytes, file_name

COLUMNS = ["kommune", "kommunenr", "rang", "verdi"]
ROWS = [["Sør-Varanger", "5605", 156, 1.0184], ["Herøy (Nordland)", "1818", None, None]]


def excel_nb(data: bytes) -> pd.DataFrame:
    """The CSV read as Norwegian Excel reads it: a byte order mark says UTF-8, `;` separates
    the cells and a comma is the decimal mark."""
    assert data.startswith(b"\xef\xbb\xbf")
    return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig",
                       dtype={"kommunenr": str})


def test_csv_opens_in_columns_with_decimal_commas_in_norwegian_excel():
    rows = [*ROWS, ["Bodø", "1804", 12, 40037464.2551]]
    table = excel_nb(csv_bytes(COLUMNS, rows))
    assert list(table.columns) == COLUMNS
    assert table["kommune"].tolist() == ["Sør-Varanger", "Herøy (Nordland)", "Bodø"]
    assert table["kommunenr"].tolist() == ["5605", "1818", "1804"]
    assert table["verdi"].dtype == float  # numbers, not text: every decimal read as a decimal
    assert table["verdi"].tolist()[0] == 1.0184 and table["verdi"].tolist()[2] == 40037464.2551
    assert pd.isna(table["verdi"][1])
    text = csv_bytes(COLUMNS, rows).decode("utf-8-sig")
    assert "1,0184" in text and "40037464,2551" in text and "." not in text.split("\r\n", 1)[1]


def test_an_answers_csv_keeps_the_exact_values(assistant):
    ans = assistant.ask("Hva er innsparingspotensialet i Bodø?")
    table = excel_nb(csv_bytes(ans.columns, ans.rows))
    kr = ans.columns.index("innsparingspotensial_kr")
    assert table["innsparingspotensial_kr"].tolist() == [r[kr] for r in ans.rows]


def test_csv_keeps_formulas_as_text():
    data = csv_bytes(["x"], [['=HYPERLINK("http://a")'], ["@SUM(1)"], [-3], [-3.5]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == [['\'=HYPERLINK("http://a")'], ["'@SUM(1)"], ["-3"], ["-3,5"]]


# Cells that become formulas once Excel splits them: Norwegian Excel splits on semicolons, and
# others on commas, tabs and line breaks (issue 17).
SPLIT_FORMULAS = [
    "x;=1+1",
    "Oslo;+47 123 45 678",
    "a,=HYPERLINK(\"http://evil.example\")",
    "a\t@SUM(A1)",
    "linje 1\n=1+1",
    "linje 1\r\n  -2+3",
    "a; ;=1",
]


def test_csv_keeps_formulas_as_text_after_every_separator_excel_may_split_on():
    data = csv_bytes(["x"], [[text] for text in SPLIT_FORMULAS]).decode("utf-8-sig")
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(data), delimiter=delimiter):
            for cell in row:
                for piece in re.split(r"[\r\n]", cell):
                    assert not piece.lstrip(" \t").startswith(("=", "+", "-", "@")), (cell, piece)
    # and read the way it was written, each text comes back with only apostrophes added
    rows = list(csv.reader(io.StringIO(data)))[1:]
    assert [r[0].replace("'", "") for r in rows] == [t.replace("'", "") for t in SPLIT_FORMULAS]


def test_excel_has_the_table_and_the_notes():
    book = load_workbook(
        io.BytesIO(excel_bytes(COLUMNS, ROWS, notes=["Spørsmål: x", "Kilde: demodata"]))
    )
    values = [[c.value for c in row] for row in book["Svar"].iter_rows()]
    assert values == [COLUMNS, ROWS[0], ROWS[1]]
    assert book["Svar"]["A1"].font.bold
    assert [r[0].value for r in book["Om tallene"].iter_rows()] == [
        "Spørsmål: x",
        "Kilde: demodata",
    ]


def test_excel_never_writes_a_formula():
    book = load_workbook(io.BytesIO(excel_bytes(["x"], [["=1+1"], ["+47 123"]])))
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in cells] == [("=1+1", "s"), ("+47 123", "s")]


def test_excel_writes_lists_as_json_text():
    book = load_workbook(io.BytesIO(excel_bytes(["liste"], [[[1, "å"]]])))
    assert book.active["A2"].value == '[1, "å"]'


def test_file_name_is_short_ascii():
    name = file_name("Kommunerapport for Ørland og Åfjord 2024 " + "x" * 100, "html")
    assert name.startswith("kommunerapport-for-orland-og-afjord-2024-")
    assert name.endswith(".html") and len(name) <= 65 and name.isascii()
