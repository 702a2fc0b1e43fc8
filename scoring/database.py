"""Write the contract tables into a DuckDB file atomically: a temporary file is written and
checked, and only then renamed over the old one, so a failed or interrupted build leaves the
existing database as it was."""

import os
from pathlib import Path

import duckdb
import pandas as pd

from scoring.contract import ALL_TABLES, TABLES
from scoring.errors import DataError

# Primary keys double as a check that no step produced duplicates.
PRIMARY_KEYS = {
    "kommune": ["kommunenr"],
    "befolkning": ["kommunenr", "aar"],
    "tjeneste": ["tjeneste"],
    "indeks": ["aar", "kommunenr", "tjeneste", "indekstype"],
    "indikator": ["indikator"],
    "indikatorverdi": ["aar", "kommunenr", "indikator"],
    "kostnad": ["aar", "kommunenr", "tjeneste"],
    "finans": ["aar", "kommunenr"],
    "raadata": ["aar", "kommunenr", "variabel"],
    "indikatorskaar": ["aar", "kommunenr", "indikator"],
    "behovsindeks": ["aar", "kommunenr", "tjeneste"],
    "datakilde": ["tabell", "maal", "aar"],
    "regnskap": ["kommunenr", "aar", "maal"],
    "regnskap_aggregat": ["aar", "enhetstype", "kode", "maal"],
    "regnskapsmaal": ["maal"],
    "datastatus": ["inndata", "aar"],
    "nabo": ["kommunenr", "nabo_kommunenr"],
}


def _create(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    columns = ALL_TABLES[name]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"Tabellen {name} mangler kolonnene {', '.join(missing)}.")
    defs = [f"{col} {typ}" for col, typ in columns.items()]
    if name in PRIMARY_KEYS:
        defs.append(f"PRIMARY KEY ({', '.join(PRIMARY_KEYS[name])})")
    con.execute(f"CREATE TABLE {name} ({', '.join(defs)})")
    con.register("frame", df[list(columns)])
    try:
        con.execute(f"INSERT INTO {name} SELECT * FROM frame")
    finally:
        con.unregister("frame")


def _check(con: duckdb.DuckDBPyConnection) -> None:
    """The written file has every contract table with the contract's columns and types first
    (our added columns after them), and every other table as `ALL_TABLES` describes it."""
    written = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    for name in set(TABLES) | (written & set(ALL_TABLES)):
        found = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position",
            [name],
        ).fetchall()
        if found != list(ALL_TABLES[name].items()):
            raise DataError(f"Tabellen {name} ble ikke skrevet som avtalt i kontrakten.")


def write_database(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Write every table to `path` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            for name, df in tables.items():
                _create(con, name, df)
            _check(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
