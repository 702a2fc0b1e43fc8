"""The account of a question's words: every word is used by the reading or is a function word.

Each step of the reading claims the words it read, under the name of the frame field they set
(`tjeneste`, `aar`, `kommuner` …). When the frame is finished, the words whose field the answer
does not use, and the words nobody claimed that are not function words, are left over: the
question was not fully understood, and answering it would answer a different question.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from assistant.understand.normalize import fold, words


@dataclass
class Account:
    """The words of one question and, per word, the fields of the reading that claim it.

    >>> a = Account.of("Hvor ligger Bodø i kvantefysikk?")
    >>> a.claim(range(2, 3), "kommuner")
    >>> a.left_over({"kommuner"}, lambda w: w in {"hvor", "ligger", "i"})
    ['kvantefysikk']
    """

    words: list[str]  # as written
    toks: list[str]  # folded
    claims: dict[int, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, question: str) -> "Account":
        ws = words(question)
        return cls(ws, [fold(w) for w in ws])

    @property
    def text(self) -> str:
        """The folded words joined by single spaces: what patterns are matched against."""
        return " ".join(self.toks)

    def claim(self, span: Iterable[int], name: str) -> None:
        for i in span:
            self.claims.setdefault(i, set()).add(name)

    def unclaim(self, span: Iterable[int], name: str) -> None:
        """Take back a claim: a reading that changed its mind about these words."""
        for i in span:
            self.claims.get(i, set()).discard(name)
            if not self.claims.get(i, True):
                del self.claims[i]

    def claim_match(self, match: re.Match, name: str, group: int = 0) -> None:
        """Claim the words a regular-expression match over `text` covers."""
        self.claim(self.span_of(match.start(group), match.end(group)), name)

    def span_of(self, start: int, end: int) -> range:
        """The word positions a character span of `text` covers.

        >>> Account.of("topp 3 i skole").span_of(0, 6)
        range(0, 2)
        """
        pos, first, last = 0, None, None
        for i, t in enumerate(self.toks):
            if pos < end and pos + len(t) > start:
                first = i if first is None else first
                last = i
            pos += len(t) + 1
        return range(first, last + 1) if first is not None else range(0)

    def claimed(self, name: str) -> bool:
        return any(name in names for names in self.claims.values())

    def left_over(self, used: set[str], known: Callable[[str], bool]) -> list[str]:
        """The words that carry meaning the reading did not use, as written, in text order:
        claimed only by fields the answer does not use, or claimed by nobody, and not `known`
        (a function word read by an unused field is still a function word). Neighbouring words
        are kept together as one phrase ("netto driftsresultat")."""
        return self._phrases(self.positions_left(used, known))

    def _phrases(self, positions: list[int]) -> list[str]:
        phrases: list[list[int]] = []
        for i in positions:
            if phrases and phrases[-1][-1] == i - 1:
                phrases[-1].append(i)
            else:
                phrases.append([i])
        return list(dict.fromkeys(" ".join(self.words[i] for i in p) for p in phrases))

    def positions_left(self, used: set[str], known: Callable[[str], bool]) -> list[int]:
        return [
            i for i, t in enumerate(self.toks)
            if not (self.claims.get(i, set()) & (used | {"*"})) and not known(t)
        ]

    def unread(self, known: Callable[[str], bool]) -> list[str]:
        """The words nobody read that are not `known`: words the reader does not know at all,
        neighbours kept together."""
        return self._phrases([i for i in self.positions_left(set(), known) if i not in self.claims])
