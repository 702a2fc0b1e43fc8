"""The public contract of the database (../shared/spec/schema.md): table names, columns and
the closed sets of keys. Names only, no logic: `assistant/` may import this module.
"""

from pathlib import Path
from typing import Literal, get_args

Tjeneste = Literal[
    "grunnskole",
    "barnehage",
    "barnevern",
    "pleie_og_omsorg",
    "helse",
    "sosial",
    "administrasjon",
    "brann_og_redning",
    "plan_og_byggesak",
    "samferdsel",
    "kultur",
    "bolig",
    "vann_og_avlop",
]
Indekstype = Literal["kostnad", "kvalitet", "effektivitet", "finans", "kommuneindeks"]

TJENESTER: tuple[str, ...] = get_args(Tjeneste)
KOSTNADSTJENESTER: tuple[str, ...] = TJENESTER[:7]  # the seven with a need-adjusted cost side
INDEKSTYPER: tuple[str, ...] = get_args(Indekstype)
ALLE = "alle"  # the municipality as a whole

# table -> ordered {column: DuckDB type}. The build creates exactly these (plus extra tables).
TABLES: dict[str, dict[str, str]] = {
    "kommune": {
        "kommunenr": "VARCHAR",
        "kommune": "VARCHAR",
        "offisielt_navn": "VARCHAR",
        "fylke": "VARCHAR",
        "kostragruppe": "INTEGER",
        "sentralitet": "INTEGER",
    },
    "befolkning": {"kommunenr": "VARCHAR", "aar": "INTEGER", "innbyggere": "INTEGER"},
    "tjeneste": {"tjeneste": "VARCHAR", "navn": "VARCHAR", "har_kostnad": "BOOLEAN"},
    "indeks": {
        "aar": "INTEGER",
        "kommunenr": "VARCHAR",
        "tjeneste": "VARCHAR",
        "indekstype": "VARCHAR",
        "verdi": "DOUBLE",
        "rang": "INTEGER",
        "antall": "INTEGER",
    },
    "indikator": {
        "indikator": "VARCHAR",
        "tjeneste": "VARCHAR",
        "navn": "VARCHAR",
        "enhet": "VARCHAR",
        "hoyere_er_bedre": "BOOLEAN",
        "kilde": "VARCHAR",
    },
    "indikatorverdi": {
        "aar": "INTEGER",
        "kommunenr": "VARCHAR",
        "indikator": "VARCHAR",
        "verdi": "DOUBLE",
        "rang": "INTEGER",
    },
    "kostnad": {
        "aar": "INTEGER",
        "kommunenr": "VARCHAR",
        "tjeneste": "VARCHAR",
        "netto_driftsutgifter_kr": "DOUBLE",
        "kr_per_innbygger": "DOUBLE",
        "behovsindeks": "DOUBLE",
        "behovskorrigert_kr_per_innbygger": "DOUBLE",
        "gruppesnitt_kr_per_innbygger": "DOUBLE",
        "innsparingspotensial_kr": "DOUBLE",
    },
    "finans": {
        "aar": "INTEGER",
        "kommunenr": "VARCHAR",
        "netto_driftsresultat_pst": "DOUBLE",
        "netto_lanegjeld_pst": "DOUBLE",
        "disposisjonsfond_pst": "DOUBLE",
    },
    "datakilde": {
        "kilde": "VARCHAR",
        "aar": "INTEGER",
        "hentet": "TIMESTAMP",
        "er_demodata": "BOOLEAN",
    },
}

# Extra tables of ours, also readable by the assistant (the validator's allow-list).
EXTRA_TABLES: dict[str, dict[str, str]] = {
    # The raw inputs in one long shape, whatever their source (demo data, SSB, statbank CSV).
    "raadata": {
        "aar": "INTEGER",
        "kommunenr": "VARCHAR",
        "variabel": "VARCHAR",
        "verdi": "DOUBLE",
        "kilde": "VARCHAR",
    },
    # The need index used for each cost service, and where it came from (sector index of the
    # budget year, or the documented fallback: the municipality's total index, then 1.00).
    "behovsindeks": {
        "aar": "INTEGER",
        "kommunenr": "VARCHAR",
        "tjeneste": "VARCHAR",
        "behovsindeks": "DOUBLE",
        "behovskilde": "VARCHAR",
    },
    # Per indicator and year: the standardised score behind the quality index (explanations).
    "indikatorskaar": {
        "aar": "INTEGER",
        "kommunenr": "VARCHAR",
        "indikator": "VARCHAR",
        "skaar": "DOUBLE",
    },
    # Municipalities that share a border, both ways (kommunenr → nabo_kommunenr).
    "nabo": {"kommunenr": "VARCHAR", "nabo_kommunenr": "VARCHAR"},
}

ALL_TABLES: dict[str, dict[str, str]] = {**TABLES, **EXTRA_TABLES}

DATA_DIR = Path(__file__).resolve().parents[1] / "data"  # configuration and reference data
DEFAULT_DB = "data/kommuneindeks.duckdb"
DB_ENV = "KOMMUNEINDEKS_DB"
