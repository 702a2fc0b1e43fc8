"""Which parts of a reading the staff view may change in place (`Assistant.reread`): another
year, service or index, each with the choices that make sense for the question's kind, named
as the answers name them."""

from dataclasses import dataclass, field

from assistant.text.formatting import stor_forbokstav
from assistant.text.phrases import INDEKSNAVN
from assistant.understand.complete import service_indekstyper
from assistant.understand.context import Context
from assistant.understand.frame import Frame
from scoring.contract import ALLE

# Kinds whose reading is one service and one or more index types (not a measure of the catalogue).
_OM_TJENESTE = {"rang", "forklaring", "sammenlign", "utvikling"}
ALLE_INDEKSER = "alle"  # back to the service's usual index types


@dataclass(frozen=True)
class Tolkningsvalg:
    """The choices for each part that may change: value → label; empty where it may not."""

    aar: dict[int, str] = field(default_factory=dict)
    tjeneste: dict[str, str] = field(default_factory=dict)
    indekstype: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.aar or self.tjeneste or self.indekstype)


def tolkningsvalg(frame: Frame | None, ctx: Context) -> Tolkningsvalg:
    """What may change in a reading. A span of years, a what-if or a measure from the catalogue
    («netto lånegjeld over 100 %») keeps its reading: changing one part would change its sense."""
    if frame is None or frame.sporsmaal in (None, "hva_om", "metode"):
        return Tolkningsvalg()
    aar = {}
    if frame.aar is not None and frame.sporsmaal not in ("utvikling", "endring"):
        aar = {y: str(y) for y in ctx.years}
    if frame.sporsmaal not in _OM_TJENESTE or frame.maal:
        return Tolkningsvalg(aar=aar)
    tjeneste = {ALLE: "Kommunen samlet", **ctx.tjenestenavn}
    typer = service_indekstyper(frame.tjeneste)
    indekstype = {ALLE_INDEKSER: "Alle indeksene"} | {t: stor_forbokstav(INDEKSNAVN[t]) for t in typer} if len(typer) > 1 else {}
    return Tolkningsvalg(aar=aar, tjeneste=tjeneste, indekstype=indekstype)


def valgt_indekstype(frame: Frame) -> str:
    """The index choice a reading stands at: one index type, or all of the service's."""
    return frame.indekstyper[0] if len(frame.indekstyper) == 1 else ALLE_INDEKSER
