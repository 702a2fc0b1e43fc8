"""Shared fixtures: one demo database built per test session from the repository's data, and one
assistant on it."""

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from assistant import Assistant
from assistant.query.execute import connect_read_only
from assistant.settings import load_settings
from scoring.build import build

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A demo database built once per session (read it, never write it)."""
    path = tmp_path_factory.mktemp("db") / "kommuneindeks.duckdb"
    build(path)
    return path


@pytest.fixture(scope="session")
def assistant(demo_db: Path) -> Iterator[Assistant]:
    """The assistant on the demo database, shared by every test (it holds no per-user state)."""
    a = Assistant(demo_db)
    yield a
    a.close()


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection configured like the assistant's sandbox: DuckDB shares one
    instance per file in a process and refuses a second connection with other settings."""
    return connect_read_only(Path(path), load_settings().sql)
