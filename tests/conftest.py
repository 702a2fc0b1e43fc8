"""Shared fixtures: one demo database built per test session from the repository's data."""

from pathlib import Path

import pytest

from scoring.build import build

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A demo database built once per session (read it, never write it)."""
    path = tmp_path_factory.mktemp("db") / "kommuneindeks.duckdb"
    build(path)
    return path
