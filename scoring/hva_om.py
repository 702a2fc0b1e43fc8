"""What-if recomputation ("Hva om …?"): one year's indices computed again from the stored
intermediate tables, with changes applied in memory, by the same functions the build uses.

`recompute` reproduces the stored `indeks` rows of a year exactly when nothing changes (the
rows are put in the order the build has them, so that every sum adds up in the same order).
`recompute_with` applies cost or indicator changes and recomputes only the parts they touch;
`scoring.hva_om_solve` finds how far a cost must move to reach a rank.
Nothing here reads or writes a database: the caller passes the tables in.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from scoring.config import Config
from scoring.contract import ALLE, KOSTNADSTJENESTER
from scoring.effektivitet import effektivitetsindeks
from scoring.finans import finansindeks
from scoring.kommuneindeks import kommuneindeks
from scoring.kostnad import KOSTNAD_COLUMNS, kostnadsindeks
from scoring.kostnad import total_rows as kostnad_total
from scoring.kvalitet import indikatorskaar, kvalitetsindeks
from scoring.rang import mean_without_outliers, rank_groups

KEY = ["aar", "kommunenr", "tjeneste"]
RANK_BY = ["aar", "tjeneste", "indekstype"]
# The order the build computes the parts in; `indeks` is their concatenation.
PARTS = ("kostnad", "kvalitet", "finans", "effektivitet", "kommuneindeks")


@dataclass(frozen=True)
class YearTables:
    """One year's stored intermediate tables: everything a recomputation reads.

    `kostnad` has the seven services and 'alle'; `kommune` has kommunenr and kostragruppe;
    `befolkning` has kommunenr and innbyggere. Frames are never changed in place.
    """

    aar: int
    kostnad: pd.DataFrame
    indikatorverdi: pd.DataFrame
    finans: pd.DataFrame
    kommune: pd.DataFrame
    befolkning: pd.DataFrame


@dataclass(frozen=True)
class CostChange:
    """One municipality's need-adjusted cost of one of the seven services, set to a new value."""

    kommunenr: str
    tjeneste: str
    behovskorrigert_kr_per_innbygger: float


@dataclass(frozen=True)
class IndicatorChange:
    """One municipality's raw value of one quality indicator, set to a new value."""

    kommunenr: str
    indikator: str
    verdi: float


@dataclass(frozen=True)
class Recomputation:
    """A year's indices and the frames they are made of (unranked parts, ranked `indeks`)."""

    kostnad: pd.DataFrame
    verdier: pd.DataFrame
    skaar: pd.DataFrame
    parts: dict[str, pd.DataFrame]
    indeks: pd.DataFrame


def build_order(tables: YearTables) -> YearTables:
    """The tables in the row order the build computes with: cost rows by service (contract
    order) then municipality, 'alle' last; indicator values by indicator then municipality;
    finances by municipality. Sums then add up in the same order as in the build.

    >>> k = pd.DataFrame({"aar": 2024, "kommunenr": ["0301", "0301", "0101"],
    ...                   "tjeneste": ["alle", "grunnskole", "grunnskole"]})
    >>> t = YearTables(2024, k, k.iloc[:0].assign(indikator=[]), k.iloc[:0], k.iloc[:0], k.iloc[:0])
    >>> build_order(t).kostnad[["kommunenr", "tjeneste"]].values.tolist()
    [['0101', 'grunnskole'], ['0301', 'grunnskole'], ['0301', 'alle']]
    """
    order = {t: i for i, t in enumerate((*KOSTNADSTJENESTER, ALLE))}
    kostnad = tables.kostnad.assign(_o=tables.kostnad["tjeneste"].map(order))
    kostnad = kostnad.sort_values(["_o", "kommunenr"], kind="stable").drop(columns="_o")
    verdier = tables.indikatorverdi.sort_values(["indikator", "kommunenr"], kind="stable")
    finans = tables.finans.sort_values("kommunenr", kind="stable")
    return replace(
        tables,
        kostnad=kostnad.reset_index(drop=True),
        indikatorverdi=verdier.reset_index(drop=True),
        finans=finans.reset_index(drop=True),
    )


def services(kostnad: pd.DataFrame) -> pd.DataFrame:
    """The rows of the seven cost services (without 'alle')."""
    return kostnad[kostnad["tjeneste"] != ALLE]


def with_total(service_rows: pd.DataFrame, kommune: pd.DataFrame) -> pd.DataFrame:
    """The `kostnad` table again: the service rows and 'alle' summed from them, as the build
    does it (`scoring.kostnad`)."""
    rows = service_rows.merge(kommune[["kommunenr", "kostragruppe"]], on="kommunenr", how="left")
    total = kostnad_total(rows)
    cols = KEY + KOSTNAD_COLUMNS
    return pd.concat([rows[cols], total[cols]], ignore_index=True)


def recompute(tables: YearTables, config: Config) -> Recomputation:
    """Every index of the year from the tables, ranked: the stored `indeks` rows when the
    tables are unchanged."""
    tables = build_order(tables)
    kostnad = with_total(services(tables.kostnad), tables.kommune)
    verdier = tables.indikatorverdi.assign(aar=tables.aar)
    skaar = indikatorskaar(verdier, config)
    kost = kostnadsindeks(kostnad, config)
    kval = kvalitetsindeks(skaar, config)
    fin = finansindeks(tables.finans.assign(aar=tables.aar), config)
    parts = {
        "kostnad": kost,
        "kvalitet": kval,
        "finans": fin,
        "effektivitet": effektivitetsindeks(kost, kval, config),
        "kommuneindeks": kommuneindeks(kost, kval, fin, config),
    }
    return Recomputation(kostnad, verdier, skaar, parts, _ranked(parts))


def _ranked(parts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    indeks = pd.concat([parts[p] for p in PARTS], ignore_index=True)
    return rank_groups(indeks, RANK_BY)


def apply_cost_changes(
    kostnad: pd.DataFrame, changes: Iterable[CostChange], innbyggere: pd.Series
) -> pd.DataFrame:
    """The service rows with new need-adjusted costs: kr per inhabitant, net expenditure and
    savings potential follow (the KOSTRA group's average stays as it was, the yardstick).

    `innbyggere` is indexed by kommunenr.

    >>> k = pd.DataFrame({"aar": [2024], "kommunenr": ["0301"], "tjeneste": ["helse"],
    ...     "netto_driftsutgifter_kr": [2e6], "kr_per_innbygger": [2000.0], "behovsindeks": [0.8],
    ...     "behovskorrigert_kr_per_innbygger": [2500.0], "gruppesnitt_kr_per_innbygger": [2400.0],
    ...     "innsparingspotensial_kr": [80000.0]})
    >>> out = apply_cost_changes(k, [CostChange("0301", "helse", 2400.0)], pd.Series({"0301": 1000}))
    >>> out[["kr_per_innbygger", "netto_driftsutgifter_kr", "innsparingspotensial_kr"]].values.tolist()
    [[1920.0, 1920000.0, 0.0]]
    """
    out = services(kostnad).copy()
    new = {(c.kommunenr, c.tjeneste): c.behovskorrigert_kr_per_innbygger for c in changes}
    if not new:
        return out
    keys = pd.MultiIndex.from_arrays([out["kommunenr"], out["tjeneste"]])
    b = pd.Series(keys.map(new.get), index=out.index, dtype=float)
    hit = b.notna()
    rows = out.loc[hit]
    b, innb = b[hit], rows["kommunenr"].map(innbyggere).astype(float)
    kr = b * rows["behovsindeks"]
    out.loc[hit, "behovskorrigert_kr_per_innbygger"] = b
    out.loc[hit, "kr_per_innbygger"] = kr
    out.loc[hit, "netto_driftsutgifter_kr"] = kr * innb
    out.loc[hit, "innsparingspotensial_kr"] = (
        (b - rows["gruppesnitt_kr_per_innbygger"]) * innb * rows["behovsindeks"]
    )
    return out


def apply_indicator_changes(verdier: pd.DataFrame, changes: Iterable[IndicatorChange]) -> pd.DataFrame:
    """The indicator values with some set to new values.

    >>> v = pd.DataFrame({"aar": [2024], "kommunenr": ["0301"], "indikator": ["x"], "verdi": [1.0]})
    >>> apply_indicator_changes(v, [IndicatorChange("0301", "x", 3.0)])["verdi"].tolist()
    [3.0]
    """
    out = verdier.copy()
    for change in changes:
        hit = (out["kommunenr"] == change.kommunenr) & (out["indikator"] == change.indikator)
        out.loc[hit, "verdi"] = change.verdi
    return out


def recompute_with(
    base: Recomputation,
    tables: YearTables,
    config: Config,
    cost: Iterable[CostChange] = (),
    indicators: Iterable[IndicatorChange] = (),
) -> Recomputation:
    """The indices after the changes. Only what a change touches is computed again: a cost
    change the changed services' and the total cost and efficiency, an indicator change its
    indicator's scores and the quality index, and then the efficiency of the touched services
    and the Kommuneindeks. The finance index never changes here.

    Every index works within one service and year, so the untouched groups keep their values
    and the result equals a full `recompute` of the changed tables.
    """
    cost, indicators = tuple(cost), tuple(indicators)
    kostnad, verdier, skaar = base.kostnad, base.verdier, base.skaar
    parts = dict(base.parts)
    touched: set[str] = set()
    if cost:
        kostnad = changed_cost_table(base.kostnad, tables, cost)
        touched |= {c.tjeneste for c in cost} | {ALLE}
        rows = kostnad[kostnad["tjeneste"].isin(touched)]
        parts["kostnad"] = _splice(parts["kostnad"], kostnadsindeks(rows, config))
    if indicators:
        verdier = apply_indicator_changes(verdier, indicators)
        # Only quality indicators move an index; explanatory ones are stored values only.
        quality = {i.indikator: i.tjeneste for i in config.indikatorer if i.gruppe == "kvalitet"}
        changed = {c.indikator for c in indicators} & set(quality)
        if changed:
            skaar = _changed_scores(base.skaar, verdier, changed, config)
            parts["kvalitet"] = kvalitetsindeks(skaar, config)
            touched |= {quality[k] for k in changed} | {ALLE}
    if touched:
        kost, kval, fin = parts["kostnad"], parts["kvalitet"], parts["finans"]
        effekt = effektivitetsindeks(
            kost[kost["tjeneste"].isin(touched)], kval[kval["tjeneste"].isin(touched)], config
        )
        parts["effektivitet"] = _splice(parts["effektivitet"], effekt)
        parts["kommuneindeks"] = kommuneindeks(kost, kval, fin, config)
    return Recomputation(kostnad, verdier, skaar, parts, _ranked(parts))


def _splice(part: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """`part` with the services that `new` has replaced by `new`'s rows (order kept within
    each service, so every later sum adds up in the same order)."""
    kept = part[~part["tjeneste"].isin(set(new["tjeneste"]))]
    return pd.concat([kept, new], ignore_index=True)


def _changed_scores(
    skaar: pd.DataFrame, verdier: pd.DataFrame, indikatorer: set[str], config: Config
) -> pd.DataFrame:
    """The indicator scores with the changed indicators standardised again (each indicator is
    standardised on its own, so the others keep their scores)."""
    rows = verdier[verdier["indikator"].isin(indikatorer)]
    out = skaar.copy()
    out.loc[rows.index, "skaar"] = indikatorskaar(rows, config)["skaar"]
    return out


def changed_cost_table(
    kostnad: pd.DataFrame, tables: YearTables, cost: tuple[CostChange, ...]
) -> pd.DataFrame:
    """The `kostnad` table after the changes: the changed service rows, and 'alle' summed again
    for the municipalities changed (the KOSTRA group averages stay the yardstick)."""
    innbyggere = tables.befolkning.set_index("kommunenr")["innbyggere"]
    changed = apply_cost_changes(kostnad, cost, innbyggere)
    alle = kostnad[kostnad["tjeneste"] == ALLE].copy()
    touched = sorted({c.kommunenr for c in cost})
    own = with_total(changed[changed["kommunenr"].isin(touched)], tables.kommune)
    own = own[own["tjeneste"] == ALLE].set_index("kommunenr")
    hit = alle["kommunenr"].isin(touched)
    alle.loc[hit, KOSTNAD_COLUMNS] = own.loc[alle.loc[hit, "kommunenr"], KOSTNAD_COLUMNS].to_numpy()
    return pd.concat([changed, alle], ignore_index=True)


def national_mean(kostnad: pd.DataFrame, tjeneste: str, outlier_sd: float) -> float:
    """The national average need-adjusted cost of a service: the mean behind cost index 1.00
    (outliers beyond `outlier_sd` SD left out, as in `kostnadsindeks`).

    >>> k = pd.DataFrame({"tjeneste": ["helse"] * 3, "behovskorrigert_kr_per_innbygger": [1.0, 2.0, 3.0]})
    >>> national_mean(k, "helse", 2.0)
    2.0
    """
    values = kostnad.loc[kostnad["tjeneste"] == tjeneste, "behovskorrigert_kr_per_innbygger"]
    return mean_without_outliers(values.dropna(), outlier_sd)


def scaled_costs(
    kostnad: pd.DataFrame, kommunenr: str, tjenester: Iterable[str], factor: float
) -> list[CostChange]:
    """The municipality's need-adjusted cost of the services, multiplied by `factor`.

    >>> k = pd.DataFrame({"kommunenr": ["0301"], "tjeneste": ["helse"],
    ...                   "behovskorrigert_kr_per_innbygger": [2000.0]})
    >>> scaled_costs(k, "0301", ["helse"], 0.9)[0].behovskorrigert_kr_per_innbygger
    1800.0
    """
    own = kostnad[(kostnad["kommunenr"] == kommunenr) & kostnad["tjeneste"].isin(list(tjenester))]
    return [
        CostChange(kommunenr, t, float(b) * factor)
        for t, b in zip(own["tjeneste"], own["behovskorrigert_kr_per_innbygger"])
        if pd.notna(b)
    ]


def innsparing_kr(before: pd.DataFrame, after: pd.DataFrame, kommunenr: str) -> float:
    """Kroner saved by the change (negative = spent more): the fall in net expenditure of the
    seven services.

    >>> b = pd.DataFrame({"kommunenr": ["a"], "tjeneste": ["helse"], "netto_driftsutgifter_kr": [10.0]})
    >>> innsparing_kr(b, b.assign(netto_driftsutgifter_kr=7.0), "a")
    3.0
    """
    def spent(df: pd.DataFrame) -> float:
        own = services(df)
        return float(own.loc[own["kommunenr"] == kommunenr, "netto_driftsutgifter_kr"].sum())

    return spent(before) - spent(after)


__all__ = [
    "CostChange",
    "IndicatorChange",
    "Recomputation",
    "YearTables",
    "apply_cost_changes",
    "apply_indicator_changes",
    "build_order",
    "changed_cost_table",
    "innsparing_kr",
    "national_mean",
    "recompute",
    "recompute_with",
    "scaled_costs",
    "services",
    "with_total",
]
