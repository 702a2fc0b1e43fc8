"""Conditions in a question: «netto lånegjeld over 100 prosent», «negativt netto driftsresultat»,
«bedre kvalitet enn landsgjennomsnittet», «blant de 50 beste», «bedre enn Bodø».

Each condition is read from the words around a comparison, and tied to the measure named next to
it (or the question's only measure). Its words are claimed under "vilkaar"; the measure's words
stay claimed by the measure.
"""

import re
from dataclasses import dataclass

from assistant.understand.account import Account
from assistant.understand.vocabulary import Hit

# Comparison words → the operator; "bedre"/"verre" follow the measure's direction.
_OPS = {
    "over": ">", "mer enn": ">", "meir enn": ">", "hoyere enn": ">", "hogare enn": ">", "storre enn": ">",
    "flere enn": ">", "fleire enn": ">", "minst": ">=", "minimum": ">=", "under": "<", "mindre enn": "<",
    "lavere enn": "<", "lagare enn": "<", "faerre enn": "<", "hoyst": "<=", "maks": "<=", "maksimalt": "<=",
    "bedre enn": "bedre", "betre enn": "bedre", "darligere enn": "verre", "darlegare enn": "verre",
    "verre enn": "verre",
}
_OP = "|".join(sorted((re.escape(k) for k in _OPS), key=len, reverse=True))
_NUMBER = r"(-?\d[\d ]*(?:[.,]\d+)?)"
_UNIT = r"(?:\s*(prosent|pst|%|kroner|kr|millioner|mill|milliarder|mrd|tusen|innby\w*|innbyg\w*|innb|poeng|dager|dagar))?"
# A unit that names its measure: «over 50 000 innbyggere» is about the population.
_UNIT_MEASURE = {"innb": "innbyggere"}
# «over 100 prosent», «mer enn 50 000 innbyggere»
_THRESHOLD = re.compile(rf"\b({_OP})\s+{_NUMBER}{_UNIT}\b")
# «over snittet», «bedre enn landsgjennomsnittet», «bedre kvalitet enn snittet i kommunegruppa»
_AVERAGE = re.compile(
    r"\b(over|under|bedre|betre|darligere|darlegare|verre|hoyere|hogare|lavere|lagare|mer|meir|mindre)"
    r"(?:\s+\w+){0,6}?\s+(?:enn\s+)?(?:(?:lands|landets\s+)?(?:gjennom)?snitt\w*|landsgjennomsnitt\w*|"
    r"gruppesnitt\w*|kommunegruppesnitt\w*|kostra-gruppesnitt\w*|fylkessnitt\w*)"
    r"(?:\s+(?:i|for)(?:\s+\w+){0,2}?\s+(?:kommunegrupp\w*|kostra-?grupp\w*|grupp\w*|fylket|landet))?"
)
_SIGN = re.compile(r"\b(negativ\w*|positiv\w*|under null|over null|minus|pluss)\b")
_AMONG = re.compile(r"\b(?:blant|av|i)\s+(?:de|dei|topp)\s+(\d{1,3}|\w+)\s+(beste)\b"
                    r"|\bpa\s+topp\s+(\d{1,3})\b|\bblant\s+topp\s+(\d{1,3})\b")
_COMPARED_TO = re.compile(rf"\b(?:({_OP}|bedre|betre|darligere|darlegare|hoyere|lavere|mer|meir|mindre)(?:\s+\w+){{0,3}}?\s+enn"
                          rf"|(foran|framfor|bak))\s+$")  # «ligger foran Bodø»

Terskel = float | str | tuple


@dataclass(frozen=True)
class Betingelse:
    """One condition: the measure (a catalogue key; None when the question names none), the
    operator, and the threshold: a number, "landssnitt" / "gruppesnitt" / "fylkessnitt", a
    municipality ("kommune", kommunenr) or a rank range ("rang", fra, til)."""

    maal: str | None
    op: str
    terskel: Terskel


def _number(text: str, unit: str | None) -> float:
    """ "50 000" → 50000, "2,5" → 2.5; millions and thousands multiplied out.

    >>> _number("50 000", None), _number("2,5", "mill"), _number("100", "%")
    (50000.0, 2500000.0, 100.0)
    """
    value = float(text.replace(" ", "").replace(",", "."))
    scale = {"millioner": 1e6, "mill": 1e6, "milliarder": 1e9, "mrd": 1e9, "tusen": 1e3}
    return value * scale.get(unit or "", 1)


def _which_average(text: str) -> str:
    if "grupp" in text:
        return "gruppesnitt"
    if "fylke" in text:
        return "fylkessnitt"
    return "landssnitt"


def _nearest(measures: list[Hit], start: int, end: int) -> str | None:
    """The measure named next to a condition: just before it, else just after, else the only one."""
    before = [h for h in measures if h.end <= start]
    after = [h for h in measures if h.start >= end]
    if before and start - before[-1].end <= 3:
        return before[-1].meaning
    if after and after[0].start - end <= 3:
        return after[0].meaning
    distinct = {h.meaning for h in measures}
    return next(iter(distinct)) if len(distinct) == 1 else (before[-1].meaning if before else None)


def read_conditions(acc: Account, measures: list[Hit], numbers: dict[str, int]) -> list[Betingelse]:
    """The conditions of a question, with their words claimed under "vilkaar".

    >>> from assistant.understand.vocabulary import Hit
    >>> acc = Account.of("Hvor mange kommuner har netto lånegjeld over 100 prosent?")
    >>> read_conditions(acc, [Hit("netto_lanegjeld_pst", 4, 6)], {})
    [Betingelse(maal='netto_lanegjeld_pst', op='>', terskel=100.0)]
    >>> acc = Account.of("Kor mange kommunar i Nordland er blant dei 50 beste?")
    >>> read_conditions(acc, [], {})
    [Betingelse(maal=None, op='rang', terskel=('rang', 1, 50))]
    """
    text = acc.text
    found: list[Betingelse] = []
    for m in _THRESHOLD.finditer(text):
        span = acc.span_of(m.start(), m.end())
        if any("aar" in acc.claims.get(i, ()) for i in span):
            continue  # «over 2022» is no condition
        unit = m.group(3) or ""
        measure = _UNIT_MEASURE.get(unit[:4]) or _nearest(measures, span.start, span.stop)
        found.append(Betingelse(measure, _OPS[m.group(1)], _number(m.group(2), m.group(3))))
        acc.claim_match(m, "vilkaar")
    for m in _AVERAGE.finditer(text):
        span = acc.span_of(m.start(), m.end())
        word = m.group(1)
        op = ("bedre" if word in ("bedre", "betre") else "verre" if word in ("darligere", "darlegare", "verre")
              else ">" if word in ("over", "hoyere", "hogare", "mer", "meir") else "<")
        found.append(Betingelse(_nearest(measures, span.start, span.stop), op, _which_average(m.group(0))))
        acc.claim(span, "vilkaar")
    for m in _SIGN.finditer(text):
        span = acc.span_of(m.start(), m.end())
        op = "<" if m.group(1).startswith(("negativ", "under", "minus")) else ">"
        found.append(Betingelse(_nearest(measures, span.start, span.stop), op, 0.0))
        acc.claim(span, "vilkaar")
    for m in _AMONG.finditer(text):
        n_text = m.group(1) or m.group(3) or m.group(4)
        n = int(n_text) if n_text.isdigit() else numbers.get(n_text)
        if not n:
            continue
        found.append(Betingelse(None, "rang", ("rang", 1, n)))
        acc.claim_match(m, "vilkaar")
    return found


def compared_to_kommune(acc: Account, span: tuple[int, int]) -> str | None:
    """The operator when a municipality's name ends a comparison («bedre kommuneindeks enn
    Bodø»): the name is then a threshold, not what the question is about."""
    before = " ".join(acc.toks[max(0, span[0] - 5): span[0]]) + " "
    m = _COMPARED_TO.search(before)
    if not m:
        return None
    if m.group(2):
        return "bedre" if m.group(2) in ("foran", "framfor") else "verre"
    word = m.group(1)
    return _OPS.get(word) or ("bedre" if word in ("bedre", "betre") else "verre" if word.startswith("darl")
                              else ">" if word in ("hoyere", "mer", "meir") else "<")
