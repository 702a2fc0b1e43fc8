"""The national rows of the measures a spec reads: a *branch* per group of measures that share
a table and a value column (its key filters, services and years, and the window functions the
spec needs: ranks, counts and averages the table does not store), read inline when one plain
SELECT does, else as a CTE. Used by `compile.py`."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from sqlglot import exp

from assistant.katalog import Katalog, Maal
from scoring.contract import ALL_TABLES

DIALECT = "duckdb"


@dataclass(frozen=True)
class Need:
    """What the rows must carry besides the measure's own columns."""

    rang: bool = False  # a rank, computed where the table has none
    antall: bool = False  # how many are ranked, counted where the table does not store it
    landssnitt: bool = False
    gruppesnitt: bool = False
    fylkessnitt: bool = False
    referanser: tuple[str, ...] = ()  # municipalities whose value is a threshold
    folketall: bool = False  # inhabitants that year (bands, population filters)

    def columns(self) -> tuple[str, ...]:
        extra = [c for c in ("landssnitt", "gruppesnitt", "fylkessnitt") if getattr(self, c)]
        extra += [f"ref_{nr}" for nr in self.referanser]
        return tuple(extra) + (("folketall",) if self.folketall else ())


# --- one branch: a measure's national rows ---------------------------------------------------


@lru_cache(maxsize=512)
def _value(kolonne: str, alias: str) -> exp.Expression:
    """The measure's value expression with its columns on `alias` (cached; copy before use)."""
    tree = exp.maybe_parse(kolonne, dialect=DIALECT)
    return tree.transform(lambda n: exp.column(n.name, table=alias) if isinstance(n, exp.Column) else n)


def isin(column: exp.Expression, values: tuple) -> exp.Expression:
    if len(values) == 1:
        return column.eq(exp.convert(values[0]))
    return column.isin(*(exp.convert(v) for v in values))


def window(func: exp.Expression, partition: list[exp.Expression], order: exp.Expression | None = None) -> exp.Window:
    spec = exp.Order(expressions=[order]) if order is not None else None
    return exp.Window(this=func, partition_by=[p.copy() for p in partition], order=spec)


def _register_columns(katalog: Katalog, k: str) -> dict[str, exp.Expression]:
    """The register dimensions (fylke, KOSTRA-gruppe, sentralitet …) as columns of `k`."""
    return {d.kolonne: exp.column(d.kolonne, table=k) for d in katalog.dimensjoner.values()
            if d.tabell == "kommune" and d.kolonne != "kommunenr"}  # fmt: skip


def _member_filter(m: Maal, tjenester: tuple[str | None, ...], alias: str) -> list[exp.Expression]:
    where = [exp.column(c, table=alias).eq(exp.convert(v)) for c, v in m.nokkel]
    if m.har_tjeneste:
        where.append(isin(exp.column("tjeneste", table=alias), tjenester))
    return where


def _by_member(members: list[tuple[Maal, tuple]], alias: str, value: Callable[[Maal], object]) -> exp.Expression:
    """A column that differs between the members of a branch: `value(m)`, or a CASE on the
    members' key filters."""
    values = [value(m) for m, _ in members]
    if len(set(values)) == 1:
        return exp.convert(values[0])
    case = exp.case()
    for (m, _), v in zip(members, values):
        case = case.when(exp.and_(*(exp.column(c, table=alias).eq(exp.convert(x)) for c, x in m.nokkel)), exp.convert(v))
    return case


def branch(members: list[tuple[Maal, tuple[str | None, ...]]], years: tuple[int, ...], need: Need,
            katalog: Katalog) -> tuple[dict[str, exp.Expression], exp.Select]:
    """The national rows of measures that share a table and a value column (several index
    types, several indicators): column → expression, and the SELECT's FROM, JOIN and WHERE.
    No members: the register itself (the municipalities, with no value)."""
    m = members[0][0] if members else None
    table = m.tabell if m else "kommune"
    alias = "k" if table == "kommune" else "m"
    query = exp.select().from_(exp.to_table(table).as_(alias))
    if alias != "k":
        on = exp.column("kommunenr", table="k").eq(exp.column("kommunenr", table=alias))
        query = query.join(exp.to_table("kommune").as_("k"), on=on)
    has_year = m is not None and m.har_aar
    aar = exp.column("aar", table=alias) if has_year else exp.null()
    verdi = _value(m.kolonne, alias).copy() if m else exp.null()
    partition = [aar] if has_year else []
    partition += [exp.column("tjeneste", table=alias)] if m and m.har_tjeneste else []
    partition += [exp.column(c, table=alias) for c, _ in (m.nokkel if m and len(members) > 1 else ())]
    cols: dict[str, exp.Expression] = {
        "aar": aar,
        "kommunenr": exp.column("kommunenr", table="k"),
        "kommune": exp.column("kommune", table="k"),
        **_register_columns(katalog, "k"),
        "maal": _by_member(members, alias, lambda x: x.key) if m else exp.null(),
        "tjeneste": exp.column("tjeneste", table=alias) if m and m.har_tjeneste
                    else _by_member(members, alias, lambda x: x.tjeneste) if m else exp.null(),
        "verdi": verdi,
        "rang": exp.null(),
        "antall": exp.null(),
    }  # fmt: skip
    if m and m.rang:
        cols["rang"] = exp.column(m.rang, table=alias)
    elif m and need.rang and m.retning != "noytral":
        order = exp.Ordered(this=verdi.copy(), desc=m.retning == "hoy", nulls_first=False)
        ranked = window(exp.Rank(), partition, order)
        cols["rang"] = exp.case().when(exp.Is(this=verdi.copy(), expression=exp.null()).not_(), ranked)
    if m and "antall" in ALL_TABLES[table] and m.rang:
        cols["antall"] = exp.column("antall", table=alias)
    elif m and need.antall and not isinstance(cols["rang"], exp.Null):
        cols["antall"] = window(exp.Count(this=verdi.copy()), partition)
    if need.landssnitt:
        fixed = m.landssnitt if m else None
        cols["landssnitt"] = exp.convert(fixed) if fixed is not None else window(exp.Avg(this=verdi.copy()), partition)
    if need.gruppesnitt:
        stored = m.gruppesnitt if m else None
        by_group = partition + [exp.column("kostragruppe", table="k")]
        cols["gruppesnitt"] = exp.column(stored, table=alias) if stored else window(exp.Avg(this=verdi.copy()), by_group)
    if need.fylkessnitt:
        cols["fylkessnitt"] = window(exp.Avg(this=verdi.copy()), partition + [exp.column("fylke", table="k")])
    for nr in need.referanser:
        own = exp.case().when(exp.column("kommunenr", table="k").eq(exp.convert(nr)), verdi.copy())
        cols[f"ref_{nr}"] = window(exp.Max(this=own), partition)
    if need.folketall:
        b_aar = aar.copy() if has_year else exp.convert(years[-1])
        on = exp.and_(exp.column("kommunenr", table="b").eq(exp.column("kommunenr", table="k")),
                      exp.column("aar", table="b").eq(b_aar))  # fmt: skip
        query = query.join(exp.to_table("befolkning").as_("b"), on=on, join_type="left")
        cols["folketall"] = exp.column("innbyggere", table="b")
    where = _members_where(members, alias)
    if has_year:
        where.append(isin(aar.copy(), years))
    return cols, query.where(*where) if where else query


def _members_where(members: list[tuple[Maal, tuple[str | None, ...]]], alias: str) -> list[exp.Expression]:
    """The key filters of a branch: `indekstype IN (…) AND tjeneste = …` where the members
    share their services, else one condition per member."""
    if not members:
        return []
    m, services = members[0]
    same = all(t == services and [c for c, _ in x.nokkel] == [c for c, _ in m.nokkel] for x, t in members)
    if len(members) == 1 or (same and len(m.nokkel) == 1):
        where = []
        if m.nokkel:
            where.append(isin(exp.column(m.nokkel[0][0], table=alias), tuple(x.nokkel[0][1] for x, _ in members)))
        if m.har_tjeneste:
            where.append(isin(exp.column("tjeneste", table=alias), services))
        return where
    return [exp.or_(*(exp.and_(*_member_filter(x, t, alias)) for x, t in members))]


def _mergeable(m: Maal) -> tuple:
    """Measures with the same key are read in one branch."""
    return (m.tabell, m.kolonne, m.rang, m.retning, m.landssnitt, m.gruppesnitt, tuple(c for c, _ in m.nokkel))


def has_window(cols: dict[str, exp.Expression]) -> bool:
    return any(e.find(exp.Window) for e in cols.values())


# --- the source: one branch inline, or the branches as a CTE ---------------------------------


@dataclass
class Source:
    """Where the outer query reads the rows: `col(name)` gives a column, `select(...)` a
    SELECT over the source with the branch's own filters."""

    cols: dict[str, exp.Expression] | None  # inline: the branch's expressions; else a CTE
    base: exp.Select  # the inline branch (FROM/JOIN/WHERE), or FROM the CTE
    union: exp.Expression | None = None  # the CTE's query
    alias: str | None = None

    def col(self, name: str, alias: str | None = None) -> exp.Expression:
        if self.cols is not None:
            return self.cols[name].copy()
        return exp.column(name, table=alias or self.alias)

    def select(self, *columns: exp.Expression) -> exp.Select:
        return self.base.copy().select(*columns)


def source(branches: list[tuple[dict[str, exp.Expression], exp.Select]], name: str = "data",
            force_cte: bool = False) -> Source:
    """One branch without windows is read inline; otherwise the branches (their windows
    computed on the national rows) become the CTE `name`."""
    if len(branches) == 1 and not force_cte and not has_window(branches[0][0]):
        cols, query = branches[0]
        return Source(cols, query)
    parts = [q.copy().select(*(e.copy().as_(n) for n, e in cols.items())) for cols, q in branches]
    union = parts[0]
    for part in parts[1:]:
        union = exp.union(union, part, distinct=False)
    base = exp.select().from_(exp.to_table(name)).with_(name, as_=union)
    return Source(None, base, union)


def prune(tree: exp.Expression) -> exp.Expression:
    """Drop the columns of each CTE that nothing outside it reads (a smaller query checks
    and runs faster)."""
    for cte in list(tree.find_all(exp.CTE)):
        body = cte.this
        inside = {id(n) for n in body.walk()}
        used = {c.name for c in tree.find_all(exp.Column) if id(c) not in inside and c.table not in ("m", "k", "b", "n")}
        branches = [body] if isinstance(body, exp.Select) else list(_union_parts(body))
        for branch in branches:
            branch.set("expressions", [e for e in branch.expressions if e.alias_or_name in used or e.alias_or_name == "kommunenr"])
    return tree


def _union_parts(node: exp.Expression):
    if isinstance(node, exp.Union):
        yield from _union_parts(node.this)
        yield from _union_parts(node.expression)
    else:
        yield node


def groups(resolved: tuple[tuple[Maal, str | None], ...]) -> list[list[tuple[Maal, tuple[str | None, ...]]]]:
    """The spec's measures with the services each is read for, in the spec's order, put
    together where they can be read in one branch."""
    measures: dict[str, tuple[Maal, list]] = {}
    for m, tjeneste in resolved:
        measures.setdefault(m.key, (m, []))[1].append(tjeneste)
    branches: dict[tuple, list] = {}
    for m, ts in measures.values():
        branches.setdefault(_mergeable(m), []).append((m, tuple(dict.fromkeys(ts))))
    return list(branches.values())
