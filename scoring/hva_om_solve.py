"""Solving a what-if for a target rank: how far a municipality's cost must move to reach a
rank on one index ("Hvor mye må pleie og omsorg i Vadsø koste for å komme på topp 100?").

Each trial recomputes only the one index aimed at (`target_part`), with the build's own
functions; regula falsi (`find_boundary`) needs about ten trials.
"""

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from scoring.config import Config
from scoring.contract import ALLE
from scoring.effektivitet import effektivitetsindeks
from scoring.hva_om import (
    KOSTNAD_COLUMNS,
    CostChange,
    Recomputation,
    YearTables,
    apply_cost_changes,
    changed_cost_table,
    scaled_costs,
)
from scoring.kommuneindeks import kommuneindeks
from scoring.kostnad import kostnadsindeks
from scoring.rang import rank_groups


def target_part(
    base: Recomputation,
    tables: YearTables,
    config: Config,
    target: tuple[str, str],
    cost: Iterable[CostChange],
) -> pd.DataFrame:
    """One index (tjeneste, indekstype) for every municipality after cost changes, from a
    cheap partial recomputation of just that index (what the solver evaluates)."""
    tjeneste, indekstype = target
    kost = kostnadsindeks(_cost_rows_for(base, tables, tjeneste, tuple(cost)), config)
    if indekstype == "kostnad":
        return kost
    if indekstype == "effektivitet":
        kval = base.parts["kvalitet"]
        return effektivitetsindeks(kost, kval[kval["tjeneste"] == tjeneste], config)
    if indekstype == "kommuneindeks":
        return kommuneindeks(kost, base.parts["kvalitet"], base.parts["finans"], config)
    raise ValueError(f"Kostnad påvirker ikke indekstypen {indekstype}.")


def rank_of(
    base: Recomputation,
    tables: YearTables,
    config: Config,
    kommunenr: str,
    target: tuple[str, str],
    cost: Iterable[CostChange],
) -> int | None:
    """The municipality's rank on one index after cost changes (see `target_part`)."""
    ranked = rank_groups(target_part(base, tables, config, target, cost), ["aar", "tjeneste"])
    rang = ranked.loc[ranked["kommunenr"] == kommunenr, "rang"]
    return None if rang.empty or pd.isna(rang.iloc[0]) else int(rang.iloc[0])


def margin(part: pd.DataFrame, kommunenr: str, rang: int) -> float:
    """How far the municipality's index value is above what rank `rang` takes: its value minus
    the `rang`-th best value among the others. Not negative exactly when its rank (ties
    sharing the best) is `rang` or better; -inf when it is not ranked.

    >>> p = pd.DataFrame({"kommunenr": ["a", "b", "c"], "verdi": [1.0, 1.2, 0.9]})
    >>> round(margin(p, "a", 2), 6), round(margin(p, "a", 1), 6), margin(p, "c", 3)
    (0.1, -0.2, inf)
    """
    own = part.loc[part["kommunenr"] == kommunenr, "verdi"]
    if own.empty or pd.isna(own.iloc[0]):
        return -np.inf
    others = part.loc[part["kommunenr"] != kommunenr, "verdi"].dropna().sort_values(ascending=False)
    if len(others) < rang:
        return np.inf
    return float(own.iloc[0]) - float(others.iloc[rang - 1])


def _cost_rows_for(
    base: Recomputation, tables: YearTables, tjeneste: str, cost: tuple[CostChange, ...]
) -> pd.DataFrame:
    """The cost rows of one service (or 'alle') after the changes, all municipalities."""
    if tjeneste != ALLE:
        rows = base.kostnad[base.kostnad["tjeneste"] == tjeneste]
        innbyggere = tables.befolkning.set_index("kommunenr")["innbyggere"]
        return apply_cost_changes(rows, [c for c in cost if c.tjeneste == tjeneste], innbyggere)
    touched = base.kostnad["kommunenr"].isin({c.kommunenr for c in cost})
    table = changed_cost_table(base.kostnad[touched], tables, cost)
    alle = base.kostnad[base.kostnad["tjeneste"] == ALLE].copy()
    new = table[table["tjeneste"] == ALLE].set_index("kommunenr")
    hit = alle["kommunenr"].isin(new.index)
    alle.loc[hit, KOSTNAD_COLUMNS] = new.loc[alle.loc[hit, "kommunenr"], KOSTNAD_COLUMNS].to_numpy()
    return alle


def factor_range(kostnad: pd.DataFrame, kommunenr: str, tjeneste: str) -> tuple[float, float]:
    """How far a municipality's cost can move within what some municipality really spends:
    (lowest in the country / own, highest / own), on need-adjusted kr per inhabitant.

    >>> k = pd.DataFrame({"kommunenr": ["a", "b", "c"], "tjeneste": ["helse"] * 3,
    ...                   "behovskorrigert_kr_per_innbygger": [50.0, 100.0, 200.0]})
    >>> factor_range(k, "b", "helse")
    (0.5, 2.0)
    """
    rows = kostnad[kostnad["tjeneste"] == tjeneste].set_index("kommunenr")
    values = rows["behovskorrigert_kr_per_innbygger"]
    own = float(values[kommunenr])
    return float(values.min()) / own, float(values.max()) / own


def _secant(good: float, g_good: float, bad: float, g_bad: float) -> float:
    """Where the straight line through the two points crosses zero, if strictly inside the
    bracket; else the midpoint.

    >>> _secant(0.0, 1.0, 1.0, -1.0), _secant(0.0, 1.0, 1.0, float("-inf"))
    (0.5, 0.5)
    """
    lo, hi = sorted((good, bad))
    if np.isfinite(g_good) and np.isfinite(g_bad) and g_good != g_bad:
        x = bad - g_bad * (bad - good) / (g_bad - g_good)
        if lo < x < hi:
            return float(x)
    return (good + bad) / 2


def find_boundary(
    g: Callable[[float], float], good: float, bad: float, tolerance: float, max_steps: int = 60
) -> float:
    """The last point from `good` (g >= 0) towards `bad` (g < 0) where g >= 0, to within
    `tolerance`. Regula falsi with the Illinois rule; when a new point lies within half the
    tolerance of the estimated crossing, one probe across it closes the bracket. g is
    continuous here, so about eight evaluations do.

    >>> round(find_boundary(lambda x: 0.3 - x, 0.0, 1.0, 1e-9), 6)
    0.3
    >>> round(find_boundary(lambda x: 1.0 if x <= 0.3 else -1.0, 0.0, 1.0, 1e-6), 4)
    0.3
    """
    g_good, g_bad = g(good), g(bad)
    last = 0
    for _ in range(max_steps):
        if abs(bad - good) <= tolerance:
            break
        x = _secant(good, g_good, bad, g_bad)
        gx = g(x)
        toward_bad = 1.0 if bad > good else -1.0
        if gx >= 0:
            good, g_good = x, gx
            g_bad, last = (g_bad / 2 if last == 1 else g_bad), 1
            probe = x + toward_bad * tolerance / 2
        else:
            bad, g_bad = x, gx
            g_good, last = (g_good / 2 if last == -1 else g_good), -1
            probe = x - toward_bad * tolerance / 2
        if abs(_secant(good, g_good, bad, g_bad) - x) < tolerance / 2 and abs(bad - good) > tolerance:
            g_probe = g(probe)
            if g_probe >= 0:
                good, g_good = probe, g_probe
            else:
                bad, g_bad = probe, g_probe
    return good


def solve_cost_factor(
    base: Recomputation,
    tables: YearTables,
    config: Config,
    kommunenr: str,
    tjenester: tuple[str, ...],
    target: tuple[str, str],
    rang: int,
    tolerance_kr: float = 1.0,
) -> float | None:
    """The factor on the municipality's need-adjusted cost of `tjenester` at which it just
    reaches `rang` on `target` (tjeneste, indekstype): the highest cost that still gives that
    rank. Searched between the lowest and highest cost in the country; None when even the
    lowest does not reach it."""
    if not tjenester:
        return None
    group = target[0] if target[0] != ALLE or len(tjenester) > 1 else tjenester[0]
    low, high = factor_range(base.kostnad, kommunenr, group if len(tjenester) == 1 else ALLE)

    def g(factor: float) -> float:
        changes = scaled_costs(base.kostnad, kommunenr, tjenester, factor)
        return margin(target_part(base, tables, config, target, changes), kommunenr, rang)

    own = base.kostnad[
        (base.kostnad["kommunenr"] == kommunenr) & base.kostnad["tjeneste"].isin(list(tjenester))
    ]["behovskorrigert_kr_per_innbygger"].sum()
    tolerance = tolerance_kr / own if own > 0 else 1e-6
    if g(1.0) >= 0:
        return 1.0 if g(high) >= 0 else find_boundary(g, 1.0, high, tolerance)
    if g(low) < 0:
        return None
    return find_boundary(g, low, 1.0, tolerance)


__all__ = ["factor_range", "find_boundary", "margin", "rank_of", "solve_cost_factor", "target_part"]
