"""`build()`: from reference data and raw inputs to every contract table, step by step.

The steps are listed in order in `STEPS`, each a small function that reads and adds to the
build state, like sqlglot's optimizer RULES. A caller can pass its own list.

Where the inputs come from (`load_inputs`), per variable and year, the first of:
1. a raw-data folder (`kommuneindeks data fetch` / `import-csv` / `import-indikatorer`), when given;
2. the real KOSTRA figures in data/kostra/ (in the default build, or with `fyll_inn`);
3. the population and need indices of data/reference/;
4. demo data (in the default build, with `fyll_inn`, or everything with `demo`).
A folder build without `fyll_inn` uses real data only, and stops (`check_inputs`) when a missing
input stops an index. Employer's tax missing beside real expenditure is estimated (`scoring.aga`).
"""

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from scoring import aga, demodata, regnskap
from scoring import raadata as rd
from scoring.byggerapport import byggerapport
from scoring.config import Config, default_config
from scoring.contract import KART_SUFFIX, KOSTNADSTJENESTER, TABLES
from scoring.database import write_database
from scoring.datakilde import datakilde, input_provenance
from scoring.datastatus import counts, datastatus, missing_message
from scoring.effektivitet import effektivitetsindeks
from scoring.errors import DataError
from scoring.finans import finans, finansindeks
from scoring.inndata import aga as aga_key
from scoring.inndata import netto as netto_key
from scoring.kart import neighbours, read_topology, simplify_topology, write_kart
from scoring.kilde import Kilde
from scoring.kommuneindeks import kommuneindeks
from scoring.kostnad import compute_kostnad, kostnadsindeks
from scoring.kvalitet import indikatorskaar, indikatorverdi, kvalitetsindeks
from scoring.rang import rank_groups
from scoring.reference import (
    BEFOLKNING,
    REFERENCE_DIR,
    load_befolkning,
    load_behovsindeks,
    load_kommuner,
)


@dataclass
class BuildState:
    """What the steps pass along: inputs, intermediate frames and the finished tables."""

    config: Config
    reference_dir: Path
    raadata_folder: Path | None = None
    demo_settings: dict | None = None
    demo: bool = False  # demo data for every input
    fyll_inn: bool = False  # a folder build may fill gaps from data/kostra and demo data
    kostra_dir: Path = regnskap.KOSTRA_DIR
    years: list[int] = field(default_factory=list)
    raadata: pd.DataFrame | None = None
    kilder: dict[str, Kilde] = field(default_factory=dict)  # by source text
    behovsindeks: pd.DataFrame | None = None
    indices: dict[str, pd.DataFrame] = field(default_factory=dict)  # by indekstype
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    advarsler: list[str] = field(default_factory=list)
    kart: dict | None = None  # the map's simplified outlines, written beside the database

    @property
    def real_only(self) -> bool:
        """A folder build without `fyll_inn`: nothing but the folder and the reference data."""
        return self.raadata_folder is not None and not self.fyll_inn and not self.demo


def load_reference(state: BuildState) -> None:
    """The municipalities, services and indicator catalogue."""
    state.tables["kommune"] = load_kommuner(state.reference_dir)
    state.tables["tjeneste"] = pd.DataFrame(
        [(t.tjeneste, t.navn, t.har_kostnad) for t in state.config.tjenester],
        columns=list(TABLES["tjeneste"]),
    )
    state.tables["indikator"] = pd.DataFrame(
        [
            (i.indikator, i.tjeneste, i.navn, i.enhet, i.hoyere_er_bedre, i.kilde, i.gruppe)
            for i in state.config.indikatorer
        ],
        columns=[*TABLES["indikator"], "gruppe"],
    )


def load_regnskap(state: BuildState) -> None:
    """The real KOSTRA figures as SSB publishes them, in their own tables."""
    kommunenr = set(state.tables["kommune"]["kommunenr"])
    tabell, aggregat = regnskap.load_regnskap(kommunenr, state.kostra_dir)
    state.tables["regnskap"] = tabell
    state.tables["regnskap_aggregat"] = aggregat
    state.tables["regnskapsmaal"] = regnskap.load_maal(state.kostra_dir)


def load_inputs(state: BuildState) -> None:
    """The raw inputs, each variable and year from the first source that has it."""
    kommunenr = set(state.tables["kommune"]["kommunenr"])
    folder = (
        _read_folder(state.raadata_folder, kommunenr)
        if state.raadata_folder and not state.demo
        else None
    )
    settings = state.demo_settings or demodata.load_settings()
    years = set(folder["aar"]) if folder is not None else set()
    if not state.real_only:  # the default years, and any more the folder has
        years |= set(settings["aar"])
    state.years = sorted(int(y) for y in years)
    befolkning = load_befolkning(state.years, state.reference_dir)
    state.behovsindeks = load_behovsindeks(
        state.years,
        state.config.tjenester,
        state.config.vekter.budsjettaar_etter_dataaar,
        state.reference_dir,
    )
    layers: list[pd.DataFrame] = []
    if folder is not None:
        layers.append(folder)
    if not state.demo and not state.real_only:
        layers.append(_real_figures(state))
    layers.append(befolkning)
    _register(state, BEFOLKNING, regnskap.KILDE, regnskap.SPLIT_KILDE, aga.KILDE)
    if not state.real_only:
        layers.append(_demo(state, befolkning, settings))
    state.raadata = _with_employers_tax(state, layers)


def _read_folder(folder: Path, kommunenr: set[str]) -> pd.DataFrame:
    if not folder.is_dir():
        raise DataError(
            f"Rådatamappen {folder} finnes ikke. Sjekk stien, hent data med "
            "`kommuneindeks data fetch`, eller bygg uten --raadata."
        )
    raw = rd.read_folder(folder)
    if raw is None:
        raise DataError(f"Rådatamappen {folder} har ingen CSV-filer med rådata.")
    return rd.validate(raw, kommunenr, str(folder))


def _real_figures(state: BuildState) -> pd.DataFrame:
    rows = regnskap.to_raadata(
        state.tables["regnskap"],
        state.behovsindeks,
        state.tables["regnskapsmaal"],
        state.config.regnskap.fgk9,
    )
    return rows[rows["aar"].isin(state.years)]


def _demo(state: BuildState, befolkning: pd.DataFrame, settings: dict) -> pd.DataFrame:
    kommuner = state.tables["kommune"]
    robek = _robek(state.reference_dir)
    return demodata.generate(
        kommuner.assign(robek=kommuner["kommunenr"].isin(robek)),
        befolkning,
        state.behovsindeks,
        state.config,
        {**settings, "aar": state.years},
    )


def _register(state: BuildState, *kilder: Kilde) -> None:
    state.kilder.update({k.kilde: k for k in kilder})


def _robek(reference_dir: Path) -> set[str]:
    raw = pd.read_csv(reference_dir / "kommuner.csv", dtype={"kommunenr": str})
    return set(raw.loc[raw["robek_2024"].astype(str) == "True", "kommunenr"])


def _with_employers_tax(state: BuildState, layers: list[pd.DataFrame]) -> pd.DataFrame:
    """Every variable from its first source; the employer's tax from the same source as the
    expenditure it is part of, or estimated from the AGA zone where that source lacks it."""
    is_aga = [df["variabel"].str.startswith("arbeidsgiveravgift.") for df in layers]
    rows, chosen = rd.combine([df[~a] for df, a in zip(layers, is_aga)])
    taxes, estimate = [], []
    for tjeneste in KOSTNADSTJENESTER:
        for aar in state.years:
            layer = chosen.get((netto_key(tjeneste), aar))
            if layer is None:
                continue
            own = layers[layer]
            own = own[is_aga[layer] & (own["variabel"] == aga_key(tjeneste)) & (own["aar"] == aar)]
            if own["verdi"].notna().any():
                taxes.append(own)
            else:
                estimate.append((tjeneste, aar))
    if estimate:
        wanted = pd.DataFrame([(netto_key(t), a) for t, a in estimate], columns=["variabel", "aar"])
        netto = rows.merge(wanted, on=["variabel", "aar"])
        taxes.append(aga.estimate(netto, aga.load_satser(), state.config.regnskap.lonnsandel))
    return pd.concat([rows, *taxes], ignore_index=True)


def check_inputs(state: BuildState) -> None:
    """A real-data build stops, naming what is missing and what it stops, when an input that an
    index cannot do without is missing (`fyll_inn` fills it instead)."""
    inputs = input_provenance(state.raadata, state.behovsindeks, state.kilder)
    message = missing_message(inputs, state.years, state.config, state.raadata_folder)
    if message and state.real_only:
        raise DataError(message)
    state.tables["datastatus"] = _status(state, inputs)


def _status(state: BuildState, inputs: dict | None = None) -> pd.DataFrame:
    inputs = inputs or input_provenance(state.raadata, state.behovsindeks, state.kilder)
    antall = counts(state.raadata, state.behovsindeks)
    return datastatus(inputs, antall, state.years, len(state.tables["kommune"]), state.config)


def compute_cost(state: BuildState) -> None:
    """The `kostnad` table and the cost index per service and in total."""
    kostnad = compute_kostnad(state.raadata, state.behovsindeks, state.tables["kommune"])
    state.tables["kostnad"] = kostnad
    state.tables["behovsindeks"] = state.behovsindeks
    state.indices["kostnad"] = kostnadsindeks(kostnad, state.config)


def compute_quality(state: BuildState) -> None:
    """Indicator values and scores, and the quality index per service and in total."""
    verdier = indikatorverdi(state.raadata, state.config)
    skaar = indikatorskaar(verdier, state.config)
    state.tables["indikatorverdi"] = verdier
    state.tables["indikatorskaar"] = skaar
    state.indices["kvalitet"] = kvalitetsindeks(skaar, state.config)


def compute_finance(state: BuildState) -> None:
    """The `finans` table and the finance index."""
    table = finans(state.raadata, state.years, state.tables["kommune"]["kommunenr"])
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
    """`befolkning`, `raadata` and `datakilde`: where every table, measure and year comes from."""
    state.tables["befolkning"] = (
        rd.innbyggere(state.raadata)[["kommunenr", "aar", "innbyggere"]]
        .dropna()
        .astype({"innbyggere": "int64"})
    )
    state.tables["raadata"] = state.raadata
    inputs = input_provenance(state.raadata, state.behovsindeks, state.kilder)
    hentet = datetime.now().replace(microsecond=0)
    state.tables["datakilde"] = datakilde(state.tables, inputs, state.config, hentet)


def map_outlines(state: BuildState) -> None:
    """The map: simplified outlines for the charts, and the `nabo` table of shared borders."""
    topology = read_topology()
    nabo = neighbours(topology)
    unknown = set(nabo["kommunenr"]) - set(state.tables["kommune"]["kommunenr"])
    if unknown:
        raise DataError(f"Kartet har kommunenumre som ikke er i kommunelisten: {sorted(unknown)}")
    state.tables["nabo"] = nabo
    state.kart = simplify_topology(topology)


STEPS: tuple[Callable[[BuildState], None], ...] = (
    load_reference,
    load_regnskap,
    load_inputs,
    check_inputs,
    compute_cost,
    compute_quality,
    compute_finance,
    compute_efficiency,
    compute_kommuneindeks,
    rank_indices,
    collect_sources,
    map_outlines,
)
# What `kommuneindeks data status` runs: the inputs and their status, nothing computed.
STATUS_STEPS = STEPS[:3]


def _progress(i: int, n: int, label: str) -> None:
    width = 24
    done = int(width * i / n)
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {i}/{n} {label:<40}")
    if i == n:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _state(
    raadata_folder: Path | None,
    config: Config | None,
    reference_dir: Path,
    demo_settings: dict | None,
    demo: bool,
    fyll_inn: bool,
) -> BuildState:
    return BuildState(
        config or default_config(),
        reference_dir,
        raadata_folder,
        demo_settings,
        demo=demo,
        fyll_inn=fyll_inn,
    )


def build(
    db_path: Path,
    raadata_folder: Path | None = None,
    *,
    demo: bool = False,
    fyll_inn: bool = False,
    config: Config | None = None,
    reference_dir: Path = REFERENCE_DIR,
    demo_settings: dict | None = None,
    steps: tuple[Callable[[BuildState], None], ...] = STEPS,
    progress: bool = False,
) -> str:
    """Build the database at `db_path` and return the Norwegian build report.

    Without `raadata_folder`: the real KOSTRA figures where they reach, demo data for the rest.
    With it: the folder's data only (a missing input that stops an index is a DataError), or,
    with `fyll_inn`, the folder first and then the same sources as without it. `demo`: demo data
    for every input.
    """
    start = time.perf_counter()
    state = _state(raadata_folder, config, reference_dir, demo_settings, demo, fyll_inn)
    total = len(steps) + 1
    for i, step in enumerate(steps):
        if progress:
            _progress(i, total, step.__name__)
        step(state)
    if progress:
        _progress(len(steps), total, "write_database")
    write_database(Path(db_path), state.tables)
    if state.kart is not None:
        write_kart(state.kart, Path(db_path).with_name(Path(db_path).name + KART_SUFFIX))
    if progress:
        _progress(total, total, "ferdig")
    return byggerapport(state, db_path, time.perf_counter() - start)


def status(
    raadata_folder: Path | None = None,
    *,
    demo: bool = False,
    fyll_inn: bool = False,
    config: Config | None = None,
    reference_dir: Path = REFERENCE_DIR,
) -> pd.DataFrame:
    """The `datastatus` rows a build with these options would store, without building: each
    input with its status, years, coverage and what it stops when missing."""
    state = _state(raadata_folder, config, reference_dir, None, demo, fyll_inn)
    for step in STATUS_STEPS:
        step(state)
    return _status(state)
