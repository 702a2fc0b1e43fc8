"""Answer texts for query specifications, one per form (`spec.form`), in the report's voice and
from the result rows only: a number with its context, a list, one municipality across its
services and neighbours compared (here); a development and a change (`utvikling.py`); an
aggregate and a grouped result (`aggregat.py`). Every text names its year(s)."""

from collections.abc import Callable

from assistant.katalog import Maal
from assistant.query.execute import Result
from assistant.query.spec import QuerySpec, form
from assistant.text.aggregat import aggregat_text, gruppert_text
from assistant.text.formatting import antall_kommuner, liste
from assistant.text.tolkning import kommunenavn, maal_navn, smaa, sted, tjeneste_navn
from assistant.text.utvikling import endring_text, utvikling_text
from assistant.text.verdier import (
    aar_fra,
    in_spec_order,
    item,
    maal_of,
    maal_ord,
    med_rang,
    nabokommuner,
    opplisting,
    rang_tekst,
    stor,
    verdi_tekst,
    vilkaar_setninger,
)
from assistant.understand.context import Context

__all__ = ["shape_text"]


# --- rows of named municipalities ------------------------------------------------------------


def verdi_text(spec: QuerySpec, recs: list[dict], ctx: Context) -> str:
    """A number with its context: «Netto lånegjeld i Narvik var 143,2 % i 2024, nr. 348 av 357.
    Landssnittet er 84,9 %, og snittet i kommunegruppe 9 er 92,6 %.»"""
    if len(spec.maal) == 1 and len(spec.utvalg.kommuner) > 1:
        return _side_om_side(spec, recs, ctx)
    recs = in_spec_order(spec, recs, ctx)
    sentences = []
    for nr in spec.utvalg.kommuner:
        own = [r for r in recs if r["kommunenr"] == nr]
        if not own:
            sentences.append(f"Jeg fant ingen tall for {kommunenavn(nr, ctx)}{aar_fra(spec, ctx)}.")
            continue
        if len(own) > 1:
            parts = [f"{smaa(maal_navn(maal_of(r, ctx), r['tjeneste'], ctx))} {med_rang(r, maal_of(r, ctx))}" for r in own]
            sentences.append(f"{own[0]['kommune']}{aar_fra(spec, ctx)}: {liste(parts)}.")
            continue
        r, m = own[0], maal_of(own[0], ctx)
        navn = maal_navn(m, r["tjeneste"], ctx)
        if r["verdi"] is None:
            sentences.append(f"{navn} mangler for {r['kommune']}{aar_fra(spec, ctx)}.")
            continue
        rang = f", {rang_tekst(r)}" if rang_tekst(r) else ""
        sentences.append(f"{navn} i {r['kommune']} var {verdi_tekst(r['verdi'], m)}{aar_fra(spec, ctx)}{rang}.")
        sentences.append(_context(r, m))
    return " ".join(s for s in sentences if s)


def _context(r: dict, m: Maal) -> str:
    """ "Landssnittet er 1,00, og snittet i kommunegruppe 8 er 1,02; kommunen ligger over begge." """
    if r.get("landssnitt") is None:
        return ""
    text = f"Landssnittet er {verdi_tekst(r['landssnitt'], m)}"
    if r.get("gruppesnitt") is not None:
        text += f", og snittet i kommunegruppe {r['kostragruppe']} er {verdi_tekst(r['gruppesnitt'], m)}"
    if m.retning != "noytral":
        better = (r["verdi"] > r["landssnitt"]) == (m.retning == "hoy")
        text += f"; det er {'bedre' if better else 'dårligere'} enn landssnittet"
    return text + "."


def _side_om_side(spec: QuerySpec, recs: list[dict], ctx: Context) -> str:
    """Several municipalities on one measure: «Netto lånegjeld i 2024: Bodø 80,2 % …; lavest
    (best) har Tromsø.»"""
    m = maal_of(recs[0], ctx) if recs else None
    if m is None:
        return "Jeg fant ingen tall for disse kommunene."
    navn = maal_navn(m, recs[0]["tjeneste"], ctx)
    items = [f"{r['kommune']} {med_rang(r, m)}" for r in recs if r["verdi"] is not None]
    text = f"{navn}{aar_fra(spec, ctx)}: {liste(items)}."
    valued = [r for r in recs if r["verdi"] is not None]
    if len(valued) > 1 and m.retning != "noytral":
        best = (max if m.retning == "hoy" else min)(valued, key=lambda r: r["verdi"])
        text += f" Best av dem er {best['kommune']}."
    return text


def liste_text(spec: QuerySpec, recs: list[dict], ctx: Context) -> str:
    """ «De 5 kommunene som har høyest netto lånegjeld i Nordland i 2024: …», «Kommunen som ligger
    best an på Kommuneindeksen blant nabokommunene til Oslo i 2024 (…), er Lillestrøm (…).»"""
    cond = vilkaar_setninger(spec, ctx)
    named = spec.utvalg.kommuner and not spec.utvalg.naboer_av
    where = f" blant {liste([kommunenavn(n, ctx) for n in spec.utvalg.kommuner])}" if named else sted(spec.utvalg, ctx)
    where = "" if where == " i landet" else where
    if not recs:
        return f"Ingen kommuner{where}{' ' + cond if cond else ''}{aar_fra(spec, ctx)}."
    m = maal_of(recs[0], ctx)
    if m is None:  # the municipalities themselves
        return f"{stor(antall_kommuner(len(recs)))}{where}{' ' + cond if cond else ''}: {opplisting([r['kommune'] for r in recs])}."
    orden = spec.orden or ("best" if m.retning != "noytral" else "hoyest")
    on = smaa(maal_navn(m, recs[0]["tjeneste"], ctx))
    noun = maal_ord(m, recs[0]["tjeneste"], ctx)
    what = {"best": f"ligger best an på {on}", "verst": f"ligger dårligst an på {on}",
            "hoyest": f"har høyest {noun}", "lavest": f"har lavest {noun}"}[orden]  # fmt: skip
    if cond:
        what = cond if spec.orden is None else f"{what} og {cond}"
    items = [item(r, m, orden in ("best", "verst")) for r in recs]
    if len(recs) == 1 and (spec.grense == 1 or not cond):
        return f"Kommunen som {what}{where}{aar_fra(spec, ctx)}, er {items[0]}."
    if len(recs) == 1:  # one that meets the conditions, of the several asked for
        return f"Bare én kommune{where} {cond or what}{aar_fra(spec, ctx)}: {items[0]}."
    count = f"De {len(recs)} kommunene" if spec.grense or spec.orden else f"{stor(antall_kommuner(len(recs)))}"
    return f"{count}{where} som {what}{aar_fra(spec, ctx)}: {opplisting(items)}."


def tjenester_text(spec: QuerySpec, recs: list[dict], ctx: Context) -> str:
    """One municipality across its services: «Alta er best i helse (nr. 12 av 357 på
    effektivitet) og kultur (…) i 2024.» With no order, its three best and worst."""
    if not recs:
        return f"Jeg fant ingen rangerte tjenester for {kommunenavn(spec.utvalg.kommuner[0], ctx)}{aar_fra(spec, ctx)}."
    kommune = recs[0]["kommune"]

    def item(r: dict) -> str:
        m = maal_of(r, ctx)
        tjeneste = tjeneste_navn(r["tjeneste"], ctx) or "kommunen samlet"
        return f"{tjeneste} ({rang_tekst(r) or verdi_tekst(r['verdi'], m)} på {smaa(m.kortnavn)})"

    if spec.vilkaar:
        return (f"{kommune} {vilkaar_setninger(spec, ctx)} i {antall_tjenester(len(recs))}"
                f"{aar_fra(spec, ctx)}: {opplisting([item(r) for r in in_spec_order(spec, recs, ctx)])}.")
    if spec.orden in ("best", "verst", "hoyest", "lavest"):
        word = "best" if spec.orden in ("best", "hoyest") else "svakest"
        return f"{kommune} er {word} i {opplisting([item(r) for r in recs])}{aar_fra(spec, ctx)}."
    ranked = sorted((r for r in recs if r["rang"] is not None), key=lambda r: r["rang"])
    if not ranked:
        return f"{kommune}{aar_fra(spec, ctx)}: {opplisting([item(r) for r in recs])}."
    best, worst = ranked[:3], ranked[::-1][:3]
    return (f"{kommune}{aar_fra(spec, ctx)}: best i {liste([item(r) for r in best])}; "
            f"svakest i {liste([item(r) for r in worst])}.")


def antall_tjenester(n: int) -> str:
    return "1 tjeneste" if n == 1 else f"{n} tjenester"


def naboer_text(spec: QuerySpec, recs: list[dict], ctx: Context) -> str:
    """Neighbours compared: «Kommuneindeksen 2024 for Alta og nabokommunene: Hammerfest nr. 20
    (1,08), Alta nr. 50 (1,03) … Alta er nr. 2 av 6 blant dem.»"""
    own = spec.utvalg.naboer_av
    navn = kommunenavn(own, ctx)
    if not spec.maal:
        names = [r["kommune"] for r in recs if r["kommunenr"] != own]
        if not names:
            return f"Jeg fant ingen nabokommuner for {navn}."
        return f"{navn} har {nabokommuner(len(names))}: {liste(names)}."
    if spec.orden or spec.grense or spec.vilkaar:
        return liste_text(spec, recs, ctx)
    valued = [r for r in recs if r["verdi"] is not None]
    if not valued:
        return f"Jeg fant ingen tall for nabokommunene til {navn}{aar_fra(spec, ctx)}."
    m = maal_of(valued[0], ctx)
    ordered = _by_direction(valued, m)
    items = [item(r, m, True) for r in ordered]
    who = sted(spec.utvalg, ctx).removeprefix(" i ").removeprefix(" blant ")
    text = f"{maal_navn(m, valued[0]['tjeneste'], ctx)}{aar_fra(spec, ctx)} for {who}: {opplisting(items)}."
    place = next((i for i, r in enumerate(ordered, 1) if r["kommunenr"] == own), None)
    if place and m.retning != "noytral":
        text += f" {navn} er nr. {place} av {len(ordered)} blant dem."
    return text


def _by_direction(recs: list[dict], m: Maal) -> list[dict]:
    """Best first (by rank where there is one), or highest first for neutral measures."""
    if all(r.get("rang") is not None for r in recs):
        return sorted(recs, key=lambda r: r["rang"])
    return sorted(recs, key=lambda r: r["verdi"], reverse=m.retning != "lav")


TEXTS: dict[str, Callable[[QuerySpec, list[dict], Context], str]] = {
    "verdi": verdi_text,
    "liste": liste_text,
    "tjenester": tjenester_text,
    "naboer": naboer_text,
    "utvikling": utvikling_text,
    "endring": endring_text,
    "aggregat": aggregat_text,
    "gruppert": gruppert_text,
}


def shape_text(spec: QuerySpec, result: Result, ctx: Context) -> str:
    """The answer text for a spec and its result rows (without the demo-data note)."""
    return TEXTS[form(spec)](spec, result.records(), ctx)
