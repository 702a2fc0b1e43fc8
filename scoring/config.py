"""Configuration as data: services, indicator catalogue and weights, loaded from `data/` into
frozen dataclasses and checked at load, with errors that name the file and the key."""

import csv
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from scoring.contract import (
    DATA_DIR,
    INDIKATORGRUPPER,
    KOSTNADSTJENESTER,
    SAMMENSTILLINGER,
    TJENESTER,
)
from scoring.errors import ConfigError


@dataclass(frozen=True)
class TjenesteConfig:
    tjeneste: str
    navn: str
    har_kostnad: bool
    behovsnokkel: str | None
    kvalitetsvekt: float


@dataclass(frozen=True)
class Indikator:
    indikator: str
    tjeneste: str
    navn: str
    enhet: str
    hoyere_er_bedre: bool
    vekt: float
    kilde: str
    ssb_tabell: str
    ssb_contentscode: str
    demo_snitt: float
    demo_sd: float
    demo_min: float
    demo_maks: float
    desimaler: int
    gruppe: str  # Indikatorgruppe: 'kvalitet' (in the quality index) or 'forklaring'


@dataclass(frozen=True)
class Vekter:
    kommuneindeks: dict[str, float]
    effektivitet: dict[str, float]
    finans: dict[str, float]
    finans_hoyere_er_bedre: dict[str, bool]
    uteligger_sd: float
    dekning_min: float
    skala_per_sd: float
    budsjettaar_etter_dataaar: int
    kostnad_poeng_per_1000_kr: float  # the cost index's slope: index points per 1 000 kr
    sammenstilling: str  # Sammenstilling: how efficiency and the total combine their parts


@dataclass(frozen=True)
class Regnskapsvalg:
    """How the real KOSTRA figures become inputs (data/regnskap.toml)."""

    fgk9: dict[str, float]  # the two parts of helse og omsorg and their national cost-key weights
    lonnsandel: dict[str, float]  # employer's tax base over net expenditure excl. the tax


@dataclass(frozen=True)
class Config:
    tjenester: tuple[TjenesteConfig, ...]
    indikatorer: tuple[Indikator, ...]
    vekter: Vekter
    regnskap: Regnskapsvalg


def read_toml(path: Path) -> dict:
    """A TOML configuration file, or `ConfigError` naming the file and the problem."""
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError as err:
        raise ConfigError(f"Fant ikke konfigurasjonsfilen {path}.") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path.name}: ugyldig TOML ({err}).") from err


def _get(table: dict, key: str, where: str):
    if key not in table:
        raise ConfigError(f"{where}: mangler nøkkelen «{key}».")
    return table[key]


def load_tjenester(path: Path) -> tuple[TjenesteConfig, ...]:
    """The 13 services, in contract order, each with its need-index key and quality weight."""
    raw = read_toml(path)
    if sorted(raw) != sorted(TJENESTER):
        raise ConfigError(f"{path.name}: tjenestene må være nøyaktig {', '.join(TJENESTER)}.")
    out = []
    for key in TJENESTER:
        t = raw[key]
        where = f"{path.name} [{key}]"
        har_kostnad = bool(_get(t, "har_kostnad", where))
        if har_kostnad != (key in KOSTNADSTJENESTER):
            raise ConfigError(f"{where}: har_kostnad gjelder nøyaktig de sju kostnadstjenestene.")
        vekt = float(_get(t, "kvalitetsvekt", where))
        if vekt < 0:
            raise ConfigError(f"{where}: kvalitetsvekt kan ikke være negativ.")
        nokkel = _get(t, "behovsnokkel", where) if har_kostnad else None
        out.append(TjenesteConfig(key, str(_get(t, "navn", where)), har_kostnad, nokkel, vekt))
    return tuple(out)


def _parse_bool(value: str, where: str) -> bool:
    if value.strip().lower() in ("true", "1", "ja"):
        return True
    if value.strip().lower() in ("false", "0", "nei"):
        return False
    raise ConfigError(f"{where}: «{value}» er ikke true/false.")


def load_indikatorer(path: Path) -> tuple[Indikator, ...]:
    """The quality indicator catalogue, one row per indicator."""
    try:
        with path.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError as err:
        raise ConfigError(f"Fant ikke indikatorkatalogen {path}.") from err
    out, seen = [], set()
    for i, row in enumerate(rows, start=2):
        where = f"{path.name} linje {i}"
        try:
            ind = Indikator(
                indikator=row["indikator"],
                tjeneste=row["tjeneste"],
                navn=row["navn"],
                enhet=row["enhet"],
                hoyere_er_bedre=_parse_bool(row["hoyere_er_bedre"], where),
                vekt=float(row["vekt"]),
                kilde=row["kilde"],
                ssb_tabell=row["ssb_tabell"] or "",
                ssb_contentscode=row["ssb_contentscode"] or "",
                demo_snitt=float(row["demo_snitt"]),
                demo_sd=float(row["demo_sd"]),
                demo_min=float(row["demo_min"]),
                demo_maks=float(row["demo_maks"]),
                desimaler=int(row["desimaler"]),
                gruppe=row["gruppe"],
            )
        except (KeyError, TypeError) as err:
            raise ConfigError(f"{where}: mangler kolonnen {err}.") from err
        except ValueError as err:
            raise ConfigError(f"{where}: ugyldig tall ({err}).") from err
        if ind.gruppe not in INDIKATORGRUPPER:
            raise ConfigError(f"{where}: gruppe må være {' eller '.join(INDIKATORGRUPPER)}.")
        if ind.tjeneste not in TJENESTER:
            raise ConfigError(f"{where}: ukjent tjeneste «{ind.tjeneste}».")
        if ind.indikator in seen or not ind.indikator.isascii():
            raise ConfigError(f"{where}: nøkkelen «{ind.indikator}» er dobbel eller ikke ASCII.")
        if ind.vekt <= 0:
            raise ConfigError(f"{where}: vekt må være større enn null.")
        seen.add(ind.indikator)
        out.append(ind)
    return tuple(out)


def load_vekter(path: Path) -> Vekter:
    """Weights and thresholds of the index composition."""
    raw = read_toml(path)
    name = path.name
    finans = dict(_get(raw, "finans", name))
    retning = finans.pop("hoyere_er_bedre", None)
    if retning is None or sorted(retning) != sorted(finans):
        raise ConfigError(f"{name} [finans.hoyere_er_bedre]: må ha en retning per nøkkeltall.")
    terskler = _get(raw, "terskler", name)
    vekter = Vekter(
        kommuneindeks={k: float(v) for k, v in _get(raw, "kommuneindeks", name).items()},
        effektivitet={k: float(v) for k, v in _get(raw, "effektivitet", name).items()},
        finans={k: float(v) for k, v in finans.items()},
        finans_hoyere_er_bedre={k: bool(v) for k, v in retning.items()},
        uteligger_sd=float(_get(terskler, "uteligger_sd", f"{name} [terskler]")),
        dekning_min=float(_get(terskler, "dekning_min", f"{name} [terskler]")),
        skala_per_sd=float(_get(terskler, "skala_per_sd", f"{name} [terskler]")),
        budsjettaar_etter_dataaar=int(
            _get(_get(raw, "behovsindeks", name), "budsjettaar_etter_dataaar", name)
        ),
        kostnad_poeng_per_1000_kr=float(
            _get(_get(raw, "kostnadsindeks", name), "poeng_per_1000_kr", f"{name} [kostnadsindeks]")
        ),
        sammenstilling=str(
            _get(_get(raw, "sammenstilling", name), "metode", f"{name} [sammenstilling]")
        ),
    )
    if vekter.sammenstilling not in SAMMENSTILLINGER:
        raise ConfigError(
            f"{name} [sammenstilling]: metode må være {' eller '.join(SAMMENSTILLINGER)}."
        )
    if vekter.kostnad_poeng_per_1000_kr <= 0:
        raise ConfigError(f"{name} [kostnadsindeks]: poeng_per_1000_kr må være større enn null.")
    if sorted(vekter.kommuneindeks) != ["finans", "kostnad", "kvalitet"]:
        raise ConfigError(f"{name} [kommuneindeks]: trenger kostnad, kvalitet og finans.")
    if sorted(vekter.effektivitet) != ["kostnad", "kvalitet"]:
        raise ConfigError(f"{name} [effektivitet]: trenger kostnad og kvalitet.")
    if not 0 < vekter.dekning_min <= 1:
        raise ConfigError(f"{name} [terskler]: dekning_min må være mellom 0 og 1.")
    return vekter


def load_regnskapsvalg(path: Path) -> Regnskapsvalg:
    """The FGK9 split and the wage shares of the employer's-tax estimate."""
    raw = read_toml(path)
    name = path.name
    fgk9 = {k: float(v) for k, v in _get(raw, "fgk9", name).items()}
    lonnsandel = {k: float(v) for k, v in _get(raw, "lonnsandel", name).items()}
    if sorted(fgk9) != ["helse", "pleie_og_omsorg"] or min(fgk9.values()) <= 0:
        raise ConfigError(f"{name} [fgk9]: trenger positive vekter for pleie_og_omsorg og helse.")
    if sorted(lonnsandel) != sorted(KOSTNADSTJENESTER):
        raise ConfigError(f"{name} [lonnsandel]: trenger én andel per kostnadstjeneste.")
    if not all(0 <= v <= 2 for v in lonnsandel.values()):
        raise ConfigError(f"{name} [lonnsandel]: andelene må ligge mellom 0 og 2.")
    return Regnskapsvalg(fgk9=fgk9, lonnsandel=lonnsandel)


def load_config(data_dir: Path = DATA_DIR) -> Config:
    """Everything configurable, from one folder (tests pass a copy with changed weights)."""
    return Config(
        tjenester=load_tjenester(data_dir / "tjenester.toml"),
        indikatorer=load_indikatorer(data_dir / "indikatorer.csv"),
        vekter=load_vekter(data_dir / "vekter.toml"),
        regnskap=load_regnskapsvalg(data_dir / "regnskap.toml"),
    )


@cache
def default_config() -> Config:
    """The configuration in the repository's `data/` folder, loaded once."""
    return load_config(DATA_DIR)
