"""The catalogue's data: measures, families, dimensions and method texts, as frozen
dataclasses, and the error every check raises."""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import sqlglot
from sqlglot import exp

from scoring.contract import ALL_TABLES, ALLE, KOSTNADSTJENESTER, TJENESTER

Retning = Literal["hoy", "lav", "noytral"]
Maalgruppe = Literal[
    "indeks", "kostnad", "finans", "befolkning", "register", "indikator", "forklaring", "regnskap"
]
# Named sets of services for `tjenester`: "alle" is the municipality as a whole.
TJENESTESETT: dict[str, tuple[str, ...]] = {
    "alle_tjenester": (ALLE, *TJENESTER),
    "kostnadstjenester": (ALLE, *KOSTNADSTJENESTER),
}


class KatalogError(ValueError):
    """The catalogue or the method texts have a missing, wrong or unknown key."""


@dataclass(frozen=True)
class Maal:
    """One measure: where its value is found, how it is written and which way is better."""

    key: str
    navn: str  # display name: "Netto lånegjeld"
    gruppe: Maalgruppe  # what kind of answer text it gets
    tabell: str
    kolonne: str  # a column of `tabell`, or an expression over its columns
    enhet: str  # indeks, kr, kr_per_innbygger, prosent, innbyggere, tekst, or the table's unit
    retning: Retning
    desimaler: int = 2
    kort: str = ""  # short name for axes and tables
    rang: str | None = None  # the table's rank column, if it has one
    nokkel: tuple[tuple[str, Any], ...] = ()  # fixed key filters: (("indekstype", "kvalitet"),)
    tjenester: tuple[str, ...] = ()  # services it exists for, when the table has `tjeneste`
    tjeneste: str | None = None  # the one service it belongs to (indicators)
    synonymer: tuple[str, ...] = ()
    aar: tuple[int, ...] = ()  # data years (completed from the database)
    metode: str | None = None  # key of a method text
    landssnitt: float | None = None  # a fixed national average (every index: 1.00)
    gruppesnitt: str | None = None  # the column that holds the KOSTRA group's average
    datakilde: str = "{kolonne}"  # its `datakilde.maal`, from its keys, service and column
    familie: str | None = None  # the family it was expanded from

    @cached_property
    def uttrykk(self) -> exp.Expression:
        """The value as an sqlglot expression over the table's columns (unqualified)."""
        return sqlglot.parse_one(self.kolonne, read="duckdb")

    @property
    def har_aar(self) -> bool:
        """False for register facts (fylke, KOSTRA-gruppe, sentralitet): they have no year."""
        return "aar" in ALL_TABLES[self.tabell]

    @property
    def har_tjeneste(self) -> bool:
        """True when the table has a `tjeneste` column the measure is filtered on."""
        return "tjeneste" in ALL_TABLES[self.tabell]

    @property
    def kortnavn(self) -> str:
        return self.kort or self.navn

    def kilde_nokkel(self, tjeneste: str | None) -> str:
        """Where `datakilde` says this measure comes from (its `maal` column there).

        >>> Maal("k", "K", "indeks", "indeks", "verdi", "indeks", "hoy", nokkel=(("indekstype", "kostnad"),),
        ...      datakilde="{indekstype}:{tjeneste}").kilde_nokkel("grunnskole")
        'kostnad:grunnskole'
        """
        return self.datakilde.format(**dict(self.nokkel), tjeneste=tjeneste or "", kolonne=self.kolonne)


@dataclass(frozen=True)
class Familie:
    """Measures that are rows of a table, expanded at start (`[familie.<key>]`): every row of
    `medlemmer` is a measure on `tabell` with `nokkel_kolonne` = its key."""

    key: str
    gruppe: Maalgruppe
    tabell: str
    kolonne: str
    nokkel_kolonne: str
    medlemmer: str  # the table listing the members
    felt: tuple[tuple[str, str], ...]  # member field → column of `medlemmer`
    rang: str | None = None
    retning: Retning = "noytral"  # when `felt` has no hoyere_er_bedre
    enhet: str = ""  # when `felt` has no enhet
    desimaler: int = 1
    metode: str | None = None
    datakilde: str = "{kolonne}"


@dataclass(frozen=True)
class Dimensjon:
    """Something to select or group municipalities by (`[dimensjon.<key>]`)."""

    key: str
    navn: str
    kolonne: str
    tabell: str | None = None  # None: the measure's own table (tjeneste, aar)
    synonymer: tuple[str, ...] = ()
    grenser: tuple[int, ...] = ()  # bands: lower bounds, each band up to the next (exclusive)

    def band_labels(self) -> tuple[str, ...]:
        """Display names of the bands.

        >>> Dimensjon("f", "folketall", "innbyggere", grenser=(0, 5000, 20000)).band_labels()
        ('under 5 000', '5 000–19 999', '20 000 og over')
        """
        def n(x: int) -> str:
            return f"{x:,}".replace(",", " ")

        labels = []
        for i, low in enumerate(self.grenser):
            high = self.grenser[i + 1] if i + 1 < len(self.grenser) else None
            if low == 0 and high is not None:
                labels.append(f"under {n(high)}")
            elif high is None:
                labels.append(f"{n(low)} og over")
            else:
                labels.append(f"{n(low)}–{n(high - 1)}")
        return tuple(labels)


@dataclass(frozen=True)
class Metode:
    """A short method text (`[metode.<key>]` in data/metode.toml), answered without numbers."""

    key: str
    tittel: str
    tekst: str
    avsnitt: str  # the section of docs/metode.md it links to ("1. Kostnad")
    synonymer: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Katalog:
    """Measures, dimensions, families and method texts. `komplett` once the database has
    added the family members and years (`complete_katalog`)."""

    maal: dict[str, Maal]
    dimensjoner: dict[str, Dimensjon]
    familier: dict[str, Familie] = field(default_factory=dict)
    metoder: dict[str, Metode] = field(default_factory=dict)
    # extra words for family members: family → member key → synonyms ([indikator.<key>])
    tillegg: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    # (tabell, maal, aar) → (status, kreditering) from the `datakilde` table (completed)
    kilder: dict[tuple[str, str, int], tuple[str, str]] = field(default_factory=dict)
    komplett: bool = False

    def finn(self, key: str) -> Maal:
        """The measure `key`, or KatalogError naming it."""
        try:
            return self.maal[key]
        except KeyError:
            raise KatalogError(f"Målet «{key}» finnes ikke i katalogen.") from None

    def ordliste(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """The phrases of the catalogue by section, for the reader's vocabulary: measures
        (with family members' extra words), dimensions and method texts."""
        maal = {k: m.synonymer for k, m in self.maal.items() if m.synonymer}
        for members in self.tillegg.values():
            for k, words in members.items():
                maal.setdefault(k, words)
        return {
            "maal": maal,
            "dimensjon": {k: d.synonymer for k, d in self.dimensjoner.items() if d.synonymer},
            "metode": {k: m.synonymer for k, m in self.metoder.items() if m.synonymer},
        }


