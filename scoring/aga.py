"""Employer's tax (arbeidsgiveravgift, AGA) in net operating expenditure, estimated from each
municipality's AGA zone (data/aga/) and a wage share per service (data/regnskap.toml).

The cost index leaves the tax out: its rate depends on where a municipality lies, not on how well
it is run. SSB's table 12367 has the tax itself; where that is missing (the real figures in
data/kostra/ do not split it out) it is estimated:

    AGA = N × s·L / (1 + s·L)

where N is net expenditure including the tax, s the zone's rate and L the tax base (wages and
pension premiums) as a share of net expenditure excluding the tax.
"""

from pathlib import Path

import pandas as pd

from scoring.config import DATA_DIR
from scoring.errors import DataError
from scoring.kilde import Kilde

AGA_DIR = DATA_DIR / "aga"
KILDE = Kilde(
    kilde="beregnet: AGA-sone (Skatteetaten 2024, data/aga) × lønnsandel (data/regnskap.toml)",
    status="estimat",
    kreditering="Kilde: Skatteetaten (AGA-soner)",
)


def load_satser(folder: Path = AGA_DIR) -> pd.Series:
    """Each municipality's AGA rate as a fraction (its main zone's ordinary rate), by kommunenr."""
    try:
        soner = pd.read_csv(folder / "aga_soner_2024.csv", dtype={"kommunenr": str, "sone": str})
        satser = pd.read_csv(folder / "aga_satser_2024.csv", dtype={"sone": str})
    except FileNotFoundError as err:
        raise DataError(f"Fant ikke AGA-sonene i {folder} ({err.filename}).") from err
    rate = satser.set_index("sone")["sats_ordinaer_prosent"].astype(float) / 100
    unknown = sorted(set(soner["sone"]) - set(rate.index))
    if unknown:
        raise DataError(f"aga_soner_2024.csv: ukjente soner {', '.join(unknown)}.")
    return soner.set_index("kommunenr")["sone"].map(rate).rename("sats")


def share_of_net(sats: pd.Series | float, lonnsandel: float):
    """The tax as a share of net expenditure including it.

    >>> round(share_of_net(0.141, 0.85), 4), share_of_net(0.0, 0.85)
    (0.107, 0.0)
    """
    return sats * lonnsandel / (1 + sats * lonnsandel)


def estimate(netto: pd.DataFrame, satser: pd.Series, lonnsandel: dict[str, float]) -> pd.DataFrame:
    """`arbeidsgiveravgift.<tjeneste>` rows for raw-data rows `netto_driftsutgifter.<tjeneste>`."""
    tjeneste = netto["variabel"].str.removeprefix("netto_driftsutgifter.")
    unknown = sorted(set(tjeneste) - set(lonnsandel))
    if unknown:
        raise DataError(f"regnskap.toml [lonnsandel]: mangler {', '.join(unknown)}.")
    andel = share_of_net(netto["kommunenr"].map(satser), tjeneste.map(lonnsandel))
    if andel.isna().any():
        missing = ", ".join(sorted(set(netto.loc[andel.isna(), "kommunenr"])))
        raise DataError(f"aga_soner_2024.csv: mangler AGA-sone for {missing}.")
    return KILDE.stamp(
        netto.assign(variabel="arbeidsgiveravgift." + tjeneste, verdi=netto["verdi"] * andel)
    )
