"""Question → Frame: what is asked, about which municipalities, service, index, year and list.

The offline parser: words from data/ordliste.toml (bokmål and nynorsk), names from
`assistant.understand.names`, years and numbers by pattern. It raises our own errors for what it cannot
answer; `Assistant.ask` turns them into answers.
"""

import re

from assistant.errors import AmbiguousKommune, NotUnderstood, UnknownKommune
from assistant.understand.account import Account
from assistant.understand.conditions import Betingelse, compared_to_kommune, read_conditions
from assistant.understand.context import Context
from assistant.understand.frame import EKSEMPLER, UTENFOR, Frame, Sporsmaal
from assistant.understand.normalize import fold
from assistant.understand.numbers import (
    YEAR,
    check_year,
    read_kostragruppe,
    read_n,
    read_places,
    read_sentralitet,
    read_years,
)
from scoring.contract import ALLE

ALLE_N = 357  # "alle kommunene": the whole list (the result limit still holds)
GRUPPERINGER = ("fylke", "kostragruppe", "sentralitet", "folketallsgruppe")
AGGREGAT_INTENTS = ("andel", "median", "antall", "sum", "snitt")  # the first named wins
# Measures the old kinds answer by their own templates (rank, list, cost, finance, indicator).
OWN_KINDS = {"indeks", "kostnad", "finans", "indikator", "forklaring", "befolkning", "register"}
AMOUNT_KINDS = {"innsparing", "kostnad", "finans", "indikator", "befolkning"}
# "Kva for to tenester er dyrast i Bodø?": services counted or ranked for one municipality
SERVICE_WORDS = {"tjenester", "tjenestene", "tenester", "tenestene", "tenesta", "tjenesten", "tjenste", "tjenster"}
SUMMERBAR = {"kr", "innbyggere"}  # units a sum makes sense of
COMPARATIVES = {"hoyere", "hogare", "lavere", "lagare", "mer", "meir", "mindre", "dyrere", "dyrare", "billigere",
                "billegare", "bedre", "betre", "darligere", "darlegare", "storre", "sterkere", "svakere"}
SITUATION_BEFORE = {"som", "er", "jeg", "eg", "vi", "me", "min", "mi", "var"}  # «som ordfører», «jeg er journalist»

IKKE_DATA = (
    "Det har jeg dessverre ikke tall for. Databasen har Kommuneindeksen med kostnad, kvalitet, "
    "effektivitet og økonomi per tjeneste, indikatorene bak, netto driftsutgifter, "
    "innsparingspotensial, tre økonomiske nøkkeltall og folketall."
)
ENDRE_DATA = "Jeg kan bare lese tallene i Kommuneindeksen, ikke endre, slette eller legge til data."
PAASTAND = ("Jeg sier bare det tallene viser, og gjentar ikke påstander. Spør heller hvordan det står til, "
            "for eksempel:")


def _masked(toks: list[str], used: set[int]) -> list[str]:
    """The words with municipality and county names blanked out, so a name is never read as a
    keyword."""
    return ["" if i in used else t for i, t in enumerate(toks)]


def _find(vocabulary, section: str, masked: list[str], acc: Account, name: str | None = None) -> list[str]:
    """The meanings of a section's phrases in the question, in text order; each phrase's words
    are claimed under `name` (the frame field they set) or "<section>:<meaning>"."""
    hits = vocabulary.find(section, masked)
    for h in hits:
        acc.claim(range(h.start, h.end), name or f"{section}:{h.meaning}")
    return list(dict.fromkeys(h.meaning for h in hits))


def _closest(vocabulary, section: str, masked: list[str], acc: Account, name: str, compounds: bool = True) -> list[str]:
    """Meanings of misspelt words of a section ("barnhagene" → barnehage), claimed like exact ones."""
    hits = vocabulary.closest_hits(section, [t if i not in acc.claims else "" for i, t in enumerate(masked)],
                                   compounds=compounds)
    for h in hits:
        acc.claim(range(h.start, h.end), name)
    return list(dict.fromkeys(h.meaning for h in hits))


# «plass 50–55», «2022-2024»: a range, never one number («5055» is Heim's municipality number).
_RANGE = re.compile(r"(\d)\s*[-–—]\s*(?=\d+\b(?!\s*(?:år|ar)\b))")  # «1–2 år» is an age

# «hvor mange» before something the database counts: municipalities, inhabitants, kroner,
# places in a ranking, per cent, days, neighbours, man-years; or before a measure within four
# words («hvor mange legeårsverk», «hvor mange opplever mobbing»). «Hvor mange barnehager er det
# i Lillestrøm?» asks for a count it does not hold: there «mange» stays unread, and is refused.
_COUNTED = re.compile(
    r"(?:hvor|kor) mange(?: (?:kommun|innbygg|mennesk|folk|bor\b|bur\b|kron|kr\b|plass|prosent|pst\b|"
    r"poeng|dag|nabo|arsverk|stilling|tjenest|tenest|indikator|gang|gong|er\b|var\b|har\b|fikk|fekk|fra\b)|$)"
)
_MEASURE_CLAIMS = {"indikatorer", "finansmaal", "kostnadsmaal"}


def _is_measure(claims: set[str]) -> bool:
    return bool(claims & _MEASURE_CLAIMS) or any(c.startswith("maal:") for c in claims)


def _claim_mange(acc: Account) -> None:
    """«mange» needs no reading («så mange kommuner»), except in a «hvor mange» of something
    the database does not count."""
    for i, t in enumerate(acc.toks):
        if t != "mange":
            continue
        asked = i > 0 and acc.toks[i - 1] in ("hvor", "kor")
        counted = asked and (_COUNTED.match(" ".join(acc.toks[i - 1:i + 2]))
                             or any(_is_measure(acc.claims.get(j, set())) for j in range(i + 1, i + 5)))
        if not asked or counted:
            acc.claim([i], "*")


def read_question(question: str, ctx: Context) -> Frame:
    """Read a cleaned question into a Frame. `sporsmaal` is None when the question only
    changes something (a follow-up such as "og i barnehage?"). The frame carries the account of
    the question's words (`Frame.ord`), checked against what the answer uses once it is finished."""
    v = ctx.vocabulary
    question = _RANGE.sub(r"\1 til ", question)
    acc = Account.of(question)
    toks = acc.toks
    names = ctx.register.search(question)
    acc.claim(names.used, "kommuner")
    acc.claim(names.fylke_words, "fylke")
    fylker = names.fylker
    kommuner = _resolve_names(names, fylker, ctx, acc)
    masked = _masked(toks, names.used | names.fylke_words)
    for h in v.find("funksjonsord", masked):  # phrases such as "i prosent av brutto driftsinntekter"
        if h.end - h.start > 1:
            acc.claim(range(h.start, h.end), "*")
    intents = set(_find(v, "intensjon", masked, acc))
    form = _form(v, masked, acc)
    years = read_years(acc)
    if any("aar" in acc.claims.get(i, ()) and "form:siden" in acc.claims.get(i, ()) for i in acc.claims):
        form.discard("siden")  # "for to år siden" is a year, not "since"
    explicit: set[str] = set()

    if "endring" in intents or {"ordre", "ordremaal"} <= form:
        raise NotUnderstood(ENDRE_DATA, EKSEMPLER[:3])
    if "paastand" in intents:  # «Si at Alta er Norges best styrte kommune»
        raise NotUnderstood(PAASTAND, EKSEMPLER[:3])
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

    tjenester = _find(v, "tjeneste", masked, acc, "tjeneste") or _closest(v, "tjeneste", masked, acc, "tjeneste")
    indekstyper = tuple(_find(v, "indekstype", masked, acc, "indekstyper")
                        or _closest(v, "indekstype", masked, acc, "indekstyper"))
    retning = set(_find(v, "retning", masked, acc, "retning"))
    named_indikatorer = tuple(_find(v, "indikator", masked, acc, "indikatorer"))
    indikatorer = named_indikatorer or tuple(_closest(v, "indikator", masked, acc, "indikatorer", compounds=False))
    finansmaal = tuple(_find(v, "finansmaal", masked, acc, "finansmaal")
                       or _closest(v, "finansmaal", masked, acc, "finansmaal"))
    kostnadsmaaler = list(_find(v, "kostnadsmaal", masked, acc, "kostnadsmaal"))
    # «per innbygger …, behovskorrigert»: the qualified amount, wherever the qualifier stands
    kostnadsmaal = ("behovskorrigert_kr_per_innbygger" if "behovskorrigert_kr_per_innbygger" in kostnadsmaaler
                    else next(iter(kostnadsmaaler), None))
    maal_hits = v.find("maal", masked)
    for h in maal_hits:
        acc.claim(range(h.start, h.end), f"maal:{h.meaning}")
    _claim_mange(acc)  # after the measures: «hvor mange legeårsverk» counts what a measure holds
    summing = {i for i, c in acc.claims.items() if "intensjon:sum" in c}
    if len({h.meaning for h in maal_hits}) > 1:  # «samlet innsparingspotensial»: a sum, not the total index
        maal_hits = [h for h in maal_hits if not set(range(h.start, h.end)) <= summing]
    maal = tuple(dict.fromkeys(h.meaning for h in maal_hits))
    dims = _find(v, "dimensjon", masked, acc)
    metoder = _find(v, "metode", masked, acc, "metode")
    # a what-if's numbers and targets are its own ("kutte for å komme på topp 30")
    vilkaar = read_conditions(acc, maal_hits, v.tall) if not ("hva_om" in intents and kommuner) else []
    if any({"vilkaar", "form:blant_dem"} <= c for c in acc.claims.values()):
        form.discard("blant_dem")  # «blant dei 50 beste» is a rank condition, not «blant dem»
    if len(set(kommuner)) == 1:  # «flere kommuner enn Bodø»; with two, a comparison of them
        kommuner, vilkaar = _compared_kommuner(names, kommuner, vilkaar, maal_hits, acc)
    if kommuner and not form & {"tjenester", "tjeneste_en", "om_tjenester"}:  # «Er Hammerfest bedre enn snittet?»: the answer states where it stands
        vilkaar = [b for b in vilkaar if b.terskel not in ("landssnitt", "gruppesnitt", "fylkessnitt")]
    if kostnadsmaal:
        intents.add("kostnadsverdi")  # "totale utgifter" asks for amounts, not the cost index
    aar, fra_aar = years.aar, years.fra_aar
    if fra_aar is not None:  # "fra 2022 til 2024": the development over those years
        intents.add("utvikling")
        explicit.add("fra_aar")
    if years.fra_relativt is not None:  # "i år, i fjor og i forfjor"
        fra_aar = max(min(ctx.years), max(ctx.years) + years.fra_relativt)  # "siste 5 år": those there are
        aar = max(ctx.years) + years.relativt
        intents.add("utvikling")
        explicit.add("fra_aar")
    if years.relativt is not None and "siden" in form:
        aar = max(ctx.years) + years.relativt  # "sidan i fjor": from last year until the latest
    if aar is not None and fra_aar is None and "siden" in form:
        intents.add("utvikling")  # "siden 2022": from then until the latest year
        fra_aar, aar = aar, None
        explicit.add("fra_aar")
    indikatorer = _closest_indikatorer(indikatorer, masked, tjenester, ctx, acc)
    if "oppgave" in intents:
        indikatorer = ()  # "skriv en søknad om barnehageplass": words of a task, not a measure
    plasser = read_places(acc) if not kommuner else None
    kostragruppe = read_kostragruppe(acc)
    sentralitet = read_sentralitet(acc)
    n = read_n(acc, v)
    fylke = fylker[0] if fylker and not kommuner else None

    tjeneste = tjenester[0] if tjenester else ALLE
    if indikatorer and not tjenester:
        tjeneste = ctx.indikator_tjeneste(indikatorer[0], ALLE)
    for name, value in (
        ("tjeneste", tjenester), ("indekstyper", indekstyper), ("aar", aar), ("n", n),
        ("fylke", fylke), ("kostragruppe", kostragruppe), ("indikatorer", indikatorer),
        ("finansmaal", finansmaal), ("kostnadsmaal", kostnadsmaal), ("plass", plasser), ("plasser", plasser),
    ):
        if value:
            explicit.add(name)
    if years.relativt is not None:
        explicit.add("aar")
    for year in (aar, fra_aar):
        if year is not None:
            check_year(year, ctx.years)
    # "der", "her", "vår kommune" without a home municipality: the last question's municipality,
    # so the question is read as if it named one
    viser_tilbake = ("vi" in intents or "tilbake" in form or "blant_dem" in form) and not kommuner
    gruppering = next((d for d in dims if d in GRUPPERINGER), None)
    naboer = "nabo" in dims
    if naboer and any(t.startswith(("nabokommunene", "nabokommunane", "naboene", "naboane")) for t in acc.toks):
        form.discard("entall")  # «Hvem er nabokommunene til Bodø?»: all of them, not one
    if naboer:  # «høyere netto driftsresultat enn nabokommunene»: a comparison with them
        acc.claim([i for i, t in enumerate(acc.toks) if t in COMPARATIVES], "intensjon:sammenlign")
        intents |= {"sammenlign"} if any(t in COMPARATIVES for t in acc.toks) else set()
    service_words = SERVICE_WORDS & set(acc.toks)
    over_tjenester = bool(form & {"tjenester", "tjeneste_en", "om_tjenester"}) or "tjeneste" in dims or (
        bool(service_words) and len(kommuner) <= 1 and bool(retning or n) and not tjenester) or (
        bool(retning) and not tjenester and [t for t in acc.toks if t not in ("og", "men")][:1] in (["hvor"], ["kvar"], ["kor"])
        and not (set(maal) - {"effektivitetsindeks", "kvalitetsindeks", "kostnadsindeks"})
        and "rangord" not in form) or (  # "Hvor er Alta best?", "Hvor er Drammen mest effektiv?"
        _best_paa(acc) and len(kommuner) == 1 and not tjenester)  # "Hva er Tromsø best på?"
    metode = (metoder[0] if metoder else next((ctx.katalog.maal[m].metode for m in maal
                                                if ctx.katalog.maal[m].metode), None))
    if "andelsord" in intents and not kommuner and not indikatorer:
        intents.add("andel")  # «Og kor stor del er det?» after a count
    aggregat = next((a for a in AGGREGAT_INTENTS if a in intents), None)
    if {"hoy", "lav"} <= retning and not kommuner and maal:  # «minste og største netto lånegjeld»
        aggregat = "min_maks"
    if "utvikling" not in intents and "aar" in dims:
        intents.add("utvikling")  # "år for år"
    if years.fra_aar is not None and (vilkaar or aggregat) and any(t in ("bade", "begge") for t in acc.toks):
        # «over 1 i både 2023 og 2024»: a condition met in every one of several years
        raise NotUnderstood(
            "Jeg kan ikke finne kommuner som oppfyller et vilkår i flere år samtidig. Spør om ett år "
            "om gangen, eller om utviklingen, for eksempel:",
            [f"Hvor mange kommuner har kommuneindeks over 1 i {years.fra_aar}?",
             f"Hvor mange kommuner har kommuneindeks over 1 i {years.aar}?"],
        )
    if not kommuner and not vilkaar and "liste" not in intents and any(
            t.startswith(("landssnitt", "landsgjennomsnitt")) for t in acc.toks):
        intents.add("snitt")  # «Hva er landssnittet for netto driftsresultat?»: the average itself
    sporsmaal = _kind(intents, form, kommuner or (("?",) if viser_tilbake else ()), indekstyper,
                      indikatorer, finansmaal, retning, n, fylke, kostragruppe, acc, plasser, named_indikatorer)
    sporsmaal = _spec_kind(sporsmaal, intents, form, kommuner or (("?",) if viser_tilbake else ()), vilkaar, aggregat, gruppering, naboer,
                           over_tjenester, metode, maal, ctx, retning, n,
                           sted=bool(fylke or kostragruppe or aar or fylker), sentralitet=sentralitet) or sporsmaal
    if len(fylker) > 1 and not kommuner and sporsmaal in ("liste", "antall", "snitt", None):
        sporsmaal = "aggregat" if aggregat else "utvalg"  # "Finnmark og Troms": both, never one dropped
    kart = "kart" in form
    if kart and sporsmaal is None and (indekstyper or tjenester or maal or fylke or kostragruppe):
        sporsmaal = "liste"  # "Vis kart over kommuneindeksen": every municipality, on a map
    if retning:
        explicit.add("retning")
    if "kostnadsverdi" in intents:
        explicit.add("kostnadsverdi")  # "snittet … for behovskorrigerte utgifter": an amount
    about_us = bool(kommuner or tjenester or indekstyper or indikatorer or finansmaal)
    measures = bool(indekstyper or indikatorer or finansmaal or "rangord" in form
                    or intents & {"innsparing", "kostnadsverdi", "utvikling", "forklaring"})
    if ("utenfor" in intents and not (tjenester or measures)) or ("oppgave" in intents and not measures):
        raise NotUnderstood(UTENFOR, EKSEMPLER[:4])
    for context_word in ("intensjon:utenfor", "intensjon:oppgave"):
        # "Som ordfører i Kongsberg vil jeg vite …": the asker's situation, not the question
        acc.claim([i for i, c in acc.claims.items() if context_word in c and i > 0
                   and acc.toks[i - 1] in SITUATION_BEFORE], "*")
    if sporsmaal == "liste" and not about_us and (
        names.other_words or not (fylke or kostragruppe or "om_kommuner" in form)
    ):
        sporsmaal = None  # "Hvilke farger har flagget?", "Hvem er best i håndball?"
    single = plasser is not None and plasser[0] == plasser[1]
    return Frame(
        sporsmaal=sporsmaal,
        kommuner=kommuner,
        tjeneste=tjeneste,
        tjenester=tuple(tjenester) if len(tjenester) > 1 else (),
        indekstyper=indekstyper,
        aar=aar,
        fra_aar=fra_aar,
        aar_relativt=years.relativt if fra_aar is None and years.fra_relativt is None else None,
        utgave=years.utgave,
        n=n or (ALLE_N if "alle" in form or kart else 1 if "entall" in form or _one_service(form, over_tjenester)
                or _either_or(names, acc, retning) or _which_of_them(form, acc) else None),
        retning=tuple(sorted(retning)),
        kostnadsord="kostnadsord" in form,
        fylke=fylke,
        kostragruppe=kostragruppe,
        finansmaal=finansmaal,
        kostnadsmaal=kostnadsmaal,
        indikatorer=indikatorer,
        endring=question if sporsmaal == "hva_om" else "",
        plass=plasser[0] if single else None,
        plasser=plasser if plasser and not single else None,
        # a word or two that name something ("Vadsø?", "i 2022?"); "hei" names nothing
        oppfolging=("oppfolging" in form and not (kart and sporsmaal))  # "vis kart …" asks anew
        or (len(toks) <= 2 and bool(acc.claims) and not (intents or tjenester or indekstyper)),
        viser_tilbake=viser_tilbake,
        blant_dem="blant_dem" in form and not kommuner,
        kart=kart,
        explicit=frozenset(explicit),
        fylker=tuple(fylker) if len(fylker) > 1 and not kommuner else (),
        sentralitet=sentralitet,
        over_tid="utvikling" in intents,
        maal=maal,
        vilkaar=tuple(vilkaar),
        aggregat=aggregat,
        gruppering=gruppering,
        naboer=naboer,
        sammenligner="sammenlign" in intents or "mot_snitt" in intents,
        med_kommunen=naboer and bool(re.search(r"\bog (?:dei |de |sine |hennar |hans )?nabo", acc.text)),
        over_tjenester=over_tjenester,
        metode=metode,
        alt_lest=not acc.unread(v.is_function_word),
        ord=acc,
    )


def _best_paa(acc: Account) -> bool:
    """ «Hva er Tromsø best på (i kvalitet)?», «kva er dei dårlegast på»: which services."""
    toks = acc.toks
    return toks[:1] in (["hva"], ["kva"]) and any(
        "retning" in acc.claims.get(i, ()) and toks[i + 1] == "pa" and (i + 2 == len(toks) or toks[i + 2] in ("i", "og"))
        for i in range(len(toks) - 1))


def _stems(words) -> set[str]:
    """Word stems for loose comparison: "innbyggerne" and "innbyggernes" share "innbyg"."""
    return {w[:6] if len(w) > 4 else w for w in words if w}


def _name_stems(k: str, ctx: Context) -> set[str]:
    navn = ctx.indikatorer[k].navn if k in ctx.indikatorer else ""
    return _stems(re.findall(r"\w+", fold(navn)))


def _closest_indikatorer(
    found: tuple[str, ...], toks: list[str], tjenester: list[str], ctx: Context, acc: Account
) -> tuple[str, ...]:
    """Where one phrase fits several indicators ("sykefravær", "mobbing", "nasjonale prøver"),
    keep those of the named service, then those whose names share most words with the
    question ("10. trinn", "lesing", "12 ukers frist"). The question's words that are words of
    the chosen indicator's name are claimed by it."""
    switched = bool(found and tjenester and not any(ctx.indikator_tjeneste(k) in tjenester for k in found))
    if switched:
        # "andel barn … i kulturskolen": an indicator of the named service, or none
        found = tuple(k for k, i in ctx.indikatorer.items() if i.tjeneste in tjenester)
        stems_q = _stems(toks)
        found = tuple(k for k in found if len(stems_q & _name_stems(k, ctx)) >= 2)
    if len(found) >= 2:
        in_service = tuple(k for k in found if ctx.indikator_tjeneste(k) in tjenester)
        found = in_service or found
        stems_q = _stems(toks)
        # shared words count most; words of the name the question lacks break ties
        score = {k: 10 * len(stems_q & _name_stems(k, ctx)) - len(_name_stems(k, ctx) - stems_q) for k in found}
        best = max(score.values())
        found = tuple(k for k in found if score[k] == best)
    stems_name = set().union(*(_name_stems(k, ctx) for k in found)) if found else set()
    digits = {d.replace(" ", "") for k in found for d in re.findall(r"\d[\d ]*\d|\d", ctx.indikatorer[k].navn)
              if k in ctx.indikatorer}  # "per 1 000 innbyggere" asked as "per 1000"
    of_name = [i for i, t in enumerate(toks) if t and (_stems([t]) & stems_name or t in digits)]
    if switched:  # the words that named the other service's indicator («fagarbeidere») are not read
        acc.unclaim([i for i in acc.claims if i not in of_name], "indikatorer")
    acc.claim(of_name, "indikatorer")
    return found


def _or_list(items: list[str]) -> str:
    """ "A", "A eller B", "A, B eller C". """
    quoted = [f"«{i}»" for i in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " eller " + quoted[-1]


def _resolve_names(names, fylker: list[str], ctx: Context, acc: Account) -> tuple[str, ...]:
    """The municipalities named, one each; a county named beside a shared name picks one of
    them (its words then belong to the name), and so does the county of a named municipality."""
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
    own = {ctx.register.kommuners_fylke(k) for k in out}
    # «Herøy i Nordland» names which Herøy; «Bergen blant kommunene i Vestland» asks something else
    among = {i for i in names.fylke_at if "blant" in acc.toks[:i]}
    acc.claim([i for i, f in names.fylke_at.items() if f in own and i not in among], "kommuner")
    return tuple(out)


def _kind(intents, form, kommuner, indekstyper, indikatorer, finansmaal, retning, n,
          fylke, kostragruppe, acc: Account, plasser, named_indikatorer) -> Sporsmaal | None:
    """Which kind of question, by the first rule that fits."""
    rank_words = "rangord" in form
    # an amount or man-years make it a what-if; a year or a list size does not
    resources = "ressurs" in form or any(
        t[:1].isdigit() and not YEAR.fullmatch(t) and i not in acc.claims for i, t in enumerate(acc.toks))
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
    if (finansmaal or "nokkeltall" in intents) and not rank_words:
        return "finans"
    if indikatorer and (not rank_words or kommuner and named_indikatorer and not indekstyper):
        return "indikator"  # «Hvilken rang har Asker på grunnskolepoeng?»: the indicator's rank
    if "kostnadsverdi" in intents and not rank_words:
        return "kostnad"
    if "befolkning" in intents and (kommuner or fylke or kostragruppe or retning or n):
        return "befolkning"
    if len(kommuner) > 1 or ("sammenlign" in intents and kommuner):
        return "sammenlign"
    if kommuner:
        return "rang"
    if "liste" in intents or retning or n or fylke or kostragruppe or plasser:
        return "liste"
    return None


def _either_or(names, acc: Account, retning: set[str]) -> bool:
    """ "Har Drammen eller Kongsberg best kvalitet?": one of them, the best ("eller" between
    two names; "bedre eller dårligere enn Hamar" compares them)."""
    spans = sorted(m.span for m in names.matches)
    between = any(acc.toks[a[1]:b[0]] == ["eller"] for a, b in zip(spans, spans[1:]))
    return between and bool(retning & {"best", "verst"})


def _which_of_them(form: set[str], acc: Account) -> bool:
    """ "Hvem av dem er best?", "Kven av nabokommunane …", "Kva nabokommune …": one of them."""
    first = acc.toks[:2]
    return (first[:1] in (["hvem"], ["kven"], ["hvilken"], ["kva"])
            and ("blant_dem" in form or first[1:] == ["av"] or first[1:] in (["nabokommune"], ["nabokommunen"])))


def _one_service(form: set[str], over_tjenester: bool) -> bool:
    """ "Hvor er Alta best?", "Hvilken tjeneste …": one service, not a list of them."""
    return over_tjenester and "tjenester" not in form and "om_tjenester" not in form


def _spec_kind(kind, intents, form, kommuner, vilkaar, aggregat, gruppering, naboer, over_tjenester,
               metode, maal, ctx: Context, retning=frozenset(), n_named=None, sted=False,
               sentralitet=None) -> Sporsmaal | None:
    """The kinds of the semantic layer, where the question asks for one: a method text, a
    municipality's neighbours or services, a grouping, a count or aggregate with conditions, a
    list with conditions, or a measure the older kinds do not answer. None keeps `kind`."""
    asks_numbers = (kommuner or vilkaar or aggregat or gruppering or retning or n_named or sted
                    or kind in ("antall", "snitt"))
    strong = "metodeord" in form and not (kommuner or sted)
    if metode and (strong or ("metodespm" in form and not asks_numbers and not intents & {"befolkning"})):
        return "metode"  # «Hva betyr kvalitetsindeksen?»; «Hva er netto lånegjeld i Bodø?» is a number
    if naboer and kommuner and (maal or aggregat or vilkaar or intents & {"liste", "sammenlign", "befolkning"}):
        return "naboer"  # «Hvor langt er det til nabokommunene?» asks for nothing we hold
    if over_tjenester and len(kommuner) <= 1 and kind in ("rang", "sammenlign", "innsparing", "utvikling", "liste", None):
        return "tjenester"
    if gruppering and not kommuner and (maal or aggregat or vilkaar):
        return "gruppering"  # «kvalitet per fylke»; «Hvilke fylker finnes?» asks for no number
    summing = aggregat == "sum" and not kommuner and kind != "befolkning" and not retning and not n_named and any(
        ctx.katalog.maal[m].enhet in SUMMERBAR for m in maal)  # «samlet innsparingspotensial i Finnmark»
    averaging = aggregat in ("snitt", "median") and not kommuner and kind not in ("snitt", "antall") and maal
    if vilkaar or aggregat in ("andel", "median", "min_maks") or summing or averaging or (sentralitet and not kommuner):
        if aggregat or kind in ("antall", "snitt"):
            return "aggregat"
        return "utvalg"
    groups = {ctx.katalog.maal[m].gruppe for m in maal}
    if groups - OWN_KINDS:  # a measure only the catalogue knows (real accounting figures …)
        return "maal"
    if "utvikling" in intents and kommuner and (kind in AMOUNT_KINDS or (
            kind == "utvikling" and groups - {"indeks"} and not groups & {"indeks"})):
        return "maal"  # the development of an amount, not of a rank
    return None


def _compared_kommuner(names, kommuner: tuple[str, ...], vilkaar: list[Betingelse], maal_hits,
                       acc: Account) -> tuple[tuple[str, ...], list[Betingelse]]:
    """A municipality named at the end of a comparison («bedre kommuneindeks enn Bodø») is the
    threshold of a condition, not what the question is about."""
    for m in names.matches:
        op = compared_to_kommune(acc, m.span)
        if op is None or len(m.kandidater) != 1 or m.kandidater[0] not in kommuner:
            continue
        nearest = [h for h in maal_hits if h.end <= m.span[0]]
        vilkaar.append(Betingelse(nearest[-1].meaning if nearest else None, op, ("kommune", m.kandidater[0])))
        acc.claim(range(max(0, m.span[0] - 5), m.span[1]), "vilkaar")
        named_twice = sum(1 for x in names.matches if x.kandidater == m.kandidater) > 1
        if not named_twice:  # «nabokommunane til Bodø … betre enn Bodø»: Bodø stays the subject
            kommuner = tuple(k for k in kommuner if k != m.kandidater[0])
    return kommuner, vilkaar


def _form(vocabulary, toks: list[str], acc: Account) -> set[str]:
    """How the question is put ([form] of data/ordliste.toml); "oppfolging" and "ordre" count
    only as the first words ("Og i barnehage?", "Sett Bodø på førsteplass"), "tilbake" only as
    the last ("Hvor mange innbyggere har den?")."""
    hits = vocabulary.find("form", toks)
    first = next((i for i, t in enumerate(toks) if t), 0)
    last = max((i + 1 for i, t in enumerate(toks) if t), default=0)
    anchored = {"oppfolging": lambda h: h.start == first, "ordre": lambda h: h.start == first,
                "tilbake": lambda h: h.end == last}
    kept = [h for h in hits if anchored.get(h.meaning, lambda h: True)(h)]
    for h in kept:
        acc.claim(range(h.start, h.end), f"form:{h.meaning}")
    return {h.meaning for h in kept}
