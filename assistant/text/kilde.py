"""Where the numbers of a query specification's answer come from, said once per answer: the
sources of `datakilde` for every measure and year it reads («Kilde: SSB (KOSTRA), SSB
(befolkning)»), and demo data as soon as one of them is synthetic."""

from dataclasses import dataclass

from assistant.query.spec import QuerySpec, resolve
from assistant.understand.context import KILDE_DEMO, Context

__all__ = ["Kilde", "kilde"]

ESTIMAT = "beregnet etter metoden i docs/metode.md"
REGISTER = "Kilde: SSB (kommuneregisteret)."


@dataclass(frozen=True)
class Kilde:
    """The source line of one answer; `demo` when any number in it is demo data."""

    demo: bool
    tekst: str


def _credits(kreditering: list[str]) -> list[str]:
    """ ["Kilde: SSB (KOSTRA), SSB (befolkning)", "Kilde: SSB (KOSTRA)"] → the sources once each.

    >>> _credits(["Kilde: SSB (KOSTRA), SSB (befolkning)", "Kilde: SSB (KOSTRA)"])
    ['SSB (KOSTRA)', 'SSB (befolkning)']
    """
    parts = [p.strip() for k in kreditering for p in k.removeprefix("Kilde:").split(",")]
    return list(dict.fromkeys(p for p in parts if p))


def kilde(spec: QuerySpec, ctx: Context) -> Kilde:
    """The sources of every measure (and condition) the spec reads, in every year it reads.

    A database without per-measure sources gives the context's own line.
    """
    katalog = ctx.katalog
    if not katalog.kilder:
        return Kilde(ctx.er_demodata, ctx.kilde)
    found = []
    for ref in spec.maal + tuple(v.maal for v in spec.vilkaar):
        m, tjeneste = resolve(ref, katalog)
        key = m.kilde_nokkel(tjeneste)
        years = spec.tid.years if m.har_aar else (max((a for t, k, a in katalog.kilder if (t, k) == (m.tabell, key)), default=0),)
        found += [katalog.kilder[(m.tabell, key, y)] for y in years if (m.tabell, key, y) in katalog.kilder]
    if not found:
        return Kilde(False, REGISTER) if all(not resolve(r, katalog)[0].har_aar for r in spec.maal) else Kilde(ctx.er_demodata, ctx.kilde)
    statuses = {status for status, _ in found}
    if "demo" in statuses:
        return Kilde(True, KILDE_DEMO)
    estimated = f"; {ESTIMAT}" if "estimat" in statuses else ""
    return Kilde(False, f"Kilde: {', '.join(_credits([k for _, k in found]))}{estimated}.")
