"""Deterministic synthetic KOSTRA inputs for the real 357 municipalities (demo data).

Produces the raw-data shape of `scoring.raadata`, exactly as the Statistics Norway import does,
so everything downstream is the same code. Calibrated in data/demodata.toml: need-adjusted cost
from about 65 000 to about twice that per inhabitant, more spread in small municipalities, a weak
size–quality relation, low cost not worse on quality, finances related to income, persistence
between years and a few per cent missing values, more in the smallest municipalities.
"""

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

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


def _aga_andel(kommuner: pd.DataFrame, andel: dict) -> np.ndarray:
    """Approximate employer's-tax share by zone: none in Finnmark, reduced in rural north."""
    nord = kommuner["fylke"].isin(["Nordland", "Troms"]).to_numpy()
    sentral = kommuner["sentralitet"].to_numpy()
    out = np.full(len(kommuner), andel["standard"])
    out[sentral >= 5] = andel["distrikt"]
    out[nord & (sentral >= 4)] = andel["nord"]
    out[(kommuner["fylke"] == "Finnmark").to_numpy()] = andel["tiltakssone"]
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

    k, q = s["kostnad"], s["kvalitet"]
    n_k, n_y = len(nr), len(years)
    cost_level = _ar1(rng, (n_k,), n_y, k["persistens"]) * (
        k["nivaa_sd"] + k["smaa_ekstra_sd"] * small
    )[:, None] - k["storrelse_effekt"] * z_size[:, None]
    frames = [_kostnad(rng, kommuner, nr, pop, behovsindeks, years, cost_level, k)]

    quality_level = _ar1(rng, (n_k,), n_y, q["persistens"])
    cost_z = (cost_level - cost_level.mean()) / cost_level.std()
    frames.append(
        _indikatorer(rng, nr, pop, years, quality_level, z_size, cost_z, small, config, s)
    )
    frames.append(_finans(rng, kommuner, nr, years, z_size, s["finans"]))
    return pd.concat(frames, ignore_index=True)


def _kostnad(rng, kommuner, nr, pop, behovsindeks, years, cost_level, k) -> pd.DataFrame:
    n_k, n_y = pop.shape
    aga = _aga_andel(kommuner, k["aga_andel"])[:, None]
    growth = (1 + k["prisvekst"]) ** (np.arange(n_y) - (n_y - 1))
    frames = []
    for tjeneste in KOSTNADSTJENESTER:
        behov = (
            behovsindeks[behovsindeks["tjeneste"] == tjeneste]
            .pivot(index="kommunenr", columns="aar", values="behovsindeks")
            .reindex(index=nr, columns=years)
            .to_numpy()
        )
        service = _ar1(rng, (n_k,), n_y, k["persistens"]) * k["tjeneste_sd"]
        noise = rng.standard_normal((n_k, n_y)) * k["aar_sd"]
        per_unit = k["kr_per_innbygger"][tjeneste] * growth * np.exp(cost_level + service + noise)
        ex_aga = per_unit * behov * pop
        incl = ex_aga / (1 - aga)
        frames.append(_long(np.round(incl, -3), nr, years, f"netto_driftsutgifter.{tjeneste}"))
        frames.append(_long(np.round(incl * aga, -3), nr, years, f"arbeidsgiveravgift.{tjeneste}"))
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
    result_mean = np.array([f["netto_driftsresultat_snitt"][str(y)] for y in years])
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
