"""Follow-up questions offered under an answer."""

from assistant.understand.frame import Frame
from scoring.contract import ALLE


def suggestions(frame: Frame, names: dict[str, str]) -> list[str]:
    """Follow-up questions that make sense after this answer."""
    if not frame.kommuner:
        return [
            "Vis topp 5 i stedet",
            "Hvilke kommuner har lavest kostnader?",
            "Hvor ligger Bodø i kommuneindeksen?",
        ]
    k = names[frame.kommuner[0]]
    out = []
    if frame.sporsmaal != "forklaring":
        out.append("Hvorfor?")
    if frame.tjeneste == ALLE:
        out.append(f"Hvor ligger {k} i pleie og omsorg?")
    else:
        out.append("Og i grunnskole?" if frame.tjeneste != "grunnskole" else "Og i barnehage?")
    if frame.sporsmaal != "innsparing":
        out.append(f"Hva er innsparingspotensialet for {k}?")
    if frame.sporsmaal != "utvikling":
        out.append(f"Hvordan har {k} utviklet seg de siste tre årene?")
    return out[:4]
