"""The raw inputs in one long shape, the meeting point of every source.

Demo data, Statistics Norway's API and statbank CSV exports all produce a frame with the columns
`aar, kommunenr, variabel, verdi, kilde`, so that everything downstream is the same code.
Variable names:

- ``innbyggere`` — population at the end of `aar`
- ``netto_driftsutgifter.<tjeneste>`` — net operating expenditure incl. employer's tax, kr
- ``arbeidsgiveravgift.<tjeneste>`` — employer's tax (AGA) in that expenditure, kr
- ``indikator.<indikator>`` — a quality indicator in its catalogue unit
- ``finans.<nøkkeltall>`` — netto_driftsresultat_pst, netto_lanegjeld_pst, disposisjonsfond_pst
"""

import os
from pathlib import Path

import pandas as pd

from scoring.errors import DataError

COLUMNS = ["aar", "kommunenr", "variabel", "verdi", "kilde"]


def validate(df: pd.DataFrame, kommunenr: set[str], source: str) -> pd.DataFrame:
    """Check the shape and the municipality codes; return the frame with clean dtypes.

    >>> ok = pd.DataFrame({"aar": [2024], "kommunenr": ["0301"], "variabel": ["innbyggere"],
    ...                    "verdi": [717710.0], "kilde": ["SSB tabell 07459"]})
    >>> len(validate(ok, {"0301"}, "test"))
    1
    """
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"{source}: mangler kolonnene {', '.join(missing)}.")
    out = df[COLUMNS].copy()
    out["kommunenr"] = out["kommunenr"].astype(str).str.zfill(4)
    unknown = sorted(set(out["kommunenr"]) - kommunenr)
    if unknown:
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        raise DataError(f"{source}: ukjente kommunenummer (ikke i 2024-strukturen): {shown}.")
    try:
        out["aar"] = out["aar"].astype(int)
        out["verdi"] = pd.to_numeric(out["verdi"], errors="raise").astype(float)
    except (ValueError, TypeError) as err:
        raise DataError(f"{source}: ugyldig år eller verdi ({err}).") from err
    if out.duplicated(["aar", "kommunenr", "variabel"]).any():
        raise DataError(f"{source}: samme kommune, år og variabel forekommer flere ganger.")
    return out


def write(df: pd.DataFrame, path: Path) -> None:
    """Write a raw-data CSV atomically: a half-written file never replaces a good one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    df[COLUMNS].to_csv(tmp, index=False)
    os.replace(tmp, path)


def read_folder(folder: Path) -> pd.DataFrame | None:
    """All raw-data CSVs in `folder` as one frame, or None when there are none."""
    files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if not files:
        return None
    frames = [pd.read_csv(f, dtype={"kommunenr": str}) for f in files]
    return pd.concat(frames, ignore_index=True)


def select(raadata: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """The rows of one kind of variable, with the part after the prefix as `noekkel`.

    >>> df = pd.DataFrame({"aar": [2024, 2024], "kommunenr": ["0301", "0301"],
    ...     "variabel": ["indikator.grunnskolepoeng", "innbyggere"], "verdi": [42.0, 1.0],
    ...     "kilde": ["demodata", "SSB"]})
    >>> select(df, "indikator.")[["noekkel", "verdi"]].values.tolist()
    [['grunnskolepoeng', 42.0]]
    """
    rows = raadata[raadata["variabel"].str.startswith(prefix)]
    return rows.assign(noekkel=rows["variabel"].str.slice(len(prefix)))[
        ["aar", "kommunenr", "noekkel", "verdi"]
    ].reset_index(drop=True)


def innbyggere(raadata: pd.DataFrame) -> pd.DataFrame:
    """Population per data year and municipality: columns aar, kommunenr, innbyggere."""
    rows = raadata[raadata["variabel"] == "innbyggere"]
    return rows[["aar", "kommunenr", "verdi"]].rename(columns={"verdi": "innbyggere"})


def combine(layers: list[pd.DataFrame]) -> tuple[pd.DataFrame, dict[tuple[str, int], int]]:
    """Raw inputs from several sources in order of preference: per variable and year, the rows
    of the first layer with any value for it (a later layer never fills single gaps, so one
    year's figures come from one source). Returns the rows and, per (variabel, aar), the layer.

    >>> a = pd.DataFrame({"aar": [2024], "kommunenr": ["0301"], "variabel": ["x"], "verdi": [None],
    ...                   "kilde": ["SSB"]})
    >>> b = a.assign(verdi=1.0, kilde="demodata")
    >>> rows, chosen = combine([a, b])
    >>> rows["kilde"].tolist(), chosen
    (['demodata'], {('x', 2024): 1})
    """
    tagged = pd.concat(
        [df[COLUMNS].assign(_layer=i) for i, df in enumerate(layers)], ignore_index=True
    )
    with_value = tagged[tagged["verdi"].notna()]
    first = with_value.groupby(["variabel", "aar"])["_layer"].min().rename("_first")
    chosen = {(v, int(a)): int(layer) for (v, a), layer in first.items()}
    tagged = tagged.merge(first.reset_index(), on=["variabel", "aar"], how="inner")
    keep = tagged[tagged["_layer"] == tagged["_first"]]
    return keep.drop(columns=["_layer", "_first"]).reset_index(drop=True), chosen
