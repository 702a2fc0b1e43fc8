"""Kostnadsindeks: need-adjusted net operating expenditure excl. employer's tax, per service and
in total, with the KOSTRA group's average and the savings potential (method.md, «Cost»)."""

import numpy as np
import pandas as pd

from scoring import raadata as rd
from scoring.config import Config
from scoring.contract import ALLE, KOSTNADSTJENESTER, TABLES
from scoring.rang import mean_without_outliers

KEY = ["aar", "kommunenr", "tjeneste"]
# The measures of the `kostnad` table, in the contract's order; the one list of them.
KOSTNAD_COLUMNS = [c for c in TABLES["kostnad"] if c not in KEY]


def compute_kostnad(
    raadata: pd.DataFrame, behovsindeks: pd.DataFrame, kommuner: pd.DataFrame
) -> pd.DataFrame:
    """The `kostnad` table: one row per year, municipality and cost service, plus 'alle'."""
    netto = rd.select(raadata, "netto_driftsutgifter.").rename(
        columns={"noekkel": "tjeneste", "verdi": "netto_inkl_aga"}
    )
    aga = rd.select(raadata, "arbeidsgiveravgift.").rename(
        columns={"noekkel": "tjeneste", "verdi": "aga"}
    )
    # Every municipality, year and service, so that one without figures is there, unranked.
    df = (
        behovsindeks[KEY + ["behovsindeks"]]
        .merge(netto[netto["tjeneste"].isin(KOSTNADSTJENESTER)], on=KEY, how="left")
        .merge(aga, on=KEY, how="left")
        .merge(rd.innbyggere(raadata), on=["aar", "kommunenr"], how="left")
        .merge(kommuner[["kommunenr", "kostragruppe"]], on="kommunenr", how="left")
    )
    # Employer's tax differs by zone, not by how well a municipality runs: leave it out.
    df["netto_driftsutgifter_kr"] = df["netto_inkl_aga"] - df["aga"].fillna(0.0)
    df["kr_per_innbygger"] = df["netto_driftsutgifter_kr"] / df["innbyggere"].replace(0, np.nan)
    df["behovskorrigert_kr_per_innbygger"] = df["kr_per_innbygger"] / df["behovsindeks"]
    df = _with_group_mean(df)
    df["innsparingspotensial_kr"] = (
        (df["behovskorrigert_kr_per_innbygger"] - df["gruppesnitt_kr_per_innbygger"])
        * df["innbyggere"]
        * df["behovsindeks"]
    )
    total = total_rows(df)
    cols = KEY + KOSTNAD_COLUMNS
    return pd.concat([df[cols], total[cols]], ignore_index=True)


def _with_group_mean(df: pd.DataFrame) -> pd.DataFrame:
    """Simple (unweighted) mean of need-adjusted kr per inhabitant in the KOSTRA group: every
    municipality counts once, as the report compares a municipality with its peers."""
    grp = df.groupby(["aar", "tjeneste", "kostragruppe"])["behovskorrigert_kr_per_innbygger"]
    return df.assign(gruppesnitt_kr_per_innbygger=grp.transform("mean"))


def total_rows(df: pd.DataFrame) -> pd.DataFrame:
    """'alle': the sum over the seven services; NULL unless all seven have data.

    Its need index is implied (kr per inhabitant over need-adjusted kr), and its group average is
    what the municipality would spend per unit of need at its group's average in every service:
    Σ (group average × own need index) over the services, divided by the implied need index. Then
    the row agrees with itself — savings = (own − group average) × inhabitants × need index —
    and with the sum of the services' savings.
    """
    parts = df.assign(gruppenivaa=df["gruppesnitt_kr_per_innbygger"] * df["behovsindeks"])
    summed = parts.groupby(["aar", "kommunenr"], as_index=False)[
        [
            "netto_driftsutgifter_kr",
            "kr_per_innbygger",
            "behovskorrigert_kr_per_innbygger",
            "innsparingspotensial_kr",
            "gruppenivaa",
        ]
    ].sum(min_count=len(KOSTNADSTJENESTER))  # NULL unless all seven have a value
    summed["behovsindeks"] = summed["kr_per_innbygger"] / summed["behovskorrigert_kr_per_innbygger"]
    summed["gruppesnitt_kr_per_innbygger"] = summed["gruppenivaa"] / summed["behovsindeks"]
    summed["tjeneste"] = ALLE
    return summed


def linear_index(b, mean, poeng_per_1000_kr: float):
    """The cost index of need-adjusted kr per inhabitant `b`: 1.00 at the national `mean`, and
    each 1 000 kr below it adds `poeng_per_1000_kr` (the report's line, 0.069).

    >>> round(linear_index(64_872, 70_400, 0.069), 2)  # the report: Nannestad, 1.38
    1.38
    >>> linear_index(70_400, 70_400, 0.069)
    1.0
    """
    return 1.0 + poeng_per_1000_kr * (mean - b) / 1000


def kostnadsindeks(kostnad: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Cost index per service and in total, linear in kroner around the national mean of
    need-adjusted kr per inhabitant (the simple mean of the municipalities, outliers beyond 2 SD
    left out of it). Higher is better: cheaper per unit of need."""
    sd = config.vekter.uteligger_sd
    mean = kostnad.groupby(["aar", "tjeneste"])["behovskorrigert_kr_per_innbygger"].transform(
        lambda s: mean_without_outliers(s.dropna(), sd)
    )
    verdi = linear_index(
        kostnad["behovskorrigert_kr_per_innbygger"], mean, config.vekter.kostnad_poeng_per_1000_kr
    )
    return kostnad[KEY].assign(indekstype="kostnad", verdi=verdi)
