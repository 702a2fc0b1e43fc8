"""Question → Frame: what is asked, about which municipalities, service, index, year and list.

The offline parser: words from data/ordliste.toml (bokmål and nynorsk), names from
`assistant.understand.names`, years and numbers by pattern. It raises our own errors for what it cannot
answer; `Assistant.ask` turns them into answers.
"""

import re

from assistant.errors import AmbiguousKommune, NotUnderstood, UnknownKommune
from assistant.understand.context import Context
from assistant.understand.frame import EKSEMPLER, UTENFOR, Frame, Sporsmaal
from assistant.understand.normalize import fold, words
from assistant.understand.numbers import YEAR, check_year, read_n, read_year
from scoring.contract import ALLE

PLACE = re.compile(r"\b(?:plass|nummer|nr)\s+(\d{1,3})\b")
IKKE_DATA = (
    "Det har jeg dessverre ikke tall for. Databasen har Kommuneindeksen med kostnad, kvalitet, "
    "effektivitet og økonomi per tjeneste, indikatorene bak, netto driftsutgifter, "
    "innsparingspotensial, tre økonomiske nøkkeltall og folketall."
)
GROUP = re.compile(r"(?:kommunegruppe|kostra-?gruppe|gruppe)n?\s*(?:nr\.?\s*)?(\d{1,2})\b")


def _masked(toks: list[str], used: set[int]) -> list[str]:
    """The words with municipality names blanked out, so a name is never read as a keyword."""
    return ["" if i in used else t for i, t in enumerate(toks)]


def read_question(question: str, ctx: Context) -> Frame:
    """Read a cleaned question into a Frame. `sporsmaal` is None when the question only
    changes something (a follow-up such as "og i barnehage?")."""
    v = ctx.vocabulary
    ws = words(question)
    toks = [fold(w) for w in ws]
    names = ctx.register.search(question)
    fylker = names.fylker
    kommuner = _resolve_names(names, fylker, ctx)
    masked = _masked(toks, names.used)
    intents = set(v.meanings("intensjon", masked))
    form = _form(v, masked)
    explicit: set[str] = set()

    if "endring" in intents or {"ordre", "ordremaal"} <= form:
        raise NotUnderstood(
            "Jeg kan bare lese tallene i Kommuneindeksen, ikke endre, slette eller legge til data.",
            EKSEMPLER[:3],
        )
    if not kommuner and "vi" in intents and ctx.hjemkommune:
        kommuner = (ctx.hjemkommune,)
    if "ikke_data" in intents:
        raise NotUnderstood(IKKE_DATA, EKSEMPLER[:3])
    if kommuner:
        explicit.add("kommuner")
    if names.unknown and not kommuner:
        if intents & {"oppgave", "utenfor"}:
            raise NotUnderstood(UTENFOR, EKSEMPLER[:4])  # "Skriv et dikt om Lofoten"
        unknown = names.unknown[0]
        forslag = ctx.register.suggestions(unknown)
        hint = f" Mente du {_or_list(forslag)}?" if forslag else ""
        raise UnknownKommune(f"Jeg finner ingen kommune som heter «{unknown}».{hint}", forslag)

    tjenester = v.meanings("tjeneste", masked) or v.closest_meanings("tjeneste", masked)
    indekstyper = tuple(v.meanings("indekstype", masked))
    retning = set(v.meanings("retning", masked))
    indikatorer = tuple(v.meanings("indikator", masked))
    finansmaal = tuple(v.meanings("finansmaal", masked))
    kostnadsmaal = next(iter(v.meanings("kostnadsmaal", masked)), None)
    if kostnadsmaal:
        intents.add("kostnadsverdi")  # "totale utgifter" asks for amounts, not the cost index
    aar = read_year(question, ctx.years)
    named_years = sorted({int(y) for y in YEAR.findall(fold(question))})
    fra_aar = None
    if len(named_years) > 1:  # "fra 2022 til 2024": the development over those years
        intents.add("utvikling")
        fra_aar, aar = named_years[0], named_years[-1]
    if aar is not None and "siden" in form:
        intents.add("utvikling")  # "siden 2022", "sidan i fjor": from then until the latest year
        fra_aar, aar = aar, None
    indikatorer = _closest_indikatorer(indikatorer, masked, tjenester, ctx)
    if "oppgave" in intents:
        indikatorer = ()  # "skriv en søknad om barnehageplass": words of a task, not a measure
    folded = " ".join(masked)
    n = read_n(folded, v)
    group = GROUP.search(folded)
    plass = PLACE.search(folded) if not kommuner else None
    kostragruppe = int(group.group(1)) if group else None
    fylke = fylker[0] if fylker and not kommuner else None

    tjeneste = tjenester[0] if tjenester else ALLE
    if indikatorer and not tjenester:
        tjeneste = ctx.indikator_tjeneste(indikatorer[0], ALLE)
    for name, value in (
        ("tjeneste", tjenester), ("indekstyper", indekstyper), ("aar", aar), ("n", n),
        ("fylke", fylke), ("kostragruppe", kostragruppe), ("indikatorer", indikatorer),
        ("finansmaal", finansmaal), ("kostnadsmaal", kostnadsmaal),
    ):
        if value:
            explicit.add(name)
    if aar is not None:
        check_year(aar, ctx.years)
    # "der", "her", "vår kommune" without a home municipality: the last question's municipality,
    # so the question is read as if it named one
    viser_tilbake = ("vi" in intents or "tilbake" in form or "blant_dem" in form) and not kommuner
    sporsmaal = _kind(intents, form, kommuner or (("?",) if viser_tilbake else ()), indekstyper,
                      indikatorer, finansmaal, retning, n, fylke, kostragruppe, masked)
    if retning:
        explicit.add("retning")
    if "kostnadsverdi" in intents:
        explicit.add("kostnadsverdi")  # "snittet … for behovskorrigerte utgifter": an amount
    about_us = bool(kommuner or tjenester or indekstyper or indikatorer or finansmaal)
    measures = bool(indekstyper or indikatorer or finansmaal or "rangord" in form
                    or intents & {"innsparing", "kostnadsverdi", "utvikling", "forklaring"})
    if ("utenfor" in intents and not (tjenester or measures)) or ("oppgave" in intents and not measures):
        raise NotUnderstood(UTENFOR, EKSEMPLER[:4])
    if sporsmaal == "liste" and not about_us and (
        names.other_words or not (fylke or kostragruppe or "om_kommuner" in form)
    ):
        sporsmaal = None  # "Hvilke farger har flagget?", "Hvem er best i håndball?"
    return Frame(
        sporsmaal=sporsmaal,
        kommuner=kommuner,
        tjeneste=tjeneste,
        tjenester=tuple(tjenester) if len(tjenester) > 1 else (),
        indekstyper=indekstyper,
        aar=aar,
        fra_aar=fra_aar,
        n=n if n else (1 if "entall" in form else None),
        retning=tuple(sorted(retning)),
        kostnadsord="kostnadsord" in form,
        fylke=fylke,
        kostragruppe=kostragruppe,
        finansmaal=finansmaal,
        kostnadsmaal=kostnadsmaal,
        indikatorer=indikatorer,
        endring=question if sporsmaal == "hva_om" else "",
        plass=int(plass.group(1)) if plass else None,
        oppfolging="oppfolging" in form or (len(toks) <= 2 and not (intents or tjenester or indekstyper)),
        viser_tilbake=viser_tilbake,
        blant_dem="blant_dem" in form and not kommuner,
        explicit=frozenset(explicit),
    )


def _stems(words) -> set[str]:
    """Word stems for loose comparison: "innbyggerne" and "innbyggernes" share "innbyg"."""
    return {w[:6] if len(w) > 4 else w for w in words if w}


def _closest_indikatorer(
    found: tuple[str, ...], toks: list[str], tjenester: list[str], ctx: Context
) -> tuple[str, ...]:
    """Where one phrase fits several indicators ("sykefravær", "mobbing", "nasjonale prøver"),
    keep those of the named service, then those whose names share most words with the
    question ("10. trinn", "lesing", "12 ukers frist")."""
    if len(found) < 2:
        return found
    in_service = tuple(k for k in found if ctx.indikator_tjeneste(k) in tjenester)
    found = in_service or found
    stems_q = _stems(toks)
    score = {}
    for k in found:
        navn = ctx.indikatorer[k].navn if k in ctx.indikatorer else ""
        stems_name = _stems(re.findall(r"\w+", fold(navn)))
        # shared words count most; words of the name the question lacks break ties
        score[k] = 10 * len(stems_q & stems_name) - len(stems_name - stems_q)
    best = max(score.values())
    return tuple(k for k in found if score[k] == best)


def _or_list(items: list[str]) -> str:
    """ "A", "A eller B", "A, B eller C". """
    quoted = [f"«{i}»" for i in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " eller " + quoted[-1]


def _resolve_names(names, fylker: list[str], ctx: Context) -> tuple[str, ...]:
    out: list[str] = []
    for m in names.matches:
        kandidater = m.kandidater
        if len(kandidater) > 1:
            in_fylke = [k for k in kandidater if ctx.register.kommuner[k].fylke in fylker]
            if len(in_fylke) == 1:
                kandidater = tuple(in_fylke)
        if len(kandidater) > 1:
            choices = [ctx.register.name(k) for k in kandidater]
            fylkenavn = [ctx.register.kommuner[k].fylke for k in kandidater]
            raise AmbiguousKommune(
                f"Det finnes flere kommuner som heter {m.surface}: i {_or_list(fylkenavn).replace('«', '').replace('»', '')}. Hvilken mener du?",
                choices,
                surface=m.surface,
            )
        if kandidater[0] not in out:
            out.append(kandidater[0])
    return tuple(out)


def _kind(intents, form, kommuner, indekstyper, indikatorer, finansmaal, retning, n,
          fylke, kostragruppe, toks) -> Sporsmaal | None:
    """Which kind of question, by the first rule that fits."""
    rank_words = "rangord" in form
    # an amount or man-years make it a what-if; a year does not
    resources = "ressurs" in form or any(t[:1].isdigit() and not YEAR.fullmatch(t) for t in toks)
    if "innsparing" in intents and not resources:
        return "innsparing"  # "hvor mye kunne vi spart om vi lå på gruppesnittet?" is stored
    if "hva_om" in intents and kommuner:
        return "hva_om"
    if "forklaring" in intents:
        return "forklaring"
    if "fakta" in intents and kommuner and not rank_words:
        return "fakta"
    if "antall" in intents and not kommuner and "befolkning" not in intents:
        return "antall"
    if "snitt" in intents and not kommuner:
        return "snitt"
    if "innsparing" in intents:
        return "innsparing"
    if "utvikling" in intents and kommuner:
        return "utvikling"
    if "utvikling" in intents and ("liste" in intents or retning or n or fylke or kostragruppe):
        return "endring"  # "hvem har klatret mest?": a list of rank changes
    if finansmaal and not rank_words:
        return "finans"
    if indikatorer and not rank_words:
        return "indikator"
    if "kostnadsverdi" in intents and not rank_words:
        return "kostnad"
    if "befolkning" in intents and (kommuner or fylke or kostragruppe or retning or n):
        return "befolkning"
    if len(kommuner) > 1 or ("sammenlign" in intents and kommuner):
        return "sammenlign"
    if kommuner:
        return "rang"
    if "liste" in intents or retning or n or fylke or kostragruppe or PLACE.search(" ".join(toks)):
        return "liste"
    return None


def _form(vocabulary, toks: list[str]) -> set[str]:
    """How the question is put ([form] of data/ordliste.toml); "oppfolging" and "ordre" count
    only as the first words ("Og i barnehage?", "Sett Bodø på førsteplass"), "tilbake" only as
    the last ("Hvor mange innbyggere har den?")."""
    hits = vocabulary.find("form", toks)
    first = next((i for i, t in enumerate(toks) if t), 0)
    last = max((i + 1 for i, t in enumerate(toks) if t), default=0)
    anchored = {"oppfolging": lambda h: h.start == first, "ordre": lambda h: h.start == first,
                "tilbake": lambda h: h.end == last}
    return {h.meaning for h in hits if anchored.get(h.meaning, lambda h: True)(h)}
