"""Shared maths of every index: outliers (removed, not clipped), standardising, the common
scale, combining and ranks."""

import numpy as np
import pandas as pd


def without_outliers(values: pd.Series, outlier_sd: float) -> pd.Series:
    """The values with those further than `outlier_sd` standard deviations from the mean removed
    (set to missing): «tatt bort ekstremverdier», not pulled in.

    >>> without_outliers(pd.Series([0.0] * 9 + [100.0]), 2.0).isna().tolist()[-2:]
    [False, True]
    """
    mean, sd = values.mean(), values.std(ddof=0)
    if not np.isfinite(sd) or sd == 0:
        return values
    return values.where((values - mean).abs() <= outlier_sd * sd)


def mean_without_outliers(values: pd.Series, outlier_sd: float) -> float:
    """The mean of the values within `outlier_sd` standard deviations of the mean.

    >>> mean_without_outliers(pd.Series([10.0] * 9 + [100.0]), 2.0)
    10.0
    """
    return float(without_outliers(values, outlier_sd).mean())


def standardize(values: pd.Series, outlier_sd: float, center: float | None = None) -> pd.Series:
    """z-scores against the mean and SD of the values without outliers; the values themselves
    are kept as they are. Centred on that mean unless `center` is given (indices use 1.00, the
    national average, so that the average municipality scores 0).

    >>> standardize(pd.Series([1.0, 2.0, 3.0]), 2.0).round(3).tolist()
    [-1.225, 0.0, 1.225]
    >>> standardize(pd.Series([0.0, 2.0] * 5 + [100.0]), 2.0).round(1).tolist()[-1]
    99.0
    """
    reference = without_outliers(values, outlier_sd)
    sd = reference.std(ddof=0)
    c = reference.mean() if center is None else center
    if not np.isfinite(sd) or sd == 0:
        return (values - c) * 0.0
    return (values - c) / sd


def unit_spread(score: pd.Series, outlier_sd: float) -> pd.Series:
    """Divide a score by its standard deviation without outliers, without re-centring (0 stays 0).

    >>> unit_spread(pd.Series([-2.0, 0.0, 2.0]), 2.0).round(3).tolist()
    [-1.225, 0.0, 1.225]
    """
    sd = without_outliers(score, outlier_sd).std(ddof=0)
    if not np.isfinite(sd) or sd == 0:
        return score * 0.0
    return score / sd


def to_scale(score: pd.Series, skala_per_sd: float, outlier_sd: float) -> pd.Series:
    """Present a score (0 = national average) as an index: 1.00 = average, one SD = skala.

    The score is divided by its spread but not re-centred, so that exactly average inputs
    give exactly 1.00.

    >>> to_scale(pd.Series([-2.0, 0.0, 2.0]), 0.1, 2.0).round(3).tolist()
    [0.878, 1.0, 1.122]
    """
    return 1.0 + skala_per_sd * unit_spread(score, outlier_sd)


def weighted_mean(scores: pd.DataFrame, weights: pd.Series, min_coverage: float) -> pd.Series:
    """Row-wise weighted mean over the columns that have data; NULL where the share of columns
    with data is below `min_coverage` (the 60 % rule counts indicators, not weights).

    >>> df = pd.DataFrame({"a": [1.0, 1.0], "b": [3.0, None], "c": [5.0, None]})
    >>> weighted_mean(df, pd.Series({"a": 1.0, "b": 1.0, "c": 2.0}), 0.6).tolist()
    [3.5, nan]
    """
    w = weights.reindex(scores.columns).astype(float)
    present = scores.notna()
    total_w = present.mul(w, axis=1).sum(axis=1)
    value = scores.fillna(0.0).mul(w, axis=1).sum(axis=1) / total_w.replace(0, np.nan)
    coverage = present.sum(axis=1) / scores.shape[1]
    return value.where(coverage >= min_coverage - 1e-12)


def rank_best_first(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    """SQL RANK(): 1 = best, ties share the lowest rank, missing values stay unranked.

    >>> rank_best_first(pd.Series([3.0, 5.0, 5.0, None])).tolist()
    [3, 1, 1, <NA>]
    """
    return values.rank(method="min", ascending=not higher_is_better).astype("Int64")


def rank_groups(df: pd.DataFrame, by: list[str], value: str = "verdi") -> pd.DataFrame:
    """Add `rang` and `antall` (how many ranked) within each group, higher value = better."""
    out = df.copy()
    grouped = out.groupby(by, sort=False)[value]
    out["rang"] = grouped.rank(method="min", ascending=False).astype("Int64")
    out["antall"] = grouped.transform("count").astype("Int64")
    return out


def combine(parts: dict[str, pd.DataFrame], weights: dict[str, float], config) -> pd.DataFrame:
    """Combine indices into one; NULL unless all parts exist.

    `sammenstilling = "indeksverdier"` (the report's way): the weighted mean of the index values
    themselves, so an index that spreads wider weighs more. `"standardisert"`: each index as SDs
    from 1.00 first (SD without outliers), weighted, and presented on the index scale again.

    `parts` maps a name in `weights` to a frame with aar, kommunenr, tjeneste, verdi.
    """
    key = ["aar", "kommunenr", "tjeneste"]
    v = config.vekter
    standardised = v.sammenstilling == "standardisert"
    merged = None
    for name, df in parts.items():
        value = df["verdi"]
        if standardised:
            value = df.groupby(["aar", "tjeneste"])["verdi"].transform(
                lambda s: standardize(s, v.uteligger_sd, center=1.0)
            )
        part = df[key].assign(**{name: value})
        merged = part if merged is None else merged.merge(part, on=key, how="inner")
    score = weighted_mean(merged[list(parts)], pd.Series(weights), 1.0)
    if not standardised:
        return merged[key].assign(verdi=score)
    verdi = score.groupby([merged["aar"], merged["tjeneste"]]).transform(
        lambda s: to_scale(s, v.skala_per_sd, v.uteligger_sd)
    )
    return merged[key].assign(verdi=verdi)
