"""Answer texts about ranks, in the report's own voice and from the result rows only: where a
municipality stands, comparisons, lists, development, rank changes and explanations."""

from assistant.query.execute import Result
from assistant.text.formatting import liste, tall, verdi_med_enhet
from assistant.text.phrases import (
    INDEKSNAVN,
    RANGORD,
    aarstekst,
    i_aar,
    list_measure,
    place_phrase,
    punkter,
    sammenlign_gruppe,
)
from assistant.understand.context import Context
from assistant.understand.frame import Frame
from scoring.contract import ALLE


def _subject(tjeneste: str, kommune: str, ctx: Context) -> str:
    if tjeneste == ALLE:
        return kommune
    return f"{ctx.tjenestenavn[tjeneste]} i {kommune}"


def _headline(rec: dict, ctx: Context) -> str:
    subject = _subject(rec["tjeneste"], rec["kommune"], ctx)
    it = rec["indekstype"]
    if rec["rang"] is None:
        return f"{subject} har for lite data til å bli rangert på {INDEKSNAVN[it]}"
    if it == "kommuneindeks":
        return f"{subject} er nr. {rec['rang']} av {rec['antall']} kommuner"
    verb = "er" if it == "effektivitet" else "har"
    return f"{subject} {verb} Norges {rec['rang']}. {RANGORD[it]} av {rec['antall']}"


def _rank_list(records: list[dict]) -> str:
    """ "plass 190 på kostnad og 133 på kvalitet". """
    parts = [f"{r['rang']} på {INDEKSNAVN[r['indekstype']]}" for r in records if r["rang"]]
    return ("plass " + liste(parts)) if parts else ""


def rang_text(frame: Frame, result: Result, ctx: Context) -> str:
    """ "Pleie og omsorg i X er Norges 152. mest effektive av 357, med plass 190 på kostnad …" """
    sentences = []
    for kommunenr in frame.kommuner:
        recs = [r for r in result.records() if r["kommunenr"] == kommunenr and r["aar"] == frame.aar]
        if not recs:
            continue
        order = list(frame.indekstyper)
        recs.sort(key=lambda r: order.index(r["indekstype"]))
        head, rest = recs[0], recs[1:]
        text = _headline(head, ctx) + i_aar(frame.aar)
        if rest and _rank_list(rest):
            text += f", med {_rank_list(rest)}"
        sentences.append(text + ".")
        sentences.append(_against_national(head))
        compared = [c for c in (sammenlign_gruppe(r["indekstype"], r["verdi"], r["gruppesnitt"])
                                for r in recs if r["indekstype"] in ("kostnad", "kvalitet")) if c]
        if not compared and head["indekstype"] != "kostnad":
            compared = [c for c in [sammenlign_gruppe(head["indekstype"], head["verdi"], head["gruppesnitt"])] if c]
        if compared:
            sentences.append(f"Sammenlignet med snittet i kommunegruppe {head['kostragruppe']} er det {liste(compared)}.")
    if not sentences:
        return f"Jeg fant ingen tall for dette i {frame.aar}."
    if len(frame.kommuner) > 1:
        sentences.append(_best_of(frame, result))
    return " ".join(s for s in sentences if s)


def _against_national(rec: dict) -> str:
    """ "Indeksen er 0,96, under landssnittet på 1,00." (indices are read against the country)"""
    v = rec["verdi"]
    if v is None:
        return ""
    where = "over" if v > 1.005 else "under" if v < 0.995 else "omtrent på"
    navn = {"kommuneindeks": "Kommuneindeksen", "kostnad": "Kostnadsindeksen", "kvalitet": "Kvalitetsindeksen",
            "effektivitet": "Effektivitetsindeksen", "finans": "Finansindeksen"}[rec["indekstype"]]
    return f"{navn} er {tall(v)}, {where} landssnittet på 1,00."


def _best_of(frame: Frame, result: Result) -> str:
    """ "Best av dem på økonomi er Hamar (plass 219)." for a comparison of municipalities."""
    it = frame.indekstyper[0]
    ranked = [r for r in result.records() if r["aar"] == frame.aar and r["indekstype"] == it and r["rang"]]
    if len(ranked) < 2:
        return ""
    best = min(ranked, key=lambda r: r["rang"])
    return f"Best av dem på {INDEKSNAVN[it]} er {best['kommune']} (plass {best['rang']})."


def utvikling_text(frame: Frame, result: Result, ctx: Context) -> str:
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
            subject = _subject(recs[0]["tjeneste"], recs[0]["kommune"], ctx)
            text = f"{subject} på {INDEKSNAVN[it]}: plass {steps} (av {recs[-1]['antall']})."
            first, last = recs[0]["rang"], recs[-1]["rang"]
            if first and last and first != last:
                move = "opp" if last < first else "ned"
                text += f" Det er {abs(first - last)} plasser {move} siden {recs[0]['aar']}."
            sentences.append(text)
    return " ".join(sentences) or "Jeg fant ingen tall for utviklingen."


def liste_text(frame: Frame, result: Result, ctx: Context) -> str:
    recs = result.records()
    if not recs:
        return "Ingen kommuner er rangert med disse valgene."
    it = frame.indekstyper[0]
    where = place_phrase(frame)
    what = INDEKSNAVN[it] if frame.tjeneste == ALLE else f"{INDEKSNAVN[it]} i {ctx.tjenestenavn[frame.tjeneste].lower()}"
    if frame.plass:
        names = liste([r["kommune"] for r in recs])
        return f"På plass {frame.plass}{where} på {what} i {aarstekst(frame.aar)}: {names} (indeks {tall(recs[0]['verdi'])})."
    if frame.plasser:
        items = [f"{r['kommune']} (nr. {r['rang']}, {tall(r['verdi'])})" for r in recs]
        fra, til = frame.plasser
        return (f"Plass {fra} til {til}{where} på {what} i {aarstekst(frame.aar)}: {liste(items)}. "
                f"{recs[0]['antall']} kommuner er rangert.")
    end = "nederst" if frame.verst else "øverst"
    items = [f"{r['kommune']} (nr. {r['rang']}, indeks {tall(r['verdi'])})" for r in recs]
    if len(recs) == 1:
        return f"{recs[0]['kommune']} ligger {end}{where} på {what} i {aarstekst(frame.aar)}: nr. {recs[0]['rang']} av {recs[0]['antall']} med indeks {tall(recs[0]['verdi'])}."
    return (f"Disse {len(recs)} kommunene ligger {end}{where} på {what} i {aarstekst(frame.aar)}: "
            f"{liste(items)}. {recs[0]['antall']} kommuner er rangert.")


def kart_text(frame: Frame, result: Result, ctx: Context) -> str:
    """ "Kartet viser indeksverdi for 357 kommuner i landet i 2024 (…). Øverst: A (nr. 1) …" """
    recs = result.records()
    measure = list_measure(frame, ctx)
    if not recs or measure is None:
        return "Jeg fant ingen kommuner med tall for dette kartet."
    label = measure[1][:1].lower() + measure[1][1:]
    year = i_aar(frame.aar) if frame.sporsmaal in ("liste", "endring") else f" i {frame.aar}"
    text = f"Kartet viser {label} for {len(recs)} kommuner{place_phrase(frame)}{year}."

    def named(rs: list[dict]) -> str:
        return liste([f"{r['kommune']} (nr. {r['rang']})" if r.get("rang") else r["kommune"] for r in rs])

    if len(recs) > 6:
        text += f" Øverst i lista: {named(recs[:3])}. Nederst: {named(recs[-3:])}."
    if ctx.kart is None:
        text += " Kartet mangler i denne databasen; bygg den på nytt med «kommuneindeks build»."
    return text


def endring_text(frame: Frame, result: Result, ctx: Context) -> str:
    """ "Disse kommunene klatret mest …: Tana (fra 150 til 88, 62 plasser opp)". """
    recs = result.records()
    if not recs:
        return "Jeg fant ingen kommuner som var rangert begge årene."
    it = frame.indekstyper[0]
    what = INDEKSNAVN[it] if frame.tjeneste == ALLE else f"{INDEKSNAVN[it]} i {ctx.tjenestenavn[frame.tjeneste].lower()}"
    verb = "falt mest" if frame.verst else "klatret mest"
    items = [
        f"{r['kommune']} (fra {r['rang_fra']} til {r['rang_til']}, {abs(r['plasser_opp'])} plasser "
        f"{'opp' if r['plasser_opp'] >= 0 else 'ned'})"
        for r in recs
    ]
    who = "Disse kommunene" if len(recs) > 1 else "Kommunen som"
    return f"{who} {verb}{place_phrase(frame)} på {what} fra {frame.fra_aar} til {frame.aar}: {liste(items)}."


def forklaring_text(frame: Frame, results: list[Result], ctx: Context) -> str:
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
        text = _headline(head, ctx) + i_aar(frame.aar)
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
            sentences.append(punkter("Trekker opp:", [_indicator_phrase(r) for r in up]))
        if down:
            sentences.append(punkter("Trekker ned:", [_indicator_phrase(r) for r in down]))
    if len(results) > 2:
        k = next((r for r in results[2].records() if r["tjeneste"] == frame.tjeneste), None)
        if k and k["behovskorrigert_kr_per_innbygger"] and k["gruppesnitt_kr_per_innbygger"]:
            pct = 100 * (k["behovskorrigert_kr_per_innbygger"] / k["gruppesnitt_kr_per_innbygger"] - 1)
            word = "høyere" if pct > 0 else "lavere"
            sentences.append(
                f"Behovskorrigert bruker kommunen {tall(abs(pct), 1)} % {word} beløp per innbygger enn snittet i "
                f"kommunegruppe {k['kostragruppe']}: {tall(k['behovskorrigert_kr_per_innbygger'], 0)} mot "
                f"{tall(k['gruppesnitt_kr_per_innbygger'], 0)} kr.")
    # a short list, one line each: the headline, the sub-indices, what pulls up and down
    return "\n".join(sentences) or "Jeg fant ikke nok tall til å forklare plasseringen."


def _indicator_phrase(r: dict) -> str:
    """ "Legetimer per uke …: 0,56 timer, landet 0,67 timer, kommunegruppen 0,62 timer" (one line
    of a list, so the indicator's own brackets are the only ones). """
    enhet = r["enhet"]
    return (f"{r['navn']}: {verdi_med_enhet(r['verdi'], enhet)}, landet "
            f"{verdi_med_enhet(r['landssnitt'], enhet)}, kommunegruppen {verdi_med_enhet(r['gruppesnitt'], enhet)}")
