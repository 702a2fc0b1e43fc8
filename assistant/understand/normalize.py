"""Question text → clean text, folded words. Pure functions, used by names and vocabulary."""

import re
import unicodedata

# Control characters (except ordinary white space) are dropped before anything else.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_SPACE = re.compile(r"\s+")
# A decimal number is one word: «1,1» is not «1 1» (which reads as eleven, space being the
# thousands separator). A point with three digits after it stays a thousands separator («50.000»).
_WORD = re.compile(r"\d+,\d{1,3}(?!\d)|\d+\.\d{1,2}(?!\d)|[0-9A-Za-zÀ-ÖØ-öø-ÿĀ-ſŊŋŦŧŽžŠšČčĐđÁá\-]+")
# Letters of Norwegian, Sami and Kven names folded to plain ASCII for matching.
_FOLD = str.maketrans(
    {
        "æ": "ae", "ø": "o", "å": "a", "á": "a", "à": "a", "ä": "a", "â": "a", "č": "c",
        "đ": "d", "ŋ": "n", "š": "s", "ŧ": "t", "ž": "z", "ï": "i", "é": "e", "è": "e",
        "ê": "e", "ö": "o", "ü": "u", "ó": "o", "ò": "o", "ô": "o",
    }
)


def clean(text: str, max_chars: int) -> str:
    """Drop control characters, fold look-alike forms (NFKC), squeeze white space, cut.

    >>> clean("  Hvor\\tligger\\x00 Bodø?  ", 100)
    'Hvor ligger Bodø?'
    >>> clean("Ｈｖｏｒ", 100)
    'Hvor'
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub("", text)
    return _SPACE.sub(" ", text).strip()[:max_chars]


def fold(text: str) -> str:
    """Lower case and ASCII letters, so that "Bærum", "Baerum" and "BÆRUM" meet.

    >>> fold("Sør-Varanger"), fold("Aalesund"), fold("Baerum"), fold("Guovdageaidnu")
    ('sor-varanger', 'alesund', 'baerum', 'guovdageaidnu')
    """
    text = text.lower().translate(_FOLD)
    return text.replace("aa", "a")


def words(text: str) -> list[str]:
    """The words of a text in their original case, hyphenated names kept whole.

    >>> words("Hvor ligger Sør-Varanger i pleie- og omsorg (2024)?")
    ['Hvor', 'ligger', 'Sør-Varanger', 'i', 'pleie-', 'og', 'omsorg', '2024']
    >>> words("kvalitet over 1,1 og over 50 000 eller 50.000")
    ['kvalitet', 'over', '1,1', 'og', 'over', '50', '000', 'eller', '50', '000']
    """
    return [w for w in _WORD.findall(text) if w.strip("-")]


def name_key(text: str) -> str:
    """The key two spellings of one name share: folded, without spaces and hyphens.

    >>> name_key("Sor Varanger") == name_key("Sør-Varanger") == name_key("sørvaranger")
    True
    """
    return re.sub(r"[\s\-]+", "", fold(text))
