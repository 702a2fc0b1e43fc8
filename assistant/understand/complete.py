"""Completing a frame: what a follow-up leaves out comes from the previous question
(`complete`), and what a question leaves open gets its default (`finish`)."""

from dataclasses import replace

from assistant.errors import NotUnderstood
from assistant.understand.context import Context
from assistant.understand.frame import DEFAULT_N, EKSEMPLER, TRENGER_KOMMUNE, UTENFOR, Frame
from assistant.understand.numbers import check_year
from scoring.contract import ALLE, KOSTNADSTJENESTER


def _worst(retning: tuple[str, ...], cost: bool) -> bool:
    """The bad end of a ranking? High cost is bad, high quality good.

    >>> _worst(("hoy",), cost=True), _worst(("hoy",), cost=False), _worst(("verst",), cost=False)
    (True, False, True)
    """
    if "verst" in retning:
        return True
    if "best" in retning:
        return False
    if "hoy" in retning:
        return cost
    if "lav" in retning:
        return not cost
    return False


def is_follow_up(frame: Frame) -> bool:
    """Whether a question reads as a follow-up of the one before: it starts like one ("og …",
    "hva med …"), points back ("der", "den", "vår kommune", "hvem av dem"), or holds nothing but
    what a follow-up changes (a service, a year, a name, a list size, "hvorfor?") with every
    word understood. Anything else is a new question, answered on its own or not at all.

    >>> from assistant.understand.account import Account
    >>> is_follow_up(Frame(None, tjeneste="barnehage", oppfolging=True))
    True
    >>> is_follow_up(Frame(None, ord=Account.of("hvem vinner eliteserien"), alt_lest=False))
    False
    """
    if frame.oppfolging or frame.viser_tilbake or frame.blant_dem:
        return True
    acc = frame.ord
    if acc is None:
        return True
    claims = set().union(*acc.claims.values()) - {"*"} if acc.claims else set()
    new = any(c.startswith("intensjon:") and c.split(":")[1] in NEW_QUESTION for c in claims)
    return frame.alt_lest and bool(claims) and not new  # "hei", "takk": nothing to follow up


def _asks_a_list(frame: Frame) -> bool:
    """Whether a follow-up's own words ask for a list (a list word, a direction, a size), not
    only a place ("og i Nordland?")."""
    if frame.ord is None:
        return True
    claims = set().union(*frame.ord.claims.values()) if frame.ord.claims else set()
    return bool(claims & {"intensjon:liste", "retning", "n", "plass", "form:entall", "form:alle"})


AMOUNT_KINDS = {"innsparing", "kostnad", "finans", "indikator", "befolkning", "maal"}
# Intents that make a question new even when it names little else ("hvor mange kommuner …").
NEW_QUESTION = {"antall", "fakta", "ikke_data", "utenfor", "oppgave", "endring"}


def complete(frame: Frame, previous: Frame | None) -> Frame:
    """Fill what a follow-up leaves out from the previous question's frame.

    A question that names its own kind and what that kind needs stands alone; a follow-up
    (`is_follow_up`) takes every field it does not name from the previous frame ("og i
    barnehage?", "hva med Vadsø?", "og i 2022?", "og året før?", "vis topp 5 i stedet",
    "hvorfor?"). A question that is neither is left as it is, to be answered or refused alone.
    """
    if previous is not None and frame.aar_relativt is not None and frame.aar is None and is_follow_up(frame):
        # "og året før?": a year before the conversation's year, not before the latest
        frame = replace(frame, aar=(previous.aar or 0) + frame.aar_relativt, aar_relativt=None)
    if frame.blant_dem and previous is not None and previous.naboer and previous.kommuner:
        # «hvem av dem …» after the neighbours: among the neighbours
        return replace(frame, sporsmaal="naboer", naboer=True, kommuner=previous.kommuner,
                       explicit=frame.explicit | {"kommuner"})
    if frame.viser_tilbake and previous is not None and previous.kommuner:
        return replace(frame, kommuner=previous.kommuner, explicit=frame.explicit | {"kommuner"})
    standalone = (
        frame.sporsmaal is not None
        and not frame.oppfolging
        and (frame.kommuner or frame.sporsmaal not in TRENGER_KOMMUNE)
    )
    if previous is None or standalone or not is_follow_up(frame):
        return frame
    kept = {
        f: getattr(frame, f) if f in frame.explicit else getattr(previous, f)
        for f in ("kommuner", "tjeneste", "tjenester", "indekstyper", "aar", "n", "retning", "kostnadsord", "fylke",
                  "kostragruppe", "finansmaal", "kostnadsmaal", "indikatorer", "plass", "plasser")
    }
    # the semantic layer's reading: what the follow-up names replaces, the rest is kept
    for f in ("maal", "vilkaar", "aggregat", "gruppering", "fylker", "sentralitet"):
        kept[f] = getattr(frame, f) or getattr(previous, f)
    kept["naboer"] = frame.naboer
    kept["over_tid"] = frame.over_tid or previous.over_tid and frame.aar is None
    if frame.fylke or frame.kostragruppe:  # "og i Nordland?": the new place replaces the old
        kept |= {"fylker": frame.fylker, "fylke": frame.fylke, "kostragruppe": frame.kostragruppe}
    if "tjeneste" in frame.explicit:
        kept["tjenester"] = frame.tjenester  # a new service replaces the earlier list
    if "retning" in frame.explicit:
        kept["kostnadsord"] = frame.kostnadsord or previous.kostnadsord
    new_service = "tjeneste" in frame.explicit and "indekstyper" not in frame.explicit
    if new_service and "indekstyper" not in previous.explicit:
        kept["indekstyper"] = ()  # a new service has its own index types
    sporsmaal = previous.sporsmaal if frame.oppfolging or frame.sporsmaal is None else frame.sporsmaal
    if frame.sporsmaal in ("forklaring", "utvikling", "innsparing", "sammenlign") or (
        frame.sporsmaal == "liste" and previous.sporsmaal != "liste"
    ):
        sporsmaal = frame.sporsmaal  # "og hvorfor?", "og utviklingen?" ask something new
    if frame.oppfolging and frame.sporsmaal == "liste" and not _asks_a_list(frame):
        sporsmaal = previous.sporsmaal  # "og i Nordland?" after a count: the same count there
    if frame.aggregat and sporsmaal in ("snitt", "antall") and kept["maal"]:
        sporsmaal = "aggregat"  # "Og medianen?" after an average: the same measure and place
    if sporsmaal == "sammenlign" and len(kept["kommuner"]) == 1:
        sporsmaal = "rang"
    if sporsmaal == "liste" and "kommuner" in frame.explicit:
        sporsmaal = "rang"  # "Hva med Vadsø?" after a list asks where Vadsø is
    if frame.naboer and (kept["kommuner"] or previous.kommuner):
        sporsmaal = "naboer"  # "og nabokommunane?", "Hvem er naboene deres?"
    elif frame.over_tid and sporsmaal in AMOUNT_KINDS:
        sporsmaal = "maal"  # "hvordan har det utviklet seg?" after an amount: its development
    elif frame.over_tid and sporsmaal in ("rang", "sammenlign") and frame.sporsmaal is None:
        sporsmaal = "utvikling"
    if sporsmaal == "hva_om" and not frame.endring:
        kept["endring"] = previous.endring  # "og i barnehage?" after a what-if: the same change
    return replace(frame, sporsmaal=sporsmaal, explicit=frame.explicit | previous.explicit, **kept)


def finish(frame: Frame, ctx: Context) -> Frame:
    """Defaults that depend on the kind of question; errors for what is still missing."""
    sporsmaal = frame.sporsmaal
    if sporsmaal is None:
        if frame.tjeneste != ALLE or frame.indekstyper or frame.indikatorer:
            sporsmaal = "liste"
        else:
            raise NotUnderstood(
                "Det forstod jeg ikke helt. " + UTENFOR + " Prøv for eksempel:",
                EKSEMPLER[:4],
            )
    if sporsmaal in TRENGER_KOMMUNE and not frame.kommuner:
        raise NotUnderstood(
            "Hvilken kommune gjelder det? Skriv navnet, for eksempel «Hvor ligger Bodø i barnehage?».",
            ["Hvor ligger Bodø i barnehage?", "Hvorfor ligger Tromsø der den ligger?"],
        )
    aar = frame.aar if frame.aar is not None else max(ctx.years) + (frame.aar_relativt or 0)
    check_year(aar, ctx.years)
    indekstyper = _indekstyper(sporsmaal, frame, ctx)
    fra_aar = frame.fra_aar if frame.fra_aar is not None else aar - 1
    if sporsmaal == "endring" and fra_aar not in ctx.years:
        raise NotUnderstood(f"Jeg har ikke tall for {fra_aar}, så jeg kan ikke vise endringen derfra.", EKSEMPLER[:3])
    cost = frame.kostnadsord or indekstyper[:1] == ("kostnad",)
    return replace(
        frame,
        sporsmaal=sporsmaal,
        aar=aar,
        indekstyper=indekstyper,
        fra_aar=fra_aar,
        verst=_worst(frame.retning, cost),
        lavest="lav" in frame.retning or ("best" in frame.retning and cost) or _bad_is_low(frame, sporsmaal, ctx),
        n=_list_size(frame),
        aar_relativt=None,
    )


_INDEKSORD = {"kostnad": "kostnadsindeks", "effektivitet": "effektivitetsindeks",
              "kommuneindeks": "egen Kommuneindeks", "finans": "egen finansindeks", "kvalitet": "kvalitetsindeks"}


def _no_such_index(navn: str, indekstype: str) -> str:
    """ «Vann og avløp har ingen kostnadsindeks: …» (only seven services have a cost side)."""
    return (f"{navn} har ingen {_INDEKSORD[indekstype]}: bare de sju tjenestene med behovskorrigerte "
            "utgifter har kostnads- og effektivitetsindeks, de andre rangeres på kvalitet. Prøv for eksempel:")


def _with_service(navn: str) -> list[str]:
    """The question that can be answered: the service's own ranking."""
    return [f"Hvilke kommuner har best kvalitet i {navn.lower()}?"] + EKSEMPLER[:2]


def _bad_is_low(frame: Frame, sporsmaal: str, ctx: Context) -> bool:
    """ «dårligst netto driftsresultat»: the lowest where higher is better (and «best netto
    lånegjeld» the lowest where lower is better)."""
    if sporsmaal != "finans" or not frame.finansmaal or frame.finansmaal[0] not in ctx.katalog.maal:
        return False
    retning = ctx.katalog.maal[frame.finansmaal[0]].retning
    return ("verst" in frame.retning and retning == "hoy") or ("best" in frame.retning and retning == "lav")


def _list_size(frame: Frame) -> int:
    """How many rows a list shows: the number asked for, the ranks of a range, else 10
    (also within a county or KOSTRA group, as schema.md says)."""
    if frame.plasser:
        return frame.plasser[1] - frame.plasser[0] + 1
    return frame.n or DEFAULT_N


def service_indekstyper(tjeneste: str) -> tuple[str, ...]:
    """The index types a service has: three for the seven cost services, quality for the rest."""
    if tjeneste == ALLE:
        return ("kommuneindeks", "kostnad", "kvalitet", "finans", "effektivitet")
    if tjeneste in KOSTNADSTJENESTER:
        return ("effektivitet", "kostnad", "kvalitet")
    return ("kvalitet",)


# Kinds whose answer is an index: one the service does not have cannot be answered by another.
_OM_INDEKS = {"rang", "liste", "sammenlign", "utvikling", "endring", "forklaring"}


def _indekstyper(sporsmaal: str, frame: Frame, ctx: Context) -> tuple[str, ...]:
    available = service_indekstyper(frame.tjeneste)
    asked = tuple(t for t in frame.indekstyper if t in available)
    missing = [t for t in frame.indekstyper if t not in available and t != "kommuneindeks"]  # the report's name
    if missing and sporsmaal in _OM_INDEKS and frame.ord is not None and frame.ord.claimed("indekstyper"):
        navn = ctx.tjenestenavn.get(frame.tjeneste, frame.tjeneste)
        raise NotUnderstood(_no_such_index(navn, missing[0]), _with_service(navn))
    if sporsmaal in ("liste", "snitt", "antall", "endring"):
        if asked:
            return asked[:1]
        if frame.tjeneste == ALLE:
            return ("kommuneindeks",)
        return available[:1]
    if asked:
        return asked
    if sporsmaal == "utvikling" and frame.tjeneste == ALLE:
        return ("kommuneindeks",)
    return available
