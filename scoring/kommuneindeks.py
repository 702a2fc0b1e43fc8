"""Kommuneindeks: cost, quality and finances count equally (for the municipality as a whole)."""

import pandas as pd

from scoring.config import Config
from scoring.contract import ALLE
from scoring.rang import combine


def kommuneindeks(
    kostnad: pd.DataFrame, kvalitet: pd.DataFrame, finans: pd.DataFrame, config: Config
) -> pd.DataFrame:
    """The total index from the three sub-indices of 'alle'."""
    parts = {
        name: df[df["tjeneste"] == ALLE]
        for name, df in {"kostnad": kostnad, "kvalitet": kvalitet, "finans": finans}.items()
    }
    return combine(parts, config.vekter.kommuneindeks, config).assign(indekstype="kommuneindeks")
