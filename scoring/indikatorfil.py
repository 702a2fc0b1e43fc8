"""Quality indicators from the sources that hold them (Udir, FHI, Helsedirektoratet, Bufdir, KS):
a long CSV file with the columns `indikator, kommunenr, aar, verdi, kilde` (and, optionally,
`enhet`), checked against the indicator catalogue and turned into raw data.

Every problem is collected with its line number — unknown indicator keys, units other than the
catalogue's, values outside the unit's range (data/enheter.toml), unknown municipalities, bad
years, missing sources, the same indicator, municipality and year twice — and reported together
in one DataError; nothing is written unless the whole file is clean.
"""

import csv
import difflib
import io
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.config import DATA_DIR, Config, Indikator, read_toml
from scoring.errors import ConfigError, DataError

COLUMNS = ["indikator", "kommunenr", "aar", "verdi", "kilde"]
OPTIONAL = ["enhet"]
MISSING = {"", ".", "..", ":"}
MAX_SHOWN = 20


def load_grenser(path: Path = DATA_DIR / "enheter.toml") -> dict[str, tuple[float, float]]:
    """The valid range per unit, checked to cover every unit of the catalogue by the caller."""
    raw = read_toml(path)
    try:
        return {unit: (float(r["min"]), float(r["maks"])) for unit, r in raw.items()}
    except (KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"{path.name}: hver enhet trenger tallene min og maks ({err}).") from err


def parse_verdi(text: str) -> float:
    """A value with decimal point or comma; empty or an SSB missing symbol is missing.

    >>> parse_verdi("87,5"), parse_verdi("1 234.5"), parse_verdi("..")
    (87.5, 1234.5, nan)
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if cleaned in MISSING:
        return np.nan
    return float(cleaned.replace(",", "."))


def read_indikatorfil(
    path: Path,
    config: Config,
    kommunenr: set[str],
    grenser: dict[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """The file as raw-data rows (`indikator.<key>`), or a DataError listing every problem."""
    grenser = grenser or load_grenser()
    catalogue = {i.indikator: i for i in config.indikatorer}
    uncovered = sorted({i.enhet for i in catalogue.values()} - set(grenser))
    if uncovered:
        raise ConfigError(f"enheter.toml: mangler gyldig område for enhetene {', '.join(uncovered)}.")
    header, records = _read(path)
    errors: list[str] = []
    seen: dict[tuple[str, str, int], int] = {}
    rows = []
    for line, record in records:
        row = dict(zip(header, (c.strip() for c in record)))
        parsed = _check(row, line, catalogue, kommunenr, grenser, errors)
        if parsed is None:
            continue
        key = (parsed[0], parsed[1], parsed[2])
        if key in seen:
            errors.append(
                f"linje {line}: {key[0]} for {key[1]} i {key[2]} står også på linje {seen[key]}"
            )
            continue
        seen[key] = line
        rows.append(parsed)
    if errors:
        shown = "\n  ".join(errors[:MAX_SHOWN])
        more = f"\n  … og {len(errors) - MAX_SHOWN} feil til" if len(errors) > MAX_SHOWN else ""
        raise DataError(
            f"{path.name}: {len(errors)} feil, ingenting er importert:\n  {shown}{more}"
        )
    if not rows:
        raise DataError(f"{path.name}: fila har ingen datarader.")
    return pd.DataFrame(
        [(aar, nr, f"indikator.{ind}", verdi, kilde) for ind, nr, aar, verdi, kilde in rows],
        columns=["aar", "kommunenr", "variabel", "verdi", "kilde"],
    )


def _read(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, fields); comma or semicolon separated, UTF-8 or Windows-1252."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise DataError(f"Kan ikke lese {path} ({err.strerror}).") from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    lines = text.splitlines()
    if not lines:
        raise DataError(f"{path.name}: fila er tom.")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS + OPTIONAL]
    if missing or extra:
        raise DataError(
            f"{path.name}: linje 1 skal ha kolonnene {', '.join(COLUMNS)} (og eventuelt enhet); "
            + (f"mangler {', '.join(missing)}" if missing else f"ukjente kolonner {', '.join(extra)}")
            + "."
        )
    records = []
    for record in reader:
        if not any(c.strip() for c in record):
            continue
        if len(record) != len(header):
            raise DataError(
                f"{path.name}: linje {reader.line_num} har {len(record)} felt, men overskriften "
                f"har {len(header)}."
            )
        records.append((reader.line_num, record))
    return header, records


def _check(
    row: dict[str, str],
    line: int,
    catalogue: dict[str, Indikator],
    kommunenr: set[str],
    grenser: dict[str, tuple[float, float]],
    errors: list[str],
) -> tuple[str, str, int, float, str] | None:
    """One data row parsed, or None with its problems added to `errors`."""
    found = len(errors)
    key = row["indikator"]
    ind = catalogue.get(key)
    if ind is None:
        close = difflib.get_close_matches(key, list(catalogue), n=1)
        hint = f" (mente du «{close[0]}»?)" if close else ""
        errors.append(f"linje {line}: ukjent indikator «{key}»{hint}")
    nr = row["kommunenr"].zfill(4)
    if nr not in kommunenr:
        errors.append(f"linje {line}: «{row['kommunenr']}» er ikke et kommunenummer i 2024-strukturen")
    try:
        aar = int(row["aar"])
        if not 2000 <= aar <= 2100:
            raise ValueError
    except ValueError:
        errors.append(f"linje {line}: ugyldig år «{row['aar']}»")
        aar = 0
    try:
        verdi = parse_verdi(row["verdi"])
    except ValueError:
        errors.append(f"linje {line}: «{row['verdi']}» er ikke et tall")
        verdi = np.nan
    if not row["kilde"]:
        errors.append(f"linje {line}: mangler kilde (f.eks. Udir, FHI)")
    if ind is not None:
        if row.get("enhet") and row["enhet"] != ind.enhet:
            errors.append(
                f"linje {line}: {key} måles i «{ind.enhet}» i katalogen, ikke «{row['enhet']}»"
            )
        low, high = grenser[ind.enhet]
        if not np.isnan(verdi) and not low <= verdi <= high:
            errors.append(
                f"linje {line}: {key} = {row['verdi']} er utenfor {low:g}–{high:g} {ind.enhet}"
            )
    if len(errors) > found:
        return None
    return key, nr, aar, verdi, row["kilde"]
