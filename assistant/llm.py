"""The optional language model: questions the offline parser cannot read go to a model behind
an OpenAI-compatible API (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp's server).

The model never answers the user. It returns one JSON object:
- `{"frame": {...}}`: a reading in the `Frame`'s own terms, checked field by field against the
  contract and the live database, then run through `finish`, `queries`, the sandbox, `compose`
  and `chart_for` exactly like a question the parser read;
- `{"sql": "SELECT ..."}`: one query, run only through the validator and the read-only sandbox,
  with a fixed template text;
- `{"avslag": "..."}`: a refusal.

Every number in an answer comes from rows; the model's own prose is never shown. The prompts are
templates in prompts/ (see docs/llm.md); the schema and value lists in them are rendered from
`scoring.contract` and the database, so they cannot drift. A model that is unreachable, slow or
failing gives `None` (the offline refusal stands); a reply we cannot use gives a polite refusal.
"""

import json
import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import openai
from openai.types.chat import ChatCompletion

from assistant.answer import Result, Vocab, compose, demo_note, suggestions
from assistant.build_sql import queries
from assistant.chart import chart_for
from assistant.errors import (
    AmbiguousKommune,
    AssistantError,
    NoDataForYear,
    UnknownKommune,
    UnsafeSql,
)
from assistant.names import KommuneRegister
from assistant.normalize import fold, name_key
from assistant.understand import EKSEMPLER, Context, Frame, Sporsmaal, finish
from assistant.validate import validate_sql
from scoring.contract import ALL_TABLES, ALLE, INDEKSTYPER, KOSTNADSTJENESTER, TABLES, TJENESTER

if TYPE_CHECKING:
    from assistant.assistant import Assistant

__all__ = ["ModelReplyError", "Modell", "answer_with_model", "build_messages", "parse_reply"]

log = logging.getLogger(__name__)

ENV_BASE_URL = "KOMMUNEINDEKS_LLM_BASE_URL"
ENV_MODEL = "KOMMUNEINDEKS_LLM_MODEL"
ENV_API_KEYS = ("KOMMUNEINDEKS_LLM_API_KEY", "OPENAI_API_KEY")  # the first one set wins
ENV_TIMEOUT = "KOMMUNEINDEKS_LLM_TIMEOUT"
DEFAULT_TIMEOUT = 15.0
NO_KEY = "ingen-nokkel"  # a local server needs no key, but the client wants one
MAX_REPLY_CHARS = 20_000
MAX_JSON_STARTS = 50  # where to look for a JSON object in prose
MAX_NAME_CHARS = 40  # a name from the model, as echoed in a message

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

REPLY_KINDS = ("frame", "sql", "avslag")
# The kinds of question a model frame may ask (what-if needs the parser's own reading).
MODEL_SPORSMAAL: tuple[str, ...] = tuple(s for s in get_args(Sporsmaal) if s != "hva_om")
FINANSMAAL = tuple(c for c in TABLES["finans"] if c not in ("aar", "kommunenr"))
KOSTNADSMAAL = tuple(c for c in TABLES["kostnad"] if c not in ("aar", "kommunenr", "tjeneste"))
FRAME_FIELDS = (
    "sporsmaal", "kommuner", "tjeneste", "indekstyper", "aar", "n", "verst", "lavest", "fylke",
    "kostragruppe", "finansmaal", "kostnadsmaal", "indikatorer",
)  # fmt: skip

UKLART_SVAR = (
    "Det forstod jeg ikke helt, og språkmodellen ga ikke et svar jeg kunne bruke. "
    "Prøv å spørre på en annen måte, for eksempel:"
)
AVSLAG = (
    "Det kan jeg dessverre ikke svare på. Jeg svarer bare på spørsmål om tallene i "
    "Kommuneindeksen. Prøv for eksempel:"
)
STOPPET_SQL = (
    "Det forstod jeg ikke helt. Språkmodellen foreslo en spørring som ikke er tillatt, "
    "så den ble ikke kjørt. Prøv å spørre på en annen måte, for eksempel:"
)

AnswerFields = dict[str, Any]  # keyword arguments for `assistant.assistant.Answer`


class ModelReplyError(ValueError):
    """The model's reply is not one we can use; logged, and answered with a polite refusal."""


class PromptError(ValueError):
    """A prompt template and its values do not fit (a missing or unused placeholder)."""


# --- configuration and the call --------------------------------------------------------------


def _timeout(text: str | None) -> float:
    """The timeout in seconds from the environment, or the default for a missing or bad value.

    >>> _timeout("2.5"), _timeout(None), _timeout("lenge"), _timeout("-1")
    (2.5, 15.0, 15.0, 15.0)
    """
    try:
        seconds = float(text) if text else DEFAULT_TIMEOUT
    except ValueError:
        log.warning("%s=%r er ikke et tall; bruker %s s.", ENV_TIMEOUT, text, DEFAULT_TIMEOUT)
        return DEFAULT_TIMEOUT
    return seconds if seconds > 0 else DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Modell:
    """A chat model behind an OpenAI-compatible API, and how long to wait for it."""

    base_url: str
    model: str
    api_key: str = field(default=NO_KEY, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Modell | None":
        """The model set up in the environment, or None (offline) without a base URL and model.

        >>> Modell.from_env({}) is None
        True
        >>> Modell.from_env({ENV_BASE_URL: "http://localhost:11434/v1", ENV_MODEL: "qwen2.5"})
        Modell(base_url='http://localhost:11434/v1', model='qwen2.5', timeout=15.0, max_retries=0)
        """
        env = os.environ if environ is None else environ
        base_url, model = env.get(ENV_BASE_URL, "").strip(), env.get(ENV_MODEL, "").strip()
        if not base_url or not model:
            return None
        api_key = next((env[k] for k in ENV_API_KEYS if env.get(k, "").strip()), NO_KEY)
        return cls(base_url, model, api_key.strip(), _timeout(env.get(ENV_TIMEOUT)))

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The model's reply text. Asks for JSON mode, and once more without it when the server
        rejects the request (400/422). Raises `openai.OpenAIError` or `ModelReplyError`."""
        deadline = time.monotonic() + self.timeout
        with openai.OpenAI(
            base_url=self.base_url, api_key=self.api_key, timeout=self.timeout,
            max_retries=self.max_retries,
        ) as client:  # fmt: skip
            try:
                return self._create(client, messages, self.timeout, json_mode=True)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as err:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise
                log.info("Språkmodellen avviste JSON-modus (%s); prøver uten.", err.status_code)
                return self._create(client, messages, remaining, json_mode=False)

    def _create(
        self, client: openai.OpenAI, messages: list[dict[str, str]], timeout: float, json_mode: bool
    ) -> str:
        extra: dict[str, Any] = (
            {"response_format": {"type": "json_object"}, "temperature": 0} if json_mode else {}
        )
        try:
            response = client.chat.completions.create(
                model=self.model, messages=messages, timeout=timeout, **extra
            )
        except json.JSONDecodeError as err:  # a 200 whose JSON body is broken
            raise ModelReplyError(f"svaret fra tjeneren var ikke gyldig JSON: {err}") from err
        return reply_text(response)


def reply_text(response: object) -> str:
    """The text of the first choice of a chat completion, or `ModelReplyError`."""
    if not isinstance(response, ChatCompletion):
        raise ModelReplyError(f"ikke et chat-svar: {str(response)[:200]!r}")
    choices = getattr(response, "choices", None)
    message = getattr(choices[0], "message", None) if choices else None
    content = getattr(message, "content", None)
    if not isinstance(content, str) or not content.strip():
        raise ModelReplyError("tomt svar")
    return content


# --- prompts ---------------------------------------------------------------------------------


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill the `{name}` placeholders of a template; every one must be filled and every value
    used. Other braces (JSON) are left alone, and values are never read as templates.

    >>> render('Svar {"sql": ...} for {sporsmaal}', {"sporsmaal": "{n}"})
    'Svar {"sql": ...} for {n}'
    >>> render("{a}", {})
    Traceback (most recent call last):
    ...
    assistant.llm.PromptError: Malen mangler verdi for {a}, og har ikke plass til [].
    """
    wanted = set(_PLACEHOLDER.findall(template))
    missing, unused = sorted(wanted - set(values)), sorted(set(values) - wanted)
    if missing or unused:
        hull = ", ".join(f"{{{m}}}" for m in missing) or "ingen"
        raise PromptError(f"Malen mangler verdi for {hull}, og har ikke plass til {unused}.")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


@cache
def read_prompt(name: str) -> str:
    """One file of prompts/, as text."""
    return (PROMPTS_DIR / name).read_text(encoding="utf-8")


def prompt_version() -> str:
    """The version line of prompts/VERSION (bump it when a prompt changes)."""
    return read_prompt("VERSION").strip()


@cache
def read_examples() -> tuple[tuple[str, dict], ...]:
    """The few-shot examples of prompts/eksempler.jsonl: (question, JSON reply) pairs."""
    examples = []
    for line in read_prompt("eksempler.jsonl").splitlines():
        if line.strip():
            item = json.loads(line)
            examples.append((item["sporsmaal"], item["svar"]))
    return tuple(examples)


def schema_text(tables: Mapping[str, Mapping[str, str]] = ALL_TABLES) -> str:
    """The tables the model may read, with their columns and types.

    >>> schema_text({"finans": {"aar": "INTEGER", "kommunenr": "VARCHAR"}})
    '- finans(aar INTEGER, kommunenr VARCHAR)'
    """
    return "\n".join(
        f"- {table}({', '.join(f'{c} {t}' for c, t in columns.items())})"
        for table, columns in tables.items()
    )


def values_text(assistant: "Assistant") -> str:
    """The valid keys and values, read from the contract and the live database."""
    tjenester = [
        f"{t} ({assistant.tjenestenavn.get(t, t)}{', med kostnadsside' if t in KOSTNADSTJENESTER else ''})"
        for t in TJENESTER
    ]
    grupper = sorted({k.kostragruppe for k in assistant.register.kommuner.values()})
    _, indikatorer = assistant.sandbox.query(
        "SELECT indikator, navn, enhet, tjeneste FROM indikator ORDER BY tjeneste, indikator"
    )
    lines = [
        f"- tjeneste: {', '.join(tjenester)}; og {ALLE} (kommunen som helhet)",
        f"- indekstyper: {', '.join(INDEKSTYPER)}",
        f"- aar (dataår): {', '.join(map(str, assistant.years))}; siste er {max(assistant.years)}",
        f"- fylke: {', '.join(assistant.register.fylker)}",
        f"- kostragruppe: {', '.join(map(str, grupper))}",
        f"- finansmaal: {', '.join(FINANSMAAL)}",
        f"- kostnadsmaal: {', '.join(KOSTNADSMAAL)}",
        "- indikatorer (nøkkel: navn [enhet], tjeneste):",
        *(f"  - {key}: {navn} [{enhet}], {tjeneste}" for key, navn, enhet, tjeneste in indikatorer),
    ]
    return "\n".join(lines)


def examples_text() -> str:
    """The few-shot examples as "Spørsmål: … / Svar: {json}" pairs."""
    return "\n\n".join(
        f"Spørsmål: {q}\nSvar: {json.dumps(svar, ensure_ascii=False)}"
        for q, svar in read_examples()
    )


def frame_json(frame: Frame) -> dict[str, Any]:
    """A frame in the reply format, for the history in the prompt.

    >>> frame_json(Frame("rang", kommuner=("5605",), aar=2024))
    {'sporsmaal': 'rang', 'kommuner': ['5605'], 'aar': 2024}
    """
    out: dict[str, Any] = {}
    for name in FRAME_FIELDS:
        value = getattr(frame, name)
        if value in (None, (), False) or (name == "tjeneste" and value == ALLE):
            continue
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


def history_text(history: list) -> str:
    """The last three questions of the conversation, with what each was read as."""
    lines = []
    for question, answer in history[-3:]:
        frame = getattr(answer, "frame", None)
        reading = f" → {json.dumps(frame_json(frame), ensure_ascii=False)}" if frame else ""
        lines.append(f"- «{question}»{reading}")
    return "Tidligere i samtalen:\n" + "\n".join(lines) + "\n" if lines else ""


def build_messages(
    assistant: "Assistant", question: str, history: list, ctx: Context
) -> list[dict[str, str]]:
    """The system and user messages for one question, rendered from prompts/."""
    system = render(read_prompt("system.md"), {
        "versjon": prompt_version(),
        "sporsmaalstyper": ", ".join(MODEL_SPORSMAAL),
        "schema": schema_text(),
        "verdier": values_text(assistant),
        "konvensjoner": read_prompt("konvensjoner.md").strip(),
        "eksempler": examples_text(),
    })  # fmt: skip
    hjem = ctx.hjemkommune
    user = render(read_prompt("sporsmaal.md"), {
        "historikk": history_text(history),
        "hjemkommune": f"{assistant.names.get(hjem, hjem)} ({hjem})" if hjem else "ikke oppgitt",
        "sporsmaal": question,
    })  # fmt: skip
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


# --- reading the reply -----------------------------------------------------------------------


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
    """The kommunenr for a name or number the model gave, or our own error."""
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
            f"Det finnes flere kommuner som heter {text}. Hvilken mener du?", choices, surface=text
        )
    forslag = register.suggestions(text)
    hint = f" Mente du {' eller '.join(forslag)}?" if forslag else ""
    raise UnknownKommune(f"Jeg finner ingen kommune som heter «{text}».{hint}", forslag)


def _check_year(aar: int, years: tuple[int, ...]) -> int:
    if aar not in years:
        finnes = ", ".join(map(str, years))
        raise NoDataForYear(f"Jeg har ikke tall for {aar}. Databasen har dataårene {finnes}.")
    return aar


def _field(name: str, value: Any, assistant: "Assistant", ctx: Context) -> Any:
    """One frame field from the reply, checked and in the frame's own type."""
    register = ctx.register
    match name:
        case "sporsmaal":
            return _keys(value, MODEL_SPORSMAAL, name)[0]
        case "kommuner":
            return tuple(dict.fromkeys(resolve_kommune(v, register) for v in _as_list(value, name)))
        case "tjeneste":
            return _tjeneste(value, assistant.tjenestenavn)
        case "indekstyper":
            return _keys(value, INDEKSTYPER, name)
        case "aar":
            return _check_year(_whole(value, 1900, 2200, name), ctx.years)
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
            return _keys(value, tuple(ctx.indikator_tjeneste), name)
    raise ModelReplyError(f"ukjent felt {name!r}")


def frame_from_reply(data: dict, assistant: "Assistant", ctx: Context) -> Frame:
    """A finished frame from the model's `frame` object, every field checked."""
    unknown = sorted(set(data) - set(FRAME_FIELDS))
    if unknown:
        raise ModelReplyError(f"ukjente felt i frame: {unknown[:5]}")
    given = {k: v for k, v in data.items() if v not in (None, [], "")}
    values = {k: _field(k, v, assistant, ctx) for k, v in given.items()}
    frame = Frame(sporsmaal=values.pop("sporsmaal", None), **values)
    frame = replace(frame, explicit=frozenset(values))
    if frame.indikatorer and "tjeneste" not in values:
        frame = replace(frame, tjeneste=ctx.indikator_tjeneste[frame.indikatorer[0]])
    if frame.sporsmaal == "indikator" and not frame.indikatorer:
        raise ModelReplyError("en indikator-tolkning uten indikatorer")
    if frame.sporsmaal == "finans" and not frame.kommuner and not frame.finansmaal:
        raise ModelReplyError("en finans-liste uten finansmaal")
    return finish(frame, ctx)


# --- answers ---------------------------------------------------------------------------------


def _refusal(text: str, question: str) -> AnswerFields:
    return {"status": "refused", "text": text, "suggestions": EKSEMPLER[:4],
            "brukte_modell": True, "question": question}  # fmt: skip


def _from_error(err: AssistantError, question: str) -> AnswerFields:
    """Our own error on the model's reading (unknown name, no such year) as answer fields."""
    clarify = err.status == "clarify" and err.surface in question
    return {
        "status": err.status if err.status != "clarify" or clarify else "refused",
        "text": str(err),
        "suggestions": err.suggestions,
        "brukte_modell": True,
        "question": question,
        "clarify_surface": err.surface if clarify else "",
    }


def rader(n: int) -> str:
    """
    >>> rader(1), rader(3)
    ('1 rad', '3 rader')
    """
    return f"{n} rad" if n == 1 else f"{n} rader"


def answer_frame(assistant: "Assistant", frame: Frame, question: str) -> AnswerFields:
    """A checked frame answered exactly like the offline path does."""
    qs = queries(frame, assistant.years)
    results = [Result(x.name, *assistant.sandbox.query(x.sql)) for x in qs]
    main = results[0]
    return {
        "status": "ok",
        "text": compose(frame, results, Vocab(assistant.tjenestenavn, assistant.er_demodata)),
        "sql": qs[0].sql,
        "columns": main.columns,
        "rows": main.rows,
        "chart": chart_for(frame, results),
        "suggestions": suggestions(frame, assistant.names),
        "frame": frame,
        "kilde": assistant.kilde,
        "brukte_modell": True,
        "question": question,
    }


def answer_sql(assistant: "Assistant", sql: str, question: str) -> AnswerFields:
    """The model's SQL through the validator and the sandbox, with a template text."""
    box = assistant.sandbox
    safe = validate_sql(sql, max_rows=box.settings.max_rows, tables=box.tables)
    columns, rows = box.query(safe)
    vocab = Vocab(assistant.tjenestenavn, assistant.er_demodata)
    text = (
        f"Språkmodellen tolket spørsmålet som en egen spørring; her er {rader(len(rows))}."
        + demo_note(vocab)
    )
    return {"status": "ok", "text": text, "sql": safe, "columns": columns, "rows": rows,
            "kilde": assistant.kilde, "brukte_modell": True, "question": question}  # fmt: skip


def answer_with_model(
    assistant: "Assistant", modell: Modell, question: str, history: list, ctx: Context
) -> AnswerFields | None:
    """Ask the model to read a question the parser could not; `None` when the model could not
    be reached (the offline refusal stands). Never raises for a failing or hostile model."""
    try:
        reply = modell.complete(build_messages(assistant, question, history, ctx))
        kind, value = parse_reply(reply)
    except openai.OpenAIError as err:
        log.warning("Språkmodellen svarte ikke (%s): %s", type(err).__name__, err)
        return None
    except ModelReplyError as err:
        log.warning("Ubrukelig svar fra språkmodellen: %s", err)
        return _refusal(UKLART_SVAR, question)
    if kind == "avslag":
        log.info("Språkmodellen avslo spørsmålet %r: %.200s", question, value)
        return _refusal(AVSLAG, question)
    try:
        if kind == "sql":
            return answer_sql(assistant, value, question)
        return answer_frame(assistant, frame_from_reply(value, assistant, ctx), question)
    except UnsafeSql as err:
        log.warning("SQL fra språkmodellen ble stoppet: %s", err)
        return _refusal(STOPPET_SQL, question)
    except ModelReplyError as err:
        log.warning("Ugyldig tolkning fra språkmodellen: %s", err)
        return _refusal(UKLART_SVAR, question)
    except AssistantError as err:
        log.info("Tolkningen fra språkmodellen ga %s: %s", type(err).__name__, err)
        return _from_error(err, question)
