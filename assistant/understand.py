"""Question → Frame: what is asked, about which municipalities, service, index, year and list.

The offline parser: words from data/ordliste.toml (bokmål and nynorsk), names from
`assistant.names`, years and numbers by pattern. It raises our own errors for what it cannot
answer; `Assistant.ask` turns them into answers.
"""

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from assistant.errors import AmbiguousKommune, NoDataForYear, NotUnderstood, UnknownKommune
from assistant.names import KommuneRegister
from assistant.normalize import fold, words
from assistant.vocabulary import Vocabulary
from scoring.contract import ALLE, KOSTNADSTJENESTER

Sporsmaal = Literal[
    "rang", "liste", "sammenlign", "utvikling", "innsparing", "kostnad", "finans",
    "indikator", "antall", "snitt", "forklaring", "befolkning", "hva_om",
]
# Kinds of question that are about named municipalities.
TRENGER_KOMMUNE = {"rang", "sammenlign", "utvikling", "forklaring", "hva_om"}
DEFAULT_N = 10
DEFAULT_N_GRUPPE = 5  # a county or KOSTRA group holds few municipalities: a shorter list

EKSEMPLER = [
    "Hvor ligger Sør-Varanger i pleie og omsorg?",
    "Hvilke fem kommuner er best styrt?",
    "Hva er innsparingspotensialet i Bodø?",
    "Sammenlign Alta og Hammerfest i kommuneindeksen",
    "Hvordan har Vadsø utviklet seg de siste tre årene?",
    "Hvorfor ligger Tromsø der den ligger i grunnskole?",
]


@dataclass(frozen=True)
class Frame:
    """What a question asks, in the contract's own terms."""

    sporsmaal: Sporsmaal | None
    kommuner: tuple[str, ...] = ()
    tjeneste: str = ALLE
    indekstyper: tuple[str, ...] = ()
    aar: int | None = None
    n: int | None = None
    retning: tuple[str, ...] = ()  # best / verst / hoy / lav words, read in finish()
    kostnadsord: bool = False  # the question speaks of costs: "high" is then bad
    verst: bool = False  # the bad end of a ranking (set by finish)
    lavest: bool = False  # for amounts (spending, debt): the lowest first (set by finish)
    fylke: str | None = None
    kostragruppe: int | None = None
    finansmaal: tuple[str, ...] = ()
    kostnadsmaal: str | None = None
    indikatorer: tuple[str, ...] = ()
    endring: str = ""  # the what-if text, read by assistant/hva_om.py
    oppfolging: bool = False  # reads as a follow-up: "og i barnehage?", "hva med Vadsø?"
    explicit: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Context:
    register: KommuneRegister
    vocabulary: Vocabulary
    years: tuple[int, ...]
    indikator_tjeneste: dict[str, str]
    indikator_navn: dict[str, str]
    hjemkommune: str | None = None


_EDITION = re.compile(
    r"(?:kommuneindeks(?:en)?|indeks(?:en)?|rapport(?:en)?|utgave(?:n)?|utgåva)\s*(?:for\s+|fra\s+|fra\s+)?(20\d\d)"
    r"|(20\d\d)\s*-?\s*(?:indeksen|utgaven|utgåva|rapporten|-indeksen)"
)
_YEAR = re.compile(r"\b(20\d\d)\b")
_GROUP = re.compile(r"(?:kommunegruppe|kostra-?gruppe|gruppe)n?\s*(?:nr\.?\s*)?(\d{1,2})\b")
_N_AFTER = re.compile(r"\b(?:topp|de|dei|dei|the)\s+(\w+)")
_N_BEFORE = re.compile(
    r"\b(\w+)\s+(?:beste|verste|billigste|dyreste|kommuner|kommunar|forste|siste|mest|minst|"
    r"hoyeste|laveste|sterkeste|svakeste|dårligste|darligste|dårlegaste)"
)


def _number(word: str, vocabulary: Vocabulary) -> int | None:
    if word.isdigit() and 0 < int(word) <= 357:
        return int(word)
    return vocabulary.tall.get(word)


def read_n(folded: str, vocabulary: Vocabulary) -> int | None:
    """A top-N number: "topp 3", "de fem beste", "10 kommuner".

    >>> from assistant.vocabulary import default_vocabulary
    >>> read_n("hvilke fem kommuner er best styrt", default_vocabulary())
    5
    >>> read_n("topp 3 i finansindeksen", default_vocabulary())
    3
    """
    for pattern in (_N_AFTER, _N_BEFORE):
        for m in pattern.finditer(folded):
            n = _number(m.group(1), vocabulary)
            if n is not None and not (1990 < n < 2100):
                return n
    return None


def read_year(text: str, years: tuple[int, ...]) -> int | None:
    """The data year asked for: a report edition counts one year back.

    >>> read_year("Hvor lå Bodø i Kommuneindeksen 2024?", (2022, 2023, 2024))
    2023
    >>> read_year("Hvor lå Bodø i kvalitet i 2022?", (2022, 2023, 2024))
    2022
    >>> read_year("Hvordan var det i fjor?", (2022, 2023, 2024))
    2023
    """
    low = fold(text)
    m = _EDITION.search(low)
    if m:
        return int(m.group(1) or m.group(2)) - 1
    m = _YEAR.search(low)
    if m:
        return int(m.group(1))
    latest = max(years) if years else None
    if latest and re.search(r"\bi forfjor\b|\bfor to ar siden\b", low):
        return latest - 2
    if latest and re.search(r"\bi fjor\b|\bforrige ar\b|\bifjor\b|\bfjorarets\b", low):
        return latest - 1
    return None


def _masked(toks: list[str], used: set[int]) -> list[str]:
    """The words with municipality names blanked out, so a name is never read as a keyword."""
    return ["" if i in used else t for i, t in enumerate(toks)]


def understand(question: str, ctx: Context) -> Frame:
    """Read a cleaned question into a Frame. `sporsmaal` is None when the question only
    changes something (a follow-up such as "og i barnehage?")."""
    v = ctx.vocabulary
    ws = words(question)
    toks = [fold(w) for w in ws]
    names = ctx.register.search(question)
    fylker = names.fylker
    kommuner = _resolve_names(names, fylker, ctx)
    masked = _masked(toks, names.used)
    intents = set(v.meanings("intensjon", masked))
    explicit: set[str] = set()

    if "endring" in intents or _orders_a_change(masked):
        raise NotUnderstood(
            "Jeg kan bare lese tallene i Kommuneindeksen, ikke endre, slette eller legge til data.",
            EKSEMPLER[:3],
        )
    if not kommuner and "vi" in intents and ctx.hjemkommune:
        kommuner = (ctx.hjemkommune,)
    if kommuner:
        explicit.add("kommuner")
    if names.unknown and not kommuner:
        unknown = names.unknown[0]
        forslag = ctx.register.suggestions(unknown)
        hint = f" Mente du {_or_list(forslag)}?" if forslag else ""
        raise UnknownKommune(f"Jeg finner ingen kommune som heter «{unknown}».{hint}", forslag)

    tjenester = v.meanings("tjeneste", masked)
    indekstyper = tuple(v.meanings("indekstype", masked))
    retning = set(v.meanings("retning", masked))
    indikatorer = tuple(v.meanings("indikator", masked))
    finansmaal = tuple(v.meanings("finansmaal", masked))
    kostnadsmaal = next(iter(v.meanings("kostnadsmaal", masked)), None)
    aar = read_year(question, ctx.years)
    named_years = sorted({int(y) for y in _YEAR.findall(fold(question))})
    if len(named_years) > 1:  # "fra 2022 til 2024": the development over those years
        intents.add("utvikling")
        aar = named_years[-1]
    indikatorer = _closest_indikatorer(indikatorer, masked, tjenester, ctx)
    folded = " ".join(masked)
    n = read_n(folded, v)
    group = _GROUP.search(folded)
    kostragruppe = int(group.group(1)) if group else None
    fylke = fylker[0] if fylker and not kommuner else None

    tjeneste = tjenester[0] if tjenester else ALLE
    if indikatorer and not tjenester:
        tjeneste = ctx.indikator_tjeneste.get(indikatorer[0], ALLE)
    for name, value in (
        ("tjeneste", tjenester), ("indekstyper", indekstyper), ("aar", aar), ("n", n),
        ("fylke", fylke), ("kostragruppe", kostragruppe), ("indikatorer", indikatorer),
        ("finansmaal", finansmaal), ("kostnadsmaal", kostnadsmaal),
    ):
        if value:
            explicit.add(name)
    if aar is not None:
        _check_year(aar, ctx.years)
    sporsmaal = _kind(intents, kommuner, indekstyper, indikatorer, finansmaal, retning, n,
                      tjenester, fylke, kostragruppe, masked)
    if retning:
        explicit.add("retning")
    about_us = bool(kommuner or tjenester or indekstyper or indikatorer or finansmaal)
    measures = bool(indekstyper or indikatorer or finansmaal or _rank_words(masked)
                    or intents & {"innsparing", "kostnadsverdi", "utvikling", "forklaring"})
    if "oppgave" in intents:
        indikatorer = ()  # "skriv et dikt om sykehjem": words of a task, not a measure
    if ("utenfor" in intents and not (tjenester or measures)) or ("oppgave" in intents and not measures):
        raise NotUnderstood(_out_of_scope_text(), EKSEMPLER[:4])
    if sporsmaal == "liste" and not about_us and (
        names.other_words or not (fylke or kostragruppe or _about_kommuner(masked))
    ):
        sporsmaal = None  # "Hvilke farger har flagget?", "Hvem er best i håndball?"
    return Frame(
        sporsmaal=sporsmaal,
        kommuner=kommuner,
        tjeneste=tjeneste,
        indekstyper=indekstyper,
        aar=aar,
        n=n if n else (1 if _singular(masked) else None),
        retning=tuple(sorted(retning)),
        kostnadsord=any(t.startswith(("kostnad", "utgift", "billig", "dyr", "rimelig")) for t in masked),
        fylke=fylke,
        kostragruppe=kostragruppe,
        finansmaal=finansmaal,
        kostnadsmaal=kostnadsmaal,
        indikatorer=indikatorer,
        endring=question if sporsmaal == "hva_om" else "",
        oppfolging=_follow_up(toks, intents, tjenester, indekstyper),
        explicit=frozenset(explicit),
    )


def _stems(words) -> set[str]:
    """Word stems for loose comparison: "innbyggerne" and "innbyggernes" share "innbyg"."""
    return {w[:6] if len(w) > 4 else w for w in words if w}


def _closest_indikatorer(
    found: tuple[str, ...], toks: list[str], tjenester: list[str], ctx: Context
) -> tuple[str, ...]:
    """Where one phrase fits several indicators ("sykefravær", "mobbing", "nasjonale prøver"),
    keep those of the named service, then those whose names share most words with the
    question ("10. trinn", "lesing", "12 ukers frist")."""
    if len(found) < 2:
        return found
    in_service = tuple(k for k in found if ctx.indikator_tjeneste.get(k) in tjenester)
    found = in_service or found
    stems_q = _stems(toks)
    score = {}
    for k in found:
        stems_name = _stems(re.findall(r"\w+", fold(ctx.indikator_navn.get(k, ""))))
        # shared words count most; words of the name the question lacks break ties
        score[k] = 10 * len(stems_q & stems_name) - len(stems_name - stems_q)
    best = max(score.values())
    return tuple(k for k in found if score[k] == best)


def _orders_a_change(toks: list[str]) -> bool:
    """ "Sett Bodø på førsteplass", "Gi Oslo rang 1": an order to change the ranking."""
    verbs = ("sett", "gi", "flytt", "plasser", "ranger", "gjor", "legg")
    places = ("plass", "forsteplass", "rang", "nummer", "topp")
    return bool(toks) and toks[0] in verbs and any(t.startswith(places) for t in toks[1:])


def _or_list(items: list[str]) -> str:
    """ "A", "A eller B", "A, B eller C". """
    quoted = [f"«{i}»" for i in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " eller " + quoted[-1]


def _resolve_names(names, fylker: list[str], ctx: Context) -> tuple[str, ...]:
    out: list[str] = []
    for m in names.matches:
        kandidater = m.kandidater
        if len(kandidater) > 1:
            in_fylke = [k for k in kandidater if ctx.register.kommuner[k].fylke in fylker]
            if len(in_fylke) == 1:
                kandidater = tuple(in_fylke)
        if len(kandidater) > 1:
            choices = [ctx.register.name(k) for k in kandidater]
            fylkenavn = [ctx.register.kommuner[k].fylke for k in kandidater]
            raise AmbiguousKommune(
                f"Det finnes flere kommuner som heter {m.surface}: i {_or_list(fylkenavn).replace('«', '').replace('»', '')}. Hvilken mener du?",
                choices,
                surface=m.surface,
            )
        if kandidater[0] not in out:
            out.append(kandidater[0])
    return tuple(out)


def _check_year(aar: int, years: tuple[int, ...]) -> None:
    if aar not in years:
        finnes = ", ".join(str(y) for y in years[:-1]) + f" og {years[-1]}"
        raise NoDataForYear(
            f"Jeg har ikke tall for {aar}. Databasen har dataårene {finnes} "
            f"(Kommuneindeksen {min(years) + 1}–{max(years) + 1}).",
            [f"Vis tall for {max(years)}"],
        )


_FOLLOW_UP = re.compile(r"^(?:og|hva med|kva med|hvordan med|korleis med|enn|samme|også|da|men|vis)\b")


def _follow_up(toks: list[str], intents: set[str], tjenester, indekstyper) -> bool:
    """ "Og i barnehage?", "Hva med Vadsø?", "Vadsø?": a question that leans on the one before."""
    if _FOLLOW_UP.match(" ".join(toks)):
        return True
    return len(toks) <= 2 and not (intents or tjenester or indekstyper)


def _singular(toks: list[str]) -> bool:
    """ "Hvilken kommune …", "Hvem er best …": one answer is wanted."""
    text = " ".join(toks)
    return bool(re.search(r"\bhvilken\b|\bkva for (?:ein|ei)\b|\bhvem (?:er|var|har|hadde|vant|ble)\b|\bkven (?:er|var|har|hadde|vann|vart|blei)\b", text))


def _worst(retning: tuple[str, ...], cost: bool) -> bool:
    """The bad end of a ranking? High cost is bad, high quality good.

    >>> _worst(("hoy",), cost=True), _worst(("hoy",), cost=False), _worst(("verst",), cost=False)
    (True, False, True)
    """
    if "verst" in retning:
        return True
    if "best" in retning:
        return False
    if "hoy" in retning:
        return cost
    if "lav" in retning:
        return not cost
    return False


def _rank_words(toks: list[str]) -> bool:
    return any(t.startswith(("rang", "plass", "indeks", "plassering")) for t in toks)


def _kind(intents, kommuner, indekstyper, indikatorer, finansmaal, retning, n, tjenester,
          fylke, kostragruppe, toks) -> Sporsmaal | None:
    """Which kind of question, by the first rule that fits."""
    rank_words = any(t.startswith(("rang", "plass", "indeks", "plassering")) for t in toks)
    resources = any(t[:1].isdigit() or t.startswith(("arsverk", "stilling")) for t in toks)
    if "innsparing" in intents and not resources:
        return "innsparing"  # "hvor mye kunne vi spart om vi lå på gruppesnittet?" is stored
    if "hva_om" in intents and kommuner:
        return "hva_om"
    if "forklaring" in intents:
        return "forklaring"
    if "antall" in intents and not kommuner and "befolkning" not in intents:
        return "antall"
    if "snitt" in intents and not kommuner:
        return "snitt"
    if "innsparing" in intents:
        return "innsparing"
    if "utvikling" in intents and kommuner:
        return "utvikling"
    if finansmaal and not rank_words:
        return "finans"
    if indikatorer and not rank_words:
        return "indikator"
    if "kostnadsverdi" in intents and not rank_words:
        return "kostnad"
    if "befolkning" in intents and (kommuner or fylke or kostragruppe or retning or n):
        return "befolkning"
    if len(kommuner) > 1 or ("sammenlign" in intents and kommuner):
        return "sammenlign"
    if kommuner:
        return "rang"
    if "liste" in intents or retning or n or fylke or kostragruppe:
        return "liste"
    return None


def _about_kommuner(toks: list[str]) -> bool:
    """Does the question speak of municipalities or of being best/worst at something?"""
    return any(t.startswith(("kommun", "best", "verst", "dårlig", "darlig", "billig", "dyr", "styrt"))
               for t in toks)


def _out_of_scope_text() -> str:
    return (
        "Det kan jeg dessverre ikke svare på. Jeg svarer på spørsmål om Kommuneindeksen: "
        "hvordan kommunene ligger an på kostnad, kvalitet, effektivitet og økonomi, "
        "tjeneste for tjeneste, og hva de kunne spart."
    )


def complete(frame: Frame, previous: Frame | None) -> Frame:
    """Fill what a follow-up leaves out from the previous question's frame.

    A question that names its own kind and what that kind needs stands alone; otherwise every
    field it does not name is taken from the previous frame ("og i barnehage?", "hva med
    Vadsø?", "og i 2022?", "vis topp 5 i stedet", "hvorfor?").
    """
    standalone = (
        frame.sporsmaal is not None
        and not frame.oppfolging
        and (frame.kommuner or frame.sporsmaal not in TRENGER_KOMMUNE)
    )
    if previous is None or standalone:
        return frame
    kept = {
        f: getattr(frame, f) if f in frame.explicit else getattr(previous, f)
        for f in ("kommuner", "tjeneste", "indekstyper", "aar", "n", "retning", "kostnadsord", "fylke",
                  "kostragruppe", "finansmaal", "kostnadsmaal", "indikatorer")
    }
    if "retning" in frame.explicit:
        kept["kostnadsord"] = frame.kostnadsord or previous.kostnadsord
    new_service = "tjeneste" in frame.explicit and "indekstyper" not in frame.explicit
    if new_service and "indekstyper" not in previous.explicit:
        kept["indekstyper"] = ()  # a new service has its own index types
    sporsmaal = previous.sporsmaal if frame.oppfolging or frame.sporsmaal is None else frame.sporsmaal
    if frame.sporsmaal in ("forklaring", "utvikling", "innsparing", "sammenlign") or (
        frame.sporsmaal == "liste" and previous.sporsmaal != "liste"
    ):
        sporsmaal = frame.sporsmaal  # "og hvorfor?", "og utviklingen?" ask something new
    if sporsmaal == "sammenlign" and len(kept["kommuner"]) == 1:
        sporsmaal = "rang"
    if sporsmaal == "hva_om" and not frame.endring:
        kept["endring"] = previous.endring  # "og i barnehage?" after a what-if: the same change
    return replace(frame, sporsmaal=sporsmaal, explicit=frame.explicit | previous.explicit, **kept)


def finish(frame: Frame, ctx: Context) -> Frame:
    """Defaults that depend on the kind of question; errors for what is still missing."""
    sporsmaal = frame.sporsmaal
    if sporsmaal is None:
        if frame.tjeneste != ALLE or frame.indekstyper or frame.indikatorer:
            sporsmaal = "liste"
        else:
            raise NotUnderstood(
                "Det forstod jeg ikke helt. " + _out_of_scope_text() + " Prøv for eksempel:",
                EKSEMPLER[:4],
            )
    if sporsmaal in TRENGER_KOMMUNE and not frame.kommuner:
        raise NotUnderstood(
            "Hvilken kommune gjelder det? Skriv navnet, for eksempel «Hvor ligger Bodø i barnehage?».",
            ["Hvor ligger Bodø i barnehage?", "Hvorfor ligger Tromsø der den ligger?"],
        )
    aar = frame.aar if frame.aar is not None else max(ctx.years)
    indekstyper = _indekstyper(sporsmaal, frame)
    cost = frame.kostnadsord or indekstyper[:1] == ("kostnad",)
    return replace(
        frame,
        sporsmaal=sporsmaal,
        aar=aar,
        indekstyper=indekstyper,
        verst=_worst(frame.retning, cost),
        lavest="lav" in frame.retning or ("best" in frame.retning and cost),
        n=frame.n or (DEFAULT_N_GRUPPE if (frame.fylke or frame.kostragruppe) else DEFAULT_N),
    )


def service_indekstyper(tjeneste: str) -> tuple[str, ...]:
    """The index types a service has: three for the seven cost services, quality for the rest."""
    if tjeneste == ALLE:
        return ("kommuneindeks", "kostnad", "kvalitet", "finans", "effektivitet")
    if tjeneste in KOSTNADSTJENESTER:
        return ("effektivitet", "kostnad", "kvalitet")
    return ("kvalitet",)


def _indekstyper(sporsmaal: str, frame: Frame) -> tuple[str, ...]:
    available = service_indekstyper(frame.tjeneste)
    asked = tuple(t for t in frame.indekstyper if t in available)
    if sporsmaal in ("liste", "snitt", "antall"):
        if asked:
            return asked[:1]
        if frame.tjeneste == ALLE:
            return ("kommuneindeks",)
        return available[:1]
    if asked:
        return asked
    if sporsmaal == "utvikling" and frame.tjeneste == ALLE:
        return ("kommuneindeks",)
    return available
