"""Raw inputs from Statistics Norway (SSB): the front door of the PxWebApi v2 import.

`fetch_raadata` (in `hent`) runs the steps, one module each: `katalog` → `katalogsjekk` →
`batcher` → `klient` → `jsonstat` → `uttrekk` → `kodeendring`. The catalogue, `extract_variable`
and `to_2024_codes` are shared with `scoring.statbank_csv`.
"""

from scoring.ssb.batcher import data_url, metadata_url, plan_batches
from scoring.ssb.fremdrift import Progress, terminal_progress
from scoring.ssb.hent import fetch_raadata
from scoring.ssb.jsonstat import MISSING_SYMBOLS, TabellMeta, parse_jsonstat, parse_metadata
from scoring.ssb.katalog import (
    CONTENTS,
    DEFAULT_KATALOG,
    TID,
    Henting,
    Katalog,
    Kommunekoder,
    Variabel,
    load_katalog,
    parse_filter,
)
from scoring.ssb.katalogsjekk import check_katalog
from scoring.ssb.klient import DEFAULT_BASE_URL, DEFAULT_CACHE_DIR, SsbClient
from scoring.ssb.kodeendring import to_2024_codes
from scoring.ssb.uttrekk import extract_variable

__all__ = [
    "CONTENTS",
    "DEFAULT_BASE_URL",
    "DEFAULT_CACHE_DIR",
    "DEFAULT_KATALOG",
    "MISSING_SYMBOLS",
    "TID",
    "Henting",
    "Katalog",
    "Kommunekoder",
    "Progress",
    "SsbClient",
    "TabellMeta",
    "Variabel",
    "check_katalog",
    "data_url",
    "extract_variable",
    "fetch_raadata",
    "load_katalog",
    "metadata_url",
    "parse_filter",
    "parse_jsonstat",
    "parse_metadata",
    "plan_batches",
    "terminal_progress",
    "to_2024_codes",
]
