"""Kvalitetsindeks: indicator scores → service quality → total quality (method.md, «Quality»)."""

import pandas as pd

from scoring import raadata as rd
from scoring.config import Config
from scoring.contract import ALLE
from scoring.rang import (
    rank_best_first,
    standardize,
    to_scale,
    unit_spread,
    weighted_mean,
    without_outliers,
)


def indikatorverdi(raadata: pd.DataFrame, config: Config) -> pd.DataFrame:
    """The `indikatorverdi` table: raw values with their rank (1 = best, by direction)."""
    higher = {i.indikator: i.hoyere_er_bedre for i in config.indikatorer}
    df = rd.select(raadata, "indikator.").rename(columns={"noekkel": "indikator"})
    df = df[df["indikator"].isin(higher)].reset_index(drop=True)
    df["rang"] = pd.Series(pd.NA, index=df.index, dtype="Int64")
    for (_, ind), rows in df.groupby(["aar", "indikator"]):
        df.loc[rows.index, "rang"] = rank_best_first(rows["verdi"], higher[ind])
    return df[["aar", "kommunenr", "indikator", "verdi", "rang"]]


def indikatorskaar(verdier: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Per quality indicator and year: values beyond 2 SD removed (a likely reporting error: the
    municipality gets no score on it, as if the value were missing), the rest standardised, and
    flipped so that higher is better. Explanatory indicators (gruppe 'forklaring') get no score."""
    quality = {i.indikator: i for i in config.indikatorer if i.gruppe == "kvalitet"}
    sign = pd.Series({k: 1.0 if i.hoyere_er_bedre else -1.0 for k, i in quality.items()})
    sd = config.vekter.uteligger_sd
    rows = verdier[verdier["indikator"].isin(quality)]
    if rows.empty:
        return rows[["aar", "kommunenr", "indikator"]].assign(skaar=pd.Series(dtype=float))
    kept = rows.groupby(["aar", "indikator"])["verdi"].transform(lambda s: without_outliers(s, sd))
    z = kept.groupby([rows["aar"], rows["indikator"]]).transform(lambda s: standardize(s, sd))
    return rows[["aar", "kommunenr", "indikator"]].assign(skaar=z * rows["indikator"].map(sign))


def _service_scores(skaar: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Weighted mean of a service's quality indicator scores, with the coverage rule."""
    quality = [i for i in config.indikatorer if i.gruppe == "kvalitet"]
    weights = pd.Series({i.indikator: i.vekt for i in quality})
    service_of = {i.indikator: i.tjeneste for i in quality}
    wide = skaar.pivot_table(
        index=["aar", "kommunenr"], columns="indikator", values="skaar", dropna=False
    )
    frames = []
    for tjeneste in dict.fromkeys(service_of.values()):
        cols = [c for c, t in service_of.items() if t == tjeneste]
        block = wide.reindex(columns=cols)
        score = weighted_mean(block, weights[cols], config.vekter.dekning_min)
        frames.append(score.rename("skaar").reset_index().assign(tjeneste=tjeneste))
    return pd.concat(frames, ignore_index=True)


def kvalitetsindeks(skaar: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Quality index per service and in total ('alle'), 1.00 = national average."""
    v = config.vekter
    service = _service_scores(skaar, config)
    # Each service score on unit spread, so that services weigh by their weight, not their SD.
    service["skaar"] = service.groupby(["aar", "tjeneste"])["skaar"].transform(
        lambda s: unit_spread(s, v.uteligger_sd)
    )
    weights = pd.Series({t.tjeneste: t.kvalitetsvekt for t in config.tjenester})
    wide = service.pivot_table(
        index=["aar", "kommunenr"], columns="tjeneste", values="skaar", dropna=False
    )
    total = weighted_mean(wide, weights, v.dekning_min).rename("skaar").reset_index()
    total["tjeneste"] = ALLE
    out = pd.concat([service, total], ignore_index=True)
    out["verdi"] = out.groupby(["aar", "tjeneste"])["skaar"].transform(
        lambda s: to_scale(s, v.skala_per_sd, v.uteligger_sd)
    )
    return out.assign(indekstype="kvalitet")[["aar", "kommunenr", "tjeneste", "indekstype", "verdi"]]
