"""Fetch the raw inputs from Statistics Norway's PxWebApi v2 into the long raadata frame.

`fetch_raadata` reads as the pipeline: load the catalogue (`katalog`) → read every table's
metadata and check each dimension and code the catalogue uses (`katalogsjekk`) → plan batches of
region codes short enough for SSB's URL limit (`batcher`) → fetch them one by one (`klient`:
retry with backoff, on-disk cache) → parse JSON-stat2 (`jsonstat`) → pick and sum each
variable's codes (`uttrekk`) → put figures stored under old municipality codes on the 2024 codes
(`kodeendring`) → validate.

Policies:
- A catalogue code that the metadata lacks stops the run before any data is fetched, with every
  problem listed (ConfigError); `skip_invalid=True` drops those entries with a warning instead.
- Codes split in 2024 (1507 Ålesund) are dropped with a warning; codes that are neither 2024
  codes, known renumberings, splits nor aggregates raise DataError.
- Warnings are returned in `frame.attrs["advarsler"]`.
"""

from pathlib import Path

import pandas as pd

from scoring.errors import ConfigError
from scoring.raadata import COLUMNS, validate
from scoring.ssb.batcher import plan_batches
from scoring.ssb.fremdrift import Progress
from scoring.ssb.jsonstat import TabellMeta, parse_jsonstat
from scoring.ssb.katalog import (
    DEFAULT_KATALOG,
    TID,
    Henting,
    Katalog,
    Kommunekoder,
    Variabel,
    load_katalog,
)
from scoring.ssb.katalogsjekk import check_katalog
from scoring.ssb.klient import DEFAULT_BASE_URL, DEFAULT_CACHE_DIR, SsbClient
from scoring.ssb.kodeendring import to_2024_codes
from scoring.ssb.uttrekk import extract_variable


def fetch_raadata(
    years: list[int],
    *,
    base_url: str = DEFAULT_BASE_URL,
    cache_dir: Path | None = DEFAULT_CACHE_DIR,
    progress: Progress | None = None,
    katalog_path: Path = DEFAULT_KATALOG,
    skip_invalid: bool = False,
    refresh: bool = False,
    henting: Henting | None = None,
) -> pd.DataFrame:
    """Fetch every catalogue variable for `years` from SSB as a validated raadata frame.

    Writes only to the cache. Warnings (skipped entries, missing years, split codes) are in
    `frame.attrs["advarsler"]`.
    """
    if not years:
        raise ConfigError("Velg minst ett år.")
    katalog = load_katalog(katalog_path)
    report = progress or (lambda what, done, total: None)
    warnings: list[str] = []
    if katalog.uten_kode:
        warnings.append(
            f"{len(katalog.uten_kode)} indikatorer har SSB-tabell, men ingen "
            f"ssb_contentscode, og hentes ikke: {', '.join(katalog.uten_kode)}."
        )
    with SsbClient(henting or katalog.henting, cache_dir, refresh) as client:
        metas = _read_metadata(client, base_url, katalog.tabeller(), report)
        variabler = _checked_variables(katalog, metas, skip_invalid, warnings)
        plan = _plan(
            katalog, metas, variabler, sorted(set(years)), base_url, client.limits, warnings
        )
        tidy = _fetch_all(client, plan, report)
    frames = [
        extract_variable(
            tidy[v.tabell], v, _region_dim(katalog, metas[v.tabell]), f"SSB tabell {v.tabell}"
        )
        for v in variabler
        if v.tabell in tidy
    ]
    raw = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=[*COLUMNS, "periode"])
    )
    raw = raw[raw["aar"].isin(years)]
    mapped, split_warnings = to_2024_codes(raw, katalog.koder, "SSB")
    out = validate(mapped, set(katalog.koder.gjeldende), "SSB")
    out.attrs["advarsler"] = warnings + split_warnings
    return out


def _region_dim(katalog: Katalog, meta: TabellMeta) -> str:
    return katalog.regiondim.get(meta.tabell) or meta.geo or "KOKkommuneregion0000"


def _read_metadata(
    client: SsbClient, base_url: str, tables: list[str], report: Progress
) -> dict[str, TabellMeta | None]:
    metas = {}
    for i, table in enumerate(tables):
        report(f"Metadata {table}", i, len(tables))
        metas[table] = client.metadata(base_url, table)
    report("Metadata", len(tables), len(tables))
    return metas


def _checked_variables(
    katalog: Katalog, metas: dict[str, TabellMeta | None], skip_invalid: bool, warnings: list[str]
) -> list[Variabel]:
    problems = check_katalog(list(katalog.variabler), metas, katalog.regiondim)
    lines = [f"{name}: {p}" for name, found in problems.items() for p in found]
    if lines and not skip_invalid:
        raise ConfigError(
            f"{katalog.path} stemmer ikke med SSBs metadata:\n  - " + "\n  - ".join(lines)
        )
    warnings += [f"Hoppet over {line}" for line in lines]
    return [v for v in katalog.variabler if v.navn not in problems]


def _plan(
    katalog: Katalog,
    metas: dict[str, TabellMeta | None],
    variabler: list[Variabel],
    years: list[int],
    base_url: str,
    limits: Henting,
    warnings: list[str],
) -> list[tuple[str, str]]:
    plan = []
    for table in sorted({v.tabell for v in variabler}):
        meta, own = metas[table], [v for v in variabler if v.tabell == table]
        region = _region_dim(katalog, meta)
        fixed = {
            dim: [c for c in meta.dimensjoner[dim] if any(c in v.codes().get(dim, ()) for v in own)]
            for dim in meta.dimensjoner
            if any(dim in v.codes() for v in own)
        }
        wanted_years = {str(y + v.tid_forskyvning) for v in own for y in years}
        fixed[TID] = [t for t in meta.dimensjoner[TID] if t in wanted_years]
        absent = sorted(wanted_years - set(fixed[TID]))
        if absent:
            warnings.append(
                f"Tabell {table} har ikke år {', '.join(absent)} (ennå); de blir mangler."
            )
        regions = _regions(meta.dimensjoner[region], katalog.koder, table, warnings)
        if fixed[TID] and regions:
            plan += [
                (table, url)
                for url in plan_batches(base_url, table, region, regions, fixed, limits)
            ]
    return plan


def _regions(
    available: dict[str, str], koder: Kommunekoder, table: str, warnings: list[str]
) -> list[str]:
    """Region codes to ask for: 2024 codes and old codes, as far as the table has them."""
    wanted = koder.gjeldende | set(koder.omnummerert) | set(koder.delt)
    absent = sorted(koder.gjeldende - set(available))
    if absent:
        shown = ", ".join(absent[:10]) + (" …" if len(absent) > 10 else "")
        warnings.append(
            f"Tabell {table} mangler {len(absent)} av {len(koder.gjeldende)} kommuner: {shown}."
        )
    return [c for c in available if c in wanted]  # SSB answers 400 for codes it does not have


def _fetch_all(
    client: SsbClient, plan: list[tuple[str, str]], report: Progress
) -> dict[str, pd.DataFrame]:
    parts: dict[str, list[pd.DataFrame]] = {}
    for i, (table, url) in enumerate(plan):
        report(f"Henter tabell {table}", i, len(plan))
        parts.setdefault(table, []).append(client.get(url, table, parse_jsonstat))
    report("Henting ferdig", len(plan), len(plan))
    return {t: pd.concat(frames, ignore_index=True) for t, frames in parts.items()}
