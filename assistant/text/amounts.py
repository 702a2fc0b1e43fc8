"""Answer texts for questions about amounts and facts: savings, spending, key figures,
indicators, counts, averages, population and the register."""

from typing import NoReturn

from assistant.errors import NotUnderstood
from assistant.query.execute import Result
from assistant.text.formatting import antall_kommuner, kroner, liste, prosent, tall, verdi_med_enhet
from assistant.text.phrases import (
    FINANS_GRUPPE,
    FINANSNAVN,
    INDEKSNAVN,
    KOSTNADSMAAL,
    aarstekst,
    place_phrase,
    service_phrase,
)
from assistant.understand.context import Context
from assistant.understand.frame import EKSEMPLER, Frame
from scoring.contract import ALLE, KOSTNADSTJENESTER


def no_figures(what: str) -> NoReturn:
    """A figure that is not in the database is a refusal, not an answer with status ok."""
    raise NotUnderstood(f"Jeg fant ingen {what}. Prøv for eksempel:", list(EKSEMPLER[:3]))


def innsparing_text(frame: Frame, result: Result, ctx: Context) -> str:
    recs = result.records()
    if not recs:
        no_figures("kostnadstall for dette")
    if not frame.kommuner:
        items = [f"{r['kommune']} ({kroner(r['innsparingspotensial_kr'])})" for r in recs]
        what = "størst" if not frame.verst else "minst"
        return (f"Kommunene med {what} innsparingspotensial{place_phrase(frame)} i {frame.aar}"
                f" ({service_phrase(frame.tjeneste, ctx)}): {liste(items)}.")
    sentences = []
    for kommunenr in frame.kommuner:
        own = [r for r in recs if r["kommunenr"] == kommunenr]
        focus = next((r for r in own if r["tjeneste"] == frame.tjeneste), None) or next(
            (r for r in own if r["tjeneste"] == ALLE), None)
        if focus is None:
            continue
        kr = focus["innsparingspotensial_kr"]
        what = "" if focus["tjeneste"] == ALLE else f" i {ctx.tjenestenavn[focus['tjeneste']].lower()}"
        if kr is None:
            sentences.append(f"{focus['kommune']} mangler kostnadstall{what} i {focus['aar']}.")
            continue
        if kr >= 0:
            sentences.append(
                f"{focus['kommune']} kunne spart {kroner(kr)}{what} i {focus['aar']} ved å bruke like mye "
                f"per innbygger (behovskorrigert) som snittet i kommunegruppe {focus['kostragruppe']}.")
        else:
            sentences.append(
                f"{focus['kommune']} bruker {kroner(-kr)} mindre{what} enn om den hadde brukt like mye "
                f"per innbygger (behovskorrigert) som snittet i kommunegruppe {focus['kostragruppe']} ({focus['aar']}).")
        if focus["tjeneste"] == ALLE:
            top = [r for r in own if r["tjeneste"] != ALLE and (r["innsparingspotensial_kr"] or 0) > 0][:2]
            if top:
                parts = [f"{ctx.tjenestenavn[r['tjeneste']].lower()} ({kroner(r['innsparingspotensial_kr'])})" for r in top]
                sentences.append(f"Mest å hente i {liste(parts)}.")
    return " ".join(sentences)


def kostnad_text(frame: Frame, result: Result, ctx: Context) -> str:
    if frame.tjeneste != ALLE and frame.tjeneste not in KOSTNADSTJENESTER:
        tjenester = liste([ctx.tjenestenavn[t].lower() for t in KOSTNADSTJENESTER])
        no_figures(f"utgifter for {ctx.tjenestenavn[frame.tjeneste].lower()}; jeg har utgiftene for {tjenester}")
    recs = result.records()
    if not recs:
        no_figures("kostnadstall for dette")
    if not frame.kommuner:
        maal = frame.kostnadsmaal or "behovskorrigert_kr_per_innbygger"
        navn, skriv = KOSTNADSMAAL.get(maal, (f"målt som {maal}", lambda v: tall(v, 2)))
        items = [f"{r['kommune']} ({skriv(r[maal])})" for r in recs if r.get(maal) is not None]
        what = "minst" if frame.lavest else "mest"
        return (f"Disse kommunene brukte {what} {navn} på "
                f"{service_phrase(frame.tjeneste, ctx)}{place_phrase(frame)} i {frame.aar}: {liste(items)}.")
    sentences = []
    for kommunenr in frame.kommuner:
        r = next((x for x in recs if x["kommunenr"] == kommunenr and x["tjeneste"] == (
            frame.tjeneste if frame.tjeneste != ALLE else ALLE)), None)
        if r is None or r["kr_per_innbygger"] is None:
            continue
        what = service_phrase(r["tjeneste"], ctx)
        ssb = r.get("ssb_kr_per_innbygger")
        if ssb is not None:  # SSB's own figure first: what the municipality's accounts say
            sentences.append(
                f"{r['kommune']} brukte {tall(ssb, 0)} kr per innbygger på {what} i {r['aar']} "
                f"(netto driftsutgifter i KOSTRA, til sammen {kroner(r['ssb_netto_driftsutgifter_kr'])}).")
            if abs(ssb - r["kr_per_innbygger"]) >= 1:
                sentences.append(f"Uten arbeidsgiveravgift, slik indeksen regner, er det {tall(r['kr_per_innbygger'], 0)} kr.")
        else:
            sentences.append(
                f"{r['kommune']} brukte {tall(r['kr_per_innbygger'], 0)} kr per innbygger på {what} i {r['aar']} "
                f"(netto driftsutgifter uten arbeidsgiveravgift, til sammen {kroner(r['netto_driftsutgifter_kr'])}).")
        sentences.append(
            f"Justert for behov (behovsindeks {tall(r['behovsindeks'])}) er det {tall(r['behovskorrigert_kr_per_innbygger'], 0)} kr, "
            f"mot {tall(r['gruppesnitt_kr_per_innbygger'], 0)} kr i snitt i kommunegruppe {r['kostragruppe']}.")
    return " ".join(sentences) or no_figures("kostnadstall for dette")


def finans_text(frame: Frame, result: Result, ctx: Context) -> str:
    recs = result.records()
    if not recs:
        no_figures("økonomitall for dette")
    maal = frame.finansmaal or tuple(FINANSNAVN)
    if not frame.kommuner:
        m = maal[0]
        items = [f"{r['kommune']} ({prosent(r[m])})" for r in recs]
        what = "lavest" if frame.lavest else "høyest"
        return f"Kommunene med {what} {FINANSNAVN[m]}{place_phrase(frame)} i {frame.aar}, i prosent av brutto driftsinntekter: {liste(items)}."
    sentences = []
    for kommunenr in frame.kommuner:
        r = next((x for x in recs if x["kommunenr"] == kommunenr and x["aar"] == frame.aar), None)
        if r is None:
            continue
        parts = [f"{FINANSNAVN[m]} {prosent(r[m])} (gruppesnitt {prosent(r[FINANS_GRUPPE[m]])})"
                 for m in maal if r[m] is not None]
        if parts:
            sentences.append(f"{r['kommune']} hadde i {r['aar']} {liste(parts)}, i prosent av brutto driftsinntekter.")
    vinner = finans_vinner(frame, recs)
    if vinner is not None:  # «har Askøy eller Øygarden lavest netto lånegjeld?»: say which
        m = frame.finansmaal[0]
        sentences.append(f"{'Lavest' if frame.lavest else 'Høyest'} {FINANSNAVN[m]} av dem har {vinner['kommune']}.")
    return " ".join(sentences) or no_figures("økonomitall for dette")


def finans_vinner(frame: Frame, recs: list[dict]) -> dict | None:
    """The one of several named municipalities a question of one key figure and a direction
    asks for («hvem av Askøy og Øygarden har lavest netto lånegjeld»), or None."""
    if len(frame.kommuner) < 2 or not frame.retning or not frame.finansmaal:
        return None
    m = frame.finansmaal[0]
    own = [r for r in recs if r["kommunenr"] in frame.kommuner and r["aar"] == frame.aar and r[m] is not None]
    return (min if frame.lavest else max)(own, key=lambda r: r[m]) if own else None


def indikator_text(frame: Frame, result: Result, ctx: Context) -> str:
    recs = result.records()
    if not recs:
        no_figures("tall for den indikatoren")
    if not frame.kommuner:
        items = [f"{r['kommune']} ({verdi_med_enhet(r['verdi'], r['enhet'])})" for r in recs]
        if "hoy" in frame.retning or "lav" in frame.retning:
            end = "lavest" if "lav" in frame.retning else "høyest"
            return f"{recs[0]['navn']}: disse kommunene har {end} verdi{place_phrase(frame)} i {frame.aar}: {liste(items)}."
        end = "svakest" if frame.verst else "best"
        return f"{recs[0]['navn']}: disse kommunene ligger {end} an{place_phrase(frame)} i {frame.aar}: {liste(items)}."
    sentences = []
    for r in recs:
        if r["verdi"] is None:
            sentences.append(f"{r['navn']} mangler for {r['kommune']} i {r['aar']}.")
            continue
        sentences.append(
            f"{r['navn']} i {r['kommune']} var {verdi_med_enhet(r['verdi'], r['enhet'])} i {r['aar']}, "
            f"nr. {r['rang']} av {r['antall']} (landssnitt {verdi_med_enhet(r['landssnitt'], r['enhet'])}, "
            f"snitt i kommunegruppe {r['kostragruppe']} {verdi_med_enhet(r['gruppesnitt'], r['enhet'])}).")
    return " ".join(sentences)


def antall_text(frame: Frame, result: Result, ctx: Context) -> str:
    recs = result.records()
    if not recs:
        return "Jeg fant ingen rangering for dette."
    r = recs[0]
    if result.name == "antall_kommuner":
        return f"Det er {antall_kommuner(r['antall_kommuner'])}{place_phrase(frame)} (inndelingen fra 2024)."
    what = INDEKSNAVN[r["indekstype"]] if r["tjeneste"] == ALLE else f"{INDEKSNAVN[r['indekstype']]} i {ctx.tjenestenavn[r['tjeneste']].lower()}"
    return (f"{r['antall']} av {r['kommuner_i_alt']} kommuner er rangert på {what} i {aarstekst(r['aar'])}. "
            "Kommuner med for lite data blir ikke rangert.")


def snitt_text(frame: Frame, result: Result, ctx: Context) -> str:
    recs = result.records()
    if not recs or recs[0]["snitt"] is None:
        return "Jeg fant ingen kommuner med tall for dette."
    r = recs[0]
    where = place_phrase(frame).replace(" i landet", " for hele landet")
    if result.name == "snitt_finans":
        navn = FINANSNAVN[frame.finansmaal[0]]
        return (f"Gjennomsnittlig {navn}{where} er {prosent(r['snitt'])} av brutto driftsinntekter i {r['aar']} "
                f"({antall_kommuner(r['antall_kommuner'])}, fra {prosent(r['lavest'])} til {prosent(r['hoyest'])}).")
    if result.name == "snitt_kostnad":
        hva = "behovskorrigerte utgifter" if not frame.kostnadsmaal or "behov" in frame.kostnadsmaal else "utgifter"
        return (f"Gjennomsnittlige {hva} per innbygger til {service_phrase(r['tjeneste'], ctx)}{where} "
                f"er {tall(r['snitt'], 0)} kr i {r['aar']} ({antall_kommuner(r['antall_kommuner'])}, fra "
                f"{tall(r['lavest'], 0)} til {tall(r['hoyest'], 0)} kr).")
    if result.name == "snitt_indikator":
        return (f"Gjennomsnittet for {r['navn'].lower()}{where} er {verdi_med_enhet(r['snitt'], r['enhet'])} i {r['aar']} "
                f"({antall_kommuner(r['antall_kommuner'])}, fra {verdi_med_enhet(r['lavest'], r['enhet'])} "
                f"til {verdi_med_enhet(r['hoyest'], r['enhet'])}).")
    what = f"{INDEKSNAVN[r['indekstype']]}sindeks" if r["indekstype"] not in ("kommuneindeks",) else "Kommuneindeks"
    if r["tjeneste"] != ALLE:
        what += f" i {ctx.tjenestenavn[r['tjeneste']].lower()}"
    return (f"Gjennomsnittlig {what}{where} er {tall(r['snitt'])} i {r['aar']} "
            f"({antall_kommuner(r['antall_kommuner'])}, fra {tall(r['lavest'])} til {tall(r['hoyest'])}; 1,00 er landsgjennomsnittet).")


def befolkning_text(frame: Frame, result: Result, ctx: Context) -> str:
    recs = result.records()
    if result.name == "befolkning_sum" and recs:
        r = recs[0]
        return (f"Kommunene{place_phrase(frame)} hadde til sammen {tall(r['innbyggere'], 0)} innbyggere ved "
                f"utgangen av {r['aar']} ({antall_kommuner(r['antall_kommuner'])}).")
    if result.name == "befolkning_liste" and recs:
        what = "minste" if frame.lavest else "største"
        items = [f"{r['kommune']} ({tall(r['innbyggere'], 0)})" for r in recs]
        if len(recs) == 1:
            r = recs[0]
            return (f"Den {what} kommunen{place_phrase(frame)} etter folketall ved utgangen av {frame.aar} "
                    f"er {r['kommune']}, med {tall(r['innbyggere'], 0)} innbyggere.")
        return f"De {len(recs)} {what} kommunene{place_phrase(frame)} etter folketall ved utgangen av {frame.aar}: {liste(items)}."
    sentences = []
    for kommunenr in frame.kommuner:
        r = next((x for x in recs if x["kommunenr"] == kommunenr), None)
        if r:
            sentences.append(f"{r['kommune']} hadde {tall(r['innbyggere'], 0)} innbyggere ved utgangen av {r['aar']}.")
    return " ".join(sentences) or no_figures("befolkningstall for dette")


def fakta_text(frame: Frame, result: Result, ctx: Context) -> str:
    """ "Kautokeino (5612) ligger i Finnmark, i KOSTRA-gruppe 6, med sentralitet 6." """
    return " ".join(
        f"{r['kommune']} (kommunenummer {r['kommunenr']}, offisielt navn «{r['offisielt_navn']}») ligger i "
        f"{r['fylke']}, er i KOSTRA-gruppe {r['kostragruppe']} og har sentralitet {r['sentralitet']} "
        "(1 er mest sentral, 6 minst)."
        for r in result.records()
    )
