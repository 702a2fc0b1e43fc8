"""Reading the language model's reply: one JSON object, `frame`, `sql` or `avslag`, and a
frame checked field by field against the contract and the live database."""

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from itertools import islice
from typing import Any, get_args

from assistant.errors import AmbiguousKommune, UnknownKommune
from assistant.understand.complete import finish
from assistant.understand.context import Context
from assistant.understand.frame import Frame, Sporsmaal
from assistant.understand.names import KommuneRegister
from assistant.understand.normalize import fold, name_key
from assistant.understand.numbers import check_year
from scoring.contract import ALLE, INDEKSTYPER, TABLES, TJENESTER

MAX_REPLY_CHARS = 20_000
MAX_JSON_STARTS = 50  # where to look for a JSON object in prose
MAX_NAME_CHARS = 40  # a name from the model, as echoed in a message
REPLY_KINDS = ("frame", "sql", "avslag")
# The kinds of question a model frame may ask (what-if needs the parser's own reading).
MODEL_SPORSMAAL: tuple[str, ...] = tuple(s for s in get_args(Sporsmaal) if s != "hva_om")
FINANSMAAL = tuple(c for c in TABLES["finans"] if c not in ("aar", "kommunenr"))
KOSTNADSMAAL = tuple(c for c in TABLES["kostnad"] if c not in ("aar", "kommunenr", "tjeneste"))
FRAME_FIELDS = (
    "sporsmaal", "kommuner", "tjeneste", "indekstyper", "aar", "n", "verst", "lavest", "fylke",
    "kostragruppe", "finansmaal", "kostnadsmaal", "indikatorer",
)  # fmt: skip


class ModelReplyError(ValueError):
    """The model's reply is not one we can use; logged, and answered with a polite refusal."""



def _first_json_object(text: str) -> dict:
    """The whole text as a JSON object, or else the first JSON object inside it."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        return data
    decoder = json.JSONDecoder()
    for m in islice(re.finditer(r"\{", text), MAX_JSON_STARTS):
        try:
            data, _ = decoder.raw_decode(text, m.start())
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict):
            return data
    raise ModelReplyError(f"fant ikke noe JSON-objekt i svaret: {text[:200]!r}")


def parse_reply(text: str) -> tuple[str, Any]:
    """The kind of reply ("frame", "sql" or "avslag") and its value.

    >>> parse_reply('{"sql": "SELECT 1"}')
    ('sql', 'SELECT 1')
    >>> parse_reply('Her er svaret: ```json\\n{"avslag": "Ikke om kommuner."}\\n```')
    ('avslag', 'Ikke om kommuner.')
    """
    if len(text) > MAX_REPLY_CHARS:
        raise ModelReplyError(f"svaret er for langt ({len(text)} tegn)")
    data = _first_json_object(text)
    kinds = [k for k in REPLY_KINDS if k in data]
    if len(kinds) != 1:
        raise ModelReplyError(f"ventet én av {REPLY_KINDS}, fikk nøklene {sorted(data)[:10]}")
    kind, value = kinds[0], data[kinds[0]]
    if kind == "frame" and not isinstance(value, dict):
        raise ModelReplyError("«frame» er ikke et objekt")
    if kind == "sql" and (not isinstance(value, str) or not value.strip()):
        raise ModelReplyError("«sql» er ikke en tekst")
    if kind == "avslag" and value is not None and not isinstance(value, str):
        raise ModelReplyError("«avslag» er ikke en tekst")
    return kind, value


# --- checking a frame against the contract and the database ----------------------------------


def _as_list(value: Any, name: str) -> list:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [value]
    if isinstance(value, list):
        return value
    raise ModelReplyError(f"{name}: ventet en liste, fikk {value!r}")


def _keys(value: Any, allowed: tuple[str, ...], name: str) -> tuple[str, ...]:
    """A list of keys, each one of `allowed`.

    >>> _keys("kostnad", INDEKSTYPER, "indekstyper")
    ('kostnad',)
    """
    out = tuple(_as_list(value, name))
    unknown = [k for k in out if k not in allowed]
    if unknown:
        raise ModelReplyError(f"{name}: ukjent verdi {unknown[0]!r}")
    return out


def _whole(value: Any, low: int, high: int, name: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ModelReplyError(f"{name}: ventet et heltall {low}–{high}, fikk {value!r}")
    return value


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise ModelReplyError(f"{name}: ventet true eller false, fikk {value!r}")
    return value


def _tjeneste(value: Any, tjenestenavn: Mapping[str, str]) -> str:
    """A service key, also from its display name ("Pleie og omsorg")."""
    by_name = {fold(navn): key for key, navn in tjenestenavn.items()}
    key = value if value in (*TJENESTER, ALLE) else by_name.get(fold(str(value)))
    if key is None:
        raise ModelReplyError(f"tjeneste: ukjent verdi {value!r}")
    return key


def _fylke(value: Any, fylker: list[str]) -> str:
    found = next((f for f in fylker if name_key(f) == name_key(str(value))), None)
    if found is None:
        raise ModelReplyError(f"fylke: ukjent verdi {value!r}")
    return found


def plain(value: Any) -> str:
    """A name from the model as safe plain text for a message: letters, digits, spaces and
    a few marks, and no more than `MAX_NAME_CHARS`.

    >>> plain("Sør-Varanger"), plain("<img src=x onerror=alert(1)>![](http://x)")
    ('Sør-Varanger', 'img srcx onerroralert(1)(httpx)')
    """
    text = re.sub(r"[^\w\s\-().']", "", str(value), flags=re.UNICODE)
    return " ".join(text.split())[:MAX_NAME_CHARS]


def resolve_kommune(value: Any, register: KommuneRegister) -> str:
    """The kommunenr for a name or number the model gave, or our own error. The error's words
    are ours and the register's, never the model's: what the model wrote is not echoed."""
    text = plain(value)
    if text.isdigit() and text.zfill(4) in register.kommuner:
        return text.zfill(4)
    kandidater = register.aliases.get(name_key(text), set())
    if not kandidater:
        found = register.search(text)
        kandidater = set(found.matches[0].kandidater) if len(found.matches) == 1 else set()
    if len(kandidater) == 1:
        return next(iter(kandidater))
    if kandidater:
        choices = sorted(register.name(k) for k in kandidater)
        raise AmbiguousKommune(
            "Det finnes flere kommuner med det navnet. Hvilken mener du?", choices, surface=text
        )
    forslag = register.suggestions(text)
    hint = f" Mente du {' eller '.join(forslag)}?" if forslag else ""
    raise UnknownKommune(f"Jeg finner ikke kommunen språkmodellen leste ut av spørsmålet.{hint}", forslag)


def _year(value: Any, years: tuple[int, ...]) -> int:
    aar = _whole(value, 1900, 2200, "aar")
    check_year(aar, years)
    return aar


def _field(name: str, value: Any, ctx: Context) -> Any:
    """One frame field from the reply, checked and in the frame's own type."""
    register = ctx.register
    match name:
        case "sporsmaal":
            return _keys(value, MODEL_SPORSMAAL, name)[0]
        case "kommuner":
            return tuple(dict.fromkeys(resolve_kommune(v, register) for v in _as_list(value, name)))
        case "tjeneste":
            return _tjeneste(value, ctx.tjenestenavn)
        case "indekstyper":
            return _keys(value, INDEKSTYPER, name)
        case "aar":
            return _year(value, ctx.years)
        case "n":
            return _whole(value, 1, len(register.kommuner), name)
        case "verst" | "lavest":
            return _flag(value, name)
        case "fylke":
            return _fylke(value, register.fylker)
        case "kostragruppe":
            grupper = {k.kostragruppe for k in register.kommuner.values()}
            return _keys(_whole(value, 1, 99, name), tuple(grupper), name)[0]
        case "finansmaal":
            return _keys(value, FINANSMAAL, name)
        case "kostnadsmaal":
            return _keys(value, KOSTNADSMAAL, name)[0]
        case "indikatorer":
            return _keys(value, tuple(ctx.indikatorer), name)
    raise ModelReplyError(f"ukjent felt {name!r}")


def frame_from_reply(data: dict, ctx: Context) -> Frame:
    """A finished frame from the model's `frame` object, every field checked."""
    unknown = sorted(set(data) - set(FRAME_FIELDS))
    if unknown:
        raise ModelReplyError(f"ukjente felt i frame: {unknown[:5]}")
    given = {k: v for k, v in data.items() if v not in (None, [], "")}
    values = {k: _field(k, v, ctx) for k, v in given.items()}
    # the model says which end of a list; the frame keeps it as direction words for finish()
    retning = tuple(word for flag, word in (("verst", "verst"), ("lavest", "lav")) if values.pop(flag, False))
    frame = Frame(sporsmaal=values.pop("sporsmaal", None), retning=retning, **values)
    frame = replace(frame, explicit=frozenset(values))
    if frame.indikatorer and "tjeneste" not in values:
        frame = replace(frame, tjeneste=ctx.indikatorer[frame.indikatorer[0]].tjeneste)
    if frame.sporsmaal == "indikator" and not frame.indikatorer:
        raise ModelReplyError("en indikator-tolkning uten indikatorer")
    if frame.sporsmaal == "finans" and not frame.kommuner and not frame.finansmaal:
        raise ModelReplyError("en finans-liste uten finansmaal")
    return finish(frame, ctx)

