"""Numbers and years in a question: the data year ("i 2023", "Kommuneindeksen 2025" = data year
2024, "i fjor"), a span of years ("fra 2022 til 2024"), top-N ("topp 3", "de fem beste"), ranks
("plass 100", "nr. 5 til 10") and the one check that a year has data. Each reader claims the
words it read in the question's `Account`."""

import re
from dataclasses import dataclass

from assistant.errors import NoDataForYear
from assistant.understand.account import Account
from assistant.understand.vocabulary import Vocabulary

# Report editions, as schema.md names them: "Kommuneindeksen 2025", "2025-indeksen"
# (and "rapporten 2025"). "kvalitetsindeksen 2023" is a data year, not an edition.
_EDITION = re.compile(
    r"\bkommuneindeks(?:en)?\s*(?:for\s+)?(\d{4})\b"
    r"|\b(\d{4})\s*-?\s*(?:indeksen|kommuneindeksen|utgaven|utgava|rapporten)\b"
    r"|\b(?:rapporten|utgaven|utgava)\s+(?:for\s+|fra\s+)?(\d{4})\b"
)
YEAR = re.compile(r"\b((?:19|20)\d\d)\b(?!\s*(?:innb\w*|kr|kroner|prosent|pst|mill\w*|personer|elever|barn))")
# Years relative to the year a conversation is about (the latest year in a new question).
_RELATIVE = (
    (re.compile(r"\b(?:i forfjor|forfjor\w*|for to ar sidan?|to ar tidlegare|to ar tidligere|aret for det)\b"), -2),
    (re.compile(r"\b(?:i fjor|ifjor|fjoraret\w*|fjorarets|forrige ar|forrige aret|arit for|aret for|aret foer|"
                r"aret forut|eit ar tidlegare|et ar tidligere|ett ar tidligere|for ett ar siden|for eit ar sidan)\b"), -1),
    (re.compile(r"\b(?:i ar|dette aret|aret no|iar|naverande ar|gjeldende ar)\b"), 0),
    (re.compile(r"\b(?:neste ar|neste aret|til neste ar|om eit ar|om ett ar|om et ar|aret etter)\b"), 1),
)
# "siste 3 år", "dei siste tre åra": a span back from the latest year
_LAST_YEARS = re.compile(r"\b(?:de|dei)?\s*siste\s+(\d|to|tre|fire|fem)\s+(?:ar|arene|ara)\b")
_SMALL = {"to": 2, "tre": 3, "fire": 4, "fem": 5}
_N_AFTER = re.compile(
    r"\b(?:topp|top|bunn|de|dei|best\w*|verst\w*|darlig\w*|darleg\w*|billigst\w*|dyrest\w*|svakest\w*|sterkest\w*)\s+(\w+)\b"
)
_N_BEFORE = re.compile(
    r"\b(\w+)\s+(?:beste|verste|billigste|dyreste|kommuner|kommunar|kommunene|kommunane|forste|siste|"
    r"tjenester|tenester|tjenestene|tenestene|fylker|fylke|"
    r"mest|minst|hoyeste|laveste|hogaste|lagaste|sterkeste|svakeste|dårligste|darligste|dårlegaste|darlegaste)\b"
)
_PLACES = re.compile(
    r"\b(?:plass|plassene|plassane|plasser|plassar|nummer|nr|rang|rangene)\s+(\d{1,3})\s*(?:-|til|og|–|\s)\s*(\d{1,3})\b"
    r"|\b(\d{1,3})\s*-\s*(\d{1,3})\s+(?:plass|plassen|plasser)\b"
    r"|\bfra\s+(?:plass|nummer|nr)\s+(\d{1,3})\s+til\s+(?:plass\s+|nummer\s+|nr\s+)?(\d{1,3})\b"
)
_PLACE = re.compile(r"\b(?:plass|nummer|nr)\s+(\d{1,3})\b")
GROUP = re.compile(r"\b(?:(?:kommune|kostra[- ]?)?grupp(?:e|a|en|ene)?|kommunegr|kostragr|ekg)\s*(?:nr\s*)?(\d{1,2})\b")


@dataclass(frozen=True)
class Years:
    """The years a question names: one year, a span, or a year relative to the conversation's."""

    aar: int | None = None
    fra_aar: int | None = None
    relativt: int | None = None  # -1 "i fjor", -2 "i forfjor", 0 "i år"
    utgave: bool = False  # named by the report edition ("Kommuneindeksen 2025")
    fra_relativt: int | None = None  # "i år, i fjor og i forfjor": a span back from the latest


def read_years(acc: Account) -> Years:
    """The years of a question: editions count one year back, two years make a span.

    >>> read_years(Account.of("Hvor lå Bodø i Kommuneindeksen 2024?"))
    Years(aar=2023, fra_aar=None, relativt=None, utgave=True, fra_relativt=None)
    >>> read_years(Account.of("Utviklingen fra 2022 til 2024"))
    Years(aar=2024, fra_aar=2022, relativt=None, utgave=False, fra_relativt=None)
    >>> read_years(Account.of("og året før?")).relativt
    -1
    """
    text = acc.text
    named: list[int] = []
    utgave = False
    for m in _EDITION.finditer(text):
        named.append(int(m.group(1) or m.group(2) or m.group(3)) - 1)
        acc.claim_match(m, "aar")
        utgave = True
    for m in YEAR.finditer(text):
        if not any("aar" in acc.claims.get(i, ()) for i in acc.span_of(m.start(), m.end())):
            named.append(int(m.group(1)))
            acc.claim_match(m, "aar")
    if named:
        years = sorted(set(named))
        if len(years) > 1:
            return Years(aar=years[-1], fra_aar=years[0], utgave=utgave)
        return Years(aar=years[0], utgave=utgave)
    m = _LAST_YEARS.search(text)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else _SMALL[m.group(1)]
        acc.claim_match(m, "aar")
        return Years(relativt=0, fra_relativt=1 - n)
    offsets = []
    for pattern, offset in _RELATIVE:
        for m in pattern.finditer(text):
            acc.claim_match(m, "aar")
            offsets.append(offset)
    if len(set(offsets)) > 1:
        return Years(relativt=max(offsets), fra_relativt=min(offsets))
    return Years(relativt=offsets[0]) if offsets else Years()


def _number(word: str, vocabulary: Vocabulary) -> int | None:
    if word.isdigit() and 0 < int(word) <= 357:
        return int(word)
    return vocabulary.tall.get(word)


def read_n(acc: Account, vocabulary: Vocabulary) -> int | None:
    """A top-N number: "topp 3", "de fem beste", "10 kommuner".

    >>> from assistant.understand.vocabulary import default_vocabulary
    >>> read_n(Account.of("hvilke fem kommuner er best styrt"), default_vocabulary())
    5
    >>> read_n(Account.of("topp 3 i finansindeksen"), default_vocabulary())
    3
    """
    for pattern in (_N_AFTER, _N_BEFORE):
        for m in pattern.finditer(acc.text):
            if acc.claims.get(acc.span_of(m.start(1), m.end(1))[0]):
                continue  # a year, or a rank already read
            n = _number(m.group(1), vocabulary)
            if n is not None:
                acc.claim_match(m, "n", group=1)
                return n
    return None


def read_places(acc: Account) -> tuple[int, int] | None:
    """The ranks a list asks for: "plass 100" → (100, 100), "nr. 5 til 10" → (5, 10).

    >>> read_places(Account.of("hvem ligger på plass 10–20 i kvalitet"))
    (10, 20)
    >>> read_places(Account.of("hvem er nr. 7"))
    (7, 7)
    """
    m = _PLACES.search(acc.text)
    if m:
        a, b = (int(g) for g in m.groups() if g is not None)
        acc.claim_match(m, "plass")
        return (min(a, b), max(a, b))
    m = _PLACE.search(acc.text)
    if m:
        acc.claim_match(m, "plass")
        return (int(m.group(1)), int(m.group(1)))
    return None


def read_kostragruppe(acc: Account) -> int | None:
    """ "kommunegruppe 8", "KOSTRA-gruppe 13" → the group's number."""
    m = GROUP.search(acc.text)
    if m and 1 <= int(m.group(1)) <= 17:
        acc.claim_match(m, "kostragruppe")
        return int(m.group(1))
    return None


_SENTRALITET = re.compile(r"\bsentralitet\w*\s*(?:nr\s*|klasse\s*)?([1-6])\b")


def read_sentralitet(acc: Account) -> int | None:
    """ "sentralitetsklasse 1" → 1 (SSB's centrality classes 1–6)."""
    m = _SENTRALITET.search(acc.text)
    if m:
        acc.claim_match(m, "sentralitet")
        return int(m.group(1))
    return None


def check_year(aar: int, years: tuple[int, ...]) -> None:
    """Raise `NoDataForYear`, naming the years that have data, for a year that has none.

    >>> check_year(2023, (2022, 2023, 2024))
    >>> check_year(2019, (2022, 2023, 2024))
    Traceback (most recent call last):
    ...
    assistant.errors.NoDataForYear: Jeg har ikke tall for 2019. Databasen har dataårene 2022, 2023 og 2024 (Kommuneindeksen 2023–2025).
    """
    if aar not in years:
        finnes = ", ".join(str(y) for y in years[:-1]) + f" og {years[-1]}"
        raise NoDataForYear(
            f"Jeg har ikke tall for {aar}. Databasen har dataårene {finnes} "
            f"(Kommuneindeksen {min(years) + 1}–{max(years) + 1}).",
            [f"Vis tall for {max(years)}"],
        )
