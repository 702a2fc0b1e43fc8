"""Links that keep state: what a screen shows (the view, «Min kommune», the conversation's
questions, the report's municipality and year) as URL parameters and back, so a reload keeps
it and staff can share a link to an answer: `?visning=rapport&kommune=5605&q=…`.

Everything read from a URL is checked: unknown views, municipalities and years are dropped,
questions are cut to the last few and to their greatest length (they are asked like typed
ones, and shown as plain text)."""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["MAX_QUESTIONS_IN_URL", "Lenke", "read_lenke"]

MAX_QUESTIONS_IN_URL = 6  # the last few questions: enough for a follow-up to find its subject
MAX_CHARS = 500  # a question longer than the app accepts is not worth carrying


@dataclass(frozen=True)
class Lenke:
    """The state a link carries; None or () where it carries none."""

    visning: str | None = None  # a view's URL name ("rapport")
    kommune: str | None = None  # «Min kommune», a kommunenr
    sporsmaal: tuple[str, ...] = ()  # the conversation's questions, oldest first
    rapport: str | None = None  # the report's municipality
    aar: int | None = None  # the report's year

    def query_params(self) -> dict[str, str | list[str]]:
        """The URL parameters, without the empty ones.

        >>> Lenke("rapport", "5605", ("Hvor ligger vi?",), "1804", 2024).query_params()
        {'visning': 'rapport', 'kommune': '5605', 'q': ['Hvor ligger vi?'], 'rapport': '1804', 'aar': '2024'}
        >>> Lenke().query_params()
        {}
        """
        params: dict[str, str | list[str]] = {
            "visning": self.visning or "",
            "kommune": self.kommune or "",
            "q": list(self.sporsmaal[-MAX_QUESTIONS_IN_URL:]),
            "rapport": self.rapport or "",
            "aar": str(self.aar) if self.aar is not None else "",
        }
        return {k: v for k, v in params.items() if v}


def _one(params: Mapping[str, Sequence[str]], key: str) -> str | None:
    values = params.get(key) or []
    return values[-1].strip() if values else None


def read_lenke(
    params: Mapping[str, Sequence[str]],
    visninger: Collection[str],
    kommuner: Collection[str],
    years: Collection[int],
) -> Lenke:
    """The state in a URL's parameters (each key with its list of values), checked against the
    views, municipalities and years there are.

    >>> read_lenke({"visning": ["rapport"], "kommune": ["5605"], "q": ["Hvor ligger vi?", " "],
    ...             "aar": ["2024"]}, ["spor", "rapport"], ["5605"], [2024])
    Lenke(visning='rapport', kommune='5605', sporsmaal=('Hvor ligger vi?',), rapport=None, aar=2024)
    >>> read_lenke({"visning": ["<x>"], "kommune": ["9999"], "aar": ["1999"], "rapport": ["x"]},
    ...            ["spor"], ["5605"], [2024])
    Lenke(visning=None, kommune=None, sporsmaal=(), rapport=None, aar=None)
    """
    visning = _one(params, "visning")
    kommune = _one(params, "kommune")
    rapport = _one(params, "rapport")
    aar = _one(params, "aar")
    questions = [q.strip()[:MAX_CHARS] for q in params.get("q") or [] if q.strip()]
    return Lenke(
        visning=visning if visning in visninger else None,
        kommune=kommune if kommune in kommuner else None,
        sporsmaal=tuple(questions[-MAX_QUESTIONS_IN_URL:]),
        rapport=rapport if rapport in kommuner else None,
        aar=int(aar) if aar and aar.isdigit() and int(aar) in years else None,
    )
