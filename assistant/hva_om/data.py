"""The tables a what-if recomputes from: one year of the stored database, read through
validated SELECTs on a read-only sandbox and cached per file and year, and the cost per
årsverk of data/arsverk.toml (the resource calculator)."""

import dataclasses
import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from assistant.errors import DatabaseError
from assistant.query.build import fill
from assistant.query.execute import Sandbox
from assistant.settings import SqlSettings
from scoring.config import default_config
from scoring.contract import DATA_DIR, KOSTNADSTJENESTER
from scoring.hva_om import Recomputation, YearTables, recompute

ARSVERK_FILE = DATA_DIR / "arsverk.toml"


MAX_ROWS = 100_000  # one year of indicator values is about 29 000 rows
MAX_BYTES = 50_000_000  # …and about 1.1 MB as JSON


TABLES = ("kostnad", "indikatorverdi", "finans", "kommune", "befolkning", "indikator")  # query/sql/hva_om/


@dataclass(frozen=True)
class Grunnlag:
    """One year's stored tables and the indices recomputed from them (equal to the stored
    ones), loaded once per database file and year. Shared: never changed in place."""

    tables: YearTables
    base: Recomputation
    indikatorer: dict[str, tuple[str, str, bool]]  # indikator → (navn, enhet, hoyere_er_bedre)
    kostragruppe: dict[str, int]
    sql: str


def load_arsverk(path: Path = ARSVERK_FILE) -> dict[str, float]:
    """Kroner per årsverk per cost service, from data/arsverk.toml (checked at load).

    >>> load_arsverk()["pleie_og_omsorg"]
    750000.0
    """
    try:
        with path.open("rb") as f:
            raw = tomllib.load(f)
    except (FileNotFoundError, tomllib.TOMLDecodeError) as err:
        raise ValueError(f"{path.name}: kan ikke leses ({err}).") from err
    out = {}
    for tjeneste in KOSTNADSTJENESTER:
        value = raw.get(tjeneste, {}).get("kr_per_arsverk")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"{path.name} [{tjeneste}] kr_per_arsverk: må være et tall over null.")
        out[tjeneste] = float(value)
    return out


@functools.cache
def default_arsverk() -> dict[str, float]:
    return load_arsverk(ARSVERK_FILE)


def _frame(box: Sandbox, sql: str) -> pd.DataFrame:
    """One whole table; the result limits are wide here, and a cut table is an error, since a
    what-if on part of a year would be wrong."""
    result = box.fetch(sql)
    if result.cut:
        raise DatabaseError("Årets tabeller er for store for hva om-beregningen.")
    return pd.DataFrame(result.rows, columns=result.columns)


@functools.lru_cache(maxsize=6)
def load_grunnlag(db_path: str, stamp: tuple[int, int], aar: int, settings: SqlSettings) -> Grunnlag:
    """The year's tables through validated SELECTs on a read-only sandbox, and the baseline.

    Cached per (file, modification time and size, year): a rebuilt database is read again.
    """
    del stamp  # part of the cache key only
    sqls = {name: fill(f"hva_om/{name}", aar=int(aar)).sql for name in TABLES}
    # one worker: the tables load one after the other
    wide = dataclasses.replace(settings, max_rows=MAX_ROWS, max_result_bytes=MAX_BYTES, workers=1)
    with Sandbox(db_path, wide) as box:
        frames = {name: _frame(box, sql) for name, sql in sqls.items()}
    floats = frames["kostnad"].columns[2:]
    tables = YearTables(
        aar=aar,
        kostnad=frames["kostnad"].astype({c: float for c in floats}).assign(aar=aar),
        indikatorverdi=frames["indikatorverdi"].astype({"verdi": float}),
        finans=frames["finans"].astype({c: float for c in frames["finans"].columns[1:]}),
        kommune=frames["kommune"],
        befolkning=frames["befolkning"],
    )
    ind = frames["indikator"]
    return Grunnlag(
        tables=tables,
        base=recompute(tables, default_config()),
        indikatorer={r.indikator: (r.navn, r.enhet, bool(r.hoyere_er_bedre)) for r in ind.itertuples()},
        kostragruppe=dict(zip(frames["kommune"]["kommunenr"], frames["kommune"]["kostragruppe"])),
        sql=sqls["kostnad"],
    )


def grunnlag_for(sandbox: Sandbox, aar: int) -> Grunnlag:
    """The cached tables of a year of the sandbox's database."""
    path = sandbox.path.resolve()
    st = path.stat()
    return load_grunnlag(str(path), (st.st_mtime_ns, st.st_size), aar, sandbox.settings)
