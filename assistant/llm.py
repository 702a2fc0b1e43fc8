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
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import openai
from openai.types.chat import ChatCompletion

from assistant.errors import (
    AssistantError,
    UnsafeSql,
)
from assistant.frame import EKSEMPLER, Context, Frame
from assistant.modellsvar import ModelReplyError, frame_from_reply, parse_reply
from assistant.ordlyd import Vocab, demo_note
from assistant.prompt import build_messages
from assistant.validate import validate_sql

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
    """A checked frame answered exactly like the offline path does, marked as read by the model."""
    return {**vars(assistant.answer_frame(frame, question)), "brukte_modell": True}


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
