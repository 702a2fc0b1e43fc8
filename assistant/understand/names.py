"""Finding and resolving municipality names in a question.

A municipality may be named by its Norwegian name, its Sami or Kven name, its number, in ASCII
("Sor-Varanger", "Baerum", "Aalesund"), with "kommune" after it, in any case, with small typos,
or by its main town ("Kirkenes"). Names that are ordinary words (Time, Hå, Os, Sola …) count only
when written with a capital letter or followed by "kommune". Two municipalities with one name
(Herøy, Våler) are returned as one match with two candidates unless the county is named.
"""

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from assistant.understand.normalize import fold, name_key, words
from scoring.contract import DATA_DIR

FUZZY_ACCEPT = 88  # a typo this close is taken as the name
FUZZY_SUGGEST = 60  # names this close are offered as suggestions


@dataclass(frozen=True)
class Kommune:
    kommunenr: str
    kommune: str
    fylke: str
    kostragruppe: int
    offisielt_navn: str


@dataclass(frozen=True)
class NameMatch:
    """One name in the question; several candidates when the name is shared."""

    surface: str
    kandidater: tuple[str, ...]
    span: tuple[int, int]


@dataclass
class NameSearch:
    matches: list[NameMatch] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # capitalised words that matched no name
    other_words: list[str] = field(default_factory=list)  # other words the vocabulary lacks
    fylker: list[str] = field(default_factory=list)  # county names, in text order
    used: set[int] = field(default_factory=set)  # word positions taken by names
    fylke_at: dict[int, str] = field(default_factory=dict)  # word position → the county named there

    @property
    def fylke_words(self) -> set[int]:
        """The word positions taken by county names."""
        return set(self.fylke_at)


def _base_name(name: str) -> str:
    """ "Herøy (Nordland)" → "Herøy". """
    return re.sub(r"\s*\(.*\)$", "", name)


class KommuneRegister:
    """Every way to name each municipality, built from the `kommune` table."""

    def __init__(
        self,
        kommuner: list[Kommune],
        tettsteder: dict[str, str],
        vanlige_ord: set[str],
        is_word: Callable[[str], bool],
        etter_navn: frozenset[str],
        foran_navn: frozenset[str],
    ):
        """`etter_navn`: words that may follow a name ("Bodø kommune"); `foran_navn`: words a
        name often follows ("i Bodø"): both folded, from [navn] of data/ordliste.toml."""
        self.kommuner = {k.kommunenr: k for k in kommuner}
        self.fylker = sorted({k.fylke for k in kommuner})
        self._fylke_keys = {name_key(f): f for f in self.fylker}
        self._common = {name_key(n) for n in vanlige_ord}
        self._is_word = is_word
        self._after = etter_navn
        self._cue = foran_navn
        self.aliases: dict[str, set[str]] = {}
        by_name = {k.kommune: k.kommunenr for k in kommuner}
        for k in kommuner:
            self._add(k.kommune, k.kommunenr)
            self._add(_base_name(k.kommune), k.kommunenr)
            self._add(f"{_base_name(k.kommune)} {k.fylke}", k.kommunenr)
            self._add(f"{_base_name(k.kommune)} i {k.fylke}", k.kommunenr)
            for part in k.offisielt_navn.split(" - "):
                self._add(part, k.kommunenr)
            self._add(k.kommunenr, k.kommunenr)
        for town, kommune in tettsteder.items():
            if kommune in by_name and name_key(town) not in self.aliases:
                self._add(town, by_name[kommune])
        self._keys = list(self.aliases)
        self._max_words = max(len(a.split()) for a in self._surface_forms(kommuner, tettsteder))

    @staticmethod
    def _surface_forms(kommuner: list[Kommune], tettsteder: dict[str, str]) -> list[str]:
        return [k.kommune for k in kommuner] + [f"{k.kommune} i {k.fylke}" for k in kommuner] + list(tettsteder)

    def _add(self, alias: str, kommunenr: str) -> None:
        self.aliases.setdefault(name_key(alias), set()).add(kommunenr)

    def name(self, kommunenr: str) -> str:
        return self.kommuner[kommunenr].kommune

    def kommuners_fylke(self, kommunenr: str) -> str:
        return self.kommuner[kommunenr].fylke

    def search(self, text: str) -> NameSearch:
        """Find the municipalities named in `text`."""
        ws = words(text)
        result = NameSearch()
        i = 0
        while i < len(ws):
            match = self._exact_at(ws, i)
            if match:
                result.matches.append(match)
                end = match.span[1]
                if end < len(ws) and fold(ws[end]) in self._after:
                    end += 1
                result.used |= set(range(i, end))
                i = end
            else:
                i += 1
        county_words = self._find_fylker(ws, result)
        self._fuzzy(ws, result, result.used | county_words)
        return result

    def _find_fylker(self, ws: list[str], result: NameSearch) -> set[int]:
        """County names outside the municipality names ("Møre og Romsdal" is no misspelt name)."""
        taken: set[int] = set()
        found: list[tuple[int, str]] = []
        for n in (3, 2, 1):
            for i in range(len(ws) - n + 1):
                span = set(range(i, i + n))
                key = name_key(" ".join(ws[i : i + n]))
                if key not in self._fylke_keys and key.endswith("s"):
                    key = key[:-1]  # "Rogalands beste kommuneøkonomi"
                if not span & (taken | result.used) and key in self._fylke_keys:
                    found.append((i, self._fylke_keys[key]))
                    result.fylke_at.update(dict.fromkeys(span, self._fylke_keys[key]))
                    taken |= span
        result.fylker = [f for _, f in sorted(found)]
        return taken

    def _exact_at(self, ws: list[str], i: int) -> NameMatch | None:
        for n in range(min(self._max_words + 2, len(ws) - i), 0, -1):
            surface = " ".join(ws[i : i + n])
            for candidate in (surface, surface[:-1] if surface.endswith("s") else None):
                if not candidate:
                    continue
                key = name_key(candidate)
                if key not in self.aliases or not self._allowed(ws, i, n, key):
                    continue
                return NameMatch(surface, tuple(sorted(self.aliases[key])), (i, i + n))
        return None

    def _allowed(self, ws: list[str], i: int, n: int, key: str) -> bool:
        """Ordinary words count as names only when capitalised or followed by "kommune"."""
        if key not in self._common and not self._is_word(fold(ws[i])):
            return True
        followed = i + n < len(ws) and fold(ws[i + n]) in self._after
        return followed or ws[i][:1].isupper()

    def _fuzzy(self, ws: list[str], result: NameSearch, skip: set[int]) -> None:
        """Typos: name-like words left over are matched to the closest name; capitalised ones
        that match nothing are reported as unknown names."""
        for i, w in enumerate(ws):
            if i in skip or not self._name_like(ws, i):
                continue
            for n in (2, 1):
                if i + n > len(ws) or set(range(i, i + n)) & (skip | result.used):
                    continue
                match = self._closest(" ".join(ws[i : i + n]))
                if match:
                    result.matches.append(NameMatch(" ".join(ws[i : i + n]), match, (i, i + n)))
                    result.used |= set(range(i, i + n))
                    break
            else:
                # A capitalised first word is as often a verb ("Ranger …", "List …") as a name.
                named = w[:1].isupper() and (i > 0 or len(ws) == 1)
                (result.unknown if named else result.other_words).append(w)

    def _closest(self, surface: str) -> tuple[str, ...] | None:
        """The one name a typo is close to. Typos seldom hit the first letter, so the first
        letters must agree ("Øvre" is not "Dovre")."""
        key = name_key(surface)
        candidates = process.extract(key, self._keys, scorer=fuzz.ratio, limit=5, score_cutoff=75)
        # A swapped pair of letters is one typo ("Kristiansnad"): rank by Damerau-Levenshtein too.
        scored = []
        for cand, score, _ in candidates:
            if cand[:1] == key[:1]:
                dl = 100 * DamerauLevenshtein.normalized_similarity(key, cand)
                scored.append((max(score, dl), dl, cand))
        if scored:
            score, _, cand = max(scored)
            if score >= FUZZY_ACCEPT:
                return tuple(sorted(self.aliases[cand]))
        return None

    def _is_name_word(self, w: str) -> bool:
        """Not an ordinary word of the vocabulary, in whole or in any hyphenated part."""
        parts = [fold(p) for p in w.split("-") if p]
        return not any(self._is_word(p) for p in parts) and not self._is_word(fold(w))

    def _name_like(self, ws: list[str], i: int) -> bool:
        w = ws[i]
        f = fold(w)
        if len(f) < 3 or f.isdigit() or name_key(w) in self._fylke_keys or not self._is_name_word(w):
            return False
        capitalised = w[:1].isupper()
        after_cue = i > 0 and fold(ws[i - 1]) in self._cue
        # a long word the vocabulary lacks may be a misspelt name even in lower case
        return capitalised or after_cue or len(ws) == 1 or len(f) >= 6

    def suggestions(self, surface: str, limit: int = 3) -> list[str]:
        """The closest municipality names to a word that matched none."""
        hits = process.extract(name_key(surface), self._keys, scorer=fuzz.WRatio, limit=limit * 3)
        out: list[str] = []
        for key, score, _ in hits:
            for nr in sorted(self.aliases[key]):
                name = self.name(nr)
                if score >= FUZZY_SUGGEST and name not in out:
                    out.append(name)
        return out[:limit]


def read_tettsteder(path: Path = DATA_DIR / "reference" / "tettsteder.csv") -> dict[str, str]:
    with path.open(encoding="utf-8") as f:
        return {r["tettsted"]: r["kommune"] for r in csv.DictReader(f)}


def read_vanlige_ord(path: Path = DATA_DIR / "vanlige_ord_navn.csv") -> set[str]:
    with path.open(encoding="utf-8") as f:
        return {r["kommune"] for r in csv.DictReader(f)}
