"""Finansindeks: netto driftsresultat (50 %), netto lånegjeld (25 %) and disposisjonsfond (25 %),
each in % of gross operating income (method.md, «Structure»)."""

import pandas as pd

from scoring import raadata as rd
from scoring.config import Config
from scoring.contract import ALLE
from scoring.rang import standardize, to_scale, weighted_mean

COLUMNS = ["netto_driftsresultat_pst", "netto_lanegjeld_pst", "disposisjonsfond_pst"]


def finans(raadata: pd.DataFrame, years: list[int], kommunenr: pd.Series) -> pd.DataFrame:
    """The `finans` table: the three key figures per year and municipality (every municipality
    and year, NULL where a figure is missing)."""
    df = rd.select(raadata, "finans.")
    wide = df.pivot_table(index=["aar", "kommunenr"], columns="noekkel", values="verdi", dropna=False)
    grid = pd.MultiIndex.from_product([years, sorted(kommunenr)], names=["aar", "kommunenr"])
    return wide.reindex(index=grid, columns=COLUMNS).reset_index().rename_axis(columns=None)


def finansindeks(table: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Each key figure standardised against the mean and SD without outliers (the values are
    kept: a real accounting figure, and removing it would reward the extreme), debt flipped,
    weighted, on the scale."""
    v = config.vekter
    scores = pd.DataFrame(index=table.index)
    for col in COLUMNS:
        sign = 1.0 if v.finans_hoyere_er_bedre[col] else -1.0
        z = table.groupby("aar")[col].transform(lambda s: standardize(s, v.uteligger_sd))
        scores[col] = sign * z
    score = weighted_mean(scores, pd.Series(v.finans), v.dekning_min)
    verdi = score.groupby(table["aar"]).transform(
        lambda s: to_scale(s, v.skala_per_sd, v.uteligger_sd)
    )
    return table[["aar", "kommunenr"]].assign(tjeneste=ALLE, indekstype="finans", verdi=verdi)
