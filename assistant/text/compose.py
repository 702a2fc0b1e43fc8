"""The answer text for a frame: the wording of its kind of question, and the demo-data note once."""

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
from assistant.text.phrases import Result, Vocab, demo_note
from assistant.text.ranks import (
    endring_text,
    forklaring_text,
    liste_text,
    rang_text,
    utvikling_text,
)
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


def compose(frame: Frame, results: list[Result], vocab: Vocab) -> str:
    """The answer text for a frame and its query results, with the demo-data note."""
    if frame.sporsmaal == "forklaring":
        text = forklaring_text(frame, results, vocab)
    else:
        text = TEXTS[frame.sporsmaal](frame, results[0], vocab)
    return text + demo_note(vocab)
