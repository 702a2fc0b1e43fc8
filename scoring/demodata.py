"""Deterministic synthetic KOSTRA inputs for the real 357 municipalities (demo data).

Produces the raw-data shape of `scoring.raadata`, exactly as the Statistics Norway import does,
so everything downstream is the same code. Calibrated in data/demodata.toml on the real KOSTRA
figures 2022–2024: each service's level per year and its spread, the cheapest municipalities
central (a centrality effect on the common cost level), persistence between years; the
employer's tax by the real AGA zones. Quality: a weak size–quality relation, low cost not worse
on quality, more spread in small municipalities; finances related to income; a few per cent
missing values, more in the smallest municipalities.
"""

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.aga import load_satser
from scoring.config import DATA_DIR, Config
from scoring.contract import KOSTNADSTJENESTER

KILDE = "demodata"


def load_settings(path: Path = DATA_DIR / "demodata.toml") -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


def _ar1(rng: np.random.Generator, shape: tuple[int, ...], n_years: int, rho: float) -> np.ndarray:
    """Standard-normal series over years (last axis) with year-to-year correlation rho."""
    out = np.empty(shape + (n_years,))
    out[..., 0] = rng.standard_normal(shape)
    for y in range(1, n_years):
        out[..., y] = rho * out[..., y - 1] + np.sqrt(1 - rho**2) * rng.standard_normal(shape)
    return out


def _long(values: np.ndarray, kommunenr: np.ndarray, years: list[int], variabel: str) -> pd.DataFrame:
    """A (kommune × year) array as raw-data rows."""
    n_k, n_y = values.shape
    return pd.DataFrame(
        {
            "aar": np.tile(years, n_k),
            "kommunenr": np.repeat(kommunenr, n_y),
            "variabel": variabel,
            "verdi": values.reshape(-1),
            "kilde": KILDE,
        }
    )


def per_year(values: dict, years: list[int]) -> np.ndarray:
    """A yearly setting for each of `years`: its own value, else the nearest year's.

    >>> per_year({"2022": 1.0, "2024": 3.0}, [2022, 2023, 2025]).tolist()
    [1.0, 1.0, 3.0]
    """
    known = sorted(int(y) for y in values)
    return np.array([values[str(min(known, key=lambda k: (abs(k - y), k)))] for y in years])


def generate(
    kommuner: pd.DataFrame,
    befolkning: pd.DataFrame,
    behovsindeks: pd.DataFrame,
    config: Config,
    settings: dict | None = None,
) -> pd.DataFrame:
    """The raw inputs of every municipality and year, as the SSB import would deliver them."""
    s = settings or load_settings()
    years: list[int] = list(s["aar"])
    rng = np.random.default_rng(s["seed"])
    kommuner = kommuner.sort_values("kommunenr").reset_index(drop=True)
    nr = kommuner["kommunenr"].to_numpy()
    pop = (
        befolkning[befolkning["variabel"] == "innbyggere"]
        .pivot(index="kommunenr", columns="aar", values="verdi")
        .reindex(index=nr, columns=years)
        .to_numpy()
    )
    log_pop = np.log(pop[:, -1])
    z_size = (log_pop - log_pop.mean()) / log_pop.std()
    small = (pop[:, -1] < 3000).astype(float)

    q = s["kvalitet"]
    n_k, n_y = len(nr), len(years)
    cost_level = _common_cost_level(rng, kommuner, z_size, n_y, s["kostnad"]["kommune"])
    frames = [_kostnad(rng, nr, pop, behovsindeks, years, cost_level, s["kostnad"], config)]

    quality_level = _ar1(rng, (n_k,), n_y, q["persistens"])
    cost_z = (cost_level - cost_level.mean()) / cost_level.std()
    frames.append(
        _indikatorer(rng, nr, pop, years, quality_level, z_size, cost_z, small, config, s)
    )
    frames.append(_finans(rng, kommuner, nr, years, z_size, s["finans"]))
    return pd.concat(frames, ignore_index=True)


def _common_cost_level(rng, kommuner, z_size, n_y: int, c: dict) -> np.ndarray:
    """The municipality's log cost level shared by its services, per year: dearer the less
    central (as in the real figures, where the cheapest are central and mid-sized), a little
    cheaper the larger, and persistent noise."""
    sentralitet = kommuner["sentralitet"].to_numpy(dtype=float)
    fixed = c["sentralitet_effekt"] * (sentralitet - sentralitet.mean())
    fixed = fixed + c["storrelse_effekt"] * z_size
    return fixed[:, None] + c["stoy_sd"] * _ar1(rng, (len(z_size),), n_y, c["persistens"])


def _kostnad(rng, nr, pop, behovsindeks, years, cost_level, k, config) -> pd.DataFrame:
    """Net expenditure incl. employer's tax and the tax, per service: the year's level times the
    municipality's common level and its own service part, times need and inhabitants."""
    n_k, n_y = pop.shape
    sats = load_satser().reindex(nr).to_numpy()[:, None]
    common_sd = cost_level.std()
    frames = []
    for tjeneste in KOSTNADSTJENESTER:
        behov = (
            behovsindeks[behovsindeks["tjeneste"] == tjeneste]
            .pivot(index="kommunenr", columns="aar", values="behovsindeks")
            .reindex(index=nr, columns=years)
            .to_numpy()
        )
        own_sd = np.sqrt(max(k["spredning"][tjeneste] ** 2 - common_sd**2, 0.03**2))
        log_b = cost_level + own_sd * _ar1(rng, (n_k,), n_y, k["kommune"]["persistens"])
        level = per_year(k["kr_per_innbygger"][tjeneste], years)
        ex_aga = level * np.exp(log_b - log_b.mean(axis=0)) * behov * pop
        tax = ex_aga * sats * config.regnskap.lonnsandel[tjeneste]
        frames.append(_long(np.round(ex_aga + tax, -3), nr, years, f"netto_driftsutgifter.{tjeneste}"))
        frames.append(_long(np.round(tax, -3), nr, years, f"arbeidsgiveravgift.{tjeneste}"))
    return pd.concat(frames, ignore_index=True)


def _missing_mask(rng, pop: np.ndarray, shape: tuple[int, ...], m: dict) -> np.ndarray:
    p = m["grunn"] + m["under_5000"] * (pop < 5000) + m["under_2000"] * (pop < 2000)
    return rng.random(shape) < p[:, None, :]


def _indikatorer(rng, nr, pop, years, quality_level, z_size, cost_z, small, config, s):
    q = s["kvalitet"]
    n_k, n_y = pop.shape
    tjenester = sorted({i.tjeneste for i in config.indikatorer})
    service_level = {
        t: q["felles"] * quality_level
        + np.sqrt(1 - q["felles"] ** 2) * _ar1(rng, (n_k,), n_y, q["persistens"])
        for t in tjenester
    }
    inds = config.indikatorer
    missing = _missing_mask(rng, pop, (n_k, len(inds), n_y), s["mangler"])
    spread = 1 + q["smaa_spredning"] * small[:, None]
    frames = []
    for j, ind in enumerate(inds):
        own = _ar1(rng, (n_k,), n_y, q["persistens"])
        latent = spread * (
            service_level[ind.tjeneste]
            + q["storrelse"] * z_size[:, None]
            - q["lav_kostnad"] * cost_z
            + q["indikator_stoy"] * own
        ) / np.sqrt(1 + q["indikator_stoy"] ** 2)
        sign = 1.0 if ind.hoyere_er_bedre else -1.0
        value = np.clip(ind.demo_snitt + sign * ind.demo_sd * latent, ind.demo_min, ind.demo_maks)
        value = np.round(value, ind.desimaler)
        value[missing[:, j, :]] = np.nan
        frames.append(_long(value, nr, years, f"indikator.{ind.indikator}"))
    return pd.concat(frames, ignore_index=True)


def _finans(rng, kommuner, nr, years, z_size, f) -> pd.DataFrame:
    n_k, n_y = len(nr), len(years)
    income = rng.standard_normal(n_k) - 0.5 * z_size  # small municipalities have higher income
    robek = kommuner.get("robek", pd.Series(False, index=kommuner.index)).to_numpy(dtype=float)
    result_mean = per_year(f["netto_driftsresultat_snitt"], years)
    result = (
        result_mean
        + f["netto_driftsresultat_sd"] * (0.5 * _ar1(rng, (n_k,), n_y, 0.5) + 0.35 * income[:, None])
        + f["robek_effekt"] * robek[:, None]
    )
    debt = f["netto_lanegjeld_snitt"] + f["netto_lanegjeld_sd"] * (
        _ar1(rng, (n_k,), n_y, 0.95) - 0.3 * income[:, None]
    )
    fund = f["disposisjonsfond_snitt"] + f["disposisjonsfond_sd"] * (
        0.8 * _ar1(rng, (n_k,), n_y, 0.85) + f["inntekt_effekt"] * 0.5 * income[:, None]
    ) - 3 * robek[:, None]
    return pd.concat(
        [
            _long(np.round(result, 1), nr, years, "finans.netto_driftsresultat_pst"),
            _long(np.round(np.clip(debt, -20, 250), 1), nr, years, "finans.netto_lanegjeld_pst"),
            _long(np.round(np.clip(fund, 0, 60), 1), nr, years, "finans.disposisjonsfond_pst"),
        ],
        ignore_index=True,
    )
