"""The model path of one question: the prompt, the call, and the reply read into a `Reading`.

The model's reading is data, never an answer: `Assistant.ask` answers a frame and an SQL query
the same way as everything else, and turns a refusal into an answer in its one place for that.
"""

import logging
from dataclasses import dataclass

import openai

from assistant.errors import AssistantError, NotUnderstood, UnsafeSql
from assistant.llm.client import Modell
from assistant.llm.prompt import build_messages
from assistant.llm.reply import ModelReplyError, frame_from_reply, parse_reply
from assistant.llm.sql import catalogue, check_model_sql
from assistant.understand.context import Context
from assistant.understand.frame import EKSEMPLER, Frame

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class Reading:
    """How the model read a question: exactly one of a finished frame (answered like one the
    parser read), an SQL query (run only through the validator and the sandbox) or a refusal
    (our own error: the model declined, its reply was unusable, or our rules refuse its frame)."""

    frame: Frame | None = None
    sql: str | None = None
    refusal: AssistantError | None = None


def _unclear() -> Reading:
    return Reading(refusal=NotUnderstood(UKLART_SVAR, EKSEMPLER[:4]))


def read_with_model(modell: Modell, question: str, history: list, ctx: Context) -> Reading | None:
    """The model's reading of a question the parser could not read; `None` when the model could
    not be reached (the offline refusal stands). Never raises for a failing or hostile model."""
    try:
        reply = modell.complete(build_messages(question, history, ctx))
        kind, value = parse_reply(reply)
    except openai.OpenAIError as err:
        log.warning("Språkmodellen svarte ikke (%s): %s", type(err).__name__, err)
        return None
    except ModelReplyError as err:
        log.warning("Ubrukelig svar fra språkmodellen: %s", err)
        return _unclear()
    if kind == "avslag":
        log.info("Språkmodellen avslo spørsmålet %r: %.200s", question, value)
        return Reading(refusal=NotUnderstood(AVSLAG, EKSEMPLER[:4]))
    if kind == "sql":
        try:  # SQL that could carry the model's own words is refused, in our words
            check_model_sql(value, catalogue(ctx))
        except UnsafeSql as err:
            return Reading(refusal=err)
        return Reading(sql=value)
    try:
        return Reading(frame=frame_from_reply(value, ctx))
    except ModelReplyError as err:
        log.warning("Ugyldig tolkning fra språkmodellen: %s", err)
        return _unclear()
    except AssistantError as err:  # an unknown name, a year without data: said to the user
        return Reading(refusal=err)
