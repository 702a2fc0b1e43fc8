"""Reference data: the 357 municipalities, their population and their need indices.

Read from `data/reference/` (its README.md names the sources, licences and fixes)."""

from pathlib import Path

import pandas as pd

from scoring.config import DATA_DIR, TjenesteConfig
from scoring.errors import DataError
from scoring.kilde import SSB_LISENS, Kilde

REFERENCE_DIR = DATA_DIR / "reference"
BEFOLKNING = Kilde(
    "SSB befolkning 1. januar (data/reference/kommuner.csv)",
    "ekte",
    "Kilde: SSB (befolkning)",
    "07459",
    SSB_LISENS,
)
KOMMUNE = Kilde(
    "SSB KLASS 131 og 112, sentralitet (data/reference/kommuner.csv)",
    "ekte",
    "Kilde: SSB",
    None,
    SSB_LISENS,
)
BEHOV = Kilde(
    "Grønt hefte, rekonstruert sektorindeks (data/reference/behovsindeks_sektor.csv)",
    "ekte",
    "Kilde: KDD (Grønt hefte)",
)
BEHOV_RESERVE = BEHOV.derived(
    "estimat", "Grønt hefte: samlet indeks eller 1,00 der sektorindeksen mangler"
)


def read_csv(path: Path, required: list[str], dtype: dict | type | None = None) -> pd.DataFrame:
    """A data file with the columns it needs, or a DataError naming the file and the problem
    (`kommunenr` is read as text, keeping its leading zero, unless `dtype` is one type for all)."""
    types = dtype if isinstance(dtype, type) else {"kommunenr": str, **(dtype or {})}
    try:
        df = pd.read_csv(path, dtype=types)
    except FileNotFoundError as err:
        raise DataError(f"Fant ikke datafilen {path}.") from err
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise DataError(f"{path.name}: kan ikke leses som CSV ({err}).") from err
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(f"{path.name}: mangler kolonnene {', '.join(missing)}.")
    return df


def load_kommuner(folder: Path = REFERENCE_DIR) -> pd.DataFrame:
    """The `kommune` table: one row per municipality with a unique Norwegian short name.

    The official name keeps Sami and Kven forms ("Oslo - Oslove"); the short name is the
    Norwegian one, from kortnavn.csv where the official name has several forms.
    """
    raw = read_csv(
        folder / "kommuner.csv",
        ["kommunenr", "kommune", "fylke", "kostragruppe", "sentralitet"],
    )
    kort = read_csv(folder / "kortnavn.csv", ["kommunenr", "kommune"])
    short = dict(zip(kort["kommunenr"], kort["kommune"]))
    df = pd.DataFrame(
        {
            "kommunenr": raw["kommunenr"].str.zfill(4),
            "kommune": [short.get(nr, name) for nr, name in zip(raw["kommunenr"], raw["kommune"])],
            "offisielt_navn": raw["kommune"],
            "fylke": raw["fylke"],
            "kostragruppe": raw["kostragruppe"].astype(int),
            "sentralitet": raw["sentralitet"].astype(int),
        }
    )
    several_forms = df["kommune"].str.contains(" - ")
    if several_forms.any():
        names = ", ".join(df.loc[several_forms, "offisielt_navn"])
        raise DataError(f"kortnavn.csv: mangler norsk kortnavn for {names}.")
    if df["kommune"].duplicated().any() or len(df) != 357:
        raise DataError("kommuner.csv: forventet 357 kommuner med unike navn.")
    return df


def load_befolkning(years: list[int], folder: Path = REFERENCE_DIR) -> pd.DataFrame:
    """Population at the end of each data year (= 1 January of the next) in the raw-data shape,
    with the documented corrections of befolkning_rettelser.csv applied."""
    raw = read_csv(folder / "kommuner.csv", ["kommunenr"])
    fixes = read_csv(folder / "befolkning_rettelser.csv", ["kommunenr", "per_1_januar", "innbyggere"])
    frames = []
    for aar in years:
        col = f"innbyggere_{aar + 1}"
        if col not in raw.columns:
            raise DataError(f"kommuner.csv: mangler {col} (befolkning ved utgangen av {aar}).")
        verdi = raw.set_index("kommunenr")[col].astype(float)
        for fix in fixes[fixes["per_1_januar"] == aar + 1].itertuples():
            verdi[fix.kommunenr] = float(fix.innbyggere)
        frames.append(
            pd.DataFrame(
                {
                    "aar": aar,
                    "kommunenr": verdi.index,
                    "variabel": "innbyggere",
                    "verdi": verdi.values,
                    "kilde": BEFOLKNING.kilde,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _budsjettaar(aar: int, offset: int, available: list[int]) -> int:
    """The need index's budget year for a data year: aar + offset, or the nearest that exists.

    >>> _budsjettaar(2024, 1, [2025, 2026])
    2025
    >>> _budsjettaar(2022, 1, [2025, 2026])
    2025
    """
    wanted = aar + offset
    return min(available, key=lambda b: (abs(b - wanted), b))


def load_behovsindeks(
    years: list[int],
    tjenester: tuple[TjenesteConfig, ...],
    offset: int,
    folder: Path = REFERENCE_DIR,
) -> pd.DataFrame:
    """Need index per data year, municipality and cost service, with its source.

    Fallback where the sector reconstruction lacks a municipality (3226, 4020, 4624, 5044, 5605):
    the official total index of the same budget year for every service, then 1.00.
    """
    sektor = read_csv(folder / "behovsindeks_sektor.csv", ["budsjettaar", "kommunenr"])
    kommuner = read_csv(folder / "kommuner.csv", ["kommunenr"])
    available = sorted(sektor["budsjettaar"].unique().tolist())
    frames = []
    for aar in years:
        budsjett = _budsjettaar(aar, offset, available)
        year = sektor[sektor["budsjettaar"] == budsjett].set_index("kommunenr")
        total_col = f"behovsindeks_{budsjett}"
        total = kommuner.set_index("kommunenr").get(total_col)
        for t in (t for t in tjenester if t.har_kostnad):
            if t.behovsnokkel not in year.columns:
                raise DataError(f"behovsindeks_sektor.csv: mangler kolonnen {t.behovsnokkel}.")
            verdi = year[t.behovsnokkel].reindex(kommuner["kommunenr"])
            kilde = pd.Series("sektorindeks", index=verdi.index)
            if total is not None:
                use_total = verdi.isna() & total.reindex(verdi.index).notna()
                verdi = verdi.where(~use_total, total.reindex(verdi.index))
                kilde[use_total] = "samlet indeks (reserve)"
            kilde[verdi.isna()] = "1,00 (reserve)"
            frames.append(
                pd.DataFrame(
                    {
                        "aar": aar,
                        "kommunenr": verdi.index,
                        "tjeneste": t.tjeneste,
                        "behovsindeks": verdi.fillna(1.0).values,
                        "behovskilde": f"budsjettår {budsjett}: " + kilde.values,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)
