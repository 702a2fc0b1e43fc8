"""Step 2: check the catalogue against the tables' metadata before any data is fetched.

Lists, per variable, every table, dimension and code SSB does not have, with suggestions from
the code labels (the `hint` in the catalogue).
"""

from scoring.ssb.jsonstat import TabellMeta
from scoring.ssb.katalog import CONTENTS, TID, Variabel


def check_katalog(
    variabler: list[Variabel], metas: dict[str, TabellMeta | None], regiondim: dict[str, str]
) -> dict[str, list[str]]:
    """Problems per variable: tables, dimensions and codes the metadata lacks (empty = all fine)."""
    problems: dict[str, list[str]] = {}
    chosen = {}  # table -> dimensions some entry selects; all entries must then select them
    for v in variabler:
        chosen.setdefault(v.tabell, set()).update(v.filter)
    for v in variabler:
        meta = metas.get(v.tabell)
        found = (
            _variable_problems(v, meta, regiondim.get(v.tabell), chosen[v.tabell])
            if meta
            else [f"tabell {v.tabell} finnes ikke hos SSB"]
        )
        if found:
            problems[v.navn] = found
    return problems


def _variable_problems(
    v: Variabel, meta: TabellMeta, region: str | None, chosen: set[str]
) -> list[str]:
    t, dims = v.tabell, meta.dimensjoner
    out = []
    region = region or meta.geo
    if region not in dims:
        out.append(f"tabell {t} har ikke regiondimensjonen «{region}» (har: {', '.join(dims)})")
    if TID not in dims:
        out.append(f"tabell {t} har ikke tidsdimensjonen «{TID}»")
    for dim, codes in v.codes().items():
        if dim not in dims:
            out.append(f"tabell {t} har ikke dimensjonen «{dim}» (har: {', '.join(dims)})")
            continue
        for code in codes:
            if code not in dims[dim]:
                out.append(
                    f"tabell {t} har ikke koden «{code}» i {dim}{_suggest(meta, dim, v.hint.get(dim))}"
                )
    free = set(dims) - {region, TID, CONTENTS} - set(v.filter)
    for dim in sorted(free):
        if not meta.eliminerbar.get(dim, True) or dim in chosen:
            out.append(f"tabell {t}: katalogen må velge kode(r) i dimensjonen «{dim}»")
    return out


def _suggest(meta: TabellMeta, dim: str, hint: str | None) -> str:
    labels = meta.dimensjoner[dim]
    if hint:
        hits = [f"{c} «{lab}»" for c, lab in labels.items() if hint.casefold() in lab.casefold()]
        return (
            f"; koder med «{hint}» i navnet: {', '.join(hits[:5])}"
            if hits
            else f"; ingen kode har «{hint}» i navnet"
        )
    return f" (har f.eks.: {', '.join(list(labels)[:8])})"
