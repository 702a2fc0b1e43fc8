"""An answer's rows as a table people read: Norwegian headings, display names for keys and
rounded numbers in Norwegian format (data/kolonner.toml). The exact values stay in the rows and
the downloads; this is only how the screen shows them."""

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from assistant.text.formatting import stor_forbokstav, tall
from assistant.text.phrases import FINANSNAVN, INDEKSNAVN
from assistant.understand.context import Context
from scoring.contract import ALLE, DATA_DIR

__all__ = ["Kolonne", "Tabell", "display_table", "load_kolonner"]

KOLONNER_FILE = DATA_DIR / "kolonner.toml"
Format = Literal[
    "tekst", "aar", "heltall", "desimal1", "desimal2", "desimal3", "kroner", "prosent",
    "ja_nei", "tjeneste", "indekstype", "indikator", "noekkeltall",
]  # fmt: skip
DECIMALS = {"heltall": 0, "kroner": 0, "prosent": 1, "desimal1": 1, "desimal2": 2, "desimal3": 3}
TOM = ""


@dataclass(frozen=True)
class Kolonne:
    """How one result column is shown: its heading and the format of its values."""

    navn: str
    format: Format = "tekst"


@dataclass(frozen=True)
class Tabell:
    """A table for the screen: headings, rows of text, which columns hold numbers (aligned to
    the right) and a note when the rows were cut at the row limit."""

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    merknad: str = ""


@cache
def load_kolonner(path: Path = KOLONNER_FILE) -> dict[str, Kolonne]:
    """The `[kolonne]` table of data/kolonner.toml, checked: every entry has a `navn` and a
    known `format`; an error names the file and the key."""
    with path.open("rb") as f:
        entries = tomllib.load(f).get("kolonne", {})
    out = {}
    for key, entry in entries.items():
        where = f"{path.name} [kolonne] {key}"
        if not isinstance(entry, dict) or not isinstance(entry.get("navn"), str):
            raise ValueError(f"{where}: mangler navn")
        if set(entry) - {"navn", "format"}:
            raise ValueError(f"{where}: ukjent nøkkel {sorted(set(entry) - {'navn', 'format'})}")
        if entry.get("format", "tekst") not in get_args(Format):
            raise ValueError(f"{where}: ukjent format {entry['format']!r}")
        out[key] = Kolonne(entry["navn"], entry.get("format", "tekst"))
    return out


def _guess(name: str, values: Sequence[Any]) -> Kolonne:
    """A column the file does not name: its name as a heading, its format from its values.

    >>> _guess("snitt_aar", [2024]), _guess("x", [1.5, None]).format, _guess("n", [3]).format
    (Kolonne(navn='Snitt aar', format='aar'), 'desimal2', 'heltall')
    """
    heading = name.replace("_", " ").strip().capitalize() or name
    known = [v for v in values if v is not None]
    if known and all(isinstance(v, bool) for v in known):
        return Kolonne(heading, "ja_nei")
    if known and all(isinstance(v, int) for v in known):
        return Kolonne(heading, "aar" if name.endswith("aar") else "heltall")
    if known and all(isinstance(v, (int, float)) for v in known):
        return Kolonne(heading, "desimal2")
    return Kolonne(heading)


def _key_names(ctx: Context) -> dict[str, Mapping[str, str]]:
    """Display names of the keys a table may hold, by format."""
    return {
        "tjeneste": {**ctx.tjenestenavn, ALLE: "Alle tjenester"},
        "indekstype": {k: stor_forbokstav(v) for k, v in INDEKSNAVN.items()},
        "indikator": {k: i.navn for k, i in ctx.indikatorer.items()},
        "noekkeltall": {k: v.capitalize() for k, v in FINANSNAVN.items()},
    }


def show_value(value: Any, fmt: Format, names: Mapping[str, Mapping[str, str]]) -> str:
    """One value as the screen shows it.

    >>> show_value(40037464.2551, "kroner", {}), show_value(1.0184, "desimal2", {})
    ('40 037 464', '1,02')
    >>> show_value(2024, "aar", {}), show_value(None, "heltall", {}), show_value(True, "ja_nei", {})
    ('2024', '', 'ja')
    >>> show_value("pleie_og_omsorg", "tjeneste", {"tjeneste": {"pleie_og_omsorg": "Pleie og omsorg"}})
    'Pleie og omsorg'
    """
    if value is None:
        return TOM
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if fmt in names:
        return names[fmt].get(str(value), str(value))
    if isinstance(value, (int, float)):
        if fmt == "aar":
            return str(value)
        if fmt in DECIMALS:
            return tall(value, DECIMALS[fmt])
        return tall(value, 0 if isinstance(value, int) else 2)
    return str(value)


def display_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], ctx: Context, max_rows: int
) -> Tabell:
    """The rows of an answer as the screen shows them. A key column whose display name another
    column already holds (`indikator` beside `navn`) is left out."""
    kolonner = load_kolonner()
    names = _key_names(ctx)
    keep = [i for i, c in enumerate(columns) if not (c == "indikator" and "navn" in columns)]
    specs = [kolonner.get(columns[i]) or _guess(columns[i], [r[i] for r in rows]) for i in keep]
    shown = [[show_value(row[i], s.format, names) for i, s in zip(keep, specs)] for row in rows]
    numeric = [s.format in DECIMALS for s in specs]
    merknad = f"Tabellen er begrenset til {tall(max_rows, 0)} rader." if len(rows) >= max_rows else ""
    return Tabell([s.navn for s in specs], shown, numeric, merknad)
