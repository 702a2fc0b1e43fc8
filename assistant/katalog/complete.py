"""Completing the catalogue from the database, once at start: the members of each family,
the years of every measure, and only what the database has tables for."""

from collections.abc import Callable
from dataclasses import replace
from typing import Any, get_args

import sqlglot
from sqlglot import exp

from assistant.errors import DatabaseError
from assistant.katalog.model import Familie, Katalog, KatalogError, Maal, Maalgruppe
from scoring.contract import TABLES

Query = Callable[[str], tuple[list[str], list[list[Any]]]]  # Sandbox.query


def _members(fam: Familie, katalog: Katalog, query: Query) -> dict[str, Maal]:
    """The measures of one family, from its `medlemmer` table."""
    felt = dict(fam.felt)
    sql = (
        exp.select(*(exp.alias_(exp.column(col), name) for name, col in felt.items()))
        .from_(fam.medlemmer)
        .order_by(exp.column(felt["nokkel"]))
    )
    names, rows = query(sql.sql(dialect="duckdb"))
    out = {}
    for row in rows:
        r = dict(zip(names, row))
        key = str(r["nokkel"])
        if key in katalog.maal:
            raise KatalogError(f"[familie.{fam.key}]: «{key}» finnes også som [maal.{key}].")
        hoyere = r.get("hoyere_er_bedre")
        gruppe = r.get("gruppe") if r.get("gruppe") in get_args(Maalgruppe) else fam.gruppe
        out[key] = Maal(
            key=key, navn=r["navn"], gruppe=gruppe, tabell=fam.tabell, kolonne=fam.kolonne,
            enhet=r.get("enhet") or fam.enhet, desimaler=fam.desimaler, rang=fam.rang,
            retning=fam.retning if hoyere is None else ("hoy" if hoyere else "lav"),
            nokkel=((fam.nokkel_kolonne, key),), tjeneste=r.get("tjeneste"),
            synonymer=katalog.tillegg.get(fam.key, {}).get(key, ()), metode=fam.metode,
            datakilde=fam.datakilde, familie=fam.key,
        )  # fmt: skip
    unknown = set(katalog.tillegg.get(fam.key, {})) - set(out)
    if unknown:
        raise KatalogError(f"[{fam.key}.{sorted(unknown)[0]}]: finnes ikke i tabellen {fam.medlemmer}.")
    return out


def _years(maal: dict[str, Maal], query: Query) -> dict[str, tuple[int, ...]]:
    """The years each measure has a value in: one small query per table, counting every
    measure's value per year and key (`SELECT indekstype, aar, COUNT(verdi) … GROUP BY …`)."""
    by_table: dict[str, list[Maal]] = {}
    for m in maal.values():
        if m.har_aar:
            by_table.setdefault(m.tabell, []).append(m)
    years: dict[str, tuple[int, ...]] = {}
    for table, members in by_table.items():
        keys = list(dict.fromkeys(c for m in members for c, _ in m.nokkel))
        values = list(dict.fromkeys(m.kolonne for m in members))
        counts = [exp.alias_(exp.Count(this=sqlglot.parse_one(v, read="duckdb")), f"n{i}")
                  for i, v in enumerate(values)]  # fmt: skip
        group = [exp.column(c) for c in (*keys, "aar")]
        sql = exp.select(*group, *counts).from_(table).group_by(*group).sql(dialect="duckdb")
        names, rows = query(sql)
        records = [dict(zip(names, r)) for r in rows]
        for m in members:
            count = f"n{values.index(m.kolonne)}"
            found = {r["aar"] for r in records
                     if r[count] and all(str(r[c]) == str(v) for c, v in m.nokkel)}  # fmt: skip
            years[m.key] = tuple(sorted(found))
    return years


def _existing_tables(katalog: Katalog, query: Query) -> set[str]:
    """The optional (non-contract) tables the catalogue uses that the database has."""
    wanted = {m.tabell for m in katalog.maal.values()} | {f.tabell for f in katalog.familier.values()}
    wanted |= {f.medlemmer for f in katalog.familier.values()}
    wanted |= {d.tabell for d in katalog.dimensjoner.values() if d.tabell}
    found = set(TABLES)
    for table in sorted(wanted - found):
        try:
            query(exp.select("1").from_(table).limit(1).sql(dialect="duckdb"))
        except DatabaseError:
            continue  # an optional table this database was built without
        found.add(table)
    return found


def _kilder(tables: set[str], query: Query) -> dict[tuple[str, str, int], tuple[str, str]]:
    """Where the numbers of the catalogue's tables come from, per measure and year
    (`datakilde`; one query per table, within the row limit), or nothing for a database built
    before `datakilde` had these columns."""
    columns = [exp.column(c) for c in ("tabell", "maal", "aar", "status", "kreditering")]
    out = {}
    for table in sorted(tables):
        sql = exp.select(*columns).from_("datakilde").where(exp.column("tabell").eq(exp.convert(table)))
        try:
            _, rows = query(sql.sql(dialect="duckdb"))
        except DatabaseError:
            return {}
        out |= {(t, m, a): (s, k) for t, m, a, s, k in rows}
    return out


def complete_katalog(katalog: Katalog, query: Query) -> Katalog:
    """The catalogue with what the database knows, through `query` (`Sandbox.query`): family
    members, the years of every measure, and only the measures and dimensions whose tables
    exist. Run once at start; the result is frozen on the `Context`."""
    tables = _existing_tables(katalog, query)
    familier = {k: f for k, f in katalog.familier.items() if {f.tabell, f.medlemmer} <= tables}
    maal = {k: m for k, m in katalog.maal.items() if m.tabell in tables}
    for fam in familier.values():
        maal |= _members(fam, katalog, query)
    years = _years(maal, query)
    completed = {
        key: replace(m, aar=tuple(a for a in years.get(key, ()) if not m.aar or a in m.aar))
        for key, m in maal.items()
    }
    dims = {k: d for k, d in katalog.dimensjoner.items() if d.tabell is None or d.tabell in tables}
    kilder = _kilder({m.tabell for m in completed.values()}, query)
    return replace(katalog, maal=completed, dimensjoner=dims, familier=familier, kilder=kilder, komplett=True)
