"""The public contract of the database (docs/schema.md): table names, columns and
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
# Where a number comes from (datakilde.status, datastatus.status): real, an estimate computed from
# real figures, demo data, or (datastatus only) missing.
Status = Literal["ekte", "estimat", "demo", "mangler"]
# indikator.gruppe: in the quality index, or an explanatory (input / working-environment) indicator.
Indikatorgruppe = Literal["kvalitet", "forklaring"]
# regnskap_aggregat.enhetstype: SSB's aggregates of the real KOSTRA figures.
Enhetstype = Literal["landet", "fylkeskommunene", "fylkeskommune", "kostragruppe", "kommune"]
# regnskapsmaal.kategori
Regnskapskategori = Literal["driftsutgifter", "finans"]
# data/vekter.toml [sammenstilling] metode: how efficiency and the Kommuneindeks combine parts.
Sammenstilling = Literal["indeksverdier", "standardisert"]

TJENESTER: tuple[str, ...] = get_args(Tjeneste)
KOSTNADSTJENESTER: tuple[str, ...] = TJENESTER[:7]  # the seven with a need-adjusted cost side
INDEKSTYPER: tuple[str, ...] = get_args(Indekstype)
STATUSER: tuple[str, ...] = get_args(Status)
INDIKATORGRUPPER: tuple[str, ...] = get_args(Indikatorgruppe)
ENHETSTYPER: tuple[str, ...] = get_args(Enhetstype)
SAMMENSTILLINGER: tuple[str, ...] = get_args(Sammenstilling)
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

# Columns we add to contract tables, after the contract's own (the contract allows additions).
ADDED_COLUMNS: dict[str, dict[str, str]] = {
    "indikator": {"gruppe": "VARCHAR"},  # Indikatorgruppe
    # One row per (tabell, maal, aar): see docs/data.md, «Hvor hvert tall kommer fra».
    "datakilde": {
        "tabell": "VARCHAR",
        "maal": "VARCHAR",
        "status": "VARCHAR",  # Status, without 'mangler'
        "kreditering": "VARCHAR",  # «Kilde: SSB (KOSTRA)» … or «demodata»
        "ssb_tabell": "VARCHAR",
        "lisens": "VARCHAR",
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
    # Municipalities that share a border, one row per ordered pair (both directions), from the
    # map's outlines (scoring/kart.py): «nabokommunene til Bodø».
    "nabo": {"kommunenr": "VARCHAR", "nabo_kommunenr": "VARCHAR"},
    # The real KOSTRA figures as SSB publishes them (data/kostra/, SSB table 12134), per
    # municipality of the 2024 structure: `maal` is a key of `regnskapsmaal`.
    "regnskap": {
        "kommunenr": "VARCHAR",
        "aar": "INTEGER",
        "maal": "VARCHAR",
        "belop_1000kr": "DOUBLE",
        "kr_per_innbygger": "DOUBLE",
    },
    # SSB's aggregates of the same figures: Landet (EAK), the county authorities (EAFK and one
    # row per fylkeskommune), the KOSTRA groups (EKG01–EKG17), and 1507 Ålesund before 2024.
    "regnskap_aggregat": {
        "aar": "INTEGER",
        "enhetstype": "VARCHAR",  # Enhetstype
        "kode": "VARCHAR",
        "navn": "VARCHAR",
        "kostragruppe": "INTEGER",
        "maal": "VARCHAR",
        "belop_1000kr": "DOUBLE",
        "kr_per_innbygger": "DOUBLE",
    },
    # The measures of `regnskap`: display name, SSB code, function group, the service(s) covered.
    "regnskapsmaal": {
        "maal": "VARCHAR",
        "navn": "VARCHAR",
        "kategori": "VARCHAR",  # Regnskapskategori
        "ssb_tabell": "VARCHAR",
        "ssb_kode": "VARCHAR",
        "funksjonsgruppe": "VARCHAR",
        "tjeneste": "VARCHAR",  # the one service key the group is, else NULL
        "tjenester": "VARCHAR",  # every service key it covers, comma-separated (FGK9: two)
        "merknad": "VARCHAR",
    },
    # Each input of the method per year: real, estimate, demo or missing, and what it feeds.
    "datastatus": {
        "inndata": "VARCHAR",
        "gruppe": "VARCHAR",
        "navn": "VARCHAR",
        "aar": "INTEGER",
        "status": "VARCHAR",  # Status
        "kilde": "VARCHAR",
        "antall_kommuner": "INTEGER",
        "dekning": "DOUBLE",
        "brukes_i": "VARCHAR",
        "stopper": "VARCHAR",
    },
}

ALL_TABLES: dict[str, dict[str, str]] = {
    **{name: {**cols, **ADDED_COLUMNS.get(name, {})} for name, cols in TABLES.items()},
    **EXTRA_TABLES,
}

DATA_DIR = Path(__file__).resolve().parents[1] / "data"  # configuration and reference data
DEFAULT_DB = "data/kommuneindeks.duckdb"
# The map's simplified outlines (TopoJSON), written by the build next to the database file:
# data/kommuneindeks.duckdb → data/kommuneindeks.duckdb.kart.json
KART_SUFFIX = ".kart.json"
DB_ENV = "KOMMUNEINDEKS_DB"
