"""The inputs of the method, and which index each one feeds.

An input is a raw-data variable (`innbyggere`, `netto_driftsutgifter.<tjeneste>`,
`arbeidsgiveravgift.<tjeneste>`, `indikator.<indikator>`, `finans.<nøkkeltall>`) or a need index
(`behovsindeks.<tjeneste>`). An index is named `<indekstype>:<tjeneste>` as in `datakilde.maal`.

`computable` states which indices a set of present inputs allows, by the method's own rules
(all cost inputs; 60 % of a service's quality indicators; 60 % of the finance key figures; both
parts of efficiency; all three parts of the Kommuneindeks). The employer's tax and the need index
never stop anything: the tax is then estimated from the AGA zone, the need index falls back to
the total index and then 1.00. `stops` is the difference one input makes.
"""

from dataclasses import dataclass

from scoring.config import Config
from scoring.contract import ALLE, KOSTNADSTJENESTER, TJENESTER

INNBYGGERE = "innbyggere"
FINANSNAVN = {
    "netto_driftsresultat_pst": "Netto driftsresultat",
    "netto_lanegjeld_pst": "Netto lånegjeld",
    "disposisjonsfond_pst": "Disposisjonsfond",
}
INDEKSNAVN = {
    "kostnad": "kostnadsindeks",
    "kvalitet": "kvalitetsindeks",
    "effektivitet": "effektivitetsindeks",
    "finans": "finansindeks",
    "kommuneindeks": "Kommuneindeksen",
}


@dataclass(frozen=True)
class Inndata:
    """One input of the method."""

    noekkel: str  # raw-data variable, or behovsindeks.<tjeneste>
    gruppe: str  # befolkning, utgifter, arbeidsgiveravgift, behovsindeks, kvalitet, forklaring, finans
    navn: str
    kort: str  # the name within its group, for lists («grunnskole», «netto lånegjeld»)


def netto(tjeneste: str) -> str:
    return f"netto_driftsutgifter.{tjeneste}"


def aga(tjeneste: str) -> str:
    return f"arbeidsgiveravgift.{tjeneste}"


def behov(tjeneste: str) -> str:
    return f"behovsindeks.{tjeneste}"


def indikator(key: str) -> str:
    return f"indikator.{key}"


def finans(column: str) -> str:
    return f"finans.{column}"


def inndata(config: Config) -> tuple[Inndata, ...]:
    """Every input, in the order `kommuneindeks data status` lists them."""
    navn = {t.tjeneste: t.navn for t in config.tjenester}
    out = [Inndata(INNBYGGERE, "befolkning", "Innbyggere ved utgangen av året", "innbyggere")]
    for prefix, gruppe, label in (
        (netto, "utgifter", "Netto driftsutgifter"),
        (aga, "arbeidsgiveravgift", "Arbeidsgiveravgift"),
        (behov, "behovsindeks", "Behovsindeks"),
    ):
        out += [
            Inndata(prefix(t), gruppe, f"{label}, {navn[t].lower()}", navn[t].lower())
            for t in KOSTNADSTJENESTER
        ]
    out += [Inndata(indikator(i.indikator), i.gruppe, i.navn, i.navn) for i in config.indikatorer]
    out += [
        Inndata(finans(c), "finans", f"{n} (% av brutto driftsinntekter)", n.lower())
        for c, n in FINANSNAVN.items()
    ]
    return tuple(out)


def kvalitetsindikatorer(config: Config) -> dict[str, list[str]]:
    """The inputs of each service's quality index (indicators of the quality group)."""
    out: dict[str, list[str]] = {}
    for i in config.indikatorer:
        if i.gruppe == "kvalitet":
            out.setdefault(i.tjeneste, []).append(indikator(i.indikator))
    return out


def index_inputs(config: Config) -> dict[str, frozenset[str]]:
    """Every index (`indekstype:tjeneste`) and all the inputs it is computed from."""
    out: dict[str, frozenset[str]] = {}
    for t in KOSTNADSTJENESTER:
        out[f"kostnad:{t}"] = frozenset({INNBYGGERE, netto(t), aga(t), behov(t)})
    out[f"kostnad:{ALLE}"] = frozenset().union(*(out[f"kostnad:{t}"] for t in KOSTNADSTJENESTER))
    quality = kvalitetsindikatorer(config)
    for t, keys in quality.items():
        out[f"kvalitet:{t}"] = frozenset(keys)
    out[f"kvalitet:{ALLE}"] = frozenset().union(*(frozenset(k) for k in quality.values()))
    for t in (*KOSTNADSTJENESTER, ALLE):
        if f"kvalitet:{t}" in out:
            out[f"effektivitet:{t}"] = out[f"kostnad:{t}"] | out[f"kvalitet:{t}"]
    out[f"finans:{ALLE}"] = frozenset(finans(c) for c in FINANSNAVN)
    out[f"kommuneindeks:{ALLE}"] = (
        out[f"kostnad:{ALLE}"] | out[f"kvalitet:{ALLE}"] | out[f"finans:{ALLE}"]
    )
    return out


def computable(present: frozenset[str] | set[str], config: Config) -> set[str]:
    """The indices the method can compute (for at least some municipalities) from `present`."""
    need = config.vekter.dekning_min - 1e-12
    out: set[str] = set()
    for t in KOSTNADSTJENESTER:
        if {INNBYGGERE, netto(t)} <= present:
            out.add(f"kostnad:{t}")
    if all(f"kostnad:{t}" in out for t in KOSTNADSTJENESTER):
        out.add(f"kostnad:{ALLE}")
    quality = kvalitetsindikatorer(config)
    for t, keys in quality.items():
        if sum(k in present for k in keys) / len(keys) >= need:
            out.add(f"kvalitet:{t}")
    services = [t for t in TJENESTER if t in quality]
    if services and sum(f"kvalitet:{t}" in out for t in services) / len(services) >= need:
        out.add(f"kvalitet:{ALLE}")
    for t in (*KOSTNADSTJENESTER, ALLE):
        if {f"kostnad:{t}", f"kvalitet:{t}"} <= out:
            out.add(f"effektivitet:{t}")
    keys = [finans(c) for c in FINANSNAVN]
    if sum(k in present for k in keys) / len(keys) >= need:
        out.add(f"finans:{ALLE}")
    if {f"kostnad:{ALLE}", f"kvalitet:{ALLE}", f"finans:{ALLE}"} <= out:
        out.add(f"kommuneindeks:{ALLE}")
    return out


def stops(present: frozenset[str] | set[str], key: str, config: Config) -> list[str]:
    """The indices that cannot be computed without `key`, given the other present inputs."""
    with_key = computable(set(present) | {key}, config)
    without = computable(set(present) - {key}, config)
    return sorted(with_key - without, key=index_order)


def feeds(key: str, config: Config) -> list[str]:
    """Every index `key` is an input of."""
    return sorted((i for i, keys in index_inputs(config).items() if key in keys), key=index_order)


def index_order(index: str) -> tuple[int, int]:
    indekstype, tjeneste = index.split(":")
    order = (*TJENESTER, ALLE)
    return (list(INDEKSNAVN).index(indekstype), order.index(tjeneste))


def describe_indices(indices: list[str], config: Config) -> str:
    """Indices in words, by index type: «kostnadsindeks (grunnskole, totalt), Kommuneindeksen».

    >>> from scoring.config import default_config
    >>> describe_indices(["kostnad:grunnskole", "kostnad:alle", "kommuneindeks:alle"], default_config())
    'kostnadsindeks (grunnskole, totalt), Kommuneindeksen'
    """
    navn = {t.tjeneste: t.navn.lower() for t in config.tjenester} | {ALLE: "totalt"}
    by_type: dict[str, list[str]] = {}
    for index in indices:
        indekstype, tjeneste = index.split(":")
        by_type.setdefault(indekstype, []).append(tjeneste)
    parts = []
    for indekstype, tjenester in by_type.items():
        if indekstype == "kommuneindeks":
            parts.append(INDEKSNAVN[indekstype])
        else:
            parts.append(f"{INDEKSNAVN[indekstype]} ({', '.join(navn[t] for t in tjenester)})")
    return ", ".join(parts)
