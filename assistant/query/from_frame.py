"""A finished `Frame` of the semantic layer's kinds as one `QuerySpec`: its measures (catalogue
keys, with the service where they have one), the municipalities it selects, its conditions,
aggregate, grouping, order, list size and years. `compile.py` turns the spec into SQL."""

from assistant.katalog import Katalog
from assistant.query.spec import (
    Kommuneverdi,
    MaalRef,
    QuerySpec,
    Rangvilkaar,
    Tid,
    Utvalg,
    Vilkaar,
    per_tjeneste,
    spec_parts,
    tjenesteindekser,
)
from assistant.understand.conditions import Betingelse
from assistant.understand.context import Context
from assistant.understand.frame import Frame
from scoring.contract import ALLE, KOSTNADSTJENESTER

ORDEN = {"best": "best", "verst": "verst", "hoy": "hoyest", "lav": "lavest"}


def default_index(tjeneste: str) -> str:
    """The index that says how good a service is (schema.md): effectiveness for the seven with a
    cost side, quality for the other six; the Kommuneindeksen for the municipality as a whole.

    >>> default_index("alle"), default_index("grunnskole"), default_index("kultur")
    ('kommuneindeks', 'effektivitetsindeks', 'kvalitetsindeks')
    """
    if tjeneste == ALLE:
        return "kommuneindeks"
    return "effektivitetsindeks" if tjeneste in KOSTNADSTJENESTER else "kvalitetsindeks"


def ref(maal: str, frame: Frame, katalog: Katalog) -> MaalRef:
    """A measure with the question's service, where the measure has a service dimension."""
    m = katalog.finn(maal)
    if m.har_tjeneste and frame.tjeneste != ALLE:
        return MaalRef(maal, frame.tjeneste)
    return MaalRef(maal)


def _measures(frame: Frame, katalog: Katalog) -> list[str]:
    """The measures the question asks for, apart from those only named in a condition and the
    register fact a grouping is by ("hvilket fylke …": the county is the grouping)."""
    in_conditions = {b.maal for b in frame.vilkaar}
    out = [m for m in frame.maal if m not in in_conditions]
    if frame.gruppering:
        out = [m for m in out if katalog.finn(m).gruppe != "register"]
    return out


def _condition(b: Betingelse, frame: Frame, katalog: Katalog, default: str) -> Vilkaar | Rangvilkaar:
    measure = ref(b.maal or default, frame, katalog)
    if b.op == "rang":
        _, fra, til = b.terskel
        return Rangvilkaar(measure, fra, til)
    terskel, op = b.terskel, b.op
    if isinstance(terskel, tuple) and terskel[0] == "kommune":
        terskel = Kommuneverdi(terskel[1])
    if measure.maal == "kostnadsindeks" and op in ("<", ">") and not isinstance(terskel, float):
        op = "bedre" if op == "<" else "verre"  # «lavere kostnader enn snittet»: a higher cost index
    return Vilkaar(measure, op, terskel)


def _condition_order(vilkaar: tuple) -> str:
    """A list by a condition runs from the condition's end: «over 100 %» the highest first."""
    op = next((v.op for v in vilkaar if isinstance(v, Vilkaar)), "bedre")
    return {">": "hoyest", ">=": "hoyest", "<": "lavest", "<=": "lavest", "verre": "verst"}.get(op, "best")


def _orden(frame: Frame) -> str | None:
    for word in ("verst", "best", "hoy", "lav"):
        if word in frame.retning:
            return ORDEN[word]
    return None


def _utvalg(frame: Frame, kommuner: bool) -> Utvalg:
    fylker = frame.fylker or ((frame.fylke,) if frame.fylke else ())
    return Utvalg(
        kommuner=frame.kommuner if kommuner else (),
        fylker=fylker,
        kostragrupper=(frame.kostragruppe,) if frame.kostragruppe else (),
        sentralitet=(frame.sentralitet,) if frame.sentralitet else (),
    )


def _tid(frame: Frame, years: tuple[int, ...]) -> Tid:
    """One year, or with a development every year from the first named (else the first there is)."""
    if not frame.over_tid:
        return Tid(frame.aar)
    fra = frame.fra_aar if "fra_aar" in frame.explicit else min(years)
    return Tid(frame.aar, fra) if fra < frame.aar else Tid(frame.aar)


def spec_for(frame: Frame, ctx: Context) -> QuerySpec:
    """The query specification of a finished frame of one of `SPEC_KINDS`."""
    k = ctx.katalog
    s = frame.sporsmaal
    default = default_index(frame.tjeneste)
    measures = _measures(frame, k)
    vilkaar = tuple(_condition(b, frame, k, measures[0] if measures else default) for b in frame.vilkaar)
    explicit_n = frame.n if "n" in frame.explicit or frame.n == 1 else None
    if s == "aggregat":
        if frame.aggregat == "andel":  # the share of those with a value: the condition's measure
            refs = tuple(dict.fromkeys(v.maal for v in vilkaar))[:1]
        elif frame.aggregat in ("antall", None):
            refs = ()
        else:
            refs = tuple(ref(m, frame, k) for m in (measures or [default]))
        aggregat = ("min", "maks") if frame.aggregat == "min_maks" else frame.aggregat or "antall"
        return QuerySpec(refs, _tid(frame, ctx.years), _utvalg(frame, kommuner=False), vilkaar,
                         aggregat=aggregat)
    if s == "gruppering":
        summable = measures and all(k.finn(m).enhet in ("kr", "innbyggere") for m in measures)
        aggregat = frame.aggregat or ("antall" if vilkaar else "sum" if summable else "snitt")
        refs = () if aggregat in ("antall", "andel") else tuple(ref(m, frame, k) for m in (measures or [default]))
        return QuerySpec(refs, _tid(frame, ctx.years), _utvalg(frame, kommuner=False), vilkaar, aggregat=aggregat,
                         gruppering=frame.gruppering, orden=_orden(frame), grense=explicit_n)
    if s == "tjenester":
        refs = tuple(r for m in measures for r in per_tjeneste(m, k)) or tjenesteindekser(k)
        both = {"best", "verst"} <= set(frame.retning)  # «best og dårligst på»: both ends
        return QuerySpec(refs, Tid(frame.aar), Utvalg(kommuner=frame.kommuner[:1]),
                         orden=None if both else _orden(frame) or "best", grense=frame.n if frame.n and not both else None)
    if s == "naboer":
        # with the municipality itself when it is compared with them («enn nabokommunene»,
        # «Bærum og nabokommunene»); the neighbours alone when they are asked for
        itself = frame.sammenligner or frame.med_kommunen
        utvalg = Utvalg(naboer_av=frame.kommuner[0], med_kommunen=itself)
        if frame.aggregat:
            counting = frame.aggregat in ("antall", "andel")
            refs = () if counting and not measures else tuple(ref(m, frame, k) for m in (measures or [default]))
            return QuerySpec(refs, _tid(frame, ctx.years), utvalg, vilkaar, aggregat=frame.aggregat)
        refs = tuple(ref(m, frame, k) for m in (measures or [default]))
        return QuerySpec(refs, _tid(frame, ctx.years), utvalg, vilkaar, orden=_orden(frame) or (
            _condition_order(vilkaar) if vilkaar else None), grense=explicit_n)
    refs = tuple(ref(m, frame, k) for m in (measures or [b.maal or default for b in frame.vilkaar] or [default]))
    if s == "utvalg":  # every municipality that meets the conditions, or the n first of them
        return QuerySpec(refs, _tid(frame, ctx.years), _utvalg(frame, kommuner=False), vilkaar,
                         orden=_orden(frame) or _condition_order(vilkaar), grense=explicit_n)
    # "maal": a measure's values for the municipalities named, or a list of them
    named = bool(frame.kommuner)
    return QuerySpec(refs, _tid(frame, ctx.years), _utvalg(frame, kommuner=named), vilkaar,
                     orden=None if named else (_orden(frame) or "hoyest"),
                     grense=None if named else frame.n)


def fields_used(spec: QuerySpec, frame: Frame, katalog: Katalog) -> set[str]:
    """The names the question's words were claimed under that this spec's answer uses: its
    measures, conditions, selection, aggregate, grouping, order, list size and years (see
    assistant/understand/check.py for the kinds of the older templates)."""
    parts = spec_parts(spec)
    u = parts.utvalg
    used = {"*", "aar", "intensjon:liste", "intensjon:vi", "intensjon:sammenlign", "intensjon:mot_snitt",
            "form:oppfolging", "form:om_kommuner", "form:tilbake", "form:blant_dem", "form:grad",
            "form:vurdering", "form:rangord"}
    used |= {f"maal:{m}" for m in parts.maal}
    if parts.vilkaar:
        used.add("vilkaar")
    if u.kommuner or u.naboer_av or any(isinstance(getattr(v, "terskel", None), Kommuneverdi)
                                                for v in spec.vilkaar):
        used.add("kommuner")
    if u.fylker:
        used.add("fylke")
    if u.kostragrupper:
        used.add("kostragruppe")
    if any(t != ALLE for t in parts.tjenester) or (
            frame.tjeneste != ALLE and any(katalog.finn(m).tjeneste == frame.tjeneste for m in parts.maal)):
        used.add("tjeneste")  # a service, or the service an indicator belongs to
    if parts.gruppering:
        used.add(f"dimensjon:{parts.gruppering}")
    if u.naboer_av:
        used.add("dimensjon:nabo")
    if frame.sporsmaal == "tjenester":
        used |= {"form:tjenester", "form:tjeneste_en", "form:om_tjenester", "dimensjon:tjeneste"}
    if u.sentralitet:
        used.add("sentralitet")
    used |= {f"intensjon:{a}" for a in parts.aggregat}
    if {"min", "maks"} <= set(parts.aggregat):
        used.add("retning")
    if parts.orden:
        used.add("retning")
    if parts.grense:
        used |= {"n", "plass", "form:entall", "form:alle"}
    if spec.tid.fra_aar is not None:
        used |= {"intensjon:utvikling", "form:siden", "dimensjon:aar"}
    return used


INDEX_MEASURE = {"kommuneindeks": "kommuneindeks", "kostnad": "kostnadsindeks", "kvalitet": "kvalitetsindeks",
                 "effektivitet": "effektivitetsindeks", "finans": "finansindeks"}  # fmt: skip
COST_MEASURES = ("kr_per_innbygger", "behovskorrigert_kr_per_innbygger", "netto_driftsutgifter_kr")
FINANCE_MEASURES = ("netto_driftsresultat_pst", "netto_lanegjeld_pst", "disposisjonsfond_pst")


def _older_measures(frame: Frame) -> list[str]:
    """The catalogue measures an older kind's template reads."""
    s = frame.sporsmaal
    if s == "finans":
        return list(frame.finansmaal or FINANCE_MEASURES)
    if s == "kostnad":
        return [frame.kostnadsmaal] if frame.kostnadsmaal else list(COST_MEASURES)
    if s == "innsparing":
        return ["innsparingspotensial_kr"]
    if s == "indikator" or (s == "snitt" and frame.indikatorer):
        return list(frame.indikatorer)
    if s == "befolkning":
        return ["innbyggere"]
    if s == "fakta":
        return ["fylke", "kostragruppe", "sentralitet"]
    if s == "snitt" and frame.finansmaal:
        return list(frame.finansmaal[:1])
    return [INDEX_MEASURE[t] for t in frame.indekstyper if t in INDEX_MEASURE]


# Lists of amounts (not of an index): their order is by the value, high or low.
AMOUNT_LISTS = {"kostnad", "finans", "indikator", "innsparing", "befolkning"}


def frame_spec(frame: Frame, ctx: Context) -> QuerySpec:
    """An older kind's reading said as a specification (not run): the measures its template
    reads, the selection, order, list size and years. It gives every answer the same one-line
    `tolkning` and the same source line, whichever path answered it."""
    k = ctx.katalog
    refs = []
    for m in _older_measures(frame):
        if m in k.maal:
            r = ref(m, frame, k)
            refs.append(r if k.finn(m).har_tjeneste and r.tjeneste in (None, *k.finn(m).tjenester) else MaalRef(m))
    s = frame.sporsmaal
    listed = s in ("liste", "endring") or (s in ("kostnad", "finans", "indikator", "innsparing", "befolkning")
                                          and not frame.kommuner)
    span = s in ("utvikling",) or frame.over_tid
    first = frame.fra_aar if "fra_aar" in frame.explicit and frame.fra_aar is not None else min(ctx.years)
    years = tuple(y for y in ctx.years if first <= y <= frame.aar)
    tid = Tid(frame.aar, years[0]) if span and len(years) > 1 else Tid(frame.aar)
    if s == "endring":
        tid = Tid(frame.aar, frame.fra_aar, endring=True) if frame.fra_aar and frame.fra_aar < frame.aar else tid
    aggregat = "antall" if s == "antall" else "snitt" if s == "snitt" else None
    if s == "befolkning" and listed and not (frame.retning or "n" in frame.explicit):
        listed, aggregat = False, "sum"  # «Hvor mange innbyggere har Nordland?»: the total
    orden = ("verst" if frame.verst else "best") if listed else None
    if s in AMOUNT_LISTS and listed:
        orden = "lavest" if frame.lavest else "hoyest"  # an amount is high or low, not «best»
    if listed and frame.plasser and refs:  # «plass 50–55»: those ranks, not «the 6 best»
        return QuerySpec(tuple(refs), tid, _utvalg(frame, kommuner=False),
                         vilkaar=(Rangvilkaar(refs[0], *frame.plasser),))
    return QuerySpec(tuple(refs), tid, _utvalg(frame, kommuner=not listed), aggregat=aggregat,
                     orden=orden, grense=frame.n if listed else None)
