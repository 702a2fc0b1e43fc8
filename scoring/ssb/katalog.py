"""Step 1: read data/ssb_katalog.toml (and the indicator CSV it points to) into frozen dataclasses.

Every raw variable becomes a `Variabel` (table, ContentsCode, filter, sums); the catalogue also
says what each region code means (`Kommunekoder`) and how fast to fetch (`Henting`). Unknown keys,
bad names and bad numbers are a ConfigError naming the file and the key.
"""

import csv
import fnmatch
import json
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from scoring.config import read_toml
from scoring.errors import ConfigError

DEFAULT_KATALOG = Path("data/ssb_katalog.toml")
CONTENTS = "ContentsCode"
TID = "Tid"
SIKKERHET = ("confirmed", "seen-in-code", "inferred")
NAME_PATTERN = re.compile(
    r"^(innbyggere|(netto_driftsutgifter|arbeidsgiveravgift|finans|indikator)\.[a-z0-9_]+)$"
)


@dataclass(frozen=True)
class Henting:
    """Limits and pacing of the requests ([henting] in the catalogue)."""

    maks_regioner_per_kall: int = 100
    maks_url_lengde: int = 1500
    maks_celler: int = 100_000
    tidsavbrudd_s: float = 60.0
    maks_forsok: int = 5
    forste_pause_s: float = 2.0
    maks_pause_s: float = 120.0
    min_intervall_s: float = 1.5


@dataclass(frozen=True)
class Variabel:
    """One raw variable: where it is in SSB and how its codes become one number."""

    navn: str
    tabell: str
    contentscode: str
    filter: dict[str, tuple[str, ...]] = field(default_factory=dict)
    summer: tuple[str, ...] = ()
    faktor: float = 1.0
    tid_forskyvning: int = 0
    sikkerhet: str = "inferred"
    hint: dict[str, str] = field(default_factory=dict)

    def codes(self) -> dict[str, tuple[str, ...]]:
        """Every dimension this variable selects, ContentsCode included."""
        return {CONTENTS: (self.contentscode,), **self.filter}


@dataclass(frozen=True)
class Kommunekoder:
    """What a region code means: a 2024 municipality, a renumbered one, a split one, an aggregate."""

    gjeldende: frozenset[str]
    omnummerert: dict[str, tuple[str, int]]  # old code -> (2024 code, first year of the new code)
    delt: dict[str, tuple[str, ...]]
    spesialkoder: tuple[str, ...]

    def is_special(self, code: str) -> bool:
        """Aggregates such as EAK (Landet) or EKG13 (KOSTRA-gruppe 13)."""
        return any(fnmatch.fnmatchcase(code, p) for p in self.spesialkoder)


@dataclass(frozen=True)
class Regionnavn:
    """Region labels without codes (statbank exports with text only): municipality names to
    2024 codes, and the names of aggregates (Landet, KOSTRA groups, counties) to skip."""

    kommuner: dict[str, str]  # normalised official name -> 2024 code
    alias: dict[str, str]  # normalised short form (the Norwegian part of "Oslo - Oslove") -> code
    aggregater: tuple[str, ...]  # normalised fnmatch patterns

    def is_aggregate(self, label: str) -> bool:
        return any(fnmatch.fnmatchcase(label, p) for p in self.aggregater)


@dataclass(frozen=True)
class Katalog:
    path: Path
    variabler: tuple[Variabel, ...]
    regiondim: dict[str, str]  # table -> region dimension, where the catalogue says
    uten_kode: tuple[str, ...]  # indicators with an SSB table but no ContentsCode yet
    henting: Henting
    koder: Kommunekoder
    dimensjonsnavn: dict[str, str]
    etiketter: dict[str, tuple[str, ...]]
    regionnavn: Regionnavn

    def tabeller(self) -> list[str]:
        return sorted({v.tabell for v in self.variabler})


def load_katalog(path: Path = DEFAULT_KATALOG, *, indikatorer: bool = True) -> Katalog:
    """Read and check the catalogue; `indikatorer=False` skips the indicator CSV it points to."""
    raw = read_toml(path)
    base = path.parent
    _only_keys(
        raw,
        path,
        "",
        {
            "kommuneliste",
            "kodeendringer",
            "indikatorkatalog",
            "henting",
            "regioner",
            "dimensjonsnavn",
            "etiketter",
            "tabell",
            "variabel",
        },
    )
    variabler = [_variabel(name, spec, path) for name, spec in raw.get("variabel", {}).items()]
    uten_kode: list[str] = []
    etiketter = {str(k): tuple(v) for k, v in raw.get("etiketter", {}).items()}
    if indikatorer and raw.get("indikatorkatalog"):
        variabler += _indikatorer(base / raw["indikatorkatalog"], uten_kode, etiketter)
    names = [v.navn for v in variabler]
    if len(set(names)) != len(names):
        raise ConfigError(f"{path}: samme variabel er oppført flere ganger.")
    regioner = raw.get("regioner", {})
    delt = {str(k): tuple(v) for k, v in regioner.get("delt", {}).items()}
    omnummerert = {
        k: v
        for k, v in _kodeendringer(base / _need(raw, "kodeendringer", path)).items()
        if k not in delt
    }
    return Katalog(
        path=path,
        variabler=tuple(variabler),
        regiondim={
            str(t).zfill(5): s["region"] for t, s in raw.get("tabell", {}).items() if "region" in s
        },
        uten_kode=tuple(uten_kode),
        henting=_henting(raw.get("henting", {}), path),
        koder=Kommunekoder(
            gjeldende=frozenset(_kommunenr(base / _need(raw, "kommuneliste", path))),
            omnummerert=omnummerert,
            delt=delt,
            spesialkoder=tuple(regioner.get("spesialkoder", ())),
        ),
        dimensjonsnavn=dict(raw.get("dimensjonsnavn", {})),
        etiketter=etiketter,
        regionnavn=_regionnavn(
            base / _need(raw, "kommuneliste", path), regioner.get("aggregatnavn", ())
        ),
    )


def _need(raw: dict, key: str, path: Path):
    if key not in raw:
        raise ConfigError(f"{path}: mangler nøkkelen «{key}».")
    return raw[key]


def _only_keys(spec: dict, path: Path, where: str, allowed: set[str]) -> None:
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise ConfigError(f"{path}: ukjent nøkkel «{unknown[0]}» {where}".rstrip() + ".")


def _henting(spec: dict, path: Path) -> Henting:
    known = {f.name: f.type for f in fields(Henting)}
    _only_keys(spec, path, "i [henting]", set(known))
    try:
        values = {k: (int(v) if known[k] is int else float(v)) for k, v in spec.items()}
    except (TypeError, ValueError) as err:
        raise ConfigError(f"{path}: ugyldig tall i [henting] ({err}).") from err
    return Henting(**values)


def _variabel(name: str, spec: dict, path: Path) -> Variabel:
    where = f'i [variabel."{name}"]'
    _only_keys(
        spec,
        path,
        where,
        {
            "tabell",
            "contentscode",
            "filter",
            "summer",
            "faktor",
            "tid_forskyvning",
            "sikkerhet",
            "hint",
        },
    )
    if not NAME_PATTERN.match(name):
        raise ConfigError(f"{path}: ugyldig variabelnavn «{name}».")
    if "tabell" not in spec or "contentscode" not in spec:
        raise ConfigError(f"{path}: mangler «tabell» eller «contentscode» {where}.")
    filt = {dim: tuple(str(c) for c in codes) for dim, codes in spec.get("filter", {}).items()}
    summer = tuple(spec.get("summer", ()))
    for dim, codes in filt.items():
        if not codes:
            raise ConfigError(f"{path}: tom kodeliste for {dim} {where}.")
        if len(codes) > 1 and dim not in summer:
            raise ConfigError(f"{path}: {dim} har flere koder {where}, men står ikke i «summer».")
    if set(summer) - set(filt):
        raise ConfigError(f"{path}: «summer» nevner en dimensjon uten filter {where}.")
    if spec.get("sikkerhet", "inferred") not in SIKKERHET:
        raise ConfigError(f"{path}: «sikkerhet» må være en av {', '.join(SIKKERHET)} {where}.")
    try:
        faktor, shift = float(spec.get("faktor", 1)), int(spec.get("tid_forskyvning", 0))
    except (TypeError, ValueError) as err:
        raise ConfigError(f"{path}: ugyldig «faktor» eller «tid_forskyvning» {where}.") from err
    return Variabel(
        navn=name,
        tabell=str(spec["tabell"]).zfill(5),
        contentscode=str(spec["contentscode"]),
        filter=filt,
        summer=summer,
        faktor=faktor,
        tid_forskyvning=shift,
        sikkerhet=spec.get("sikkerhet", "inferred"),
        hint={str(k): str(v) for k, v in spec.get("hint", {}).items()},
    )


def _indikatorer(
    path: Path, uten_kode: list[str], etiketter: dict[str, tuple[str, ...]]
) -> list[Variabel]:
    """Fetchable rows of the indicator catalogue: those with ssb_tabell and ssb_contentscode.

    Rows with a table but no code are collected in `uten_kode`, to be reported, not fetched.
    The indicator's name joins the labels of its ContentsCode in `etiketter`, so that a statbank
    export with text only is recognised by it too.
    """
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    needed = {"indikator", "ssb_tabell", "ssb_contentscode"}
    if rows and not needed <= set(rows[0]):
        raise ConfigError(f"{path}: mangler kolonnene {', '.join(sorted(needed - set(rows[0])))}.")
    out = []
    for row in rows:
        tabell = (row["ssb_tabell"] or "").strip()
        if not tabell:
            continue
        code = (row["ssb_contentscode"] or "").strip()
        if not code:
            uten_kode.append(f"{row['indikator']} ({tabell})")
            continue
        if row.get("navn"):
            etiketter[code] = (*etiketter.get(code, ()), row["navn"])
        filt = parse_filter(row.get("ssb_filter") or "")
        out.append(
            Variabel(
                navn=f"indikator.{row['indikator'].strip()}",
                tabell=tabell.zfill(5),
                contentscode=code,
                filter=filt,
                summer=tuple(d for d, c in filt.items() if len(c) > 1),
            )
        )
    return out


def parse_filter(text: str) -> dict[str, tuple[str, ...]]:
    """An optional filter column: ``DIM=a,b;DIM2=c``.

    >>> parse_filter("KOKart0000=AGD2;KOKfunksjon0000=232,233")
    {'KOKart0000': ('AGD2',), 'KOKfunksjon0000': ('232', '233')}
    """
    out = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        dim, _, codes = part.partition("=")
        out[dim.strip()] = tuple(c.strip() for c in codes.split(",") if c.strip())
    return out


def _kodeendringer(path: Path) -> dict[str, tuple[str, int]]:
    try:
        changes = json.loads(path.read_text(encoding="utf-8"))["endringer"]
        return {
            old["code"]: (new, int(old["validTo"][:4]))
            for new, item in changes.items()
            for old in item["oldCodes"]
        }
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ConfigError(f"{path}: kan ikke lese kodeendringene ({err}).") from err


def _kommunenr(path: Path) -> set[str]:
    try:
        return set(pd.read_csv(path, dtype={"kommunenr": str})["kommunenr"])
    except (OSError, KeyError, ValueError) as err:
        raise ConfigError(f"{path}: kan ikke lese kommunelisten ({err}).") from err


def normalise_label(text: str) -> str:
    """A label for comparison: case-folded, single spaces, no period suffix like «(2020-2023)».

    >>> normalise_label("  Lørenskog  (2020-2023) "), normalise_label("Halden")
    ('lørenskog', 'halden')
    """
    return " ".join(PERIOD_SUFFIX.sub("", str(text)).casefold().split())


PERIOD_SUFFIX = re.compile(r"\s*\((\d{4})?\s*-\s*(\d{4})?\)\s*$")


def _regionnavn(path: Path, aggregatnavn) -> Regionnavn:
    try:
        df = pd.read_csv(path, dtype={"kommunenr": str})
        names, counties = df["kommune"], set(df.get("fylke", pd.Series(dtype=str)).dropna())
    except (OSError, KeyError, ValueError) as err:
        raise ConfigError(f"{path}: kan ikke lese kommunenavnene ({err}).") from err
    kommuner = {normalise_label(n): nr for n, nr in zip(names, df["kommunenr"])}
    alias = {
        normalise_label(n.split(" - ")[0]): nr
        for n, nr in zip(names, df["kommunenr"])
        if " - " in n
    }
    patterns = [normalise_label(p) for p in (*aggregatnavn, *counties)]
    return Regionnavn(kommuner, alias, tuple(patterns))
