"""A small DuckDB file with every table of the contract, and a sandbox over it.

Five municipalities, three years, a handful of indicators: enough for joins, ranks and slow
cross joins, and independent of the demo database that `scoring.build` makes.
"""

import datetime
import hashlib
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from assistant.assistant import read_context
from assistant.katalog import Katalog
from assistant.query.execute import Sandbox
from assistant.settings import SqlSettings, load_settings
from assistant.understand.context import Context
from scoring.contract import ALL_TABLES, ALLE, INDEKSTYPER, KOSTNADSTJENESTER, TJENESTER

AAR = (2022, 2023, 2024)
KOMMUNER = (
    ("0301", "Oslo", "Oslo - Oslove", "Oslo", 17, 1),
    ("5605", "Sør-Varanger", "Sør-Varanger - Mátta-Várjjat - Etelä-Varenki", "Finnmark", 12, 5),
    ("1818", "Herøy (Nordland)", "Herøy", "Nordland", 6, 6),
    ("1515", "Herøy (Møre og Romsdal)", "Herøy", "Møre og Romsdal", 2, 4),
    ("3403", "Hamar", "Hamar", "Innlandet", 13, 3),
)
INDIKATORER = tuple(
    (f"indikator_{n:02d}", TJENESTER[n % len(TJENESTER)], f"Indikator {n}", "prosent", n % 2 == 0)
    for n in range(10)
)


def _ranked(values: list[float]) -> list[int]:
    """RANK() with 1 for the highest value."""
    return [1 + sum(other > value for other in values) for value in values]


def _rows_kommune() -> list[tuple]:
    return list(KOMMUNER)


def _rows_befolkning() -> list[tuple]:
    return [(k[0], aar, 1000 * (i + 1) + aar - 2000) for aar in AAR for i, k in enumerate(KOMMUNER)]


def _rows_tjeneste() -> list[tuple]:
    return [(t, t.replace("_", " ").capitalize(), t in KOSTNADSTJENESTER) for t in TJENESTER]


def _index_keys() -> list[tuple[str, str]]:
    keys = [(ALLE, indekstype) for indekstype in INDEKSTYPER]
    for tjeneste in TJENESTER:
        kinds = (
            ("kostnad", "kvalitet", "effektivitet")
            if tjeneste in KOSTNADSTJENESTER
            else ("kvalitet",)
        )
        keys += [(tjeneste, kind) for kind in kinds]
    return keys


def _rows_indeks() -> list[tuple]:
    rows = []
    for aar in AAR:
        for n, (tjeneste, indekstype) in enumerate(_index_keys()):
            values = [0.8 + ((i * 7 + n * 3 + aar) % 9) / 20 for i in range(len(KOMMUNER))]
            ranks = _ranked(values)
            for kommune, verdi, rang in zip(KOMMUNER, values, ranks):
                rows.append((aar, kommune[0], tjeneste, indekstype, verdi, rang, len(KOMMUNER)))
    return rows


def _rows_indikator() -> list[tuple]:
    return [
        (key, tjeneste, navn, enhet, hoyere, "SSB tabell 12242")
        for key, tjeneste, navn, enhet, hoyere in INDIKATORER
    ]


def _rows_indikatorverdi() -> list[tuple]:
    rows = []
    for aar in AAR:
        for n, indikator in enumerate(INDIKATORER):
            values = [float((i * 13 + n * 5 + aar) % 17) for i in range(len(KOMMUNER))]
            for kommune, verdi, rang in zip(KOMMUNER, values, _ranked(values)):
                rows.append((aar, kommune[0], indikator[0], verdi, rang))
    return rows


def _rows_kostnad() -> list[tuple]:
    rows = []
    for aar in AAR:
        for i, kommune in enumerate(KOMMUNER):
            for n, tjeneste in enumerate((*KOSTNADSTJENESTER, ALLE)):
                kr = 1_000_000.0 * (i + 1) * (n + 1)
                per = kr / 1000
                behov = 0.9 + i / 20
                rows.append(
                    (aar, kommune[0], tjeneste, kr, per, behov, per / behov, per, kr / 10 - i)
                )
    return rows


def _rows_finans() -> list[tuple]:
    return [(aar, k[0], 1.5 + i, 80.0 - i, 10.0 + i) for aar in AAR for i, k in enumerate(KOMMUNER)]


def _rows_datakilde() -> list[tuple]:
    hentet = datetime.datetime(2025, 3, 1, 12, 30)
    return [("demodata", aar, hentet, True) for aar in AAR]


def _rows_raadata() -> list[tuple]:
    return [
        (aar, k[0], "innbyggere", 1000.0 * (i + 1), "demodata")
        for aar in AAR
        for i, k in enumerate(KOMMUNER)
    ]


def _rows_indikatorskaar() -> list[tuple]:
    return [
        (aar, kommunenr, indikator, verdi / 10)
        for aar, kommunenr, indikator, verdi, _ in _rows_indikatorverdi()
    ]


ROWS = {
    "kommune": _rows_kommune,
    "befolkning": _rows_befolkning,
    "tjeneste": _rows_tjeneste,
    "indeks": _rows_indeks,
    "indikator": _rows_indikator,
    "indikatorverdi": _rows_indikatorverdi,
    "kostnad": _rows_kostnad,
    "finans": _rows_finans,
    "datakilde": _rows_datakilde,
    "raadata": _rows_raadata,
    "indikatorskaar": _rows_indikatorskaar,
}

GENERIC_VALUES: dict[str, Any] = {
    "VARCHAR": "x",
    "INTEGER": 1,
    "DOUBLE": 1.0,
    "BOOLEAN": True,
    "TIMESTAMP": datetime.datetime(2025, 1, 1),
}


def _generic_rows(columns: dict[str, str]) -> list[tuple]:
    """Three rows for a table added to the contract after this fixture was written."""
    return [tuple(GENERIC_VALUES.get(kind, None) for kind in columns.values()) for _ in range(3)]


def build_test_database(path: Path) -> None:
    """Write a small database with every table of `ALL_TABLES` to `path`."""
    with duckdb.connect(str(path)) as con:
        for table, columns in ALL_TABLES.items():
            definition = ", ".join(f"{name} {kind}" for name, kind in columns.items())
            con.execute(f"CREATE TABLE {table} ({definition})")
            rows = ROWS[table]() if table in ROWS else _generic_rows(columns)
            # Rows written for the contract's columns get NULL in the columns added after them.
            rows = [tuple(row) + (None,) * (len(columns) - len(row)) for row in rows]
            marks = ", ".join("?" for _ in columns)
            con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def sha256(path: Path) -> str:
    """The sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def db_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kommuneindeks")


@pytest.fixture(scope="session")
def db_path(db_folder: Path) -> Path:
    path = db_folder / "test.duckdb"
    build_test_database(path)
    return path


@pytest.fixture(scope="session")
def db_hash(db_path: Path) -> str:
    return sha256(db_path)


@pytest.fixture(scope="session")
def secret(db_folder: Path) -> str:
    """A secret planted next to the database: no query may ever show it."""
    token = f"HEMMELIG-{secrets.token_hex(8)}"
    (db_folder / "secret.txt").write_text(f"{token}\n", encoding="utf-8")
    (db_folder / "secret.csv").write_text(f"kommunenr,kommune\n{token},{token}\n", encoding="utf-8")
    return token


@pytest.fixture(scope="session")
def sql_settings() -> SqlSettings:
    return load_settings().sql


@pytest.fixture(scope="session")
def sandbox(db_path: Path, db_hash: str, sql_settings: SqlSettings) -> Iterator[Sandbox]:
    with Sandbox(db_path, sql_settings) as box:
        yield box


# --- the demo database with neighbours, for the query specifications ---------------------------

@pytest.fixture(scope="session")
def naboer(spec_sandbox: Sandbox):
    """kommunenr → its neighbours, as the `nabo` table holds them."""
    def of(kommunenr: str) -> set[str]:
        _, rows = spec_sandbox.query(f"SELECT nabo_kommunenr FROM nabo WHERE kommunenr = '{kommunenr}'")
        return {r[0] for r in rows}
    return of


@pytest.fixture(scope="session")
def spec_sandbox(demo_db: Path, sql_settings: SqlSettings) -> Iterator[Sandbox]:
    """The demo database, whose build derives the `nabo` table from the municipal outlines."""
    with Sandbox(demo_db, sql_settings) as box:
        yield box


@pytest.fixture(scope="session")
def ctx(spec_sandbox: Sandbox) -> Context:
    """The context of the demo database with neighbours, its catalogue completed."""
    return read_context(spec_sandbox)


@pytest.fixture(scope="session")
def katalog(ctx: Context) -> Katalog:
    return ctx.katalog


@pytest.fixture(scope="session")
def aar(katalog: Katalog) -> int:
    """The latest data year of the demo database."""
    return katalog.finn("kommuneindeks").aar[-1]
