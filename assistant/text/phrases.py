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
    """The one way an answer about the index names its year, in the text and in the chart's
    title alike: the data year and the edition built on it.

    >>> aarstekst(2024)
    '2024 (Kommuneindeksen 2025)'
    """
    return f"{aar} (Kommuneindeksen {aar + 1})"


def i_aar(aar: int) -> str:
    """The year phrase after a headline or a chart title.

    >>> i_aar(2024)
    ' i 2024 (Kommuneindeksen 2025)'
    """
    return f" i {aarstekst(aar)}"


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


def list_measure(frame: Frame, ctx: Context) -> tuple[str, str] | None:
    """The column a list of municipalities is ordered by, and its name on a chart's axis or a
    map's legend; None for an answer that is not such a list."""
    if frame.kommuner:
        return None
    s, tjeneste = frame.sporsmaal, frame.tjeneste
    where = "" if tjeneste == ALLE else f" i {ctx.tjenestenavn[tjeneste].lower()}"
    if s == "liste":
        it = frame.indekstyper[0]
        navn = "indeksverdi" if it == "kommuneindeks" else INDEKSNAVN[it]
        return "verdi", f"{navn.capitalize()}{where}"
    if s == "innsparing":
        return "innsparingspotensial_kr", "Innsparingspotensial (kr)"
    if s == "kostnad":
        maal = frame.kostnadsmaal or "behovskorrigert_kr_per_innbygger"
        return maal, f"Kr {KOSTNADSMAAL[maal][0]}{where}"
    if s == "finans" and frame.finansmaal:
        m = frame.finansmaal[0]
        return m, f"{FINANSNAVN[m].capitalize()} (% av brutto driftsinntekter)"
    if s == "indikator" and frame.indikatorer:
        return "verdi", ctx.indikatorer[frame.indikatorer[0]].navn
    if s == "endring":
        return "plasser_opp", f"Plasser opp fra {frame.fra_aar} til {frame.aar}"
    if s == "befolkning":
        return "innbyggere", "Innbyggere"
    return None


def place_phrase(frame: Frame) -> str:
    if frame.fylke:
        return f" i {frame.fylke}"
    if frame.kostragruppe:
        return f" i kommunegruppe {frame.kostragruppe}"
    return " i landet"


def service_phrase(tjeneste: str, ctx: Context) -> str:
    return "alle sju tjenester" if tjeneste == ALLE else ctx.tjenestenavn[tjeneste].lower()


DEMO_NOTE = " Merk: tallene er demodata, ikke ekte KOSTRA-tall."
PUNKT = "• "  # starts a line of a list in an answer's text (the screen shows a list)


def demo_note(ctx: Context, text: str = "") -> str:
    """The demo-data note, said once per answer, when the numbers are synthetic: on a line of
    its own after a text in lines (a list), else as the last sentence."""
    return with_demo_note(text, ctx.er_demodata)[len(text):]


def with_demo_note(text: str, demo: bool) -> str:
    """A text with the demo-data note where its numbers are synthetic (`demo`)."""
    if not demo:
        return text
    return text + ("\n" + DEMO_NOTE.strip() if "\n" in text else DEMO_NOTE)


def without_demo_note(text: str) -> str:
    r"""The text without the demo-data note, in either place (the caller says it once).

    >>> without_demo_note("A." + DEMO_NOTE), without_demo_note("A\n• b\n" + DEMO_NOTE.strip())
    ('A.', 'A\n• b')
    """
    return text.replace("\n" + DEMO_NOTE.strip(), "").replace(DEMO_NOTE, "")


def punkter(title: str, items: list[str]) -> str:
    """A heading line and one line per item, for the screen to show as a list.

    >>> print(punkter("Trekker opp:", ["a", "b"]))
    Trekker opp:
    • a
    • b
    """
    return "\n".join([title, *(PUNKT + item for item in items)])
