"""The wording answers share: names of indices and key figures, the year and group phrases and
the demo-data note. Used by `ranks.py` and `amounts.py`."""

from assistant.text.formatting import kroner, tall
from assistant.understand.context import Context
from assistant.understand.frame import Frame
from scoring.contract import ALLE

INDEKSNAVN = {
    "kommuneindeks": "Kommuneindeksen",
    "kostnad": "kostnad",
    "kvalitet": "kvalitet",
    "effektivitet": "effektivitet",
    "finans": "økonomi",
}
# "Norges 12. …": what rank 1 is on each index.
RANGORD = {
    "kommuneindeks": "best styrte kommune",
    "kostnad": "laveste kostnader",
    "kvalitet": "beste kvalitet",
    "effektivitet": "mest effektive",
    "finans": "sterkeste økonomi",
}
FINANSNAVN = {
    "netto_driftsresultat_pst": "netto driftsresultat",
    "netto_lanegjeld_pst": "netto lånegjeld",
    "disposisjonsfond_pst": "disposisjonsfond",
}
# A `kostnad` column in a list answer: how the text names it, and how a value is written.
KOSTNADSMAAL = {
    "behovskorrigert_kr_per_innbygger": ("per innbygger (behovskorrigert)", lambda v: f"{tall(v, 0)} kr"),
    "kr_per_innbygger": ("per innbygger", lambda v: f"{tall(v, 0)} kr"),
    "netto_driftsutgifter_kr": ("i alt (netto driftsutgifter)", kroner),
}
FINANS_GRUPPE = {
    "netto_driftsresultat_pst": "gruppesnitt_driftsresultat",
    "netto_lanegjeld_pst": "gruppesnitt_lanegjeld",
    "disposisjonsfond_pst": "gruppesnitt_disposisjonsfond",
}


def aarstekst(aar: int) -> str:
    """ "2024 (Kommuneindeksen 2025)": the data year and the report edition built on it."""
    return f"{aar} (Kommuneindeksen {aar + 1})"


def i_aar(indekstype: str, aar: int) -> str:
    """The year phrase after a headline: the edition for the total index, else the data year.

    >>> i_aar("kommuneindeks", 2024), i_aar("kvalitet", 2024)
    (' 2025 (tall for 2024)', ' i 2024')
    """
    return f" {aar + 1} (tall for {aar})" if indekstype == "kommuneindeks" else f" i {aar}"


def sammenlign_gruppe(indekstype: str, verdi: float, gruppesnitt: float) -> str | None:
    """How an index compares with the KOSTRA group's average, in words.

    >>> sammenlign_gruppe("kvalitet", 1.08, 1.0)
    'klart bedre kvalitet'
    >>> sammenlign_gruppe("kostnad", 0.97, 1.0)
    'noe høyere kostnader'
    """
    if verdi is None or gruppesnitt is None:
        return None
    diff = verdi - gruppesnitt
    grad = "omtrent samme" if abs(diff) < 0.01 else ("noe" if abs(diff) < 0.05 else "klart")
    if indekstype == "kostnad":
        if grad == "omtrent samme":
            return "omtrent samme kostnader"
        return f"{grad} {'lavere' if diff > 0 else 'høyere'} kostnader"
    word = {"kvalitet": "kvalitet", "finans": "økonomi", "effektivitet": "effektivitet",
            "kommuneindeks": "resultat"}[indekstype]
    if grad == "omtrent samme":
        return f"omtrent samme {word}"
    return f"{grad} {'bedre' if diff > 0 else 'dårligere'} {word}"


def place_phrase(frame: Frame) -> str:
    if frame.fylke:
        return f" i {frame.fylke}"
    if frame.kostragruppe:
        return f" i kommunegruppe {frame.kostragruppe}"
    return " i landet"


def service_phrase(tjeneste: str, ctx: Context) -> str:
    return "alle sju tjenester" if tjeneste == ALLE else ctx.tjenestenavn[tjeneste].lower()


DEMO_NOTE = " Merk: tallene er demodata, ikke ekte KOSTRA-tall."


def demo_note(ctx: Context) -> str:
    """The demo-data note, said once per answer, when the numbers are synthetic."""
    return DEMO_NOTE if ctx.er_demodata else ""
