"""Step 7: put figures stored under old municipality codes on the 2024 codes.

Shared by the API path (`scoring.ssb.hent`) and the statbank CSV import (`scoring.statbank_csv`).
"""

import numpy as np
import pandas as pd

from scoring.errors import DataError
from scoring.raadata import COLUMNS
from scoring.ssb.katalog import Kommunekoder


def to_2024_codes(
    df: pd.DataFrame, koder: Kommunekoder, source: str
) -> tuple[pd.DataFrame, list[str]]:
    """Put rows on the 2024 codes. `df` has the raadata columns plus `periode`, the SSB year.

    Aggregates are dropped; renumbered codes are mapped, and where old and new code both have a
    row the value that exists wins, then the code valid in that period. Split codes are dropped
    with a warning; any other unknown code is a DataError.

    >>> k = Kommunekoder(frozenset({"3222"}), {"3029": ("3222", 2024)}, {}, ("EAK",))
    >>> df = pd.DataFrame({"aar": [2023, 2023, 2023], "kommunenr": ["3029", "3222", "EAK"],
    ...     "variabel": ["v"] * 3, "verdi": [5.0, float("nan"), 9.0], "kilde": ["x"] * 3,
    ...     "periode": [2023] * 3})
    >>> to_2024_codes(df, k, "test")[0][["kommunenr", "verdi"]].values.tolist()
    [['3222', 5.0]]
    """
    df = df[~df["kommunenr"].map(koder.is_special)]
    split = df["kommunenr"].isin(set(koder.delt))
    warnings = (
        [_split_warning(df[split], koder, source)] if df.loc[split, "verdi"].notna().any() else []
    )
    df = df[~split]
    unknown = set(df["kommunenr"]) - koder.gjeldende - set(koder.omnummerert)
    if unknown:
        shown = ", ".join(sorted(unknown)[:10]) + (" …" if len(unknown) > 10 else "")
        raise DataError(
            f"{source}: ukjente kommunenummer (verken i 2024-strukturen eller i "
            f"kodeendringene): {shown}."
        )
    firsts = {new: year for new, year in koder.omnummerert.values()}
    new_code = df["kommunenr"].map(lambda c: koder.omnummerert.get(c, (c, 0))[0])
    first_new_year = new_code.map(lambda c: firsts.get(c, 0))
    # the code valid in the period: the old one before the change, the new one from it
    valid = np.where(
        new_code != df["kommunenr"], df["periode"] < first_new_year, df["periode"] >= first_new_year
    )
    out = df.assign(kommunenr=new_code, _missing=df["verdi"].isna(), _invalid=~valid)
    out = out.sort_values(["_missing", "_invalid"], kind="stable")
    out = out.drop_duplicates(["aar", "kommunenr", "variabel"], keep="first")
    return out[COLUMNS].sort_values(["variabel", "aar", "kommunenr"]).reset_index(
        drop=True
    ), warnings


def _split_warning(rows: pd.DataFrame, koder: Kommunekoder, source: str) -> str:
    parts = []
    for code, grp in rows[rows["verdi"].notna()].groupby("kommunenr"):
        years = f"{grp['aar'].min()}–{grp['aar'].max()}"
        parts.append(
            f"{code} (delt i {' og '.join(koder.delt[code])}): {len(grp)} verdier for {years}"
        )
    return (
        f"{source}: verdier under delte kommunenummer er ikke brukt, fordi de ikke kan "
        f"fordeles på 2024-kommunene: {'; '.join(parts)}."
    )
