"""Fetch the raw inputs from Statistics Norway's PxWebApi v2 into the long raadata frame.

`fetch_raadata` reads as the pipeline: load the catalogue (data/ssb_katalog.toml) → read every
table's metadata and check each dimension and code the catalogue uses → plan batches of region
codes short enough for SSB's URL limit → fetch them one by one (retry with backoff, on-disk
cache) → parse JSON-stat2 → pick and sum each variable's codes → put figures stored under old
municipality codes on the 2024 codes → validate. The catalogue loader, `extract_variable` and
`to_2024_codes` are shared with `scoring.statbank_csv`.

Policies:
- A catalogue code that the metadata lacks stops the run before any data is fetched, with every
  problem listed (ConfigError); `skip_invalid=True` drops those entries with a warning instead.
- Codes split in 2024 (1507 Ålesund) are dropped with a warning; codes that are neither 2024
  codes, known renumberings, splits nor aggregates raise DataError.
- Warnings are returned in `frame.attrs["advarsler"]`.
"""

import csv
import fnmatch
import hashlib
import json
import math
import os
import re
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Self, TypeVar
from urllib.parse import quote, urlsplit

import httpx
import numpy as np
import pandas as pd

from scoring.errors import ConfigError, DataError, FetchError
from scoring.raadata import COLUMNS, validate

DEFAULT_BASE_URL = "https://data.ssb.no/api/pxwebapi/v2"
DEFAULT_KATALOG = Path("data/ssb_katalog.toml")
DEFAULT_CACHE_DIR = Path("data/cache/ssb")
MISSING_SYMBOLS = frozenset({".", "..", ":", "…"})  # SSB: not possible, not available, confidential
CONTENTS = "ContentsCode"
TID = "Tid"
SIKKERHET = ("confirmed", "seen-in-code", "inferred")
USER_AGENT = "kommuneindeks/0.1 (+https://github.com/; Kilde: SSB)"
NAME_PATTERN = re.compile(
    r"^(innbyggere|(netto_driftsutgifter|arbeidsgiveravgift|finans|indikator)\.[a-z0-9_]+)$"
)

Progress = Callable[[str, int, int], None]  # (what, done, total)
T = TypeVar("T")


# --- The catalogue ------------------------------------------------------------------------------


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
class Katalog:
    path: Path
    variabler: tuple[Variabel, ...]
    regiondim: dict[str, str]  # table -> region dimension, where the catalogue says
    uten_kode: tuple[str, ...]  # indicators with an SSB table but no ContentsCode yet
    henting: Henting
    koder: Kommunekoder
    dimensjonsnavn: dict[str, str]
    etiketter: dict[str, tuple[str, ...]]

    def tabeller(self) -> list[str]:
        return sorted({v.tabell for v in self.variabler})


def load_katalog(path: Path = DEFAULT_KATALOG, *, indikatorer: bool = True) -> Katalog:
    """Read and check the catalogue; `indikatorer=False` skips the indicator CSV it points to."""
    raw = _read_toml(path)
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
    if indikatorer and raw.get("indikatorkatalog"):
        variabler += _indikatorer(base / raw["indikatorkatalog"], uten_kode)
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
        etiketter={str(k): tuple(v) for k, v in raw.get("etiketter", {}).items()},
    )


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError as err:
        raise ConfigError(f"Fant ikke SSB-katalogen {path}.") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: ugyldig TOML ({err}).") from err


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


def _indikatorer(path: Path, uten_kode: list[str]) -> list[Variabel]:
    """Fetchable rows of the indicator catalogue: those with ssb_tabell and ssb_contentscode.

    Rows with a table but no code are collected in `uten_kode`, to be reported, not fetched.
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


# --- Municipality codes ---------------------------------------------------------------------------


def to_2024_codes(
    df: pd.DataFrame, koder: Kommunekoder, source: str
) -> tuple[pd.DataFrame, list[str]]:
    """Put rows on the 2024 codes. `df` has the raadata columns plus `periode`, the SSB year.

    Aggregates are dropped; renumbered codes are mapped, and where old and new code both have a
    row the value that exists wins, then the code valid in that period. Split codes are dropped
    with a warning; any other unknown code is a DataError.

    >>> k = Kommunekoder(frozenset({"3222"}), {"3029": ("3222", 2024)}, {}, ("EAK",))
    >>> df = pd.DataFrame({"aar": [2023, 2023, 2023], "kommunenr": ["3029", "3222", "EAK"],
    ...     "variabel": ["v"] * 3, "verdi": [5.0, float("nan"), 9.0], "kilde": ["x"] * 3,
    ...     "periode": [2023] * 3})
    >>> to_2024_codes(df, k, "test")[0][["kommunenr", "verdi"]].values.tolist()
    [['3222', 5.0]]
    """
    df = df[~df["kommunenr"].map(koder.is_special)]
    split = df["kommunenr"].isin(set(koder.delt))
    warnings = (
        [_split_warning(df[split], koder, source)] if df.loc[split, "verdi"].notna().any() else []
    )
    df = df[~split]
    unknown = set(df["kommunenr"]) - koder.gjeldende - set(koder.omnummerert)
    if unknown:
        shown = ", ".join(sorted(unknown)[:10]) + (" …" if len(unknown) > 10 else "")
        raise DataError(
            f"{source}: ukjente kommunenummer (verken i 2024-strukturen eller i "
            f"kodeendringene): {shown}."
        )
    firsts = {new: year for new, year in koder.omnummerert.values()}
    new_code = df["kommunenr"].map(lambda c: koder.omnummerert.get(c, (c, 0))[0])
    first_new_year = new_code.map(lambda c: firsts.get(c, 0))
    # the code valid in the period: the old one before the change, the new one from it
    valid = np.where(
        new_code != df["kommunenr"], df["periode"] < first_new_year, df["periode"] >= first_new_year
    )
    out = df.assign(kommunenr=new_code, _missing=df["verdi"].isna(), _invalid=~valid)
    out = out.sort_values(["_missing", "_invalid"], kind="stable")
    out = out.drop_duplicates(["aar", "kommunenr", "variabel"], keep="first")
    return out[COLUMNS].sort_values(["variabel", "aar", "kommunenr"]).reset_index(
        drop=True
    ), warnings


def _split_warning(rows: pd.DataFrame, koder: Kommunekoder, source: str) -> str:
    parts = []
    for code, grp in rows[rows["verdi"].notna()].groupby("kommunenr"):
        years = f"{grp['aar'].min()}–{grp['aar'].max()}"
        parts.append(
            f"{code} (delt i {' og '.join(koder.delt[code])}): {len(grp)} verdier for {years}"
        )
    return (
        f"{source}: verdier under delte kommunenummer er ikke brukt, fordi de ikke kan "
        f"fordeles på 2024-kommunene: {'; '.join(parts)}."
    )


# --- JSON-stat2 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TabellMeta:
    tabell: str
    dimensjoner: dict[str, dict[str, str]]  # dimension -> {code: label}, in SSB's order
    eliminerbar: dict[str, bool]
    geo: str | None


def parse_jsonstat(text: str, table: str) -> pd.DataFrame:
    """A JSON-stat2 dataset as a tidy frame: one column per dimension, `value` and `status`.

    Null values and the status symbols `.`, `..` and `:` stay as rows with a missing value.

    >>> body = ('{"class": "dataset", "id": ["Region", "Tid"], "size": [2, 1], "dimension": {'
    ...   '"Region": {"category": {"index": {"0301": 0, "4601": 1}}},'
    ...   '"Tid": {"category": {"index": ["2024"]}}}, "value": [81240, null], "status": {"1": ".."}}')
    >>> parse_jsonstat(body, "12134").values.tolist()
    [['0301', '2024', 81240.0, None], ['4601', '2024', nan, '..']]
    """
    data = _load_json(text, table)
    dims = _dimension_codes(data, table, sized=True)
    n = math.prod(len(codes) for codes in dims.values())
    values = _values(data.get("value"), n, table)
    status = _status(data.get("status"), n)
    if dims:
        frame = pd.MultiIndex.from_product(list(dims.values()), names=list(dims)).to_frame(
            index=False
        )
    else:
        frame = pd.DataFrame(index=range(n))
    frame["value"] = values
    frame["status"] = pd.Series(status, dtype=object)
    frame.loc[frame["status"].isin(MISSING_SYMBOLS), "value"] = np.nan
    return frame


def parse_metadata(text: str, table: str) -> TabellMeta:
    """The dimensions and codes of a table from its JSON-stat2 metadata (no values)."""
    data = _load_json(text, table)
    dims = _dimension_codes(data, table, sized=False)
    labels, elimination = {}, {}
    for dim, codes in dims.items():
        spec = data["dimension"][dim]
        names = spec["category"].get("label") or {}
        labels[dim] = {c: str(names.get(c, c)) for c in codes}
        elimination[dim] = bool((spec.get("extension") or {}).get("elimination", True))
    geo = (data.get("role") or {}).get("geo") or [None]
    return TabellMeta(table, labels, elimination, geo[0])


def _load_json(text: str, table: str) -> dict:
    if text.lstrip().startswith("<"):
        raise DataError(f"SSB svarte med en HTML-side, ikke JSON-stat2, for tabell {table}.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError(
            f"Svaret fra SSB for tabell {table} er ikke gyldig JSON ({err.msg}, "
            f"tegn {err.pos}); det kan være avkortet."
        ) from err
    if not isinstance(data, dict) or data.get("class") != "dataset":
        cls = data.get("class") if isinstance(data, dict) else type(data).__name__
        raise DataError(
            f"Svaret fra SSB for tabell {table} er ikke et JSON-stat2-datasett (class={cls!r})."
        )
    return data


def _dimension_codes(data: dict, table: str, sized: bool) -> dict[str, list[str]]:
    dims = data.get("dimension")
    ids = data.get("id", list(dims) if isinstance(dims, dict) else None)
    sizes = data.get("size") if sized else [None] * len(ids or [])
    if (
        not isinstance(dims, dict)
        or not isinstance(ids, list)
        or not isinstance(sizes, list)
        or len(ids) != len(sizes)
    ):
        raise DataError(
            f"Svaret fra SSB for tabell {table} mangler gyldige «id», «size» eller «dimension»."
        )
    out = {}
    for dim, size in zip(ids, sizes):
        spec = dims.get(dim)
        category = spec.get("category") if isinstance(spec, dict) else None
        if not isinstance(category, dict):
            raise DataError(
                f"Svaret fra SSB for tabell {table}: dimensjonen {dim} mangler kategorier."
            )
        codes = _category_codes(category)
        if size is not None and len(codes) != size:
            raise DataError(
                f"Svaret fra SSB for tabell {table}: dimensjonen {dim} har {len(codes)} "
                f"koder, men «size» sier {size}."
            )
        out[dim] = codes
    return out


def _category_codes(category: dict) -> list[str]:
    index = category.get("index")
    if isinstance(index, list):
        return [str(c) for c in index]
    if isinstance(index, dict):
        return [str(c) for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
    return [str(c) for c in category.get("label") or {}]  # JSON-stat allows no index for size 1


def _values(raw, n: int, table: str) -> list[float]:
    if isinstance(raw, dict):  # the sparse form {"index": value}
        dense = [None] * n
        for key, value in raw.items():
            if not str(key).isdigit() or int(key) >= n:
                raise DataError(
                    f"Svaret fra SSB for tabell {table} har verdi-indeks {key} utenfor {n}."
                )
            dense[int(key)] = value
        raw = dense
    if not isinstance(raw, list) or len(raw) != n:
        got = len(raw) if isinstance(raw, list) else type(raw).__name__
        raise DataError(
            f"Svaret fra SSB for tabell {table} har {got} verdier, men dimensjonene gir {n}."
        )
    return [_number(v, table) for v in raw]


def _number(value, table: str) -> float:
    if value is None or (isinstance(value, str) and value in MISSING_SYMBOLS):
        return np.nan
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise DataError(f"Svaret fra SSB for tabell {table} har en ugyldig verdi: {value!r}.")
    try:
        return float(value)
    except ValueError as err:
        raise DataError(
            f"Svaret fra SSB for tabell {table} har en ugyldig verdi: {value!r}."
        ) from err


def _status(raw, n: int) -> list[str | None]:
    if isinstance(raw, str):
        return [raw] * n
    if isinstance(raw, list):
        return (list(raw) + [None] * n)[:n]
    out: list[str | None] = [None] * n
    for key, symbol in (raw or {}).items():
        if str(key).isdigit() and int(key) < n:
            out[int(key)] = symbol
    return out


# --- Checking the catalogue against metadata ------------------------------------------------------


def check_katalog(
    variabler: list[Variabel], metas: dict[str, TabellMeta | None], regiondim: dict[str, str]
) -> dict[str, list[str]]:
    """Problems per variable: tables, dimensions and codes the metadata lacks (empty = all fine)."""
    problems: dict[str, list[str]] = {}
    chosen = {}  # table -> dimensions some entry selects; all entries must then select them
    for v in variabler:
        chosen.setdefault(v.tabell, set()).update(v.filter)
    for v in variabler:
        meta = metas.get(v.tabell)
        found = (
            _variable_problems(v, meta, regiondim.get(v.tabell), chosen[v.tabell])
            if meta
            else [f"tabell {v.tabell} finnes ikke hos SSB"]
        )
        if found:
            problems[v.navn] = found
    return problems


def _variable_problems(
    v: Variabel, meta: TabellMeta, region: str | None, chosen: set[str]
) -> list[str]:
    t, dims = v.tabell, meta.dimensjoner
    out = []
    region = region or meta.geo
    if region not in dims:
        out.append(f"tabell {t} har ikke regiondimensjonen «{region}» (har: {', '.join(dims)})")
    if TID not in dims:
        out.append(f"tabell {t} har ikke tidsdimensjonen «{TID}»")
    for dim, codes in v.codes().items():
        if dim not in dims:
            out.append(f"tabell {t} har ikke dimensjonen «{dim}» (har: {', '.join(dims)})")
            continue
        for code in codes:
            if code not in dims[dim]:
                out.append(
                    f"tabell {t} har ikke koden «{code}» i {dim}{_suggest(meta, dim, v.hint.get(dim))}"
                )
    free = set(dims) - {region, TID, CONTENTS} - set(v.filter)
    for dim in sorted(free):
        if not meta.eliminerbar.get(dim, True) or dim in chosen:
            out.append(f"tabell {t}: katalogen må velge kode(r) i dimensjonen «{dim}»")
    return out


def _suggest(meta: TabellMeta, dim: str, hint: str | None) -> str:
    labels = meta.dimensjoner[dim]
    if hint:
        hits = [f"{c} «{lab}»" for c, lab in labels.items() if hint.casefold() in lab.casefold()]
        return (
            f"; koder med «{hint}» i navnet: {', '.join(hits[:5])}"
            if hits
            else f"; ingen kode har «{hint}» i navnet"
        )
    return f" (har f.eks.: {', '.join(list(labels)[:8])})"


# --- Planning requests ----------------------------------------------------------------------------


def data_url(base_url: str, table: str, selection: dict[str, list[str]]) -> str:
    """The GET URL of a data query, with literal brackets and commas as SSB's examples use.

    >>> data_url("https://x/v2", "12134", {"ContentsCode": ["KOSAG110000"], "Tid": ["2023", "2024"]})
    'https://x/v2/tables/12134/data?lang=no&format=json-stat2&valuecodes[ContentsCode]=KOSAG110000&valuecodes[Tid]=2023,2024'
    """
    parts = [
        f"valuecodes[{dim}]=" + ",".join(_quote(c) for c in codes)
        for dim, codes in selection.items()
    ]
    return f"{base_url.rstrip('/')}/tables/{table}/data?lang=no&format=json-stat2&" + "&".join(
        parts
    )


def _quote(code: str) -> str:
    return quote(code, safe="-_.")


def metadata_url(base_url: str, table: str) -> str:
    return f"{base_url.rstrip('/')}/tables/{table}/metadata?lang=no&outputFormat=json-stat2"


def plan_batches(
    base_url: str,
    table: str,
    region_dim: str,
    regions: list[str],
    fixed: dict[str, list[str]],
    limits: Henting,
) -> list[str]:
    """Split the region codes into URLs under the code, URL-length and cell limits.

    >>> urls = plan_batches("https://x/v2", "12134", "R", [f"{i:04d}" for i in range(250)],
    ...                     {"Tid": ["2024"]}, Henting())
    >>> [u.count(",") + 1 for u in urls], max(map(len, urls)) < 1500
    ([100, 100, 50], True)
    """
    per_region = math.prod(len(c) for c in fixed.values())
    if per_region > limits.maks_celler:
        raise ConfigError(
            f"Spørringen mot tabell {table} gir {per_region} celler per region, "
            f"over grensen {limits.maks_celler}."
        )

    def url(codes: list[str]) -> str:
        return data_url(base_url, table, {region_dim: codes, **fixed})

    empty = len(url([]))  # the length grows by each code and its comma: no URL built per code
    urls: list[str] = []
    batch: list[str] = []
    length = empty
    for code in regions:
        extra = len(_quote(code)) + (1 if batch else 0)
        if batch and (
            len(batch) + 1 > limits.maks_regioner_per_kall
            or length + extra > limits.maks_url_lengde
            or per_region * (len(batch) + 1) > limits.maks_celler
        ):
            urls.append(url(batch))
            batch, length, extra = [], empty, len(_quote(code))
        batch.append(code)
        length += extra
    if batch:
        urls.append(url(batch))
    too_long = [u for u in urls if len(u) > limits.maks_url_lengde]
    if too_long:
        raise ConfigError(
            f"Spørringen mot tabell {table} er lengre enn {limits.maks_url_lengde} "
            f"tegn selv med én region."
        )
    return urls


# --- HTTP with retry and cache ------------------------------------------------------------------


class SsbClient:
    """Sequential GETs against PxWebApi v2 with retry, pacing and an on-disk cache by URL hash."""

    def __init__(
        self,
        limits: Henting,
        cache_dir: Path | None = DEFAULT_CACHE_DIR,
        refresh: bool = False,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.limits, self.cache_dir, self.refresh, self._sleep = limits, cache_dir, refresh, sleep
        timeout = httpx.Timeout(limits.tidsavbrudd_s, connect=min(10.0, limits.tidsavbrudd_s))
        self._http = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )
        self._last_request = -math.inf

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self._http.close()

    def get(self, url: str, table: str, parse: Callable[[str, str], T]) -> T:
        """Parse the cached body or download, parse and only then cache it (bad bodies never are)."""
        path = self._cache_path(url)
        if path and path.exists() and not self.refresh:
            try:
                return parse(path.read_text(encoding="utf-8"), table)
            except DataError:
                path.unlink()  # an unreadable cache entry is refetched, not trusted
        text = self._download(url, table)
        result = parse(text, table)
        if path:
            _write_atomic(path, text)
        return result

    def metadata(self, base_url: str, table: str) -> TabellMeta | None:
        """The table's metadata, or None when SSB says the table does not exist."""
        try:
            return self.get(metadata_url(base_url, table), table, parse_metadata)
        except _NoSuchTable:
            return None

    def _cache_path(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()}.json"

    def _download(self, url: str, table: str) -> str:
        problem = ""
        for attempt in range(1, self.limits.maks_forsok + 1):
            self._pace()
            try:
                response = self._http.get(url)
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as err:
                raise FetchError(f"Ugyldig adresse til SSB: {url} ({err}).") from err
            except httpx.TransportError as err:
                problem, pause = f"{type(err).__name__}: {err}", None
            else:
                if response.status_code == 200:
                    return response.text
                if response.status_code != 429 and response.status_code < 500:
                    raise _http_error(response, table, url)
                problem, pause = f"HTTP {response.status_code}", _retry_after(response)
            if attempt < self.limits.maks_forsok:
                self._sleep(self._backoff(attempt, pause))
        if problem.startswith("HTTP"):
            raise FetchError(
                f"SSB svarte fortsatt {problem} etter {self.limits.maks_forsok} forsøk "
                f"(tabell {table}). Prøv igjen senere."
            )
        host = urlsplit(url).netloc
        raise FetchError(
            f"Fikk ikke kontakt med SSB ({host}) etter {self.limits.maks_forsok} forsøk: "
            f"{problem}. Sjekk nettforbindelsen, eller last ned CSV fra statistikkbanken "
            f"og bruk «kommuneindeks data import-csv»."
        )

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        pause = (
            retry_after
            if retry_after is not None
            else self.limits.forste_pause_s * 2 ** (attempt - 1)
        )
        return min(max(pause, 0.0), self.limits.maks_pause_s)

    def _pace(self) -> None:
        wait = self._last_request + self.limits.min_intervall_s - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last_request = time.monotonic()


class _NoSuchTable(FetchError):
    """SSB's "Non-existent table": a catalogue problem, reported by the metadata check."""


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError):
        return None


def _http_error(response: httpx.Response, table: str, url: str) -> FetchError:
    try:
        title = response.json().get("title", "")
    except (ValueError, AttributeError):
        title = ""
    if title == "Non-existent table":
        return _NoSuchTable(f"Tabell {table} finnes ikke hos SSB.")
    if not title and response.text.lstrip().startswith("<"):
        return FetchError(
            f"SSB svarte HTTP {response.status_code} med en HTML-side for tabell {table}. "
            f"Det skjer når URL-en er for lang ({len(url)} tegn): senk maks_url_lengde "
            f"eller maks_regioner_per_kall i katalogen."
        )
    detail = f" «{title}»" if title else ""
    return FetchError(
        f"SSB avviste spørringen mot tabell {table}: HTTP {response.status_code}{detail}."
    )


def _write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so an interrupted run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# --- From tidy frames to raw variables --------------------------------------------------------------


def extract_variable(tidy: pd.DataFrame, v: Variabel, region_dim: str, kilde: str) -> pd.DataFrame:
    """One variable's rows: select its codes, sum the `summer` dimensions, scale, shift the year.

    Returns the raadata columns plus `periode` (SSB's year); the region codes are not yet mapped.
    A sum with a missing part is missing.

    >>> tidy = pd.DataFrame({"R": ["0301"] * 3, "F": ["232", "233", "241"], "ContentsCode": ["K"] * 3,
    ...                      "Tid": ["2024"] * 3, "value": [1.0, 2.0, 3.0]})
    >>> v = Variabel("netto_driftsutgifter.helse", "12362", "K", {"F": ("232", "233", "241")}, ("F",), 1000)
    >>> extract_variable(tidy, v, "R", "SSB tabell 12362")[["aar", "kommunenr", "verdi"]].values.tolist()
    [[2024, '0301', 6000.0]]
    """
    wanted = v.codes()
    missing_dims = [d for d in [region_dim, TID, *wanted] if d not in tidy.columns]
    if missing_dims:
        raise DataError(f"{kilde}: mangler dimensjonen {', '.join(missing_dims)} for {v.navn}.")
    mask = np.logical_and.reduce([tidy[d].isin(codes) for d, codes in wanted.items()])
    sub = tidy[mask]
    for dim in v.summer:
        absent = [c for c in wanted[dim] if c not in set(sub[dim])]
        if absent and not sub.empty:
            raise DataError(
                f"{kilde}: mangler {dim} {', '.join(absent)} for {v.navn}, som summeres."
            )
    keys = [region_dim, TID]
    dupes = sub.duplicated(keys + list(v.summer))
    if dupes.any():
        varying = [
            c
            for c in sub.columns
            if c not in (*keys, *wanted, "value", "status") and sub[c].nunique(dropna=False) > 1
        ]
        raise DataError(
            f"{kilde}: {v.navn} har flere rader per kommune og år"
            + (f" (kolonnen {', '.join(varying)} varierer)" if varying else "")
            + "."
        )
    parts = math.prod(len(wanted[d]) for d in v.summer)
    sums = sub.groupby(keys, sort=False)["value"].sum(min_count=parts).reset_index()
    periode = pd.to_numeric(sums[TID], errors="coerce")
    if periode.isna().any():
        raise DataError(
            f"{kilde}: ugyldig år «{sums.loc[periode.isna(), TID].iloc[0]}» for {v.navn}."
        )
    return pd.DataFrame(
        {
            "aar": periode.astype(int) - v.tid_forskyvning,
            "kommunenr": sums[region_dim].astype(str),
            "variabel": v.navn,
            "verdi": sums["value"].astype(float) * v.faktor,
            "kilde": kilde,
            "periode": periode.astype(int),
        }
    )


# --- The pipeline -----------------------------------------------------------------------------------


def fetch_raadata(
    years: list[int],
    *,
    base_url: str = DEFAULT_BASE_URL,
    cache_dir: Path | None = DEFAULT_CACHE_DIR,
    progress: Progress | None = None,
    katalog_path: Path = DEFAULT_KATALOG,
    skip_invalid: bool = False,
    refresh: bool = False,
    henting: Henting | None = None,
) -> pd.DataFrame:
    """Fetch every catalogue variable for `years` from SSB as a validated raadata frame.

    Writes only to the cache. Warnings (skipped entries, missing years, split codes) are in
    `frame.attrs["advarsler"]`.
    """
    if not years:
        raise ConfigError("Velg minst ett år.")
    katalog = load_katalog(katalog_path)
    report = progress or (lambda what, done, total: None)
    warnings: list[str] = []
    if katalog.uten_kode:
        warnings.append(
            f"{len(katalog.uten_kode)} indikatorer har SSB-tabell, men ingen "
            f"ssb_contentscode, og hentes ikke: {', '.join(katalog.uten_kode)}."
        )
    with SsbClient(henting or katalog.henting, cache_dir, refresh) as client:
        metas = _read_metadata(client, base_url, katalog.tabeller(), report)
        variabler = _checked_variables(katalog, metas, skip_invalid, warnings)
        plan = _plan(
            katalog, metas, variabler, sorted(set(years)), base_url, client.limits, warnings
        )
        tidy = _fetch_all(client, plan, report)
    frames = [
        extract_variable(
            tidy[v.tabell], v, _region_dim(katalog, metas[v.tabell]), f"SSB tabell {v.tabell}"
        )
        for v in variabler
        if v.tabell in tidy
    ]
    raw = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=[*COLUMNS, "periode"])
    )
    raw = raw[raw["aar"].isin(years)]
    mapped, split_warnings = to_2024_codes(raw, katalog.koder, "SSB")
    out = validate(mapped, set(katalog.koder.gjeldende), "SSB")
    out.attrs["advarsler"] = warnings + split_warnings
    return out


def _region_dim(katalog: Katalog, meta: TabellMeta) -> str:
    return katalog.regiondim.get(meta.tabell) or meta.geo or "KOKkommuneregion0000"


def _read_metadata(
    client: SsbClient, base_url: str, tables: list[str], report: Progress
) -> dict[str, TabellMeta | None]:
    metas = {}
    for i, table in enumerate(tables):
        report(f"Metadata {table}", i, len(tables))
        metas[table] = client.metadata(base_url, table)
    report("Metadata", len(tables), len(tables))
    return metas


def _checked_variables(
    katalog: Katalog, metas: dict[str, TabellMeta | None], skip_invalid: bool, warnings: list[str]
) -> list[Variabel]:
    problems = check_katalog(list(katalog.variabler), metas, katalog.regiondim)
    lines = [f"{name}: {p}" for name, found in problems.items() for p in found]
    if lines and not skip_invalid:
        raise ConfigError(
            f"{katalog.path} stemmer ikke med SSBs metadata:\n  - " + "\n  - ".join(lines)
        )
    warnings += [f"Hoppet over {line}" for line in lines]
    return [v for v in katalog.variabler if v.navn not in problems]


def _plan(
    katalog: Katalog,
    metas: dict[str, TabellMeta | None],
    variabler: list[Variabel],
    years: list[int],
    base_url: str,
    limits: Henting,
    warnings: list[str],
) -> list[tuple[str, str]]:
    plan = []
    for table in sorted({v.tabell for v in variabler}):
        meta, own = metas[table], [v for v in variabler if v.tabell == table]
        region = _region_dim(katalog, meta)
        fixed = {
            dim: [c for c in meta.dimensjoner[dim] if any(c in v.codes().get(dim, ()) for v in own)]
            for dim in meta.dimensjoner
            if any(dim in v.codes() for v in own)
        }
        wanted_years = {str(y + v.tid_forskyvning) for v in own for y in years}
        fixed[TID] = [t for t in meta.dimensjoner[TID] if t in wanted_years]
        absent = sorted(wanted_years - set(fixed[TID]))
        if absent:
            warnings.append(
                f"Tabell {table} har ikke år {', '.join(absent)} (ennå); de blir mangler."
            )
        regions = _regions(meta.dimensjoner[region], katalog.koder, table, warnings)
        if fixed[TID] and regions:
            plan += [
                (table, url)
                for url in plan_batches(base_url, table, region, regions, fixed, limits)
            ]
    return plan


def _regions(
    available: dict[str, str], koder: Kommunekoder, table: str, warnings: list[str]
) -> list[str]:
    """Region codes to ask for: 2024 codes and old codes, as far as the table has them."""
    wanted = koder.gjeldende | set(koder.omnummerert) | set(koder.delt)
    absent = sorted(koder.gjeldende - set(available))
    if absent:
        shown = ", ".join(absent[:10]) + (" …" if len(absent) > 10 else "")
        warnings.append(
            f"Tabell {table} mangler {len(absent)} av {len(koder.gjeldende)} kommuner: {shown}."
        )
    return [c for c in available if c in wanted]  # SSB answers 400 for codes it does not have


def _fetch_all(
    client: SsbClient, plan: list[tuple[str, str]], report: Progress
) -> dict[str, pd.DataFrame]:
    parts: dict[str, list[pd.DataFrame]] = {}
    for i, (table, url) in enumerate(plan):
        report(f"Henter tabell {table}", i, len(plan))
        parts.setdefault(table, []).append(client.get(url, table, parse_jsonstat))
    report("Henting ferdig", len(plan), len(plan))
    return {t: pd.concat(frames, ignore_index=True) for t, frames in parts.items()}


def terminal_progress(stream=None, width: int = 30) -> Progress:
    """A one-line progress bar on stderr (tqdm is not a dependency)."""
    out = stream or sys.stderr

    def show(what: str, done: int, total: int) -> None:
        filled = width * done // total if total else width
        end = "\n" if done >= total else ""
        out.write(f"\r{what[:40]:<40} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}")
        out.flush()

    return show
