"""The real KOSTRA figures in data/kostra/ (SSB table 12134, 2022–2024), as SSB publishes them:
function groups, amounts in 1 000 kr and kr per inhabitant, per municipality and for SSB's own
aggregates. Three tables: `regnskap`, `regnskap_aggregat` and the catalogue `regnskapsmaal`.

Where these figures feed the method (`to_raadata`): the function groups become the net expenditure
of the seven cost services (FGK9 helse og omsorg split between pleie og omsorg and helse by need,
an estimate), and netto driftsresultat and netto lånegjeld become % of brutto driftsinntekter.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from scoring.config import DATA_DIR
from scoring.contract import KOSTNADSTJENESTER
from scoring.errors import DataError
from scoring.kilde import SSB_LISENS, Kilde
from scoring.reference import read_csv

KOSTRA_DIR = DATA_DIR / "kostra"
KILDE = Kilde(
    kilde="SSB KOSTRA tabell 12134 (data/kostra)",
    status="ekte",
    kreditering="Kilde: SSB (KOSTRA)",
    ssb_tabell="12134",
    lisens=SSB_LISENS,
)
SPLIT_KILDE = KILDE.derived(
    "estimat", "SSB KOSTRA tabell 12134, FGK9 fordelt på pleie og omsorg og helse etter behov"
)
FINANS = {  # finance key figure -> the amount divided by brutto driftsinntekter
    "netto_driftsresultat_pst": "netto_driftsresultat",
    "netto_lanegjeld_pst": "netto_lanegjeld",
}
DRIFTSINNTEKTER = "driftsinntekter"
COLUMNS = ["kommunenr", "aar", "maal", "belop_1000kr", "kr_per_innbygger"]


def load_maal(folder: Path = KOSTRA_DIR) -> pd.DataFrame:
    """The `regnskapsmaal` catalogue: one row per measure key of the real figures."""
    df = read_csv(
        folder / "maal.csv",
        ["maal", "navn", "kategori", "ssb_kode", "funksjonsgruppe", "tjeneste", "tjenester", "merknad"],
        dtype=str,
    )
    if df["maal"].duplicated().any():
        raise DataError("maal.csv: samme mål står flere ganger.")
    return df.assign(ssb_tabell=KILDE.ssb_tabell).replace({np.nan: None})


def load_regnskap(
    kommunenr: set[str], folder: Path = KOSTRA_DIR
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tables `regnskap` (2024 municipalities) and `regnskap_aggregat` (SSB's aggregates
    and 1507 Ålesund before the split), checked against the catalogue and the municipality list."""
    maal = set(load_maal(folder)["maal"])
    kommuner = read_csv(folder / "kommuner.csv", COLUMNS, dtype={"kommunenr": str})
    aggregater = read_csv(
        folder / "aggregater.csv", ["enhet", *COLUMNS[1:]], dtype={"enhet": str}
    )
    enheter = read_csv(folder / "enheter.csv", ["kilde_enhet", "enhetstype", "kode", "navn"], dtype=str)
    unknown = sorted((set(kommuner["maal"]) | set(aggregater["maal"])) - maal)
    if unknown:
        raise DataError(f"data/kostra: målene {', '.join(unknown)} står ikke i maal.csv.")
    extra = kommuner[~kommuner["kommunenr"].isin(kommunenr)]
    aggregater = pd.concat(
        [aggregater, extra.rename(columns={"kommunenr": "enhet"})], ignore_index=True
    )
    ukjent = sorted(set(aggregater["enhet"]) - set(enheter["kilde_enhet"]))
    if ukjent:
        raise DataError(f"data/kostra: enhetene {', '.join(ukjent)} står ikke i enheter.csv.")
    aggregat = aggregater.merge(
        enheter, left_on="enhet", right_on="kilde_enhet", how="left", validate="many_to_one"
    )
    aggregat["kostragruppe"] = np.where(
        aggregat["enhetstype"] == "kostragruppe",
        pd.to_numeric(aggregat["kode"].str.removeprefix("EKG"), errors="coerce"),
        np.nan,
    )
    regnskap = kommuner[kommuner["kommunenr"].isin(kommunenr)][COLUMNS].reset_index(drop=True)
    aggregat = aggregat[
        ["aar", "enhetstype", "kode", "navn", "kostragruppe", "maal", "belop_1000kr", "kr_per_innbygger"]
    ]
    return _typed(regnskap), _typed(aggregat).astype({"kostragruppe": "Int64"})


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    return df.astype({"aar": int, "belop_1000kr": float, "kr_per_innbygger": float})


def to_raadata(
    regnskap: pd.DataFrame, behovsindeks: pd.DataFrame, maal: pd.DataFrame, vekter_fgk9: dict
) -> pd.DataFrame:
    """The raw inputs the real figures give: `netto_driftsutgifter.<tjeneste>` in kroner for the
    seven cost services, and the finance key figures in % of brutto driftsinntekter."""
    return pd.concat(
        [_netto(regnskap, behovsindeks, maal, vekter_fgk9), _finans(regnskap)], ignore_index=True
    )


def fgk9_shares(behovsindeks: pd.DataFrame, vekter: dict[str, float]) -> pd.DataFrame:
    """Each part's expected share of helse og omsorg (FGK9): its national cost-key weight times
    the municipality's need index, over the sum for both parts.

    >>> b = pd.DataFrame({"aar": 2024, "kommunenr": "x", "tjeneste": ["pleie_og_omsorg", "helse"],
    ...                   "behovsindeks": [1.2, 1.0]})
    >>> fgk9_shares(b, {"pleie_og_omsorg": 0.3, "helse": 0.1}).round(3)["andel"].tolist()
    [0.783, 0.217]
    """
    rows = behovsindeks[behovsindeks["tjeneste"].isin(list(vekter))].copy()
    rows["vektet"] = rows["tjeneste"].map(vekter) * rows["behovsindeks"]
    total = rows.groupby(["aar", "kommunenr"])["vektet"].transform("sum")
    return rows.assign(andel=rows["vektet"] / total)[["aar", "kommunenr", "tjeneste", "andel"]]


def _netto(
    regnskap: pd.DataFrame, behovsindeks: pd.DataFrame, maal: pd.DataFrame, vekter_fgk9: dict
) -> pd.DataFrame:
    groups = maal[maal["kategori"] == "driftsutgifter"].dropna(subset=["tjenester"])
    frames = []
    for row in groups.itertuples():
        tjenester = [t for t in row.tjenester.split(",") if t in KOSTNADSTJENESTER]
        if not tjenester:
            continue
        rows = regnskap[regnskap["maal"] == row.maal]
        kr = rows[["aar", "kommunenr"]].assign(kr=rows["belop_1000kr"] * 1000)
        if len(tjenester) == 1:
            frames.append(_long(kr, f"netto_driftsutgifter.{tjenester[0]}", kr["kr"], KILDE))
            continue
        shares = fgk9_shares(behovsindeks, vekter_fgk9)
        for tjeneste in tjenester:
            share = kr.merge(shares[shares["tjeneste"] == tjeneste], on=["aar", "kommunenr"])
            value = share["kr"] * share["andel"]
            frames.append(_long(share, f"netto_driftsutgifter.{tjeneste}", value, SPLIT_KILDE))
    return pd.concat(frames, ignore_index=True)


def _finans(regnskap: pd.DataFrame) -> pd.DataFrame:
    wide = regnskap.pivot_table(
        index=["aar", "kommunenr"], columns="maal", values="belop_1000kr"
    ).reset_index()
    inntekter = wide[DRIFTSINNTEKTER].where(wide[DRIFTSINNTEKTER] > 0)
    return pd.concat(
        [
            _long(wide, f"finans.{col}", wide[amount] / inntekter * 100, KILDE)
            for col, amount in FINANS.items()
        ],
        ignore_index=True,
    ).dropna(subset=["verdi"])


def _long(keys: pd.DataFrame, variabel: str, verdi: pd.Series, kilde: Kilde) -> pd.DataFrame:
    return kilde.stamp(
        pd.DataFrame(
            {
                "aar": keys["aar"].to_numpy(),
                "kommunenr": keys["kommunenr"].to_numpy(),
                "variabel": variabel,
                "verdi": verdi.to_numpy(dtype=float),
            }
        )
    )
