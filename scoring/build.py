"""`build()`: from reference data and raw inputs to every contract table, step by step.

The steps are listed in order in `STEPS`, each a small function that reads and adds to the
build state, like sqlglot's optimizer RULES. A caller can pass its own list.
"""

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from scoring import demodata
from scoring import raadata as rd
from scoring.config import Config, default_config
from scoring.contract import TABLES
from scoring.database import write_database
from scoring.effektivitet import effektivitetsindeks
from scoring.errors import DataError
from scoring.finans import finans, finansindeks
from scoring.kommuneindeks import kommuneindeks
from scoring.kostnad import compute_kostnad, kostnadsindeks
from scoring.kvalitet import indikatorskaar, indikatorverdi, kvalitetsindeks
from scoring.rang import rank_groups
from scoring.reference import REFERENCE_DIR, load_befolkning, load_behovsindeks, load_kommuner


@dataclass
class BuildState:
    """What the steps pass along: inputs, intermediate frames and the finished tables."""

    config: Config
    reference_dir: Path
    raadata_folder: Path | None
    demo_settings: dict | None = None
    years: list[int] = field(default_factory=list)
    raadata: pd.DataFrame | None = None
    er_demodata: bool = True
    behovsindeks: pd.DataFrame | None = None
    indices: dict[str, pd.DataFrame] = field(default_factory=dict)  # by indekstype
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def load_reference(state: BuildState) -> None:
    """The municipalities, services and indicator catalogue."""
    state.tables["kommune"] = load_kommuner(state.reference_dir)
    state.tables["tjeneste"] = pd.DataFrame(
        [(t.tjeneste, t.navn, t.har_kostnad) for t in state.config.tjenester],
        columns=list(TABLES["tjeneste"]),
    )
    state.tables["indikator"] = pd.DataFrame(
        [
            (i.indikator, i.tjeneste, i.navn, i.enhet, i.hoyere_er_bedre, i.kilde)
            for i in state.config.indikatorer
        ],
        columns=list(TABLES["indikator"]),
    )


def load_inputs(state: BuildState) -> None:
    """Raw inputs: fetched or imported KOSTRA data when there is some, else demo data."""
    kommuner = state.tables["kommune"]
    fetched = rd.read_folder(state.raadata_folder) if state.raadata_folder else None
    if fetched is not None:
        inputs = rd.validate(fetched, set(kommuner["kommunenr"]), str(state.raadata_folder))
        state.years = sorted(inputs["aar"].unique().tolist())
        state.er_demodata = False
    else:
        settings = state.demo_settings or demodata.load_settings()
        state.years = list(settings["aar"])
    befolkning = load_befolkning(state.years, state.reference_dir)
    state.behovsindeks = load_behovsindeks(
        state.years,
        state.config.tjenester,
        state.config.vekter.budsjettaar_etter_dataaar,
        state.reference_dir,
    )
    if fetched is None:
        robek = _robek(state.reference_dir)
        inputs = demodata.generate(
            kommuner.assign(robek=kommuner["kommunenr"].isin(robek)),
            befolkning,
            state.behovsindeks,
            state.config,
            state.demo_settings,
        )
    has_population = (inputs["variabel"] == "innbyggere").any()
    state.raadata = inputs if has_population else pd.concat([inputs, befolkning], ignore_index=True)


def _robek(reference_dir: Path) -> set[str]:
    raw = pd.read_csv(reference_dir / "kommuner.csv", dtype={"kommunenr": str})
    return set(raw.loc[raw["robek_2024"].astype(str) == "True", "kommunenr"])


def compute_cost(state: BuildState) -> None:
    """The `kostnad` table and the cost index per service and in total."""
    kostnad = compute_kostnad(state.raadata, state.behovsindeks, state.tables["kommune"])
    state.tables["kostnad"] = kostnad
    state.tables["behovsindeks"] = state.behovsindeks
    state.indices["kostnad"] = kostnadsindeks(kostnad, state.config)


def compute_quality(state: BuildState) -> None:
    """Indicator values and scores, and the quality index per service and in total."""
    verdier = indikatorverdi(state.raadata, state.config)
    if verdier["verdi"].notna().sum() == 0:
        raise DataError(
            "Rådataene har ingen verdier for kvalitetsindikatorene i data/indikatorer.csv, så "
            "kvalitetsindeksen kan ikke beregnes. Hent eller importer indikatorer, eller bygg med --demo."
        )
    skaar = indikatorskaar(verdier, state.config)
    state.tables["indikatorverdi"] = verdier
    state.tables["indikatorskaar"] = skaar
    state.indices["kvalitet"] = kvalitetsindeks(skaar, state.config)


def compute_finance(state: BuildState) -> None:
    """The `finans` table and the finance index."""
    table = finans(state.raadata)
    state.tables["finans"] = table
    state.indices["finans"] = finansindeks(table, state.config)


def compute_efficiency(state: BuildState) -> None:
    """Efficiency from the cost and quality indices already computed."""
    i = state.indices
    i["effektivitet"] = effektivitetsindeks(i["kostnad"], i["kvalitet"], state.config)


def compute_kommuneindeks(state: BuildState) -> None:
    """The total: cost, quality and finances."""
    i = state.indices
    i["kommuneindeks"] = kommuneindeks(i["kostnad"], i["kvalitet"], i["finans"], state.config)


def rank_indices(state: BuildState) -> None:
    """One `indeks` table, ranked within each year, service and index type."""
    indeks = pd.concat(state.indices.values(), ignore_index=True)
    state.tables["indeks"] = rank_groups(indeks, ["aar", "tjeneste", "indekstype"])


def collect_sources(state: BuildState) -> None:
    """`befolkning`, `raadata` and one `datakilde` row per source and year."""
    state.tables["befolkning"] = (
        rd.innbyggere(state.raadata)[["kommunenr", "aar", "innbyggere"]]
        .dropna()
        .astype({"innbyggere": "int64"})
    )
    state.tables["raadata"] = state.raadata
    hentet = datetime.now().replace(microsecond=0)
    sources = state.raadata[["kilde", "aar"]].drop_duplicates().sort_values(["kilde", "aar"])
    state.tables["datakilde"] = sources.assign(
        hentet=hentet, er_demodata=sources["kilde"] == demodata.KILDE
    )


STEPS: tuple[Callable[[BuildState], None], ...] = (
    load_reference,
    load_inputs,
    compute_cost,
    compute_quality,
    compute_finance,
    compute_efficiency,
    compute_kommuneindeks,
    rank_indices,
    collect_sources,
)


def _progress(i: int, n: int, label: str) -> None:
    width = 24
    done = int(width * i / n)
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {i}/{n} {label:<40}")
    if i == n:
        sys.stderr.write("\n")
    sys.stderr.flush()


def build(
    db_path: Path,
    raadata_folder: Path | None = None,
    *,
    config: Config | None = None,
    reference_dir: Path = REFERENCE_DIR,
    demo_settings: dict | None = None,
    steps: tuple[Callable[[BuildState], None], ...] = STEPS,
    progress: bool = False,
) -> str:
    """Build the database at `db_path` and return a one-line Norwegian report.

    Uses the raw-data CSVs in `raadata_folder` when there are any, else demo data.
    """
    start = time.perf_counter()
    state = BuildState(config or default_config(), reference_dir, raadata_folder, demo_settings)
    total = len(steps) + 1
    for i, step in enumerate(steps):
        if progress:
            _progress(i, total, step.__name__)
        step(state)
    if progress:
        _progress(len(steps), total, "write_database")
    write_database(Path(db_path), state.tables)
    if progress:
        _progress(total, total, "ferdig")
    kilde = "demodata" if state.er_demodata else "KOSTRA-data"
    n = state.tables["kommune"].shape[0]
    aar = f"{min(state.years)}–{max(state.years)}"
    secs = time.perf_counter() - start
    return f"Bygde {db_path} med {kilde} for {n} kommuner, år {aar}, på {secs:.1f} s."
