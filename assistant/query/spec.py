"""`QuerySpec`: what a question asks, as measures × selection × conditions × aggregate ×
grouping × order and limit × time. The reader makes one (understand/), `compile.py` turns
any of them into one SQL query, and text/shapes.py and chart.py answer it by its `form`.

Everything is a key of the catalogue (assistant/katalog/) or a value of the contract, never SQL.
"""

from dataclasses import dataclass, field
from typing import Literal, get_args

from assistant.errors import AssistantError, NoDataForYear
from assistant.katalog import Katalog, KatalogError, Maal
from scoring.contract import ALLE

__all__ = [
    "AGGREGATER", "Aggregat", "Form", "Gruppering", "Kommuneverdi", "MaalRef", "Op", "Orden",
    "QuerySpec", "Rangvilkaar", "Snitt", "SpecError", "SpecParts", "Tid", "Utvalg", "Vilkaar",
    "check_spec", "form", "per_tjeneste", "resolve", "spec_parts", "tjenesteindekser",
]  # fmt: skip

Aggregat = Literal["antall", "andel", "sum", "snitt", "median", "min", "maks"]
Gruppering = Literal["fylke", "kostragruppe", "sentralitet", "folketallsgruppe", "tjeneste", "aar"]
# "bedre" and "verre" follow the measure's direction ("lavere kostnader" = bedre on kostnad).
Op = Literal[">", ">=", "<", "<=", "=", "!=", "bedre", "verre"]
Snitt = Literal["landssnitt", "gruppesnitt", "fylkessnitt"]
Orden = Literal["best", "verst", "hoyest", "lavest"]
# How an answer is worded and drawn (see `form`).
Form = Literal["verdi", "liste", "tjenester", "naboer", "utvikling", "endring", "aggregat", "gruppert"]
AGGREGATER: tuple[str, ...] = get_args(Aggregat)


class SpecError(AssistantError):
    """The specification asks for something the catalogue cannot give («best» on population,
    a service a measure does not have, a year without data)."""


@dataclass(frozen=True)
class MaalRef:
    """One measure, with its service where the measure has a service dimension (None: "alle"
    where the measure has it; a measure of one service, such as an indicator, needs none)."""

    maal: str
    tjeneste: str | None = None


@dataclass(frozen=True)
class Kommuneverdi:
    """A threshold that is one municipality's own value: «bedre enn Bodø»."""

    kommunenr: str


@dataclass(frozen=True)
class Vilkaar:
    """«netto lånegjeld over 100 %», «bedre kvalitet enn landssnittet», «negativt …» (< 0)."""

    maal: MaalRef
    op: Op
    terskel: float | Snitt | Kommuneverdi


@dataclass(frozen=True)
class Rangvilkaar:
    """«blant de 50 beste» (1–50), «plass 10–20»: the national rank, both ends included."""

    maal: MaalRef
    fra: int
    til: int


@dataclass(frozen=True)
class Utvalg:
    """Which municipalities. Every filter given must hold; `med_kommunen` adds `naboer_av`
    itself to its neighbours. `folketall` is (fra, til): fra ≤ inhabitants < til that year."""

    kommuner: tuple[str, ...] = ()
    fylker: tuple[str, ...] = ()
    kostragrupper: tuple[int, ...] = ()
    sentralitet: tuple[int, ...] = ()
    folketall: tuple[int | None, int | None] | None = None
    naboer_av: str | None = None
    med_kommunen: bool = False


@dataclass(frozen=True)
class Tid:
    """One year (`aar`), every year of a span (`fra_aar`..`aar`), or with `endring` the change
    between `fra_aar` and `aar`. Register facts have no year and ignore it."""

    aar: int
    fra_aar: int | None = None
    endring: bool = False

    @property
    def years(self) -> tuple[int, ...]:
        """The years the query reads.

        >>> Tid(2024, 2022).years, Tid(2024, 2022, endring=True).years
        ((2022, 2023, 2024), (2022, 2024))
        """
        if self.fra_aar is None:
            return (self.aar,)
        if self.endring:
            return (self.fra_aar, self.aar)
        return tuple(range(self.fra_aar, self.aar + 1))


@dataclass(frozen=True)
class QuerySpec:
    """Measures (all of one table; the result is long: one row per measure) × selection ×
    conditions × aggregate × grouping × order and limit × time.

    `maal` may be empty for the municipalities themselves (a list of neighbours, «hvor mange
    kommuner i kvart fylke»). `aggregat` may be a tuple («minste og største»): one row each.
    `med_snitt` adds the national and KOSTRA-group averages to each row.
    """

    maal: tuple[MaalRef, ...]
    tid: Tid
    utvalg: Utvalg = Utvalg()
    vilkaar: tuple[Vilkaar | Rangvilkaar, ...] = ()
    aggregat: Aggregat | tuple[Aggregat, ...] | None = None
    gruppering: Gruppering | None = None
    orden: Orden | None = None
    grense: int | None = None
    med_snitt: bool = False

    @property
    def aggregater(self) -> tuple[str, ...]:
        """The aggregates as a tuple (empty for rows).

        >>> QuerySpec((), Tid(2024), aggregat="antall").aggregater
        ('antall',)
        """
        if self.aggregat is None:
            return ()
        return self.aggregat if isinstance(self.aggregat, tuple) else (self.aggregat,)


def resolve(ref: MaalRef, katalog: Katalog) -> tuple[Maal, str | None]:
    """The measure of a reference and the service it is read for (None: no service column).

    >>> from assistant.katalog import load_katalog
    >>> m, tjeneste = resolve(MaalRef("kvalitetsindeks"), load_katalog())
    >>> m.navn, tjeneste
    ('Kvalitetsindeksen', 'alle')
    >>> resolve(MaalRef("netto_lanegjeld_pst", "grunnskole"), load_katalog())
    Traceback (most recent call last):
    ...
    assistant.query.spec.SpecError: Netto lånegjeld finnes ikke for grunnskole, bare for kommunen samlet.
    """
    try:
        m = katalog.finn(ref.maal)
    except KatalogError as err:
        raise SpecError(str(err)) from err
    if not m.har_tjeneste:
        if ref.tjeneste not in (None, ALLE, m.tjeneste):
            where = f"bare for {m.tjeneste.replace('_', ' ')}" if m.tjeneste else "bare for kommunen samlet"
            raise SpecError(f"{m.navn} finnes ikke for {ref.tjeneste.replace('_', ' ')}, {where}.")
        return m, None
    tjeneste = ref.tjeneste or ALLE
    if tjeneste not in m.tjenester:
        raise SpecError(f"{m.navn} finnes ikke for {tjeneste.replace('_', ' ')}.")
    return m, tjeneste


def _years_text(years: tuple[int, ...]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 2 else " og ".join(map(str, years))


def _check_years(spec: QuerySpec, m: Maal) -> None:
    if not m.har_aar or not m.aar:
        return
    missing = [y for y in spec.tid.years if y not in m.aar]
    if missing and (spec.tid.fra_aar is None or spec.tid.endring or set(missing) == set(spec.tid.years)):
        raise NoDataForYear(f"{m.navn} har ikke tall for {missing[0]}. Tallene finnes for {_years_text(m.aar)}.")


def check_spec(spec: QuerySpec, katalog: Katalog) -> tuple[tuple[Maal, str | None], ...]:
    """The spec's measures with their services, once the spec is known to make sense: measures
    of one table, a service each has, years with data, «best» only where better has a meaning,
    and a neighbour table when neighbours are asked for. Else SpecError (or NoDataForYear).

    >>> from assistant.katalog import load_katalog
    >>> check_spec(QuerySpec((MaalRef("innbyggere"),), Tid(2024), orden="best"), load_katalog())
    Traceback (most recent call last):
    ...
    assistant.query.spec.SpecError: «Best» og «verst» gir ikke mening for folketall; spør etter høyest eller lavest.
    """
    resolved = tuple(resolve(r, katalog) for r in spec.maal)
    tables = {m.tabell for m, _ in resolved}
    if len(tables) > 1:
        raise SpecError("Disse tallene står i ulike tabeller og kan ikke vises i samme svar; spør om ett om gangen.")
    for m, _ in resolved + tuple(resolve(v.maal, katalog) for v in spec.vilkaar):
        _check_years(spec, m)
    aggregater = spec.aggregater
    counting = bool(aggregater) and set(aggregater) <= {"antall", "andel"}
    if not resolved and aggregater and not counting:
        raise SpecError("Et gjennomsnitt eller en sum trenger et mål å regne på.")
    if any(m.enhet == "tekst" for m, _ in resolved) and ((aggregater and not counting) or spec.orden):
        raise SpecError(f"{resolved[0][0].navn} er ikke et tall og kan ikke summeres eller rangeres.")
    if "andel" in aggregater and not spec.vilkaar:
        raise SpecError("En andel trenger et vilkår: andelen av kommunene som har hva?")
    if spec.orden in ("best", "verst") and not counting:
        flat = [m for m, _ in resolved if m.retning == "noytral"]
        if flat:
            raise SpecError(f"«Best» og «verst» gir ikke mening for {flat[0].navn.lower()}; spør etter høyest eller lavest.")
    if spec.gruppering and not aggregater:
        raise SpecError("En gruppering trenger et mål å regne ut per gruppe: antall, snitt, sum …")
    if spec.tid.endring and (aggregater or spec.tid.fra_aar is None or spec.tid.fra_aar >= spec.tid.aar):
        raise SpecError("En endring trenger to ulike år, det første først, og ingen sum eller snitt.")
    if spec.tid.fra_aar is not None and spec.tid.fra_aar > spec.tid.aar:
        raise SpecError("Det første året må komme før det siste.")
    if spec.grense is not None and spec.grense < 1:
        raise SpecError("En liste må ha minst én kommune.")
    for v in spec.vilkaar:
        if isinstance(v, Rangvilkaar) and not 1 <= v.fra <= v.til:
            raise SpecError("En plassering går fra 1 og oppover, den første først.")
    if spec.utvalg.naboer_av and "nabo" not in katalog.dimensjoner:
        raise SpecError("Jeg har ikke oversikt over nabokommuner i denne databasen.")
    return resolved


def per_tjeneste(maal: str, katalog: Katalog, tjenester: tuple[str, ...] = ()) -> tuple[MaalRef, ...]:
    """One measure for each of its services (not the whole), or for `tjenester` of them.

    >>> from assistant.katalog import load_katalog
    >>> [r.tjeneste for r in per_tjeneste("kostnadsindeks", load_katalog())][:3]
    ['grunnskole', 'barnehage', 'barnevern']
    """
    services = [t for t in katalog.finn(maal).tjenester if t != ALLE and (not tjenester or t in tjenester)]
    return tuple(MaalRef(maal, t) for t in services)


def tjenesteindekser(katalog: Katalog) -> tuple[MaalRef, ...]:
    """The index that says how good each service is, as in «best i <tjeneste>» (schema.md):
    effectiveness for the seven with a cost side, quality for the other six.

    >>> from assistant.katalog import load_katalog
    >>> refs = tjenesteindekser(load_katalog())
    >>> len(refs), refs[0], refs[-1]
    (13, MaalRef(maal='effektivitetsindeks', tjeneste='grunnskole'), MaalRef(maal='kvalitetsindeks', tjeneste='vann_og_avlop'))
    """
    effektiv = per_tjeneste("effektivitetsindeks", katalog)
    done = {r.tjeneste for r in effektiv}
    return effektiv + tuple(r for r in per_tjeneste("kvalitetsindeks", katalog) if r.tjeneste not in done)


def form(spec: QuerySpec) -> Form:
    """How the answer to a spec is worded and drawn.

    >>> form(QuerySpec((MaalRef("innbyggere"),), Tid(2024), Utvalg(kommuner=("5501",))))
    'verdi'
    >>> form(QuerySpec((MaalRef("innbyggere"),), Tid(2024, 2022), Utvalg(kommuner=("5501",))))
    'utvikling'
    """
    if spec.aggregater:
        return "gruppert" if spec.gruppering else "aggregat"
    if spec.tid.endring:
        return "endring"
    if spec.tid.fra_aar is not None:
        return "utvikling"
    if spec.utvalg.naboer_av:
        return "naboer"
    named = spec.utvalg.kommuner and not (spec.utvalg.fylker or spec.utvalg.kostragrupper)
    if named and len({r.tjeneste for r in spec.maal}) > 1 and len(spec.utvalg.kommuner) == 1:
        return "tjenester"
    if named and spec.orden is None and spec.grense is None and not spec.vilkaar:
        return "verdi"
    return "liste"


@dataclass(frozen=True)
class SpecParts:
    """What a spec used, in catalogue keys and contract values: the reader checks that every
    word of the question is accounted for by one of these."""

    maal: tuple[str, ...] = ()
    tjenester: tuple[str, ...] = ()
    utvalg: Utvalg = Utvalg()  # the selection as given: municipalities, counties, groups, neighbours
    vilkaar: tuple[tuple[str, str, str], ...] = ()  # (maal, op, terskel) as text
    aggregat: tuple[str, ...] = ()
    gruppering: str | None = None
    orden: str | None = None
    grense: int | None = None
    aar: tuple[int, ...] = field(default_factory=tuple)


def _terskel(v: Vilkaar | Rangvilkaar) -> tuple[str, str, str]:
    if isinstance(v, Rangvilkaar):
        return (v.maal.maal, "rang", f"{v.fra}–{v.til}")
    t = v.terskel
    return (v.maal.maal, v.op, t.kommunenr if isinstance(t, Kommuneverdi) else str(t))


def spec_parts(spec: QuerySpec) -> SpecParts:
    """The measures, services, selection, conditions, aggregate, grouping, order, limit and
    years a spec used.

    >>> parts = spec_parts(QuerySpec((MaalRef("netto_lanegjeld_pst"),), Tid(2024),
    ...     Utvalg(fylker=("Nordland",)), (Vilkaar(MaalRef("netto_lanegjeld_pst"), ">", 100),),
    ...     aggregat="antall"))
    >>> parts.maal, parts.utvalg.fylker, parts.vilkaar, parts.aggregat, parts.aar
    (('netto_lanegjeld_pst',), ('Nordland',), (('netto_lanegjeld_pst', '>', '100'),), ('antall',), (2024,))
    """
    refs = spec.maal + tuple(v.maal for v in spec.vilkaar)
    return SpecParts(
        maal=tuple(dict.fromkeys(r.maal for r in refs)),
        tjenester=tuple(dict.fromkeys(r.tjeneste for r in refs if r.tjeneste)),
        utvalg=spec.utvalg,
        vilkaar=tuple(_terskel(v) for v in spec.vilkaar),
        aggregat=spec.aggregater,
        gruppering=spec.gruppering,
        orden=spec.orden,
        grense=spec.grense,
        aar=spec.tid.years,
    )
