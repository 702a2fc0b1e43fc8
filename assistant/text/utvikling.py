"""Answer texts over time: a development year by year, and the change between two years."""

from assistant.query.spec import QuerySpec
from assistant.text.formatting import liste
from assistant.text.tolkning import aar_tekst, maal_navn, smaa, sted
from assistant.text.verdier import (
    differanse,
    dom,
    in_spec_order,
    maal_of,
    opplisting,
    verdi_tekst,
)
from assistant.understand.context import Context


def utvikling_text(spec: QuerySpec, recs: list[dict], ctx: Context) -> str:
    """A development: «Netto driftsresultat i Bodø: 1,2 % i 2022, 2,3 % i 2023 og 0,5 % i 2024;
    0,7 prosentpoeng ned fra 2022 (dårligere).»"""
    series: dict[tuple, list[dict]] = {}
    for r in in_spec_order(spec, recs, ctx):
        series.setdefault((r["kommunenr"], r["maal"], r["tjeneste"]), []).append(r)
    sentences = []
    for rows in series.values():
        rows.sort(key=lambda r: r["aar"])
        m = maal_of(rows[0], ctx)
        steps = liste([f"{verdi_tekst(r['verdi'], m)} i {r['aar']}" for r in rows])
        text = f"{maal_navn(m, rows[0]['tjeneste'], ctx)} i {rows[0]['kommune']}: {steps}"
        first, last = rows[0], rows[-1]
        if first["rang"] is not None and last["rang"] is not None and m.gruppe == "indeks":
            moved = first["rang"] - last["rang"]
            places = liste([str(r["rang"]) if r["rang"] is not None else "ikke rangert" for r in rows])
            text += f" (plass {places} av {last['antall']})"
            if moved:
                text += f"; {abs(moved)} plasser {'opp' if moved > 0 else 'ned'} siden {first['aar']}"
        elif first["verdi"] is not None and last["verdi"] is not None and len(rows) > 1:
            diff = last["verdi"] - first["verdi"]
            text += (f"; {differanse(diff, m)} {'opp' if diff > 0 else 'ned'} fra {first['aar']}"
                     f"{dom(diff, m).replace(';', ',')}" if diff else f"; uendret siden {first['aar']}")
        sentences.append(text + ".")
    return " ".join(sentences) or f"Jeg fant ingen tall for {aar_tekst(spec, ctx)}."


def endring_text(spec: QuerySpec, recs: list[dict], ctx: Context) -> str:
    """A change between two years: «Folketallet i Alta gikk fra 21 000 i 2022 til 21 500 i
    2024, 500 innbyggere opp.» or a list of who changed most."""
    fra, til = spec.tid.fra_aar, spec.tid.aar
    if not recs:
        return f"Jeg fant ingen kommuner med tall både i {fra} og {til}."
    m = maal_of(recs[0], ctx)
    navn = maal_navn(m, recs[0]["tjeneste"], ctx)

    def change(r: dict) -> str:
        if r["endring"] is None:
            return "mangler tall"
        text = f"{'+' if r['endring'] > 0 else '−' if r['endring'] < 0 else '±'}{differanse(r['endring'], m)}"
        if r.get("rang_fra") is not None and r.get("rang_til") is not None:
            text += f", fra plass {r['rang_fra']} til {r['rang_til']}"
        return text

    if spec.utvalg.kommuner and not spec.orden and not spec.grense:
        return " ".join(
            f"{maal_navn(maal_of(r, ctx), r['tjeneste'], ctx)} i {r['kommune']} gikk fra {verdi_tekst(r['verdi_fra'], m)} i {fra} "
            f"til {verdi_tekst(r['verdi_til'], m)} i {til} ({change(r)}{dom(r['endring'] or 0, m)})."
            for r in in_spec_order(spec, recs, ctx))  # fmt: skip
    what = {"best": "forbedret seg mest på", "verst": "gikk mest tilbake på", "hoyest": "økte mest i",
            "lavest": "falt mest i", None: "endret seg i"}[spec.orden]  # fmt: skip
    items = [f"{r['kommune']} ({change(r)})" for r in recs]
    return f"Kommunene som {what} {smaa(navn)}{sted(spec.utvalg, ctx)} fra {fra} til {til}: {opplisting(items)}."


