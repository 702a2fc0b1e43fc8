"""Step 6: from a tidy table to one raw variable: pick its codes, sum, scale and shift the year.

Shared by the API path (`scoring.ssb.hent`) and the statbank CSV import (`scoring.statbank_csv`).
"""

import math

import numpy as np
import pandas as pd

from scoring.errors import DataError
from scoring.ssb.katalog import TID, Variabel


def extract_variable(tidy: pd.DataFrame, v: Variabel, region_dim: str, kilde: str) -> pd.DataFrame:
    """One variable's rows: select its codes, sum the `summer` dimensions, scale, shift the year.

    Returns the raadata columns plus `periode` (SSB's year); the region codes are not yet mapped.
    A sum with a missing part is missing.

    >>> tidy = pd.DataFrame({"R": ["0301"] * 3, "F": ["232", "233", "241"], "ContentsCode": ["K"] * 3,
    ...                      "Tid": ["2024"] * 3, "value": [1.0, 2.0, 3.0]})
    >>> v = Variabel("netto_driftsutgifter.helse", "12362", "K", {"F": ("232", "233", "241")}, ("F",), 1000)
    >>> extract_variable(tidy, v, "R", "SSB tabell 12362")[["aar", "kommunenr", "verdi"]].values.tolist()
    [[2024, '0301', 6000.0]]
    """
    wanted = v.codes()
    missing_dims = [d for d in [region_dim, TID, *wanted] if d not in tidy.columns]
    if missing_dims:
        raise DataError(f"{kilde}: mangler dimensjonen {', '.join(missing_dims)} for {v.navn}.")
    mask = np.logical_and.reduce([tidy[d].isin(codes) for d, codes in wanted.items()])
    sub = tidy[mask]
    for dim in v.summer:
        absent = [c for c in wanted[dim] if c not in set(sub[dim])]
        if absent and not sub.empty:
            raise DataError(
                f"{kilde}: mangler {dim} {', '.join(absent)} for {v.navn}, som summeres."
            )
    keys = [region_dim, TID]
    dupes = sub.duplicated(keys + list(v.summer))
    if dupes.any():
        varying = [
            c
            for c in sub.columns
            if c not in (*keys, *wanted, "value", "status") and sub[c].nunique(dropna=False) > 1
        ]
        raise DataError(
            f"{kilde}: {v.navn} har flere rader per kommune og år"
            + (f" (kolonnen {', '.join(varying)} varierer)" if varying else "")
            + "."
        )
    parts = math.prod(len(wanted[d]) for d in v.summer)
    sums = sub.groupby(keys, sort=False)["value"].sum(min_count=parts).reset_index()
    periode = pd.to_numeric(sums[TID], errors="coerce")
    if periode.isna().any():
        raise DataError(
            f"{kilde}: ugyldig år «{sums.loc[periode.isna(), TID].iloc[0]}» for {v.navn}."
        )
    return pd.DataFrame(
        {
            "aar": periode.astype(int) - v.tid_forskyvning,
            "kommunenr": sums[region_dim].astype(str),
            "variabel": v.navn,
            "verdi": sums["value"].astype(float) * v.faktor,
            "kilde": kilde,
            "periode": periode.astype(int),
        }
    )
