"""Import CSV files exported from SSB's statbank (statistikkbanken) into the raadata frame.

For when the API cannot be reached: export the tables in data/ssb_katalog.toml from
ssb.no/statbank as CSV into one folder and import it. Each file is read as:

- the table id from the file name (``12134_20260209-154116.csv``) or else the title line
  (``"12134: Utvalgte nøkkeltall …"``);
- semicolon-separated, UTF-8 or Windows-1252, decimal comma; ``..``, ``.``, ``:`` and ``…`` are
  missing and ``-`` is SSB's symbol for nil (0);
- long form, one column per dimension (``"region";"statistikkvariabel";"år";<value>``, the value
  last), or wide form with the years in the headings (``"region";"Personer 2023";"Personer 2024"``,
  the heading being the statistikkvariabel and the year);
- cells are matched to the catalogue's codes by code (``"FGK7 Barnehage"``, ``"202 Grunnskole"``)
  or by the labels in its [etiketter] (indicators also by their name in the indicator catalogue);
  region cells by the code they start with (``"0301 Oslo - Oslove"``, ``"K-3101 Halden"``) or,
  in exports with text only, by the municipality's name (``"Oslo - Oslove"``, ``"Halden"``;
  ``"Halden (2020-2023)"`` is the code Halden had then); aggregates named by text (Landet,
  KOSTRA-grupper, fylker) are skipped.

Then the same steps as the API path (`scoring.ssb.uttrekk.extract_variable`,
`scoring.ssb.kodeendring.to_2024_codes`). Wrong columns, unreadable values and unknown
municipality codes raise DataError naming the file.
"""

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.errors import DataError
from scoring.raadata import validate
from scoring.ssb.jsonstat import MISSING_SYMBOLS
from scoring.ssb.katalog import (
    DEFAULT_KATALOG,
    PERIOD_SUFFIX,
    TID,
    Katalog,
    Variabel,
    load_katalog,
    normalise_label,
)
from scoring.ssb.kodeendring import to_2024_codes
from scoring.ssb.uttrekk import extract_variable

REGION = "region"
STRUKTURAAR = 2024  # the municipal structure of the catalogue's kommuneliste
TABLE_IN_NAME = re.compile(r"(?<!\d)(\d{5})(?!\d)")
TABLE_IN_TITLE = re.compile(r"^\s*(\d{5})\s*:")
YEAR_AT_END = re.compile(r"^(.*?)\s*(\d{4})$")
REGION_CODE = re.compile(r"^(?:K-)?(\S+)")


def import_folder(folder: Path, *, katalog_path: Path = DEFAULT_KATALOG) -> pd.DataFrame:
    """Every ``*.csv`` in `folder` as one validated raadata frame (warnings in attrs["advarsler"])."""
    katalog = load_katalog(katalog_path, indikatorer=True)
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise DataError(f"{folder}: fant ingen CSV-filer fra statistikkbanken.")
    frames, warnings = [], []
    for path in files:
        frame, found = read_file(path, katalog)
        frames.append(frame)
        warnings += found
    out = validate(
        pd.concat(frames, ignore_index=True),
        set(katalog.koder.gjeldende),
        f"Statistikkbank-CSV i {folder}",
    )
    out.attrs["advarsler"] = warnings
    return out


def read_file(path: Path, katalog: Katalog) -> tuple[pd.DataFrame, list[str]]:
    """One exported file as raadata rows on 2024 codes, plus warnings."""
    name = path.name
    title, header, records = _read_rows(path)
    table = _table_id(name, title)
    variabler = [v for v in katalog.variabler if v.tabell == table]
    if not variabler:
        raise DataError(f"{name}: tabell {table} er ikke i SSB-katalogen ({katalog.path}).")
    tidy = _tidy(header, records, katalog, variabler, name)
    kilde = f"SSB tabell {table} (statistikkbank-CSV {name})"
    present = [v for v in variabler if _present(tidy, v)]
    if not present:
        expected = "; ".join(f"{v.navn}: {_describe(v, katalog)}" for v in variabler)
        raise DataError(
            f"{name}: ingen rader passer med katalogen for tabell {table} "
            f"(forventet f.eks. {expected})."
        )
    frames = [extract_variable(tidy, v, REGION, name) for v in present]
    raw = pd.concat(frames, ignore_index=True).assign(kilde=kilde)
    out, warnings = to_2024_codes(raw, katalog.koder, name)
    absent = [
        f"{v.navn} ({_describe(v, katalog)})"
        for v in variabler
        if v not in present and all(d in tidy.columns for d in v.codes())
    ]
    if absent:
        warnings.append(
            f"{name}: ingen rader for {'; '.join(absent)}. Står koder som tekst som ikke "
            "kjennes igjen, eksporter med kode og tekst; ellers mangler de i denne filen."
        )
    return out, warnings


def parse_number(cell: str) -> tuple[float, str | None]:
    """A statbank cell as (value, status symbol).

    >>> parse_number("1 234,5"), parse_number("-0,4"), parse_number(".."), parse_number("-")
    ((1234.5, None), (-0.4, None), (nan, '..'), (0.0, None))
    """
    text = cell.strip().replace("\u00a0", "").replace(" ", "")
    if text in MISSING_SYMBOLS or text == "":
        return np.nan, text or None
    if text == "-":  # SSB's "Null": nothing to report
        return 0.0, None
    return float(text.replace(",", ".")), None


def region_code(cell: str) -> str:
    """The code at the start of a region cell, without the ``K-`` prefix of merged series.

    >>> region_code("0301 Oslo - Oslove"), region_code("K-3101 Halden"), region_code("EAK Landet")
    ('0301', '3101', 'EAK')
    """
    match = REGION_CODE.match(cell.strip())
    return match.group(1) if match else ""


def _read_rows(path: Path) -> tuple[str, list[str], list[list[str]]]:
    """Title line (if any), header and data rows; a one-field line before the header is the title."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_cp1252(raw, path.name)  # statbank's "latin1" exports
    rows = [r for r in csv.reader(text.splitlines(), delimiter=";") if any(c.strip() for c in r)]
    title, start = "", 0
    while start < len(rows) and len(rows[start]) < 2:
        title = title or rows[start][0]
        start += 1
    if start >= len(rows):
        raise DataError(f"{path.name}: finner ingen semikolonseparert overskriftsrad.")
    header = [h.strip() for h in rows[start]]
    records = [r for r in rows[start + 1 :] if len(r) > 1]  # one-field lines are footnotes
    for number, row in enumerate(records, start=1):
        if len(row) != len(header):
            raise DataError(
                f"{path.name}: datarad {number} har {len(row)} felt, men overskriften har "
                f"{len(header)}."
            )
    return title, header, records


def _decode_cp1252(raw: bytes, name: str) -> str:
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as err:
        raise DataError(
            f"{name}: tegnkodingen er verken UTF-8 eller Windows-1252 ({err})."
        ) from err


def _table_id(name: str, title: str) -> str:
    found = TABLE_IN_NAME.search(name) or TABLE_IN_TITLE.match(title)
    if not found:
        raise DataError(
            f"{name}: finner ikke tabellnummeret (fem sifre) i filnavnet eller tittelen."
        )
    return found.group(1)


def _tidy(
    header: list[str],
    records: list[list[str]],
    katalog: Katalog,
    variabler: list[Variabel],
    name: str,
) -> pd.DataFrame:
    """The file as a tidy frame like the API's: dimension codes as columns, codes as cells."""
    dims = [_dimension(h, katalog) for h in header]
    if REGION not in dims:
        raise DataError(f"{name}: mangler kolonnen «region» (kolonner: {', '.join(header)}).")
    frame = pd.DataFrame(records, columns=header, dtype=object)
    if TID in dims:
        value_col = header[-1]
        if dims[-1] is not None:
            raise DataError(
                f"{name}: siste kolonne «{value_col}» skal være verdien, ikke en dimensjon."
            )
        frame = frame.rename(columns={value_col: "_cell"})
    else:
        frame = _melt_wide(frame, header, dims, name)
        dims = [_dimension(h, katalog) for h in frame.columns]
    frame = frame.rename(columns={h: d for h, d in zip(frame.columns, dims) if d})
    parsed = [_parse_cell(c, name) for c in frame.pop("_cell")]
    frame["value"] = [p[0] for p in parsed]
    frame["status"] = [p[1] for p in parsed]
    frame[REGION] = _region_codes(frame[REGION], katalog, name)
    frame = frame[frame[REGION] != ""]  # aggregates named by text
    frame[TID] = frame[TID].str.strip()
    for dim in {d for v in variabler for d in v.codes()} & set(frame.columns):
        codes = sorted({c for v in variabler for c in v.codes().get(dim, ())})
        matched = {cell: _match_code(cell, codes, katalog.etiketter) for cell in set(frame[dim])}
        frame[dim] = frame[dim].map(matched)
    return frame


def _dimension(header: str, katalog: Katalog) -> str | None:
    """The dimension a column holds: by its SSB label ("funksjon") or its code ("KOKfunksjon0000")."""
    norm = _norm(header)
    if norm in (
        "region",
        *(_norm(d) for d, lab in katalog.dimensjonsnavn.items() if lab == "region"),
    ):
        return REGION
    for dim, label in katalog.dimensjonsnavn.items():
        if norm in (_norm(label), _norm(dim)):
            return dim
    return None


def _melt_wide(
    frame: pd.DataFrame, header: list[str], dims: list[str | None], name: str
) -> pd.DataFrame:
    """Wide form: headings "<statistikkvariabel> <year>" become rows."""
    value_cols = [h for h, d in zip(header, dims) if d is None and YEAR_AT_END.match(h)]
    if not value_cols:
        raise DataError(
            f"{name}: finner verken en «år»-kolonne eller kolonner som slutter på et årstall "
            f"(kolonner: {', '.join(header)})."
        )
    others = [h for h, d in zip(header, dims) if d is None and h not in value_cols]
    if others:
        raise DataError(f"{name}: ukjente kolonner {', '.join(others)}.")
    ids = [h for h, d in zip(header, dims) if d is not None]
    long = frame.melt(id_vars=ids, value_vars=value_cols, var_name="_heading", value_name="_cell")
    parts = long.pop("_heading").map(lambda h: YEAR_AT_END.match(h).groups())
    long["år"] = parts.map(lambda p: p[1])
    if parts.map(lambda p: p[0]).ne("").all() and "statistikkvariabel" not in ids:
        long["statistikkvariabel"] = parts.map(lambda p: p[0])
    return long


def _parse_cell(cell: str, name: str) -> tuple[float, str | None]:
    try:
        return parse_number(cell)
    except ValueError as err:
        raise DataError(f"{name}: ugyldig tall «{cell}».") from err


def _region_codes(cells: pd.Series, katalog: Katalog, name: str) -> pd.Series:
    """Each region cell as a code: the code it starts with, else the municipality it names
    ('' for an aggregate named by text). Names nobody knows are a DataError."""
    mapping = {cell: _region(cell, katalog) for cell in set(cells)}
    unknown = sorted(cell for cell, code in mapping.items() if code is None)
    if unknown:
        shown = ", ".join(f"«{c.strip()}»" for c in unknown[:5])
        raise DataError(
            f"{name}: regionene {shown} er verken kommunenummer, kommunenavn i 2024-strukturen "
            f"eller kjente aggregater; eksporter region med kode og tekst."
        )
    return cells.map(mapping)


def _region(cell: str, katalog: Katalog) -> str | None:
    """The code of one region cell, '' for an aggregate named by text, None when unknown.

    A historical label («Halden (2020-2023)») is the code the municipality had then: the old
    code of a renumbering, or the split code (1507 for «Ålesund (2020-2023)»).
    """
    code, label, names = region_code(cell), normalise_label(cell), katalog.regionnavn
    if code.isdigit() and len(code) == 4:
        return code
    found = names.kommuner.get(label)
    if found is None and katalog.koder.is_special(code):
        return code
    if found is None and names.is_aggregate(label):
        return ""
    found = found or names.alias.get(label)
    period = PERIOD_SUFFIX.search(cell.strip())
    if found is None or not period or not period.group(2) or int(period.group(2)) >= STRUKTURAAR:
        return found
    return _code_then(found, int(period.group(2)), katalog)


def _code_then(code: str, last_year: int, katalog: Katalog) -> str | None:
    """The code a 2024 municipality had in a period that ended `last_year`, if it differed."""
    koder = katalog.koder
    for old, (new, first) in koder.omnummerert.items():
        if new == code and first - 1 == last_year:
            return old
    return next((old for old, parts in koder.delt.items() if code in parts), None)


def _match_code(cell: str, codes: list[str], etiketter: dict[str, tuple[str, ...]]) -> str:
    """The catalogue code a cell stands for, by code or by label; else the cell unchanged."""
    norm = _norm(cell)
    for code in codes:
        c = _norm(code)
        if (
            norm == c
            or norm.startswith(c + " ")
            or norm in {_norm(lab) for lab in etiketter.get(code, ())}
        ):
            return code
    return cell


def _present(tidy: pd.DataFrame, v: Variabel) -> bool:
    """Whether the file holds this variable at all (some files hold only part of a table)."""
    if any(d not in tidy.columns for d in v.codes()):
        return False
    return bool(np.logical_and.reduce([tidy[d].isin(c) for d, c in v.codes().items()]).any())


def _describe(v: Variabel, katalog: Katalog) -> str:
    def label(code: str) -> str:
        return (katalog.etiketter.get(code) or (code,))[0]

    parts = [f"statistikkvariabel «{label(v.contentscode)}»"]
    parts += [
        f"{katalog.dimensjonsnavn.get(d, d)} {'+'.join(label(c) for c in cs)}"
        for d, cs in v.filter.items()
    ]
    return ", ".join(parts)


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())
