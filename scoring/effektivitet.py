"""Effektivitetsindeks: quality and cost weighted equally, per cost service and in total."""

import pandas as pd

from scoring.config import Config
from scoring.rang import combine


def effektivitetsindeks(kostnad: pd.DataFrame, kvalitet: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Efficiency where both a cost and a quality index exist (the seven services and 'alle')."""
    parts = {"kostnad": kostnad, "kvalitet": kvalitet}
    return combine(parts, config.vekter.effektivitet, config).assign(indekstype="effektivitet")
