"""How a query specification is said back in Norwegian: the one-line `tolkning` shown with
every answer («Antall kommuner · netto lånegjeld over 100 % · Nordland · 2024»), and the
phrases the answer texts share: a measure's name, the selection, a condition, the years."""

from assistant.katalog import Maal
from assistant.query.spec import (
    Kommuneverdi,
    QuerySpec,
    Rangvilkaar,
    Utvalg,
    Vilkaar,
    resolve,
)
from assistant.text.formatting import liste, tall, tall_med_enhet
from assistant.text.phrases import aarstekst
from assistant.understand.context import Context
from scoring.contract import ALLE

OP_ORD = {">": "over", ">=": "minst", "<": "under", "<=": "høyst", "=": "lik", "!=": "ulik",
          "bedre": "bedre enn", "verre": "dårligere enn"}  # fmt: skip
SNITT_ORD = {"landssnitt": "landssnittet", "gruppesnitt": "snittet i kommunegruppen",
             "fylkessnitt": "snittet i fylket"}  # fmt: skip
AGGREGAT_ORD = {"antall": "antall kommuner", "andel": "andel kommuner", "sum": "sum",
                "snitt": "snitt", "median": "median", "min": "lavest", "maks": "høyest"}  # fmt: skip
ORDEN_ORD = {"best": "beste", "verst": "dårligste", "hoyest": "høyest", "lavest": "lavest"}
GRUPPE_ORD = {"fylke": "fylke", "kostragruppe": "kommunegruppe", "sentralitet": "sentralitetsklasse",
              "folketallsgruppe": "folketall", "tjeneste": "tjeneste", "aar": "år"}  # fmt: skip


def tjeneste_navn(tjeneste: str | None, ctx: Context) -> str:
    """ "pleie og omsorg", or "" for the municipality as a whole."""
    return "" if tjeneste in (None, ALLE) else ctx.tjenestenavn.get(tjeneste, tjeneste).lower()


def maal_navn(m: Maal, tjeneste: str | None, ctx: Context) -> str:
    """ "Kvalitetsindeksen i pleie og omsorg", "Netto lånegjeld", "Grunnskolepoeng" (an
    indicator belongs to its service already)."""
    where = tjeneste_navn(tjeneste, ctx) if m.har_tjeneste else ""
    return f"{m.navn} i {where}" if where else m.navn


def ubestemt(m: Maal) -> str:
    """The measure as a noun after an adjective: "kvalitetsindeks" (not "kvalitetsindeksen").

    >>> from assistant.katalog import load_katalog
    >>> ubestemt(load_katalog().finn("kvalitetsindeks")), ubestemt(load_katalog().finn("netto_lanegjeld_pst"))
    ('kvalitetsindeks', 'netto lånegjeld')
    """
    if m.gruppe == "indeks" and m.navn.endswith("en"):
        return smaa(m.navn[:-2])
    return smaa(m.kortnavn)


PROPER_NAMES = ("Kommuneindeks",)  # the report's own name keeps its capital letter


def smaa(navn: str) -> str:
    """A display name inside a sentence: lower case, but not "KOSTRA" or the report's name.

    >>> smaa("Netto lånegjeld"), smaa("KOSTRA-gruppe"), smaa("Kommuneindeksen")
    ('netto lånegjeld', 'KOSTRA-gruppe', 'Kommuneindeksen')
    """
    if navn[:2].isupper() or navn.startswith(PROPER_NAMES):
        return navn
    return navn[:1].lower() + navn[1:]


def hele_tall(x: float, enhet: str, desimaler: int) -> str:
    """A threshold as the question would say it: no decimals when it is whole.

    >>> hele_tall(100.0, "prosent", 1), hele_tall(50e6, "kr", 0), hele_tall(1.05, "indeks", 2)
    ('100 %', '50,0 mill. kr', '1,05')
    """
    return tall_med_enhet(x, enhet, 0 if float(x).is_integer() and enhet != "kr" else desimaler)


def kommunenavn(nr: str, ctx: Context) -> str:
    return ctx.names.get(nr, nr)


COMPARE_ORD = {">": "høyere", "<": "lavere", "bedre": "bedre", "verre": "dårligere"}


def vilkaar_tekst(v: Vilkaar | Rangvilkaar, ctx: Context, med_tjeneste: bool = True) -> str:
    """A condition as words: "netto lånegjeld over 100 %", "negativt netto driftsresultat",
    "bedre kvalitetsindeks enn landssnittet", "blant de 50 beste på Kommuneindeksen"."""
    m, tjeneste = resolve(v.maal, ctx.katalog)
    service = tjeneste_navn(tjeneste, ctx) if med_tjeneste and m.har_tjeneste else ""
    where = f" i {service}" if service else ""
    if isinstance(v, Rangvilkaar):
        on = f"{smaa(m.navn)}{where}"
        return f"blant de {v.til} beste på {on}" if v.fra == 1 else f"på plass {v.fra}–{v.til} på {on}"
    noun = ubestemt(m) + where
    t = v.terskel
    if isinstance(t, (Kommuneverdi, str)):
        what = kommunenavn(t.kommunenr, ctx) if isinstance(t, Kommuneverdi) else SNITT_ORD[t]
        if v.op in COMPARE_ORD:
            return f"{COMPARE_ORD[v.op]} {noun} enn {what}"
        return f"{noun} {OP_ORD[v.op]} {what}"
    if t == 0 and v.op in (">", "<"):
        return f"{'positivt' if v.op == '>' else 'negativt'} {noun}"
    if m.enhet == m.kortnavn:  # "over 50 000 innbyggere", not "innbyggere over …"
        return f"{OP_ORD[v.op]} {hele_tall(t, m.enhet, m.desimaler)}"
    return f"{noun} {OP_ORD[v.op]} {hele_tall(t, m.enhet, m.desimaler)}"


def vilkaar_setning(v: Vilkaar | Rangvilkaar, ctx: Context) -> str:
    """A condition as what a municipality does: "har netto lånegjeld over 100 %", "er blant de
    50 beste på Kommuneindeksen"."""
    return f"{'er' if isinstance(v, Rangvilkaar) else 'har'} {vilkaar_tekst(v, ctx)}"


def utvalg_deler(u: Utvalg, ctx: Context) -> list[str]:
    """The selection in short words: ["Nordland", "kommunegruppe 8", "nabokommunene til Alta"]."""
    parts = [kommunenavn(nr, ctx) for nr in u.kommuner] + list(u.fylker)
    parts += [f"kommunegruppe {g}" for g in u.kostragrupper]
    parts += [f"sentralitetsklasse {s}" for s in u.sentralitet]
    if u.folketall:
        parts.append(folketall_tekst(u.folketall))
    if u.naboer_av:
        navn = kommunenavn(u.naboer_av, ctx)
        parts.append(f"{navn} og nabokommunene" if u.med_kommunen else f"nabokommunene til {navn}")
    return parts


def folketall_tekst(folketall: tuple[int | None, int | None]) -> str:
    """ "5 000–19 999 innbyggere", "minst 50 000 innbyggere", "under 1 000 innbyggere".

    >>> folketall_tekst((5000, 20000)), folketall_tekst((50000, None)), folketall_tekst((None, 1000))
    ('5 000–19 999 innbyggere', 'minst 50 000 innbyggere', 'under 1 000 innbyggere')
    """
    low, high = folketall
    if low is not None and high is not None:
        return f"{tall(low, 0)}–{tall(high - 1, 0)} innbyggere"
    if low is not None:
        return f"minst {tall(low, 0)} innbyggere"
    return f"under {tall(high, 0)} innbyggere"


def sted(u: Utvalg, ctx: Context) -> str:
    """Where, after a noun: " i Nordland", " blant nabokommunene til Alta", " i landet"."""
    if u.naboer_av:
        navn = kommunenavn(u.naboer_av, ctx)
        return f" i {navn} og nabokommunene" if u.med_kommunen else f" blant nabokommunene til {navn}"
    where = [*u.fylker, *(f"kommunegruppe {g}" for g in u.kostragrupper),
             *(f"sentralitetsklasse {s}" for s in u.sentralitet)]  # fmt: skip
    text = f" i {liste(where)}" if where else ""
    if u.folketall:
        text += f" med {folketall_tekst(u.folketall)}"
    return text or " i landet"


def er_indeks(spec: QuerySpec, ctx: Context) -> bool:
    return any(ctx.katalog.maal[r.maal].gruppe == "indeks" for r in spec.maal if r.maal in ctx.katalog.maal)


def aar_tekst(spec: QuerySpec, ctx: Context) -> str:
    """ "2024 (Kommuneindeksen 2025)" for an index, "2024", "2022–2024", "fra 2022 til 2024";
    "" for register facts, which have no year."""
    measures = [ctx.katalog.maal[r.maal] for r in spec.maal if r.maal in ctx.katalog.maal]
    measures += [ctx.katalog.maal[v.maal.maal] for v in spec.vilkaar if v.maal.maal in ctx.katalog.maal]
    if not any(m.har_aar for m in measures) and not spec.utvalg.folketall:
        return ""
    tid = spec.tid
    if tid.endring:
        return f"fra {tid.fra_aar} til {tid.aar}"
    if tid.fra_aar is not None:
        return f"{tid.fra_aar}–{tid.aar}"
    return aarstekst(tid.aar) if er_indeks(spec, ctx) else str(tid.aar)


def _maal_del(spec: QuerySpec, ctx: Context) -> tuple[str, str]:
    """The measures in short words, and their one service ("" if none or several)."""
    on_condition = {v.maal.maal for v in spec.vilkaar}
    measures, services = [], []
    for r in spec.maal:
        m, tjeneste = resolve(r, ctx.katalog)
        if m.key not in on_condition and smaa(m.kortnavn) not in measures:
            measures.append(smaa(m.kortnavn))
        services.append(tjeneste)
    distinct = list(dict.fromkeys(s for s in services if s not in (None, ALLE)))
    service = tjeneste_navn(distinct[0], ctx) if len(distinct) == 1 else "alle tjenester" if distinct else ""
    return liste(measures), service


def tolkning(spec: QuerySpec, ctx: Context) -> str:
    """The spec said back in one line, e.g. «Antall kommuner · netto lånegjeld over 100 % ·
    Nordland · 2024» or «Effektivitet · pleie og omsorg · Sør-Varanger · 2024 (Kommuneindeksen
    2025)»."""
    maal, tjeneste = _maal_del(spec, ctx)
    parts = [liste([AGGREGAT_ORD[a] for a in spec.aggregater]), maal, tjeneste]
    parts += [vilkaar_tekst(v, ctx, med_tjeneste=not tjeneste) for v in spec.vilkaar]
    parts += utvalg_deler(spec.utvalg, ctx)
    if spec.orden or spec.grense:
        count = str(spec.grense) if spec.grense and spec.grense > 1 else ""
        parts.append(" ".join(p for p in (count, ORDEN_ORD.get(spec.orden or "", "")) if p))
    if spec.gruppering:
        parts.append(f"per {GRUPPE_ORD[spec.gruppering]}")
    parts.append(aar_tekst(spec, ctx))
    words = [p for p in parts if p]
    if not words:
        return ""
    return " · ".join([words[0][:1].upper() + words[0][1:], *words[1:]])
