"""Every word accounted for: the words of a question that the answer to its finished frame does
not use. A content word left over means the question was not fully understood; answering it
anyway would answer a different question, so it is refused with the words named.
"""

from assistant.errors import NotUnderstood
from assistant.understand.context import Context
from assistant.understand.frame import EKSEMPLER, Frame
from scoring.contract import ALLE

# What each kind of question shows, beyond the municipalities, the year and the question words.
LISTS = {"liste", "endring"}
SERVICE_KINDS = {"rang", "liste", "sammenlign", "utvikling", "innsparing", "kostnad", "indikator",
                 "antall", "snitt", "forklaring", "hva_om", "endring"}
INDEX_KINDS = {"rang", "liste", "sammenlign", "utvikling", "forklaring", "antall", "snitt", "endring"}
COST_KINDS = {"kostnad", "innsparing", "hva_om"}  # "utgifter", "billig" read as amounts
# The intents (data/ordliste.toml [intensjon]) and the kinds that answer them.
INTENT_KINDS = {
    "forklaring": {"forklaring"},
    "hva_om": {"hva_om"},
    "antall": {"antall"},
    "snitt": {"snitt", "rang", "kostnad", "indikator", "finans", "innsparing", "forklaring"},
    "innsparing": {"innsparing", "hva_om"},
    "kostnadsverdi": {"kostnad", "snitt", "innsparing", "hva_om", "forklaring"},
    "utvikling": {"utvikling", "endring", "forklaring"},
    "sammenlign": {"sammenlign", "rang", "kostnad", "finans", "indikator", "innsparing", "forklaring",
                   "befolkning", "utvikling"},
    "befolkning": {"befolkning"},
    "fakta": {"fakta"},
    "mot_snitt": {"rang", "sammenlign", "kostnad", "indikator", "finans", "innsparing", "forklaring",
                  "utvikling", "hva_om", "snitt"},
    "sum": {"befolkning", "innsparing", "kostnad", "snitt"},
    "nokkeltall": {"finans"},
}
FORM_KINDS = {
    "entall": LISTS | {"kostnad", "finans", "indikator", "innsparing", "befolkning"},
    "alle": LISTS | {"kostnad", "finans", "indikator", "innsparing", "befolkning"},
    "rangord": {"rang", "liste", "sammenlign", "utvikling", "forklaring", "endring", "antall",
                "indikator", "hva_om"},
    "siden": {"utvikling", "endring", "forklaring"},
    "ressurs": {"hva_om"},
    "kart": LISTS | {"kostnad", "finans", "indikator", "innsparing", "befolkning"},  # «vis kart over …»
    "grad": {"rang", "liste", "sammenlign", "utvikling", "forklaring", "endring", "kostnad", "finans",
             "indikator", "innsparing", "befolkning", "hva_om"},
    "vurdering": {"rang", "liste", "sammenlign", "utvikling", "forklaring", "endring", "kostnad",
                  "finans", "indikator", "innsparing", "befolkning", "hva_om"},
}


def fields_used(frame: Frame) -> set[str]:
    """The fields of a finished frame that its answer uses (the names words are claimed under).

    >>> used = fields_used(Frame("befolkning", kommuner=("1804",), aar=2024))
    >>> "kommuner" in used, "tjeneste" in used, "intensjon:befolkning" in used
    (True, False, True)
    """
    s = frame.sporsmaal
    used = {"*", "aar", "intensjon:liste", "intensjon:vi", "form:oppfolging",
            "form:tilbake", "form:blant_dem", "form:ordremaal", "form:ordre"}
    if s in LISTS:
        used.add("form:om_kommuner")  # "de best styrte kommunene": a list of the index
    if frame.kommuner:
        used.add("kommuner")
    if frame.fylke:
        used.add("fylke")
    if frame.kostragruppe:
        used.add("kostragruppe")
    if (frame.tjeneste != ALLE or frame.tjenester) and s in SERVICE_KINDS:
        used.add("tjeneste")
    if frame.indekstyper and s in INDEX_KINDS | COST_KINDS:
        used.add("indekstyper")
    if s in COST_KINDS or frame.kostnadsord and s in INDEX_KINDS:
        used.add("form:kostnadsord")
    if frame.finansmaal and s in {"finans", "snitt"}:
        used.add("finansmaal")
        if "finans" in frame.indekstyper:
            used.add("indekstyper")  # "økonomien i Hammerfest, spesielt netto driftsresultat"
    if frame.kostnadsmaal and s in {"kostnad", "snitt", "innsparing"}:
        used.add("kostnadsmaal")
    if frame.indikatorer and s in {"indikator", "snitt", "hva_om", "forklaring"}:
        used.add("indikatorer")
    if s in LISTS or (s in {"kostnad", "finans", "indikator", "innsparing", "befolkning"} and not frame.kommuner):
        used |= {"n", "plass"}
    if s not in {"antall", "snitt", "fakta", "befolkning"} or (s == "befolkning" and set(frame.retning) <= {"hoy", "lav"}):
        used.add("retning")  # population has no better or worse: "best" is about something else
    used |= {f"intensjon:{i}" for i, kinds in INTENT_KINDS.items() if s in kinds}
    used |= {f"form:{f}" for f, kinds in FORM_KINDS.items() if s in kinds}
    if s == "hva_om":
        used.add("hva_om")
    return used


def _known(frame: Frame, ctx: Context):
    """Which unclaimed words need no reading: function words, and in a what-if its own words
    and numbers (read by assistant/hva_om/read.py)."""
    v = ctx.vocabulary
    if frame.sporsmaal == "hva_om":
        return lambda t: v.is_function_word(t) or v.has_word("hva_om", t) or t[:1].isdigit()
    return v.is_function_word


def left_over(frame: Frame, ctx: Context, used: set[str] | None = None) -> list[str]:
    """The question's words, as written, that carry meaning the answer does not use."""
    if frame.ord is None:  # a frame read by the language model: its words are the model's
        return []
    return frame.ord.left_over(fields_used(frame) if used is None else used, _known(frame, ctx))


def check_words(frame: Frame, ctx: Context, used: set[str] | None = None) -> None:
    """Raise `NotUnderstood` naming the words left over, with questions close to what was asked."""
    words = left_over(frame, ctx, used)
    if not words:
        return
    unknown = frame.ord.unread(_known(frame, ctx))
    counted = _counted_thing(frame.ord, words)
    if counted is not None:
        text = not_counted_text(counted)
    elif unknown:
        text = not_understood_text(unknown)
    else:
        text = not_combined_text(words)
    raise NotUnderstood(text, close_questions(frame, ctx), surface=" ".join(words))


def check_unknown(frame: Frame, ctx: Context) -> None:
    """Raise `NotUnderstood` naming the words no part of the reader knows, if there are any
    (a reading that failed for another reason keeps its own message)."""
    if frame.ord is None:
        return
    unknown = frame.ord.unread(_known(frame, ctx))
    if unknown:
        raise NotUnderstood(not_understood_text(unknown), close_questions(frame, ctx), surface=" ".join(unknown))


def _quoted(words: list[str]) -> str:
    """ "«a»", "«a» og «b»", "«a», «b» og «c»" (at most three). """
    q = [f"«{w}»" for w in words[:3]]
    return q[0] if len(q) == 1 else ", ".join(q[:-1]) + " og " + q[-1]


def not_combined_text(words: list[str]) -> str:
    """Words that were read, but that this answer could not use together with the rest.

    >>> not_combined_text(["netto driftsresultat"])[:70]
    'Jeg forstod spørsmålet bare delvis: «netto driftsresultat» kan jeg ikk'
    """
    return (f"Jeg forstod spørsmålet bare delvis: {_quoted(words)} kan jeg ikke ta med i et svar på "
            "resten av spørsmålet, og et svar uten det ville svart på noe annet enn du spurte om. "
            "Prøv å spørre enklere, for eksempel:")


_BETWEEN = {"av", "dem", "dei", "de", "er", "var", "det", "som", "i", "ulike", "forskjellige"}


def _counted_thing(acc, left: list[str]) -> str | None:
    """What a «hvor mange …» left over asks to count («barnehager»), "" when it names nothing."""
    if not any(w.lower() == "mange" or w.lower().startswith("mange ") for w in left):
        return None
    at = next((i for i, t in enumerate(acc.toks) if t == "mange"), len(acc.toks))
    rest = [w for w, t in zip(acc.words[at + 1:], acc.toks[at + 1:]) if t not in _BETWEEN]
    return rest[0] if rest else ""


def not_counted_text(thing: str) -> str:
    """ «Hvor mange barnehager …»: a count the database does not hold.

    >>> not_counted_text("barnehager")[:52]
    'Jeg har ikke tall for hvor mange barnehager det er. '
    """
    what = f"hvor mange {thing} det er" if thing else "det du vil telle"
    return (f"Jeg har ikke tall for {what}. Jeg kan telle kommuner («Hvor mange kommuner har "
            "negativt netto driftsresultat?») og svare på folketall, utgifter, nøkkeltall, "
            "indikatorer og hvordan kommunene ligger an i Kommuneindeksen. Prøv for eksempel:")


def not_understood_text(words: list[str]) -> str:
    """ "Jeg forstod ikke «kvantefysikk»." and what can be asked instead.

    >>> not_understood_text(["kvantefysikk"])[:36]
    'Jeg forstod ikke «kvantefysikk». Jeg'
    """
    return (f"Jeg forstod ikke {_quoted(words)}. Jeg kan svare på hvordan kommunene ligger an i "
            "Kommuneindeksen: kostnad, kvalitet, effektivitet og økonomi, tjeneste for tjeneste, "
            "og på tallene bak (utgifter, innsparingspotensial, nøkkeltall, indikatorer og folketall). "
            "Prøv for eksempel:")


def close_questions(frame: Frame, ctx: Context) -> list[str]:
    """Two or three questions close to what was asked: about the same municipality and service."""
    kommune = ctx.names.get(frame.kommuner[0]) if frame.kommuner else None
    tjeneste = ctx.tjenestenavn.get(frame.tjeneste, "").lower() if frame.tjeneste != ALLE else ""
    if kommune and tjeneste:
        return [f"Hvor ligger {kommune} i {tjeneste}?", f"Hvorfor ligger {kommune} der den ligger i {tjeneste}?",
                f"Hvilke kommuner er best i {tjeneste}?"]
    if kommune:
        return [f"Hvor ligger {kommune} i Kommuneindeksen?", f"Hva er innsparingspotensialet i {kommune}?",
                f"Hvordan har {kommune} utviklet seg de siste tre årene?"]
    if tjeneste:
        return [f"Hvilke kommuner er best i {tjeneste}?", f"Hvor ligger Bodø i {tjeneste}?",
                f"Hvilke kommuner har lavest kostnader i {tjeneste}?"]
    return EKSEMPLER[:3]
