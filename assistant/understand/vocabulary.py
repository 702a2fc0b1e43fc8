"""The question vocabulary (data/ordliste.toml): phrases in bokmål and nynorsk per meaning,
matched on folded words. Bokmål and nynorsk are data here, not two parsers."""

import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from rapidfuzz import fuzz, process

from assistant.katalog import KATALOG_FILE, Katalog
from assistant.understand.normalize import fold
from scoring.contract import DATA_DIR

DEFAULT_PATH = DATA_DIR / "ordliste.toml"
FUNCTION_CODE = re.compile(r"f\d{3}")


@dataclass(frozen=True)
class Phrase:
    meaning: str
    tokens: tuple[str, ...]  # folded; the last may end in "*" (any ending)

    def matches_at(self, toks: list[str], i: int) -> bool:
        if i + len(self.tokens) > len(toks):
            return False
        for pattern, tok in zip(self.tokens, toks[i : i + len(self.tokens)]):
            if pattern.endswith("*"):
                if not tok.startswith(pattern[:-1]):
                    return False
            elif tok != pattern.rstrip("-") and tok != pattern:
                return False
        return True


@dataclass(frozen=True)
class Hit:
    meaning: str
    start: int
    end: int  # exclusive, in words


@dataclass(frozen=True, eq=False)
class Vocabulary:
    sections: dict[str, tuple[Phrase, ...]]
    tall: dict[str, int]

    def find(self, section: str, toks: list[str]) -> list[Hit]:
        """Non-overlapping matches of a section's phrases, longest first, in text order.

        `toks` are folded words (see `tokens`).
        """
        by_first, wild = self._first_words[section]
        # the phrases that may start at each word: only those whose first word fits it
        starting = [
            [*by_first.get(t, ()), *(by_first.get(t.rstrip("-"), ()) if t.endswith("-") else ()),
             *(p for p in wild if t.startswith(p.tokens[0][:-1]))]
            for t in toks
        ]
        hits: list[Hit] = []
        taken: set[int] = set()
        for length in sorted({len(p.tokens) for ps in starting for p in ps}, reverse=True):
            for i in range(len(toks)):
                span = set(range(i, i + length))
                if span & taken:
                    continue
                # every meaning a phrase of this span has ("mobbing": 7. and 10. trinn)
                meanings = dict.fromkeys(
                    p.meaning for p in starting[i] if len(p.tokens) == length and p.matches_at(toks, i)
                )
                hits += [Hit(m, i, i + length) for m in meanings]
                if meanings:
                    taken |= span
        return sorted(hits, key=lambda h: h.start)

    @cached_property
    def _first_words(self) -> dict[str, tuple[dict[str, list[Phrase]], list[Phrase]]]:
        """Per section, its phrases by their first word (without a trailing hyphen), and those
        whose first word ends in "*": `find` tries only the phrases that can start at a word."""
        index = {}
        for section, phrases in self.sections.items():
            by_first: dict[str, list[Phrase]] = {}
            wild = []
            for p in phrases:
                if p.tokens[0].endswith("*"):
                    wild.append(p)
                else:
                    by_first.setdefault(p.tokens[0].rstrip("-"), []).append(p)
            index[section] = (by_first, wild)
        return index

    def meanings(self, section: str, toks: list[str]) -> list[str]:
        """The distinct meanings found, in text order."""
        return list(dict.fromkeys(h.meaning for h in self.find(section, toks)))

    def closest_hits(self, section: str, toks: list[str], threshold: float = 88, compounds: bool = True) -> list[Hit]:
        """Misspelt single words of a section ("barnhagene" → barnehage): the closest stem of
        the section, same first letter, for words of six letters or more the vocabulary lacks.

        >>> [h.meaning for h in default_vocabulary().closest_hits("tjeneste", ["hvordan", "barnhagene"])]
        ['barnehage']
        """
        out: list[Hit] = []
        for i, t in enumerate(toks):
            if len(t) < 6 or self.knows(t):
                continue
            scored = [
                (100.0 if compounds and len(stem) >= 7 and stem in t[4:] else fuzz.partial_ratio(stem, t), meaning)
                for stem, meaning in self._stems(section)
                if stem[:1] == t[:1] or (compounds and len(stem) >= 7 and stem in t[4:])  # "barnevernskvaliteten"
            ]
            score, meaning = max(scored, default=(0.0, ""))
            if score >= threshold:
                out.append(Hit(meaning, i, i + 1))
        return out

    def is_function_word(self, word: str) -> bool:
        """A folded word that carries no meaning for the reading ([funksjonsord]): question
        words, pronouns, prepositions, auxiliaries, politeness, the asker's situation. A small
        typo of one counts too.

        >>> v = default_vocabulary()
        >>> v.is_function_word("hvor"), v.is_function_word("hvordn"), v.is_function_word("kvantefysikk")
        (True, True, False)
        """
        exact = self._function_words
        if FUNCTION_CODE.fullmatch(word):
            return True  # KOSTRA function numbers: "(f234, f253, f254, f261)"
        if word in exact or (word[:-1] in exact and word[-1:] in ("s", "e")):
            return True
        if len(word) < 5:
            return False
        best = process.extractOne(word, exact, scorer=fuzz.ratio, score_cutoff=85)
        return best is not None and best[0][:1] == word[:1]

    @cached_property
    def _function_words(self) -> frozenset[str]:
        return frozenset(p.tokens[0] for p in self.sections.get("funksjonsord", ()) if len(p.tokens) == 1)

    def _stems(self, section: str) -> list[tuple[str, str]]:
        """The section's one-word phrases of five letters or more, as (stem, meaning)."""
        return [
            (p.tokens[0].rstrip("*-"), p.meaning)
            for p in self.sections[section]
            if len(p.tokens) == 1 and len(p.tokens[0].rstrip("*-")) >= 5
        ]

    def words(self, section: str, meaning: str) -> frozenset[str]:
        """The one-word phrases of a meaning, folded (e.g. the words around a name)."""
        return frozenset(p.tokens[0] for p in self.sections[section] if p.meaning == meaning and len(p.tokens) == 1)

    def has_word(self, section: str, word: str) -> bool:
        """Whether a folded word is a one-word phrase of a section (or a word of a longer one).

        >>> default_vocabulary().has_word("hva_om", "kutter"), default_vocabulary().has_word("hva_om", "bodo")
        (True, False)
        """
        return any(p.matches_at([word], 0) for p in self._single_phrases[section])

    @cached_property
    def _single_phrases(self) -> dict[str, tuple[Phrase, ...]]:
        """Every word of every phrase, per section, as a one-word phrase."""
        return {name: tuple(Phrase(p.meaning, (t,)) for p in phrases for t in p.tokens)
                for name, phrases in self.sections.items()}

    def knows(self, word: str) -> bool:
        """Whether a folded word is one of the vocabulary's words (so not a name).

        >>> default_vocabulary().knows("barnehagane"), default_vocabulary().knows("bodo")
        (True, False)
        """
        exact, stems = self._single_words
        return word in exact or word.startswith(stems)

    @cached_property
    def _single_words(self) -> tuple[frozenset[str], tuple[str, ...]]:
        exact, stems = set(), set()
        for phrases in self.sections.values():
            for p in phrases:
                for t in p.tokens:
                    (stems.add(t[:-1]) if t.endswith("*") else exact.add(t.rstrip("-")))
        return frozenset(exact), tuple(sorted(stems))


# The sections the reader knows measures by, built from the catalogue (data/katalog.toml):
# section → (the measures' group, how a measure is named in the section).
MEASURE_SECTIONS = {
    "indekstype": (("indeks",), lambda m: dict(m.nokkel)["indekstype"]),
    "finansmaal": (("finans",), lambda m: m.key),
    "kostnadsmaal": (("kostnad",), lambda m: m.key),
    "indikator": (("indikator", "forklaring"), lambda m: m.key),
}
# Measures of the cost group read by an intent of their own rather than as a column.
NOT_A_COLUMN = {"innsparingspotensial_kr"}


def with_katalog(vocabulary: Vocabulary, katalog: Katalog) -> Vocabulary:
    """The vocabulary with the catalogue's words: one section per kind of measure (as the
    reader reads them), every measure by its key ("maal"), the dimensions and the method texts.
    Adding a measure to data/katalog.toml makes its words known here; no word list is twice.

    >>> from assistant.katalog import load_katalog
    >>> v = with_katalog(default_vocabulary(), load_katalog())
    >>> v.meanings("finansmaal", ["netto", "lanegjeld"]), v.meanings("maal", ["behovsindeksen"])
    (['netto_lanegjeld_pst'], ['behovsindeks'])
    """
    sections = dict(vocabulary.sections)
    words = katalog.ordliste()
    for name, table in words.items():
        sections[name] = _phrases(name, {k: list(v) for k, v in table.items()}, KATALOG_FILE)
    # family members in the catalogue file's order: where one word fits several indicators
    # ("mobbing"), the first listed is the one a what-if changes
    listed = [k for members in katalog.tillegg.values() for k in members if k in katalog.maal]
    ordered = [katalog.maal[k] for k in dict.fromkeys([*listed, *katalog.maal])]
    for name, (gruppe, meaning) in MEASURE_SECTIONS.items():
        table = {}
        for m in ordered:
            phrases = list(words["maal"].get(m.key, ()))
            if m.familie == "indikator":  # an indicator by its own name: "medarbeidertilfredshet"
                phrases.append(re.sub(r"\s*\(.*?\)", "", m.navn))
            if m.gruppe in gruppe and m.key not in NOT_A_COLUMN and phrases:
                table.setdefault(meaning(m), []).extend(phrases)
        sections[name] = _phrases(name, table, KATALOG_FILE)
    return Vocabulary(sections, vocabulary.tall)


def _phrases(section: str, table: dict, path: Path) -> tuple[Phrase, ...]:
    out = []
    for meaning, items in table.items():
        if isinstance(items, dict):  # nested sections such as [intensjon]
            raise ValueError(f"{path.name} [{section}.{meaning}]: forventet en liste med fraser")
        for phrase in items:
            toks = tuple(fold(t) for t in phrase.split())
            if not toks:
                raise ValueError(f"{path.name} [{section}.{meaning}]: tom frase")
            out.append(Phrase(meaning, toks))
    return tuple(out)


def load_vocabulary(path: Path = DEFAULT_PATH) -> Vocabulary:
    with path.open("rb") as f:
        raw = tomllib.load(f)
    tall = {fold(k): int(v) for k, v in raw.pop("tall").items()}
    sections = {name: _phrases(name, table, path) for name, table in raw.items()}
    return Vocabulary(sections, tall)


@cache
def default_vocabulary() -> Vocabulary:
    return load_vocabulary(DEFAULT_PATH)
