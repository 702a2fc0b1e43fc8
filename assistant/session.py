"""The rules a screen session follows, as pure functions: which mode, when an idle kiosk
starts over, how many questions a device may ask per minute (`DeviceRateLimit` keeps that
count for all sessions), text made literal for Markdown, and the order of the municipality
list. The Streamlit app calls these; they never call Streamlit.
"""

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Literal

from assistant.text.phrases import PUNKT, without_demo_note
from assistant.understand.frame import EKSEMPLER

__all__ = [
    "EKSEMPLER",
    "IDLE_SECONDS",
    "LOCAL_DEVICE",
    "MAX_DEVICES",
    "MAX_QUESTIONS",
    "MODE_ENV",
    "WINDOW_SECONDS",
    "WORD_JOINER",
    "DeviceRateLimit",
    "Modus",
    "choose_mode",
    "device_key",
    "answer_markdown",
    "is_idle",
    "markdown_literal",
    "plain_cells",
    "rate_limit",
    "seconds_to_wait",
    "shown_text",
    "questions_per_minute",
    "LIMIT_ENV",
    "sorted_kommuner",
]

Modus = Literal["ansatt", "kiosk"]
MODE_ENV = "KOMMUNEINDEKS_MODUS"
IDLE_SECONDS = 180.0  # a kiosk starts over after three quiet minutes
MAX_QUESTIONS = 10  # questions per device …
LIMIT_ENV = "KOMMUNEINDEKS_KIOSK_SPORSMAAL"  # … or as many as this says (a kiosk's own setting)
WINDOW_SECONDS = 60.0  # … per minute
MAX_DEVICES = 10_000  # devices the rate limit remembers; the longest quiet is forgotten first
LOCAL_DEVICE = "lokal"  # a browser on the server's own machine

# Characters that would make Markdown out of plain text anywhere: emphasis, links, images,
# code, maths, tables, headings, HTML and entities, and e-mail addresses (autolinked).
_MARKDOWN = re.compile(r"([\\`*_\[\]$~|#<>&@])")
# What only counts at the start of a line: quotes, lists, underlined headings.
_LINE_START = re.compile(r"^([ \t]*)([+\-=]|\d+(?=[.)]))", re.MULTILINE)
# A colon before a non-space: Streamlit's directives (":red[…]", ":material/…:", emoji codes).
_COLON = re.compile(r":(?=\S)")
# Streamlit links URLs, www. addresses and e-mail addresses in rendered text by itself, escaped
# or not; an invisible word joiner (U+2060) inside "://", "www." and before "@" stops it.
_AUTOLINK = re.compile(r"(?=://)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"

# Norwegian alphabetical order: æ, ø, å come after z, in that order.
_ALFABET = str.maketrans({"æ": "{", "ø": "|", "å": "}", "ä": "{", "ö": "|", "é": "e", "á": "a"})


def choose_mode(query_value: str | None, env_value: str | None) -> Modus:
    """The screen mode: kiosk if the URL (`?modus=kiosk`) or the environment asks for it.

    The environment wins one way only: a kiosk machine cannot be turned into the staff
    screen by editing the URL.

    >>> choose_mode(None, None), choose_mode("kiosk", None), choose_mode("ansatt", "kiosk")
    ('ansatt', 'kiosk', 'kiosk')
    >>> choose_mode(" Kiosk ", "")
    'kiosk'
    """
    wanted = {(value or "").strip().lower() for value in (query_value, env_value)}
    return "kiosk" if "kiosk" in wanted else "ansatt"


def questions_per_minute(env_value: str | None) -> int:
    """The kiosk's questions per device and minute: the environment's whole number from 1 to
    1 000, else the default.

    >>> questions_per_minute(None), questions_per_minute("3"), questions_per_minute("mange")
    (10, 3, 10)
    """
    value = (env_value or "").strip()
    return int(value) if value.isdigit() and 1 <= int(value) <= 1000 else MAX_QUESTIONS


def is_idle(last_activity: float | None, now: float, limit_seconds: float = IDLE_SECONDS) -> bool:
    """Whether a session has been quiet for longer than `limit_seconds` (times in seconds).

    >>> is_idle(None, 1000.0), is_idle(1000.0, 1100.0, 180), is_idle(1000.0, 1181.0, 180)
    (False, False, True)
    """
    return last_activity is not None and now - last_activity > limit_seconds


def rate_limit(
    asked: Sequence[float],
    now: float,
    max_questions: int = MAX_QUESTIONS,
    window_seconds: float = WINDOW_SECONDS,
) -> tuple[bool, list[float]]:
    """Whether one more question is allowed now, and the question times to keep.

    `asked` holds the times of the device's earlier questions; times older than the
    window are dropped. A refused question is not recorded, so waiting always helps.

    >>> ok, kept = rate_limit([0.0, 10.0, 20.0], now=65.0, max_questions=3)
    >>> ok, kept
    (True, [10.0, 20.0, 65.0])
    >>> rate_limit(kept, now=66.0, max_questions=3)
    (False, [10.0, 20.0, 65.0])
    """
    recent = [t for t in asked if now - t < window_seconds]
    if len(recent) >= max_questions:
        return False, recent
    return True, [*recent, now]


def device_key(ip_address: str | None) -> str:
    """The device a question comes from: its address as the server sees it, or "lokal" for a
    browser on the server's own machine (Streamlit gives no address for that).

    Behind a reverse proxy, the server sees the client's address only when the proxy is
    trusted to say it (X-Forwarded-For; see docs/grenser.md). The header is not read here: a
    client could write any address in it and so get a new count for each question.

    >>> device_key("10.0.0.7"), device_key(None), device_key("")
    ('10.0.0.7', 'lokal', 'lokal')
    """
    return ip_address.strip() or LOCAL_DEVICE if isinstance(ip_address, str) else LOCAL_DEVICE


class DeviceRateLimit:
    """The kiosk's question limit per device, shared by every session: reloading the page or
    opening a new tab does not start the count again. Thread-safe (sessions run in their own
    threads) and bounded: at most `max_devices` devices, each with at most `max_questions`
    times.

    >>> limit = DeviceRateLimit(max_questions=2, window_seconds=60)
    >>> [limit.allow("10.0.0.7", t) for t in (0.0, 1.0, 2.0)], limit.allow("10.0.0.8", 2.0)
    ([True, True, False], True)
    """

    def __init__(
        self,
        max_questions: int = MAX_QUESTIONS,
        window_seconds: float = WINDOW_SECONDS,
        max_devices: int = MAX_DEVICES,
    ):
        self._max_questions = max_questions
        self._window_seconds = window_seconds
        self._max_devices = max_devices
        self._asked: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, device: str, now: float) -> bool:
        """Whether `device` may ask one more question at `now` (and count it if so)."""
        with self._lock:
            asked = self._asked.pop(device, [])
            allowed, self._asked[device] = rate_limit(
                asked, now, self._max_questions, self._window_seconds
            )
            while len(self._asked) > self._max_devices:
                self._asked.popitem(last=False)
            return allowed

    def wait(self, device: str, now: float) -> int:
        """Whole seconds until `device` may ask again (0: now), for the kiosk's countdown.

        >>> limit = DeviceRateLimit(max_questions=1, window_seconds=60)
        >>> limit.allow("10.0.0.7", 0.0), limit.wait("10.0.0.7", 15.0), limit.wait("10.0.0.8", 15.0)
        (True, 45, 0)
        """
        with self._lock:
            asked = list(self._asked.get(device, []))
        return seconds_to_wait(asked, now, self._max_questions, self._window_seconds)

    def __len__(self) -> int:
        with self._lock:
            return len(self._asked)


def seconds_to_wait(
    asked: Sequence[float],
    now: float,
    max_questions: int = MAX_QUESTIONS,
    window_seconds: float = WINDOW_SECONDS,
) -> int:
    """How many whole seconds until one more question is allowed (0: now).

    >>> seconds_to_wait([10.0, 20.0, 65.0], now=66.0, max_questions=3)
    4
    >>> seconds_to_wait([10.0], now=66.0, max_questions=3)
    0
    """
    recent = sorted(t for t in asked if now - t < window_seconds)
    if len(recent) < max_questions:
        return 0
    free_at = recent[len(recent) - max_questions] + window_seconds
    return max(1, math.ceil(free_at - now))


def sorted_kommuner(names: Mapping[str, str]) -> list[str]:
    """Municipality numbers in the Norwegian alphabetical order of their names.

    >>> sorted_kommuner({"3403": "Hamar", "4601": "Bergen", "3428": "Åmot", "5057": "Ørland"})
    ['4601', '3403', '5057', '3428']
    """
    return sorted(names, key=lambda nr: (names[nr].lower().translate(_ALFABET), nr))


def markdown_literal(text: str) -> str:
    r"""Text shown as written by `st.markdown`: no links (also none made from a bare URL, a
    www. address or an e-mail address), no images, HTML, emphasis, maths, lists or colours.
    Streamlit links URLs in rendered text by itself, even escaped ones, so they are broken with
    an invisible word joiner (shown as ¦ below; it does not change what the reader sees).

    >>> show = lambda text: print(markdown_literal(text).replace(WORD_JOINER, "¦"))
    >>> show("Sør-Varanger (nr. 5) ![x](http://a) *b* $1$ :red[c]")
    Sør-Varanger (nr. 5) !\[x\](http¦\://a) \*b\* \$1\$ \:red\[c\]
    >>> show("Hvor ligger http://127.0.0.1:8611/x og www.evil.example?")
    Hvor ligger http¦\://127.0.0.1\:8611/x og www¦.evil.example?
    >>> show("- Kilde: SSB <b>ola@example.no</b>")
    \- Kilde: SSB \<b\>ola¦\@example.no\</b\>
    """
    text = _AUTOLINK.sub(WORD_JOINER, text)
    text = _MARKDOWN.sub(r"\\\1", text)
    text = _LINE_START.sub(_escape_line_start, text)
    return _COLON.sub(r"\\:", text)


def _escape_line_start(match: re.Match[str]) -> str:
    r""" "- x" → "\- x"; "12. x" → "12\. x" (the mark after the number is escaped)."""
    indent, mark = match.groups()
    if mark.isdigit():
        return f"{indent}{mark}\\"
    return f"{indent}\\{mark}"


def plain_cells(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    r"""Rows for a table that renders Markdown in its cells (`st.table`): text made literal,
    numbers as they are.

    >>> rows = plain_cells([["*fet*", 3]])
    >>> print(rows[0][0])
    \*fet\*
    >>> rows[0][1]
    3
    """
    return [[markdown_literal(v) if isinstance(v, str) else v for v in row] for row in rows]


def shown_text(text: str, kilde: str) -> str:
    """An answer's text on the screen: where the source line stands under the answer, the
    demo-data note is said there, once, and not again at the end of the text.

    >>> shown_text("Bodø er nr. 5. Merk: tallene er demodata, ikke ekte KOSTRA-tall.", "Demodata: …")
    'Bodø er nr. 5.'
    >>> shown_text("Jeg forstod ikke «x».", "")
    'Jeg forstod ikke «x».'
    """
    return without_demo_note(text) if kilde else text


def answer_markdown(text: str) -> str:
    r"""An answer's text for `st.markdown`: every line as written (`markdown_literal`), each on
    a line of its own, and the lines that start with «• » as a list.

    >>> print(answer_markdown("Trekker opp:\n• *a* (1 %)\n• b\nMerk: demodata."))
    Trekker opp:
    <BLANKLINE>
    - \*a\* (1 %)
    - b
    <BLANKLINE>
    Merk: demodata.
    """
    groups: list[tuple[bool, list[str]]] = []  # (is a list, its lines)
    for line in text.split("\n"):
        item = line.startswith(PUNKT)
        if not groups or groups[-1][0] != item:
            groups.append((item, []))
        groups[-1][1].append(markdown_literal(line.removeprefix(PUNKT)))
    return "\n\n".join(
        "\n".join(f"- {line}" for line in lines) if item else "  \n".join(lines)
        for item, lines in groups
    )
