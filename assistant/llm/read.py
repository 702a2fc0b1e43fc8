"""The model path of one question: the prompt, the call, the reply read and checked."""

import logging
from typing import TYPE_CHECKING, Any

import openai

from assistant.errors import AssistantError, UnsafeSql
from assistant.llm.client import Modell
from assistant.llm.prompt import build_messages
from assistant.llm.reply import ModelReplyError, frame_from_reply, parse_reply
from assistant.query.validate import validate_sql
from assistant.text.phrases import Vocab, demo_note
from assistant.understand.frame import EKSEMPLER, Context, Frame

if TYPE_CHECKING:
    from assistant.assistant import Assistant

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

AnswerFields = dict[str, Any]  # keyword arguments for `assistant.assistant.Answer`




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
