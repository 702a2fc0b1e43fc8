"""The answer text: for a frame, the wording of its kind of question; for SQL (a staff user's
own, or the language model's), a fixed text. The demo-data note is said once."""

from assistant.query.execute import Result
from assistant.text.amounts import (
    antall_text,
    befolkning_text,
    fakta_text,
    finans_text,
    indikator_text,
    innsparing_text,
    kostnad_text,
    snitt_text,
)
from assistant.text.formatting import rader
from assistant.text.phrases import demo_note, list_measure
from assistant.text.ranks import (
    endring_text,
    forklaring_text,
    kart_text,
    liste_text,
    rang_text,
    utvikling_text,
)
from assistant.understand.context import Context
from assistant.understand.frame import Frame

TEXTS = {
    "rang": rang_text,
    "sammenlign": rang_text,
    "utvikling": utvikling_text,
    "liste": liste_text,
    "innsparing": innsparing_text,
    "kostnad": kostnad_text,
    "finans": finans_text,
    "indikator": indikator_text,
    "antall": antall_text,
    "snitt": snitt_text,
    "befolkning": befolkning_text,
    "fakta": fakta_text,
    "endring": endring_text,
}


def compose(frame: Frame, results: list[Result], ctx: Context) -> str:
    """The answer text for a frame and its query results (the demo-data note is added by the
    caller, once, where the answer's numbers are demo data)."""
    if frame.sporsmaal == "forklaring":
        text = forklaring_text(frame, results, ctx)
    elif frame.kart and list_measure(frame, ctx):
        text = kart_text(frame, results[0], ctx)
    else:
        text = TEXTS[frame.sporsmaal](frame, results[0], ctx)
    return text


def own_sql_text(n: int, ctx: Context) -> str:
    """The text over the rows of a staff user's own SQL."""
    return f"{n} rader." + (" Tallene er demodata." if ctx.er_demodata else "")


def model_sql_text(n: int, ctx: Context) -> str:
    """The text over the rows of the language model's SQL: never the model's own words."""
    return f"Språkmodellen tolket spørsmålet som en egen spørring; her er {rader(n)}." + demo_note(ctx)
