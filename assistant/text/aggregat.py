"""Answer texts for aggregates: a count, a share, a sum, an average, a median, the lowest or the
highest over a selection, and the same per county, KOSTRA group, centrality, population band,
service or year."""

from assistant.query.spec import QuerySpec
from assistant.text.formatting import antall_kommuner, prosent
from assistant.text.tolkning import kommunenavn, maal_navn, smaa, sted, tjeneste_navn
from assistant.text.verdier import (
    aar_fra,
    maal_of,
    maal_ord,
    nabokommuner,
    opplisting,
    stor,
    verdi_tekst,
    vilkaar_setninger,
)
from assistant.understand.context import Context

AGGREGAT_FOER = {"sum": "samlet", "snitt": "gjennomsnittlig", "median": "medianen for",
                 "min": "laveste", "maks": "høyeste"}  # fmt: skip
GRUPPENAVN = {"fylke": "Fylket", "kostragruppe": "Kommunegruppen", "sentralitet": "Sentralitetsklassen",
              "folketallsgruppe": "Gruppen", "tjeneste": "Tjenesten", "aar": "Året"}  # fmt: skip


def _aggregate_sentence(spec: QuerySpec, r: dict, ctx: Context, where: str) -> str:
    m = maal_of(r, ctx)
    aar = f" i {r['aar']}" if r.get("aar") is not None else ""
    cond = vilkaar_setninger(spec, ctx)
    agg = r["aggregat"]
    if agg == "antall":
        if cond:
            return f"{antall_kommuner(r['verdi'])}{where} {cond}{aar}."
        if m is None and spec.utvalg.naboer_av and not spec.utvalg.med_kommunen:
            navn = kommunenavn(spec.utvalg.naboer_av, ctx)
            return f"{navn} har {nabokommuner(r['verdi'])}." if r["verdi"] else f"Jeg fant ingen nabokommuner for {navn}."
        if m is None:
            return f"Det er {antall_kommuner(r['verdi'])}{where or ' i landet'}."
        return f"{antall_kommuner(r['verdi'])}{where} har tall for {smaa(maal_navn(m, r['tjeneste'], ctx))}{aar}."
    if agg == "andel":
        if r["verdi"] is None:
            return f"Ingen kommuner{where} har tall for dette{aar}."
        return f"{prosent(r['verdi'])} av kommunene{where} ({r['antall']} av {r['av']}) {cond}{aar}."
    if r["verdi"] is None:
        return f"Ingen kommuner{where} har tall for dette{aar}."
    text = (f"{stor(AGGREGAT_FOER[agg])} {maal_ord(m, r['tjeneste'], ctx)}{where or ' i hele landet'}{aar} er "
            f"{verdi_tekst(r['verdi'], m)} ({antall_kommuner(r['antall_kommuner'])}")
    if m.enhet == "indeks" and agg in ("snitt", "median"):
        text += "; 1,00 er landsgjennomsnittet"
    return text + ")."


def aggregat_text(spec: QuerySpec, recs: list[dict], ctx: Context) -> str:
    """«Samlet innsparingspotensial i Finnmark i 2024 er 1,2 mrd. kr (18 kommuner).» «23
    kommuner har netto lånegjeld over 100 % i 2024.» One sentence per aggregate and year."""
    where = sted(spec.utvalg, ctx)
    where = "" if where == " i landet" else where
    if not recs:
        return f"Jeg fant ingen kommuner{where} med tall for dette{aar_fra(spec, ctx)}."
    return " ".join(stor(_aggregate_sentence(spec, r, ctx, where)) for r in recs)


def _group_label(key: str, value) -> str:
    return {"kostragruppe": f"kommunegruppe {value}", "sentralitet": f"sentralitetsklasse {value}",
            "folketallsgruppe": f"{value} innbyggere"}.get(key, str(value))  # fmt: skip


def gruppert_text(spec: QuerySpec, recs: list[dict], ctx: Context) -> str:
    """A grouped result: «Gjennomsnittlig kvalitetsindeks per fylke i 2024: Agder (0,97), …» or
    «Fylket med høyest gjennomsnittlig netto lånegjeld i 2024 er Nordland (95,3 %).»"""
    g = spec.gruppering
    where = sted(spec.utvalg, ctx)
    where = "" if where == " i landet" else where
    aar = "" if g == "aar" else aar_fra(spec, ctx)
    if not recs:
        return f"Jeg fant ingen tall per {_per(g)}{where}{aar}."
    m = maal_of(recs[0], ctx)
    agg = recs[0]["aggregat"]
    counting = agg in ("antall", "andel")
    cond = vilkaar_setninger(spec, ctx)
    if g == "tjeneste":
        label = lambda r: tjeneste_navn(r["tjeneste"], ctx) or "kommunen samlet"  # noqa: E731
    elif g == "aar":
        label = lambda r: str(r["aar"])  # noqa: E731
    else:
        label = lambda r: _group_label(g, r[g])  # noqa: E731

    def value(r: dict) -> str:
        return prosent(r["verdi"]) if agg == "andel" else str(r["verdi"]) if agg == "antall" else verdi_tekst(r["verdi"], m)

    if spec.orden and len(recs) == 1:
        r = recs[0]
        if counting:
            most = "flest" if spec.orden in ("best", "hoyest") else "færrest"
            what = f"{most} kommuner" + (f" som {cond}" if cond else "")
            if agg == "andel":
                what = f"{'størst' if most == 'flest' else 'minst'} andel kommuner" + (f" som {cond}" if cond else "")
        else:
            word = {"best": "best", "verst": "dårligst", "hoyest": "høyest", "lavest": "lavest"}[spec.orden]
            what = f"{word} {AGGREGAT_FOER[agg].replace('medianen for', 'median')} {maal_ord(m, r['tjeneste'], ctx)}"
        return f"{GRUPPENAVN[g]} med {what}{where}{aar} er {label(r)} ({value(r)})."
    if counting:
        head = f"{'Antall' if agg == 'antall' else 'Andel'} kommuner" + (f" som {cond}," if cond else "")
    else:
        head = f"{stor(AGGREGAT_FOER[agg])} {maal_ord(m, recs[0]['tjeneste'], ctx)}"
    items = [f"{stor(label(r)) if g in ('tjeneste', 'folketallsgruppe') else label(r)} ({value(r)})" for r in recs]
    return f"{head} per {_per(g)}{where}{aar}: {opplisting(items)}."


def _per(g: str) -> str:
    return {"kostragruppe": "kommunegruppe", "sentralitet": "sentralitetsklasse", "folketallsgruppe": "folketall",
            "aar": "år"}.get(g, g)  # fmt: skip


