"""Norwegian answer text in the report's own voice, composed from the result rows only."""

from dataclasses import dataclass

from assistant.formatting import antall_kommuner, kroner, liste, prosent, tall, verdi_med_enhet
from assistant.frame import Frame
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


@dataclass(frozen=True)
class Result:
    name: str
    columns: list[str]
    rows: list[list]

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, r)) for r in self.rows]


@dataclass(frozen=True)
class Vocab:
    """What the answer text needs besides the rows: the services' display names and whether the
    numbers are demo data."""

    tjenestenavn: dict[str, str]
    er_demodata: bool


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


def _subject(tjeneste: str, kommune: str, vocab: Vocab) -> str:
    if tjeneste == ALLE:
        return kommune
    return f"{vocab.tjenestenavn[tjeneste]} i {kommune}"


def _headline(rec: dict, vocab: Vocab) -> str:
    subject = _subject(rec["tjeneste"], rec["kommune"], vocab)
    it = rec["indekstype"]
    if rec["rang"] is None:
        return f"{subject} har for lite data til å bli rangert på {INDEKSNAVN[it]}"
    if it == "kommuneindeks":
        return f"{subject} er nr. {rec['rang']} av {rec['antall']} i Kommuneindeksen"
    verb = "er" if it == "effektivitet" else "har"
    return f"{subject} {verb} Norges {rec['rang']}. {RANGORD[it]} av {rec['antall']}"


def _rank_list(records: list[dict]) -> str:
    """ "plass 190 på kostnad og 133 på kvalitet". """
    parts = [f"{r['rang']} på {INDEKSNAVN[r['indekstype']]}" for r in records if r["rang"]]
    return ("plass " + liste(parts)) if parts else ""


def rang_text(frame: Frame, result: Result, vocab: Vocab) -> str:
    """ "Pleie og omsorg i X er Norges 152. mest effektive av 357, med plass 190 på kostnad …" """
    sentences = []
    for kommunenr in frame.kommuner:
        recs = [r for r in result.records() if r["kommunenr"] == kommunenr and r["aar"] == frame.aar]
        if not recs:
            continue
        order = list(frame.indekstyper)
        recs.sort(key=lambda r: order.index(r["indekstype"]))
        head, rest = recs[0], recs[1:]
        text = _headline(head, vocab) + i_aar(head["indekstype"], frame.aar)
        if rest and _rank_list(rest):
            text += f", med {_rank_list(rest)}"
        sentences.append(text + ".")
        compared = [c for c in (sammenlign_gruppe(r["indekstype"], r["verdi"], r["gruppesnitt"])
                                for r in recs if r["indekstype"] in ("kostnad", "kvalitet")) if c]
        if not compared and head["indekstype"] != "kostnad":
            compared = [c for c in [sammenlign_gruppe(head["indekstype"], head["verdi"], head["gruppesnitt"])] if c]
        if compared:
            sentences.append(f"Sammenlignet med snittet i kommunegruppe {head['kostragruppe']} er det {liste(compared)}.")
    if not sentences:
        return f"Jeg fant ingen tall for dette i {frame.aar}."
    return " ".join(sentences)


def utvikling_text(frame: Frame, result: Result, vocab: Vocab) -> str:
    sentences = []
    for kommunenr in frame.kommuner:
        for it in frame.indekstyper:
            recs = sorted(
                (r for r in result.records() if r["kommunenr"] == kommunenr and r["indekstype"] == it),
                key=lambda r: r["aar"],
            )
            if not recs:
                continue
            steps = liste([f"{r['rang'] or 'ikke rangert'} i {r['aar']}" for r in recs])
            subject = _subject(recs[0]["tjeneste"], recs[0]["kommune"], vocab)
            text = f"{subject} på {INDEKSNAVN[it]}: plass {steps} (av {recs[-1]['antall']})."
            first, last = recs[0]["rang"], recs[-1]["rang"]
            if first and last and first != last:
                move = "opp" if last < first else "ned"
                text += f" Det er {abs(first - last)} plasser {move} siden {recs[0]['aar']}."
            sentences.append(text)
    return " ".join(sentences) or "Jeg fant ingen tall for utviklingen."


def liste_text(frame: Frame, result: Result, vocab: Vocab) -> str:
    recs = result.records()
    if not recs:
        return "Ingen kommuner er rangert med disse valgene."
    it = frame.indekstyper[0]
    where = _where(frame)
    if frame.plass:
        names = liste([r["kommune"] for r in recs])
        what = INDEKSNAVN[it] if frame.tjeneste == ALLE else f"{INDEKSNAVN[it]} i {vocab.tjenestenavn[frame.tjeneste].lower()}"
        return f"På plass {frame.plass} på {what} i {aarstekst(frame.aar)}: {names} (indeks {tall(recs[0]['verdi'])})."
    what = INDEKSNAVN[it] if frame.tjeneste == ALLE else f"{INDEKSNAVN[it]} i {vocab.tjenestenavn[frame.tjeneste].lower()}"
    end = "nederst" if frame.verst else "øverst"
    items = [f"{r['kommune']} (nr. {r['rang']}, {tall(r['verdi'])})" for r in recs]
    if len(recs) == 1:
        return f"{recs[0]['kommune']} ligger {end}{where} på {what} i {aarstekst(frame.aar)}: nr. {recs[0]['rang']} av {recs[0]['antall']} med indeks {tall(recs[0]['verdi'])}."
    return (f"Disse {len(recs)} kommunene ligger {end}{where} på {what} i {aarstekst(frame.aar)}: "
            f"{liste(items)}. {recs[0]['antall']} kommuner er rangert.")


def _where(frame: Frame) -> str:
    if frame.fylke:
        return f" i {frame.fylke}"
    if frame.kostragruppe:
        return f" i kommunegruppe {frame.kostragruppe}"
    return " i landet"


def innsparing_text(frame: Frame, result: Result, vocab: Vocab) -> str:
    recs = result.records()
    if not recs:
        return "Jeg fant ingen kostnadstall for dette."
    if not frame.kommuner:
        items = [f"{r['kommune']} ({kroner(r['innsparingspotensial_kr'])})" for r in recs]
        what = "størst" if not frame.verst else "minst"
        return (f"Kommunene med {what} innsparingspotensial{_where(frame)} i {frame.aar}"
                f" ({_service_phrase(frame.tjeneste, vocab)}): {liste(items)}.")
    sentences = []
    for kommunenr in frame.kommuner:
        own = [r for r in recs if r["kommunenr"] == kommunenr]
        focus = next((r for r in own if r["tjeneste"] == frame.tjeneste), None) or next(
            (r for r in own if r["tjeneste"] == ALLE), None)
        if focus is None:
            continue
        kr = focus["innsparingspotensial_kr"]
        what = "" if focus["tjeneste"] == ALLE else f" i {vocab.tjenestenavn[focus['tjeneste']].lower()}"
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
                parts = [f"{vocab.tjenestenavn[r['tjeneste']].lower()} ({kroner(r['innsparingspotensial_kr'])})" for r in top]
                sentences.append(f"Mest å hente i {liste(parts)}.")
    return " ".join(sentences)


def _service_phrase(tjeneste: str, vocab: Vocab) -> str:
    return "alle sju tjenester" if tjeneste == ALLE else vocab.tjenestenavn[tjeneste].lower()


def kostnad_text(frame: Frame, result: Result, vocab: Vocab) -> str:
    recs = result.records()
    if not recs:
        return "Jeg fant ingen kostnadstall for dette."
    if not frame.kommuner:
        maal = frame.kostnadsmaal or "behovskorrigert_kr_per_innbygger"
        navn, skriv = KOSTNADSMAAL.get(maal, (f"målt som {maal}", lambda v: tall(v, 2)))
        items = [f"{r['kommune']} ({skriv(r[maal])})" for r in recs if r.get(maal) is not None]
        what = "minst" if frame.lavest else "mest"
        return (f"Disse kommunene brukte {what} {navn} på "
                f"{_service_phrase(frame.tjeneste, vocab)}{_where(frame)} i {frame.aar}: {liste(items)}.")
    sentences = []
    for kommunenr in frame.kommuner:
        r = next((x for x in recs if x["kommunenr"] == kommunenr and x["tjeneste"] == (
            frame.tjeneste if frame.tjeneste != ALLE else ALLE)), None)
        if r is None or r["kr_per_innbygger"] is None:
            continue
        what = _service_phrase(r["tjeneste"], vocab)
        sentences.append(
            f"{r['kommune']} brukte {tall(r['kr_per_innbygger'], 0)} kr per innbygger på {what} i {r['aar']} "
            f"(netto driftsutgifter uten arbeidsgiveravgift, til sammen {kroner(r['netto_driftsutgifter_kr'])}).")
        sentences.append(
            f"Justert for behov (behovsindeks {tall(r['behovsindeks'])}) er det {tall(r['behovskorrigert_kr_per_innbygger'], 0)} kr, "
            f"mot {tall(r['gruppesnitt_kr_per_innbygger'], 0)} kr i snitt i kommunegruppe {r['kostragruppe']}.")
    return " ".join(sentences) or "Jeg fant ingen kostnadstall for dette."


def finans_text(frame: Frame, result: Result, vocab: Vocab) -> str:
    recs = result.records()
    if not recs:
        return "Jeg fant ingen økonomitall for dette."
    maal = frame.finansmaal or tuple(FINANSNAVN)
    if not frame.kommuner:
        m = maal[0]
        items = [f"{r['kommune']} ({prosent(r[m])})" for r in recs]
        what = "lavest" if frame.lavest else "høyest"
        return f"Kommunene med {what} {FINANSNAVN[m]}{_where(frame)} i {frame.aar}, i prosent av brutto driftsinntekter: {liste(items)}."
    sentences = []
    for kommunenr in frame.kommuner:
        r = next((x for x in recs if x["kommunenr"] == kommunenr and x["aar"] == frame.aar), None)
        if r is None:
            continue
        parts = [f"{FINANSNAVN[m]} {prosent(r[m])} (gruppesnitt {prosent(r[FINANS_GRUPPE[m]])})"
                 for m in maal if r[m] is not None]
        if parts:
            sentences.append(f"{r['kommune']} hadde i {r['aar']} {liste(parts)}, i prosent av brutto driftsinntekter.")
    return " ".join(sentences) or "Jeg fant ingen økonomitall for dette."


def indikator_text(frame: Frame, result: Result, vocab: Vocab) -> str:
    recs = result.records()
    if not recs:
        return "Jeg fant ingen tall for den indikatoren."
    if not frame.kommuner:
        items = [f"{r['kommune']} ({verdi_med_enhet(r['verdi'], r['enhet'])})" for r in recs]
        if "hoy" in frame.retning or "lav" in frame.retning:
            end = "lavest" if "lav" in frame.retning else "høyest"
            return f"{recs[0]['navn']}: disse kommunene har {end} verdi{_where(frame)} i {frame.aar}: {liste(items)}."
        end = "svakest" if frame.verst else "best"
        return f"{recs[0]['navn']}: disse kommunene ligger {end} an{_where(frame)} i {frame.aar}: {liste(items)}."
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


def antall_text(frame: Frame, result: Result, vocab: Vocab) -> str:
    recs = result.records()
    if not recs:
        return "Jeg fant ingen rangering for dette."
    r = recs[0]
    if result.name == "antall_kommuner":
        return f"Det er {r['antall_kommuner']} kommuner{_where(frame)} (inndelingen fra 2024)."
    what = INDEKSNAVN[r["indekstype"]] if r["tjeneste"] == ALLE else f"{INDEKSNAVN[r['indekstype']]} i {vocab.tjenestenavn[r['tjeneste']].lower()}"
    return (f"{r['antall']} av {r['kommuner_i_alt']} kommuner er rangert på {what} i {aarstekst(r['aar'])}. "
            "Kommuner med for lite data blir ikke rangert.")


def snitt_text(frame: Frame, result: Result, vocab: Vocab) -> str:
    recs = result.records()
    if not recs or recs[0]["snitt"] is None:
        return "Jeg fant ingen kommuner med tall for dette."
    r = recs[0]
    where = _where(frame).replace(" i landet", " for hele landet")
    if result.name == "snitt_finans":
        navn = FINANSNAVN[frame.finansmaal[0]]
        return (f"Gjennomsnittlig {navn}{where} er {prosent(r['snitt'])} av brutto driftsinntekter i {r['aar']} "
                f"({antall_kommuner(r['antall_kommuner'])}, fra {prosent(r['lavest'])} til {prosent(r['hoyest'])}).")
    if result.name == "snitt_kostnad":
        hva = "behovskorrigerte utgifter" if not frame.kostnadsmaal or "behov" in frame.kostnadsmaal else "utgifter"
        return (f"Gjennomsnittlige {hva} per innbygger til {_service_phrase(r['tjeneste'], vocab)}{where} "
                f"er {tall(r['snitt'], 0)} kr i {r['aar']} ({antall_kommuner(r['antall_kommuner'])}, fra "
                f"{tall(r['lavest'], 0)} til {tall(r['hoyest'], 0)} kr).")
    if result.name == "snitt_indikator":
        return (f"Gjennomsnittet for {r['navn'].lower()}{where} er {verdi_med_enhet(r['snitt'], r['enhet'])} i {r['aar']} "
                f"({antall_kommuner(r['antall_kommuner'])}, fra {verdi_med_enhet(r['lavest'], r['enhet'])} "
                f"til {verdi_med_enhet(r['hoyest'], r['enhet'])}).")
    what = f"{INDEKSNAVN[r['indekstype']]}sindeks" if r["indekstype"] not in ("kommuneindeks",) else "Kommuneindeks"
    if r["tjeneste"] != ALLE:
        what += f" i {vocab.tjenestenavn[r['tjeneste']].lower()}"
    return (f"Gjennomsnittlig {what}{where} er {tall(r['snitt'])} i {r['aar']} "
            f"({antall_kommuner(r['antall_kommuner'])}, fra {tall(r['lavest'])} til {tall(r['hoyest'])}; 1,00 er landsgjennomsnittet).")


def befolkning_text(frame: Frame, result: Result, vocab: Vocab) -> str:
    recs = result.records()
    if result.name == "befolkning_sum" and recs:
        r = recs[0]
        return (f"Kommunene{_where(frame)} hadde til sammen {tall(r['innbyggere'], 0)} innbyggere ved "
                f"utgangen av {r['aar']} ({antall_kommuner(r['antall_kommuner'])}).")
    if result.name == "befolkning_liste" and recs:
        what = "minste" if frame.lavest else "største"
        items = [f"{r['kommune']} ({tall(r['innbyggere'], 0)})" for r in recs]
        return f"De {len(recs)} {what} kommunene{_where(frame)} etter folketall ved utgangen av {frame.aar}: {liste(items)}."
    sentences = []
    for kommunenr in frame.kommuner:
        r = next((x for x in recs if x["kommunenr"] == kommunenr), None)
        if r:
            sentences.append(f"{r['kommune']} hadde {tall(r['innbyggere'], 0)} innbyggere ved utgangen av {r['aar']}.")
    return " ".join(sentences) or "Jeg fant ingen befolkningstall for dette."


def forklaring_text(frame: Frame, results: list[Result], vocab: Vocab) -> str:
    rang, indikatorer = results[0], results[1]
    kommunenr = frame.kommuner[0]
    recs = [r for r in rang.records() if r["kommunenr"] == kommunenr]
    now = [r for r in recs if r["aar"] == frame.aar]
    before = {r["indekstype"]: r for r in recs if r["aar"] == frame.aar - 1}
    sentences = []
    if now:
        order = list(frame.indekstyper)
        now.sort(key=lambda r: order.index(r["indekstype"]))
        head = now[0]
        text = _headline(head, vocab) + i_aar(head["indekstype"], frame.aar)
        prev = before.get(head["indekstype"])
        if prev and prev["rang"] and head["rang"]:
            diff = prev["rang"] - head["rang"]
            text += (f", {abs(diff)} plasser {'opp' if diff > 0 else 'ned'} fra {frame.aar - 1}"
                     if diff else f", samme plass som i {frame.aar - 1}")
        sentences.append(text + ".")
        if _rank_list(now[1:]):
            sentences.append(f"Delindeksene: {_rank_list(now[1:])}.")
    ind = indikatorer.records()
    if ind:
        up = [r for r in ind if r["skaar"] > 0][:3]
        down = [r for r in reversed(ind) if r["skaar"] < 0][:3]
        if up:
            sentences.append("Trekker opp: " + liste([_indicator_phrase(r) for r in up]) + ".")
        if down:
            sentences.append("Trekker ned: " + liste([_indicator_phrase(r) for r in down]) + ".")
    if len(results) > 2:
        k = next((r for r in results[2].records() if r["tjeneste"] == frame.tjeneste), None)
        if k and k["behovskorrigert_kr_per_innbygger"] and k["gruppesnitt_kr_per_innbygger"]:
            pct = 100 * (k["behovskorrigert_kr_per_innbygger"] / k["gruppesnitt_kr_per_innbygger"] - 1)
            word = "høyere" if pct > 0 else "lavere"
            sentences.append(
                f"Behovskorrigert bruker kommunen {tall(abs(pct), 1)} % {word} beløp per innbygger enn snittet i "
                f"kommunegruppe {k['kostragruppe']} ({tall(k['behovskorrigert_kr_per_innbygger'], 0)} mot "
                f"{tall(k['gruppesnitt_kr_per_innbygger'], 0)} kr).")
    return " ".join(sentences) or "Jeg fant ikke nok tall til å forklare plasseringen."


def _indicator_phrase(r: dict) -> str:
    """ "legetimer per uke … (0,56 timer; landet 0,67, kommunegruppen 0,62)". """
    enhet = r["enhet"]
    return (f"{r['navn'].lower()} ({verdi_med_enhet(r['verdi'], enhet)}; landet "
            f"{verdi_med_enhet(r['landssnitt'], enhet)}, kommunegruppen {verdi_med_enhet(r['gruppesnitt'], enhet)})")


DEMO_NOTE = " Merk: tallene er demodata, ikke ekte KOSTRA-tall."


def demo_note(vocab: Vocab) -> str:
    return DEMO_NOTE if vocab.er_demodata else ""


def fakta_text(frame: Frame, result: Result, vocab: Vocab) -> str:
    """ "Kautokeino (5612) ligger i Finnmark, i KOSTRA-gruppe 6, med sentralitet 6." """
    return " ".join(
        f"{r['kommune']} (kommunenummer {r['kommunenr']}, offisielt navn «{r['offisielt_navn']}») ligger i "
        f"{r['fylke']}, er i KOSTRA-gruppe {r['kostragruppe']} og har sentralitet {r['sentralitet']} "
        "(1 er mest sentral, 6 minst)."
        for r in result.records()
    )


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
}


def compose(frame: Frame, results: list[Result], vocab: Vocab) -> str:
    """The answer text for a frame and its query results, with the demo-data note."""
    if frame.sporsmaal == "forklaring":
        text = forklaring_text(frame, results, vocab)
    else:
        text = TEXTS[frame.sporsmaal](frame, results[0], vocab)
    return text + demo_note(vocab)


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
