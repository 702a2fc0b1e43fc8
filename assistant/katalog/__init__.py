"""The catalogue of measures and dimensions (data/katalog.toml) and the method texts
(data/metode.toml): what a question can ask for, and how each is found in the database.

`load_katalog` reads and checks the files once (a pure, cached loader); every error names the
file and the key. `complete_katalog` adds what only the database knows, once at start: the
members of each family (every quality indicator of the `indikator` table is a measure), the
years each measure has data for, and which optional tables (such as `nabo`) exist.

Adding a measure is one entry in data/katalog.toml; nothing here names a measure.
"""

from assistant.katalog.complete import complete_katalog
from assistant.katalog.load import KATALOG_FILE, METODE_FILE, load_katalog, parse_katalog
from assistant.katalog.model import Dimensjon, Familie, Katalog, KatalogError, Maal, Metode

__all__ = [
    "KATALOG_FILE", "METODE_FILE", "Dimensjon", "Familie", "Katalog", "KatalogError", "Maal",
    "Metode", "complete_katalog", "load_katalog", "parse_katalog",
]  # fmt: skip
