"""Numbers and years in a question: top-N ("topp 3", "de fem beste") and the data year
("i 2023", "Kommuneindeksen 2025" = data year 2024, "i fjor"), and the one check that a year
has data."""

import re

from assistant.errors import NoDataForYear
from assistant.understand.normalize import fold
from assistant.understand.vocabulary import Vocabulary

# Report editions, as schema.md names them: "Kommuneindeksen 2025", "2025-indeksen"
# (and "rapporten 2025"). "kvalitetsindeksen 2023" is a data year, not an edition.
_EDITION = re.compile(
    r"\bkommuneindeks(?:en)?\s*(?:for\s+|fra\s+)?(20\d\d)"
    r"|\b(20\d\d)\s*-\s*(?:indeksen|kommuneindeksen|utgaven|utgava|rapporten)"
    r"|\b(?:rapporten|utgaven|utgava)\s+(?:for\s+|fra\s+)?(20\d\d)"
)
YEAR = re.compile(r"\b(20\d\d)\b")
_N_AFTER = re.compile(
    r"\b(?:topp|bunn|de|dei|best\w*|verst\w*|darlig\w*|darleg\w*|billigst\w*|dyrest\w*|svakest\w*|sterkest\w*)\s+(\w+)"
)
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

    >>> from assistant.understand.vocabulary import default_vocabulary
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
        return int(m.group(1) or m.group(2) or m.group(3)) - 1
    m = YEAR.search(low)
    if m:
        return int(m.group(1))
    latest = max(years) if years else None
    if latest and re.search(r"\bi forfjor\b|\bfor to ar siden\b", low):
        return latest - 2
    if latest and re.search(r"\bi fjor\b|\bforrige ar\b|\bifjor\b|\bfjorarets\b", low):
        return latest - 1
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
