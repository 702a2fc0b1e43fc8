"""What a question asks, in the contract's own terms: the `Frame` and the kinds of question.
Shared by every step after reading."""

from dataclasses import dataclass, field
from typing import Literal

from assistant.understand.account import Account
from assistant.understand.conditions import Betingelse
from scoring.contract import ALLE

Sporsmaal = Literal[
    "rang", "liste", "sammenlign", "utvikling", "innsparing", "kostnad", "finans",
    "indikator", "antall", "snitt", "forklaring", "befolkning", "hva_om", "fakta", "endring",
    # answered through the semantic layer (a QuerySpec, assistant/query/from_frame.py):
    "aggregat", "utvalg", "gruppering", "tjenester", "naboer", "maal", "metode",
]
# Kinds answered by a QuerySpec (and "metode", by a method text).
SPEC_KINDS = {"aggregat", "utvalg", "gruppering", "tjenester", "naboer", "maal"}
# Kinds of question that are about named municipalities.
# Kinds answered once per service when a question names several.
FLERE_TJENESTER = {"rang", "utvikling", "innsparing", "kostnad"}
TRENGER_KOMMUNE = {"rang", "sammenlign", "utvikling", "forklaring", "hva_om", "fakta", "tjenester", "naboer"}
DEFAULT_N = 10  # a list with no number, also within a county or KOSTRA group (schema.md)

EKSEMPLER = [
    "Hvor ligger Sør-Varanger i pleie og omsorg?",
    "Hvilke fem kommuner er best styrt?",
    "Hva er innsparingspotensialet i Bodø?",
    "Sammenlign Alta og Hammerfest i kommuneindeksen",
    "Hvordan har Vadsø utviklet seg de siste tre årene?",
    "Hvorfor ligger Tromsø der den ligger i grunnskole?",
]
UTENFOR = (
    "Det kan jeg dessverre ikke svare på. Jeg svarer på spørsmål om Kommuneindeksen: "
    "hvordan kommunene ligger an på kostnad, kvalitet, effektivitet og økonomi, "
    "tjeneste for tjeneste, og hva de kunne spart."
)


@dataclass(frozen=True)
class Frame:
    """What a question asks, in the contract's own terms."""

    sporsmaal: Sporsmaal | None
    kommuner: tuple[str, ...] = ()
    tjeneste: str = ALLE
    tjenester: tuple[str, ...] = ()  # every service named, when more than one ("skole og barnehage")
    indekstyper: tuple[str, ...] = ()
    aar: int | None = None
    fra_aar: int | None = None  # the first year of a change ("siden 2022", "fra 2023 til 2024")
    aar_relativt: int | None = None  # "i fjor" (-1), "i forfjor" (-2): from the conversation's year
    utgave: bool = False  # the year was named by the report edition ("Kommuneindeksen 2025")
    n: int | None = None
    plass: int | None = None  # "hvem ligger på plass 100?": one rank of a list
    plasser: tuple[int, int] | None = None  # "nr. 5 til 10": a range of ranks
    retning: tuple[str, ...] = ()  # best / verst / hoy / lav words, read in finish()
    kostnadsord: bool = False  # the question speaks of costs: "high" is then bad
    verst: bool = False  # the bad end of a ranking (set by finish)
    lavest: bool = False  # for amounts (spending, debt): the lowest first (set by finish)
    fylke: str | None = None
    fylker: tuple[str, ...] = ()  # every county named, when more than one ("Finnmark og Troms")
    sentralitet: int | None = None  # "sentralitetsklasse 1"
    kostragruppe: int | None = None
    finansmaal: tuple[str, ...] = ()
    kostnadsmaal: str | None = None
    indikatorer: tuple[str, ...] = ()
    endring: str = ""  # the what-if text, read by assistant/hva_om.py
    oppfolging: bool = False  # reads as a follow-up: "og i barnehage?", "hva med Vadsø?"
    viser_tilbake: bool = False  # "der", "vår kommune": the municipality of the last question
    blant_dem: bool = False  # "hvem av dem": the municipalities of the last few questions
    kart: bool = False  # "vis kart over …": the answer is a map
    explicit: frozenset[str] = field(default_factory=frozenset)
    # the semantic layer (data/katalog.toml): measures by key, conditions, aggregates, grouping
    maal: tuple[str, ...] = ()  # every measure named, by its catalogue key, in text order
    vilkaar: tuple[Betingelse, ...] = ()  # "over 100 prosent", "bedre enn snittet", "blant de 50 beste"
    aggregat: str | None = None  # antall, andel, sum, snitt, median
    gruppering: str | None = None  # a dimension: fylke, kostragruppe, sentralitet, folketallsgruppe
    naboer: bool = False  # the neighbours of the (first) municipality
    sammenligner: bool = False  # compares the municipality with others ("enn nabokommunene")
    med_kommunen: bool = False  # "Bærum og nabokommunene": the municipality with its neighbours
    over_tjenester: bool = False  # one municipality across its services
    metode: str | None = None  # a method text of data/metode.toml
    over_tid: bool = False  # a development over the years ("utvikling", "år for år", "siden 2022")
    alt_lest: bool = True  # every word was read by some step or is a function word
    # the question's words and what read them: checked against what the answer uses
    ord: Account | None = field(default=None, compare=False, hash=False, repr=False)
