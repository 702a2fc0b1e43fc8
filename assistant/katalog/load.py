"""Reading data/katalog.toml and data/metode.toml into a `Katalog`, checking every key: an
error names the file and the key."""

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, get_args

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from assistant.katalog.model import (
    TJENESTESETT,
    Dimensjon,
    Familie,
    Katalog,
    KatalogError,
    Maal,
    Maalgruppe,
    Metode,
    Retning,
)
from scoring.contract import ALL_TABLES, ALLE, DATA_DIR, TJENESTER

KATALOG_FILE = DATA_DIR / "katalog.toml"
METODE_FILE = DATA_DIR / "metode.toml"
# What a measure's `kolonne` expression may hold besides columns of its table.
EXPRESSION_NODES = (
    exp.Column, exp.Identifier, exp.Literal, exp.Paren, exp.Neg, exp.Add, exp.Sub, exp.Mul,
    exp.Div, exp.Abs, exp.Round, exp.Coalesce, exp.Nullif, exp.Case, exp.If, exp.Cast,
    exp.DataType, exp.Null, exp.Boolean, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE,
    exp.And, exp.Or, exp.Not, exp.Is, exp.Greatest, exp.Least,
)  # fmt: skip


class _Table:
    """One TOML table being read: typed access that names file and key in every error."""

    def __init__(self, data: Any, where: str):
        if not isinstance(data, dict):
            raise KatalogError(f"{where}: ventet en tabell, fikk {data!r}.")
        self.data, self.where, self.used = data, where, set()

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        self.used.add(key)
        if key not in self.data:
            if default is ...:
                raise KatalogError(f"{self.where}: mangler nøkkelen «{key}».")
            return default
        value = self.data[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise KatalogError(f"{self.where} {key}: ventet {_kind(kind)}, fikk {value!r}.")
        if not isinstance(value, kind):
            raise KatalogError(f"{self.where} {key}: ventet {_kind(kind)}, fikk {value!r}.")
        if isinstance(value, str) and not value.strip():
            raise KatalogError(f"{self.where} {key}: kan ikke være tom.")
        return value

    def choice(self, key: str, options: tuple[str, ...], default: Any = ...) -> Any:
        value = self.get(key, str, default)
        if value is not default and value not in options:
            raise KatalogError(f"{self.where} {key}: «{value}» er ikke ett av {', '.join(options)}.")
        return value

    def words(self, key: str) -> tuple[str, ...]:
        items = self.get(key, list, [])
        if not all(isinstance(w, str) and w.strip() for w in items):
            raise KatalogError(f"{self.where} {key}: ventet en liste med fraser.")
        return tuple(items)

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise KatalogError(f"{self.where}: ukjent nøkkel «{unknown[0]}».")


def _kind(kind: type | tuple[type, ...]) -> str:
    names = {str: "tekst", int: "heltall", float: "tall", list: "liste", dict: "tabell", bool: "sann/usann"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " eller ".join(names.get(k, k.__name__) for k in kinds)


def _table_name(t: _Table, key: str = "tabell") -> str:
    name = t.get(key, str)
    if name not in ALL_TABLES:
        raise KatalogError(f"{t.where} {key}: tabellen «{name}» finnes ikke i kontrakten.")
    return name


def _column(t: _Table, key: str, table: str, default: Any = ...) -> Any:
    name = t.get(key, str, default)
    if name is not default and name not in ALL_TABLES[table]:
        raise KatalogError(f"{t.where} {key}: tabellen {table} har ingen kolonne «{name}».")
    return name


def check_expression(text: str, table: str, where: str) -> None:
    """A measure's value: a column of `table` or a small expression over its columns.

    >>> check_expression("kr_per_innbygger / behovsindeks", "kostnad", "k.toml [maal.x] kolonne")
    >>> check_expression("passord", "kostnad", "k.toml [maal.x] kolonne")
    Traceback (most recent call last):
    ...
    assistant.katalog.model.KatalogError: k.toml [maal.x] kolonne: tabellen kostnad har ingen kolonne «passord».
    """
    try:
        tree = sqlglot.parse_one(text, read="duckdb")
    except SqlglotError as err:
        raise KatalogError(f"{where}: «{text}» kan ikke leses som et SQL-uttrykk.") from err
    for node in tree.walk():
        if not isinstance(node, EXPRESSION_NODES):
            raise KatalogError(f"{where}: «{node.sql()}» er ikke tillatt i et mål (bare regning med kolonner).")
        if isinstance(node, exp.Column) and (node.table or node.name not in ALL_TABLES[table]):
            raise KatalogError(f"{where}: tabellen {table} har ingen kolonne «{node.sql()}».")


def _tjenester(t: _Table, table: str) -> tuple[str, ...]:
    raw = t.get("tjenester", (list, str), None)
    has_column = "tjeneste" in ALL_TABLES[table]
    if raw is None:
        if has_column:
            raise KatalogError(f"{t.where}: tabellen {table} har tjenester; oppgi «tjenester».")
        return ()
    if not has_column:
        raise KatalogError(f"{t.where} tjenester: tabellen {table} har ingen kolonne «tjeneste».")
    if isinstance(raw, str):
        if raw not in TJENESTESETT:
            raise KatalogError(f"{t.where} tjenester: «{raw}» er ikke ett av {', '.join(TJENESTESETT)}.")
        return TJENESTESETT[raw]
    unknown = [s for s in raw if s not in (ALLE, *TJENESTER)]
    if unknown or not raw:
        raise KatalogError(f"{t.where} tjenester: ukjent tjeneste «{unknown[0] if unknown else ''}».")
    return tuple(raw)


def _nokkel(t: _Table, table: str) -> tuple[tuple[str, Any], ...]:
    raw = t.get("nokkel", dict, {})
    for column, value in raw.items():
        if column not in ALL_TABLES[table]:
            raise KatalogError(f"{t.where} nokkel: tabellen {table} har ingen kolonne «{column}».")
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise KatalogError(f"{t.where} nokkel.{column}: ventet tekst eller heltall, fikk {value!r}.")
    return tuple(raw.items())


def _datakilde(t: _Table, table: str, nokkel: tuple[tuple[str, Any], ...]) -> str:
    """The `datakilde` template: its {placeholders} are key columns, tjeneste or kolonne."""
    text = t.get("datakilde", str, "{kolonne}")
    allowed = {c for c, _ in nokkel} | {"tjeneste", "kolonne"}
    for name in re.findall(r"{(\w*)}", text):
        if name not in allowed:
            raise KatalogError(f"{t.where} datakilde: ukjent plassholder «{{{name}}}» (kjente: {', '.join(sorted(allowed))}).")
    return text


def _parse_maal(key: str, data: Any, where: str) -> Maal:
    t = _Table(data, where)
    tabell = _table_name(t)
    kolonne = t.get("kolonne", str)
    check_expression(kolonne, tabell, f"{where} kolonne")
    tjeneste = t.choice("tjeneste", TJENESTER, None)
    landssnitt = t.get("landssnitt", (int, float), None)
    desimaler = t.get("desimaler", int, 2)
    if desimaler < 0:
        raise KatalogError(f"{where} desimaler: kan ikke være negativ.")
    nokkel = _nokkel(t, tabell)
    aar = t.get("aar", list, [])
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in aar):
        raise KatalogError(f"{where} aar: ventet en liste med årstall.")
    maal = Maal(
        key=key,
        navn=t.get("navn", str),
        gruppe=t.choice("gruppe", get_args(Maalgruppe)),
        tabell=tabell,
        kolonne=kolonne,
        enhet=t.get("enhet", str),
        retning=t.choice("retning", get_args(Retning)),
        desimaler=desimaler,
        kort=t.get("kort", str, ""),
        rang=_column(t, "rang", tabell, None),
        nokkel=nokkel,
        tjenester=_tjenester(t, tabell),
        tjeneste=tjeneste,
        synonymer=t.words("synonymer"),
        aar=tuple(aar),
        metode=t.get("metode", str, None),
        landssnitt=None if landssnitt is None else float(landssnitt),
        gruppesnitt=_column(t, "gruppesnitt", tabell, None),
        datakilde=_datakilde(t, tabell, nokkel),
    )
    t.done()
    return maal


FAMILY_FIELDS = ("nokkel", "navn", "enhet", "tjeneste", "hoyere_er_bedre", "gruppe")


def _parse_familie(key: str, data: Any, where: str) -> Familie:
    t = _Table(data, where)
    tabell = _table_name(t)
    medlemmer = _table_name(t, "medlemmer")
    felt = t.get("felt", dict)
    for name, column in felt.items():
        if name not in FAMILY_FIELDS:
            raise KatalogError(f"{where} felt: ukjent felt «{name}» (kjente: {', '.join(FAMILY_FIELDS)}).")
        if column not in ALL_TABLES[medlemmer]:
            raise KatalogError(f"{where} felt.{name}: tabellen {medlemmer} har ingen kolonne «{column}».")
    for needed in ("nokkel", "navn"):
        if needed not in felt:
            raise KatalogError(f"{where} felt: mangler «{needed}».")
    kolonne = t.get("kolonne", str)
    check_expression(kolonne, tabell, f"{where} kolonne")
    nokkel_kolonne = _column(t, "nokkel_kolonne", tabell)
    familie = Familie(
        key=key,
        gruppe=t.choice("gruppe", get_args(Maalgruppe)),
        tabell=tabell,
        kolonne=kolonne,
        nokkel_kolonne=nokkel_kolonne,
        medlemmer=medlemmer,
        felt=tuple(felt.items()),
        rang=_column(t, "rang", tabell, None),
        retning=t.choice("retning", get_args(Retning), "noytral"),
        enhet=t.get("enhet", str, ""),
        desimaler=t.get("desimaler", int, 1),
        metode=t.get("metode", str, None),
        datakilde=_datakilde(t, tabell, ((nokkel_kolonne, ""),)),
    )
    t.done()
    return familie


def _parse_dimensjon(key: str, data: Any, where: str) -> Dimensjon:
    t = _Table(data, where)
    tabell = _table_name(t) if "tabell" in t.data else None
    kolonne = t.get("kolonne", str)
    if tabell and kolonne not in ALL_TABLES[tabell]:
        raise KatalogError(f"{where} kolonne: tabellen {tabell} har ingen kolonne «{kolonne}».")
    grenser = tuple(t.get("grenser", list, []))
    if grenser and (grenser[0] != 0 or list(grenser) != sorted(set(grenser))):
        raise KatalogError(f"{where} grenser: ventet stigende heltall som begynner på 0.")
    dim = Dimensjon(key, t.get("navn", str), kolonne, tabell, t.words("synonymer"), grenser)
    t.done()
    return dim


def _parse_metoder(data: dict, source: str) -> dict[str, Metode]:
    top = _Table(data, source)
    out = {}
    for key, entry in top.get("metode", dict).items():
        t = _Table(entry, f"{source} [metode.{key}]")
        out[key] = Metode(key, t.get("tittel", str), t.get("tekst", str).strip(),
                          t.get("avsnitt", str), t.words("synonymer"))  # fmt: skip
        t.done()
    top.done()
    return out


def _section(top: _Table, name: str) -> dict:
    return top.get(name, dict, {})


def parse_katalog(data: dict, source: str = "katalog.toml", metoder: Mapping[str, Metode] | None = None) -> Katalog:
    """The catalogue from parsed TOML; `source` names the file in errors. Method keys are
    checked against `metoder` when given.

    >>> k = parse_katalog({"maal": {"folketall": {"navn": "Folketall", "gruppe": "befolkning",
    ...     "tabell": "befolkning", "kolonne": "innbyggere", "enhet": "innbyggere", "retning": "noytral"}}})
    >>> k.finn("folketall").har_aar, k.finn("folketall").desimaler
    (True, 2)
    >>> parse_katalog({"maal": {"x": {"navn": "X"}}}, "k.toml")
    Traceback (most recent call last):
    ...
    assistant.katalog.model.KatalogError: k.toml [maal.x]: mangler nøkkelen «tabell».
    """
    top = _Table(data, source)
    maal = {k: _parse_maal(k, v, f"{source} [maal.{k}]") for k, v in _section(top, "maal").items()}
    familier = {k: _parse_familie(k, v, f"{source} [familie.{k}]")
                for k, v in _section(top, "familie").items()}  # fmt: skip
    dims = {k: _parse_dimensjon(k, v, f"{source} [dimensjon.{k}]")
            for k, v in _section(top, "dimensjon").items()}  # fmt: skip
    tillegg = {}
    for fam in familier:
        members = _section(top, fam)
        tillegg[fam] = {}
        for member, entry in members.items():
            t = _Table(entry, f"{source} [{fam}.{member}]")
            tillegg[fam][member] = t.words("synonymer")
            t.done()
    top.done()
    for m in maal.values():
        if metoder is not None and m.metode and m.metode not in metoder:
            raise KatalogError(f"{source} [maal.{m.key}] metode: ingen metodetekst «{m.metode}».")
    return Katalog(maal, dims, familier, dict(metoder or {}), tillegg)


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except OSError as err:
        raise KatalogError(f"{path}: kunne ikke leses ({err.strerror}).") from err
    except tomllib.TOMLDecodeError as err:
        raise KatalogError(f"{path}: ugyldig TOML ({err}).") from err


@cache
def load_katalog(path: Path = KATALOG_FILE, metode_path: Path = METODE_FILE) -> Katalog:
    """Read and check the catalogue and the method texts (cached; not yet completed)."""
    metoder = _parse_metoder(_read_toml(metode_path), metode_path.name)
    return parse_katalog(_read_toml(path), path.name, metoder)


