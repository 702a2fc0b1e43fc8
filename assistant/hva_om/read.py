"""A what-if question ("Hva om …?") read into a typed change: what is changed and how, or
which rank is aimed at, or which kroner are counted in årsverk.

The parser (`assistant/understand/read.py`) has already found the municipality, the service, the
indicator and the year; this module reads the rest of the text with the `[hva_om]` words of
data/ordliste.toml. Numbers are words here ("500 000", "16,3", "ti"), and so is "%".
"""

import re
from dataclasses import dataclass
from typing import Literal

from assistant.errors import NotUnderstood
from assistant.understand.normalize import fold
from assistant.understand.vocabulary import Hit, Vocabulary

Kind = Literal[
    "snitt", "prosent", "kroner", "kr_per_innbygger", "arsverk", "arsverk_tilsvarer",
    "indikator", "maal",
]
Snitt = Literal["gruppe", "land"]

EKSEMPLER_HVA_OM = [
    "Hva om pleie og omsorg i Sør-Varanger kostet som snittet i kommunegruppen?",
    "Hva om grunnskolepoengene i Alta økte med 2?",
    "Hvor mye må pleie og omsorg i Vadsø koste for å komme på topp 100?",
    "Hva betyr 10 færre årsverk i hjemmetjenesten i Sør-Varanger?",
]

_TOKEN = re.compile(
    r"(?<![\w.,])-?\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?(?![\d])"  # 500 000, 1 250 000,5
    r"|(?<![\w.,])-?\d+(?:[.,]\d+)?"  # 45, 16,3, 2.5, -10
    r"|%"
    r"|[^\W\d_]+(?:[-.][^\W\d_]+)*-?"  # words, "sør-varanger", "mill.kr", "pleie-"
)
UNITS = ("prosent", "prosentpoeng", "million", "milliard", "tusen", "kroner", "arsverk")
DIRECTIONS = ("okning", "reduksjon", "bedre", "verre")
MULTIPLIER = {"million": 1e6, "milliard": 1e9, "tusen": 1e3}


@dataclass(frozen=True)
class Quantity:
    """A number in the question with its unit ("" for a bare number) and token span."""

    tall: float
    enhet: str
    start: int
    end: int


@dataclass(frozen=True)
class Endring:
    """One what-if, in the terms of the recomputation.

    kind: snitt (cost set to an average), prosent / kroner / kr_per_innbygger (cost changed by
    a signed share, an amount, or per inhabitant — `sett_til` for a new level), arsverk (cost
    changed by a signed number of årsverk), arsverk_tilsvarer (kroner counted in årsverk; the
    kroner come from `grunnlag`), indikator (an indicator changed by `tall`, or set to it),
    maal (the cost that reaches rank `tall` on `maal` = (tjeneste, indekstype)).
    `enhet` is the unit of an indicator change ("prosentpoeng", "prosent" or ""), and
    `mot_bedre` says that a positive `tall` means better rather than higher ("1 poeng bedre").
    """

    kind: Kind
    kommunenr: str
    tjeneste: str
    aar: int
    tall: float = 0.0
    snitt: Snitt = "gruppe"
    sett_til: bool = False
    indikator: str | None = None
    maal: tuple[str, str] | None = None
    grunnlag: "Endring | None" = None
    enhet: str = ""
    mot_bedre: bool = False
    gruppe: int | None = None  # another KOSTRA group than the municipality's own


def tokens(text: str) -> list[str]:
    """The folded words and numbers of a what-if question.

    >>> tokens("Hva om Bodø brukte 5 mill. kr (−10 %) mindre på pleie- og omsorg?")
    ['hva', 'om', 'bodo', 'brukte', '5', 'mill', 'kr', '-10', '%', 'mindre', 'pa', 'pleie-', 'og', 'omsorg']
    >>> tokens("500 000 kr, 16,3 poeng")
    ['500 000', 'kr', '16,3', 'poeng']
    """
    text = fold(text.replace("\u2212", "-").replace("\u2013", "-"))
    return _TOKEN.findall(text)


def number(token: str, tall: dict[str, int] | None = None) -> float | None:
    """A number token as a float: decimal comma, spaces between thousands, or a number word.

    >>> number("16,3"), number("500 000"), number("-10"), number("ti", {"ti": 10}), number("kr")
    (16.3, 500000.0, -10.0, 10.0, None)
    >>> number("500.000"), number("2.5")
    (500000.0, 2.5)
    """
    if tall and token in tall:
        return float(tall[token])
    if not re.fullmatch(r"-?[\d \u00a0]+(?:[.,]\d+)?", token):
        return None
    plain = token.replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"-?\d{1,3}\.\d{3}", plain):
        plain = plain.replace(".", "")
    return float(plain.replace(",", "."))


def quantities(toks: list[str], hits: list[Hit], tall: dict[str, int]) -> list[Quantity]:
    """Every number with the unit after it (one direction word may stand in between:
    "10 færre årsverk", "10 % mindre"); number words count only before a unit."""
    at = {h.start: h for h in hits}
    out = []
    for i, tok in enumerate(toks):
        value = number(tok)
        word = value is None
        if word:
            value = number(tok, tall)
        if value is None:
            continue
        j = i + 1
        if j in at and at[j].meaning in DIRECTIONS:
            j = at[j].end
        enhet, end, value = _unit(at, j, value)
        if word and not enhet:
            continue
        out.append(Quantity(value, enhet, i, end if enhet else i + 1))
    return out


def _unit(at: dict[int, Hit], j: int, value: float) -> tuple[str, int, float]:
    """The unit starting at token j: kroner with a multiplier, per inhabitant, or another."""
    hit = at.get(j)
    if hit is None or hit.meaning not in UNITS:
        return "", j, value
    if hit.meaning in MULTIPLIER:
        value *= MULTIPLIER[hit.meaning]
        end = hit.end
        if end in at and at[end].meaning == "kroner":
            end = at[end].end
        return "kroner", end, value
    if hit.meaning == "kroner":
        per = _per_innbygger_near(at, hit.end)
        if per is not None:
            return "kr_per_innbygger", per, value
    return hit.meaning, hit.end, value


def _per_innbygger_near(at: dict[int, Hit], j: int, reach: int = 4) -> int | None:
    """The end of "per innbygger" within a few words after kroner ("1000 kr mindre per
    innbygger", "500 kr mer på helse per innbygger"), or None."""
    for k in range(j, j + reach):
        if k in at and at[k].meaning == "per_innbygger":
            return at[k].end
    return None


def direction(hits: list[Hit], q: Quantity) -> str | None:
    """The direction word nearest to a number ("økte", "færre", "bedre" …), if any.

    >>> direction([Hit("okning", 0, 1), Hit("reduksjon", 5, 6)], Quantity(2.0, "", 4, 5))
    'reduksjon'
    """
    near = [h for h in hits if h.meaning in DIRECTIONS]
    if not near:
        return None
    return min(near, key=lambda h: min(abs(h.start - q.start), abs(h.start - (q.end - 1)))).meaning


def target_rank(toks: list[str], hits: list[Hit]) -> int | None:
    """The rank aimed at: "topp 100", "plass 50", "blant de 100 beste", "100. plass".

    >>> from assistant.understand.vocabulary import default_vocabulary
    >>> t = tokens("for å komme på topp 100?")
    >>> target_rank(t, default_vocabulary().find("hva_om", t))
    100
    """
    ends = {h.end: h for h in hits if h.meaning == "maal"}
    starts = {h.start: h for h in hits if h.meaning == "maal_etter"}
    for i, tok in enumerate(toks):
        value = number(tok)
        if value is None or value != int(value) or not 1 <= value <= 400:
            continue
        if i in ends or (i + 1) in starts:
            return int(value)
    return None


def group_number(toks: list[str], hits: list[Hit]) -> int | None:
    """The KOSTRA group named by number: "snittet i kommunegruppe 13".

    >>> from assistant.understand.vocabulary import default_vocabulary
    >>> t = tokens("som snittet i kommunegruppe 13")
    >>> group_number(t, default_vocabulary().find("hva_om", t))
    13
    """
    for h in hits:
        if h.meaning == "gruppesnitt" and h.end < len(toks):
            value = number(toks[h.end])
            if value is not None and value == int(value) and 1 <= value <= 17:
                return int(value)
    return None


def _plain_numbers(toks: list[str], hits: list[Hit], qs: list[Quantity]) -> list[Quantity]:
    """Quantities that are not years, KOSTRA group numbers or a target rank."""
    after_group = {h.end for h in hits if h.meaning == "gruppesnitt"}
    cues = {h.end for h in hits if h.meaning == "maal"}
    after = {h.start for h in hits if h.meaning == "maal_etter"}
    out = []
    for q in qs:
        year = not q.enhet and q.tall == int(q.tall) and 1990 <= q.tall <= 2100
        if year or q.start in after_group or (not q.enhet and (q.start in cues or q.end in after)):
            continue
        out.append(q)
    return out


def _signed(q: Quantity, hits: list[Hit]) -> float | None:
    """The number with its sign from the direction word; None when no direction is given."""
    way = direction(hits, q)
    if q.tall < 0:
        return q.tall
    if way in ("okning", "bedre"):
        return q.tall
    if way in ("reduksjon", "verre"):
        return -q.tall
    return None


def _snitt(meanings: set[str]) -> Snitt | None:
    if "landssnitt" in meanings:
        return "land"
    if meanings & {"gruppesnitt", "snitt"}:
        return "gruppe"
    return None


def _next_to_direction(hits: list[Hit], q: Quantity) -> bool:
    """A direction word right by the number: "2 prosentpoeng lavere", "0,2 poeng bedre",
    "økte 2" — a change, even after "ble" or "var".

    >>> _next_to_direction([Hit("reduksjon", 6, 7)], Quantity(2.0, "", 4, 5))
    True
    """
    return any(
        h.meaning in DIRECTIONS and (q.start <= h.start <= q.end + 1 or h.end == q.start)
        for h in hits
    )


def _right_after(hits: list[Hit], meaning: str, q: Quantity) -> bool:
    return any(h.meaning == meaning and h.end == q.start for h in hits)


def read_endring(
    text: str,
    kommunenr: str,
    tjeneste: str,
    aar: int,
    vocabulary: Vocabulary,
    indikator: str | None = None,
    indekstype: str | None = None,
) -> Endring:
    """Read what a what-if question changes (see `Endring`); NotUnderstood when it cannot.

    `indikator` and `indekstype` are what the question parser found named, if anything.

    >>> from assistant.understand.vocabulary import default_vocabulary
    >>> v = default_vocabulary()
    >>> read_endring("Hva om Alta brukte 10 % mindre på barnehage?", "5601", "barnehage", 2024, v).tall
    -10.0
    >>> w = read_endring("Hva betyr 10 færre årsverk i hjemmetjenesten?", "5605", "pleie_og_omsorg", 2024, v)
    >>> w.kind, w.tall
    ('arsverk', -10.0)
    >>> read_endring("Hva om sykefraværet gikk ned med 1 prosentpoeng?", "5605", "administrasjon",
    ...              2024, v, indikator="sykefravaer_kommune").tall
    -1.0
    """
    toks = tokens(text)
    hits = vocabulary.find("hva_om", toks)
    meanings = {h.meaning for h in hits}
    qs = _plain_numbers(toks, hits, quantities(toks, hits, vocabulary.tall))
    base = Endring("snitt", kommunenr, tjeneste, aar, gruppe=group_number(toks, hits))
    if "hvor_mange_arsverk" in meanings:
        kroner = [q for q in qs if q.enhet != "arsverk"]
        grunnlag = _cost_change(base, kroner, hits, meanings) if kroner else None
        snitt = _snitt(meanings) or "gruppe"
        return _replace(base, kind="arsverk_tilsvarer", snitt=snitt, grunnlag=grunnlag)
    arsverk = [q for q in qs if q.enhet == "arsverk"]
    if arsverk:
        return _replace(base, kind="arsverk", tall=_need_sign(arsverk[0], hits))
    rank = target_rank(toks, hits)
    if rank is not None:
        return _replace(base, kind="maal", tall=float(rank), maal=_target(tjeneste, indekstype))
    if indikator:
        return _indicator_change(base, indikator, qs, hits, meanings)
    return _cost_change(base, qs, hits, meanings)


def _replace(w: Endring, **changes) -> Endring:
    return Endring(**{**w.__dict__, **changes})


def _need_sign(q: Quantity, hits: list[Hit]) -> float:
    signed = _signed(q, hits)
    if signed is None:
        raise NotUnderstood(
            "Skal det være flere eller færre? Skriv for eksempel «10 færre årsverk» eller "
            "«10 % lavere kostnader».",
            EKSEMPLER_HVA_OM[:3],
        )
    return signed


def _target(tjeneste: str, indekstype: str | None) -> tuple[str, str]:
    """The index a target rank is on: the service's efficiency (cost if named), or for the
    municipality as a whole the Kommuneindeks (cost or efficiency if named)."""
    if indekstype in ("kostnad", "effektivitet", "kommuneindeks"):
        if indekstype == "kommuneindeks":
            return ("alle", "kommuneindeks")
        return (tjeneste, indekstype)
    if indekstype in ("kvalitet", "finans"):
        raise NotUnderstood(
            "Jeg kan regne på hva kostnaden må være for å nå en plassering på kostnad, "
            "effektivitet eller i Kommuneindeksen, men ikke på kvalitet eller økonomi.",
            EKSEMPLER_HVA_OM[:3],
        )
    return (tjeneste, "effektivitet") if tjeneste != "alle" else ("alle", "kommuneindeks")


def _cost_change(
    base: Endring, qs: list[Quantity], hits: list[Hit], meanings: set[str]
) -> Endring:
    """A change of cost: to an average, by a share, by an amount, or to a level per inhabitant."""
    for q in qs:
        if q.enhet == "prosent":
            return _replace(base, kind="prosent", tall=_need_sign(q, hits))
        if q.enhet in ("kroner", "kr_per_innbygger"):
            signed = _signed(q, hits)
            if signed is not None:
                return _replace(base, kind=q.enhet, tall=signed)
            if q.enhet == "kr_per_innbygger":
                return _replace(base, kind="kr_per_innbygger", tall=q.tall, sett_til=True)
            return _replace(base, kind="kroner", tall=_need_sign(q, hits))
    snitt = _snitt(meanings)
    if snitt:
        return _replace(base, kind="snitt", snitt=snitt)
    raise NotUnderstood(
        "Jeg skjønte ikke hva som skal endres i hva om-spørsmålet. Jeg kan regne på kostnader "
        "(som snittet i kommunegruppen, prosent eller kroner mer eller mindre, årsverk), "
        "kvalitetsindikatorer (opp eller ned med et tall, eller til en verdi) og hva som skal "
        "til for å nå en plassering. Prøv for eksempel:",
        EKSEMPLER_HVA_OM[:3],
    )


def _indicator_change(
    base: Endring, indikator: str, qs: list[Quantity], hits: list[Hit], meanings: set[str]
) -> Endring:
    """An indicator changed by a delta ("økte med 2"), to a value ("var 45") or to an average."""
    base = _replace(base, kind="indikator", indikator=indikator)
    if not qs:
        snitt = _snitt(meanings)
        if snitt:
            return _replace(base, sett_til=True, snitt=snitt, tall=float("nan"))
        raise NotUnderstood(
            "Hvor mye skal indikatoren endres? Skriv for eksempel «økte med 2» eller «var 45».",
            EKSEMPLER_HVA_OM[1:3],
        )
    q = qs[0]
    base = _replace(base, enhet=q.enhet)
    signed = _signed(q, hits)
    if signed is not None and (_next_to_direction(hits, q) or not _right_after(hits, "sett_til", q)):
        better = direction(hits, q) in ("bedre", "verre")
        return _replace(base, tall=signed, mot_bedre=better)
    if _right_after(hits, "med", q):
        return _replace(base, tall=q.tall)
    return _replace(base, tall=q.tall, sett_til=True)
