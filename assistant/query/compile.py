"""QuerySpec → one SQL query, built directly as sqlglot expressions: values are literals in the
tree, never text pasted into SQL. One builder for every shape; the result columns are fixed
per shape (`COLUMNS`), so texts and charts can read them.

The measure's rows are read nationally (a *branch* per measure: its table, key filters,
services and years), so ranks and averages are the country's; the selection and the
conditions apply outside. Window functions are added only when the spec needs a rank, a count
or an average the table does not store; without them, one plain SELECT does.
"""

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from sqlglot import exp

from assistant.katalog import Katalog, Maal
from assistant.query.branch import Need, Source, branch, groups, isin, prune, source
from assistant.query.build import Query
from assistant.query.spec import (
    Kommuneverdi,
    QuerySpec,
    Rangvilkaar,
    SpecError,
    Vilkaar,
    check_spec,
    form,
    resolve,
)

__all__ = ["COLUMNS", "compile_spec"]

DIALECT = "duckdb"
ROWS = ("kommune", "kommunenr", "aar", "maal", "tjeneste", "verdi", "rang", "antall")
# The result columns of each shape; `<gruppering>` leads a grouped aggregate.
COLUMNS = {
    "rader": ROWS,
    "med_snitt": ("landssnitt", "gruppesnitt", "kostragruppe"),
    "liste": ("fylke",),
    "endring": ("kommune", "kommunenr", "maal", "tjeneste", "fra_aar", "til_aar", "verdi_fra",
                "verdi_til", "endring", "rang_fra", "rang_til"),
    "aggregat": ("aar", "maal", "tjeneste", "aggregat", "verdi", "antall_kommuner"),
    "andel": ("antall", "av"),
}  # fmt: skip
FUNCTIONS = {"sum": exp.Sum, "snitt": exp.Avg, "median": exp.Median, "min": exp.Min, "maks": exp.Max}
COMPARE = {">": exp.GT, ">=": exp.GTE, "<": exp.LT, "<=": exp.LTE, "=": exp.EQ, "!=": exp.NEQ}
# Utvalg fields that select on a register dimension, by the dimension's key.
REGISTER_FILTERS = {"fylker": "fylke", "kostragrupper": "kostragruppe", "sentralitet": "sentralitet"}

Col = Callable[[str], exp.Expression]  # a result column of the source, by name


# --- selection and conditions ----------------------------------------------------------------


def _utvalg(spec: QuerySpec, col: Col, katalog: Katalog) -> list[exp.Expression]:
    u = spec.utvalg
    out = []
    if u.kommuner:
        out.append(isin(col("kommunenr"), u.kommuner))
    for field, dim in REGISTER_FILTERS.items():
        values = getattr(u, field)
        if values:
            out.append(isin(col(katalog.dimensjoner[dim].kolonne), values))
    if u.folketall:
        low, high = u.folketall
        if low is not None:
            out.append(col("folketall") >= exp.convert(low))
        if high is not None:
            out.append(col("folketall") < exp.convert(high))
    if u.naboer_av:
        nabo = katalog.dimensjoner["nabo"]
        naboer = (exp.select(exp.column(nabo.kolonne, table="n")).from_(exp.to_table(nabo.tabell).as_("n"))
                  .where(exp.column("kommunenr", table="n").eq(exp.convert(u.naboer_av))))  # fmt: skip
        among = col("kommunenr").isin(query=naboer)
        out.append(exp.or_(among, col("kommunenr").eq(exp.convert(u.naboer_av))) if u.med_kommunen else among)
    return out


def _op(v: Vilkaar, m: Maal) -> type[exp.Expression]:
    if v.op in COMPARE:
        return COMPARE[v.op]
    if m.retning == "noytral":
        raise SpecError(f"«Bedre» og «verre» gir ikke mening for {m.navn.lower()}; oppgi et tall eller høyere/lavere.")
    better = exp.GT if m.retning == "hoy" else exp.LT
    worse = exp.LT if m.retning == "hoy" else exp.GT
    return better if v.op == "bedre" else worse


def _condition(v: Vilkaar | Rangvilkaar, m: Maal, col: Col) -> exp.Expression:
    if isinstance(v, Rangvilkaar):
        return exp.Between(this=col("rang"), low=exp.convert(v.fra), high=exp.convert(v.til))
    t = v.terskel
    if isinstance(t, Kommuneverdi):
        threshold = col(f"ref_{t.kommunenr}")
    elif isinstance(t, str):
        threshold = col(t)
    else:
        threshold = exp.convert(t)
    return _op(v, m)(this=col("verdi"), expression=threshold)


def _needs(conds: tuple[Vilkaar | Rangvilkaar, ...]) -> dict:
    need: dict = {"referanser": ()}
    for v in conds:
        if isinstance(v, Rangvilkaar):
            need["rang"] = True
        elif isinstance(v.terskel, Kommuneverdi):
            need["referanser"] += (v.terskel.kommunenr,)
        elif isinstance(v.terskel, str):
            need[v.terskel] = True
    return need


def _on_rows(v: Vilkaar | Rangvilkaar, refs: tuple[tuple[Maal, str | None], ...], katalog: Katalog) -> bool:
    """Whether a condition is on the rows' own measure (each row is tested), rather than on
    another measure that selects municipalities."""
    if not refs or any(m.key != v.maal.maal for m, _ in refs):
        return False
    return v.maal.tjeneste is None or all(t == resolve(v.maal, katalog)[1] for _, t in refs)


def _semi_join(v: Vilkaar | Rangvilkaar, spec: QuerySpec, katalog: Katalog, col: Col) -> exp.Expression:
    """`kommunenr IN (…)`: the municipalities whose other measure meets the condition that year."""
    m, tjeneste = resolve(v.maal, katalog)
    need = Need(**_needs((v,)))
    inner = source([branch([(m, (tjeneste,))], (spec.tid.aar,), need, katalog)], name=f"vilkaar_{m.key}")
    sub = inner.select(inner.col("kommunenr")).where(_condition(v, m, inner.col))
    return col("kommunenr").isin(query=sub)


# --- the shapes ------------------------------------------------------------------------------


def _order_value(spec: QuerySpec, m: Maal | None, value: exp.Expression, rank: exp.Expression | None) -> exp.Ordered | None:
    """ORDER BY for best/worst (the rank, or the value in the measure's direction) or
    highest/lowest (the value)."""
    orden = spec.orden
    if orden is None:
        return None
    if orden in ("hoyest", "lavest") or m is None or m.retning == "noytral":
        return exp.Ordered(this=value, desc=orden in ("hoyest", "best"), nulls_first=False)
    if rank is not None:
        return exp.Ordered(this=rank, desc=orden == "verst", nulls_first=False)
    return exp.Ordered(this=value, desc=(orden == "best") == (m.retning == "hoy"), nulls_first=False)


def _rows(spec: QuerySpec, src: Source, main: Maal | None, where: list[exp.Expression]) -> exp.Select:
    shape = form(spec)
    names = list(COLUMNS["rader"])
    if spec.med_snitt:
        names += COLUMNS["med_snitt"]
    if shape == "liste":
        names += COLUMNS["liste"]
    query = src.select(*(src.col(n).as_(n) for n in names))
    ranked = main is not None and not isinstance(src.col("rang"), exp.Null)
    if shape == "liste" and main is not None:
        where = [*where, exp.Is(this=src.col("verdi"), expression=exp.null()).not_()]
        if spec.orden is None:  # a list with no order: the best (or highest) first
            spec = replace(spec, orden="best" if main.retning != "noytral" else "hoyest")
    order = _order_value(spec, main, exp.column("verdi"), exp.column("rang") if ranked else None)
    keys = [order] if order else []
    keys += [exp.column(c) for c in ("kommune", "maal", "tjeneste", "aar")]
    query = query.where(*where) if where else query
    query = query.order_by(*keys)
    return query.limit(spec.grense) if spec.grense else query


def _group_key(spec: QuerySpec, src: Source, katalog: Katalog) -> tuple[exp.Expression, exp.Expression] | None:
    """The grouping column (and what orders the groups), for groupings beside year and service."""
    g = spec.gruppering
    if g in (None, "tjeneste", "aar"):
        return None
    dim = katalog.dimensjoner[g]
    if dim.grenser:
        people = src.col("folketall")
        case = exp.case()
        for bound, label in list(zip(dim.grenser, dim.band_labels()))[::-1][:-1]:
            case = case.when(people >= exp.convert(bound), exp.convert(label))
        case = case.else_(exp.convert(dim.band_labels()[0]))
        return exp.case().when(exp.Is(this=people, expression=exp.null()), exp.null()).else_(case), exp.Min(this=src.col("folketall"))
    return src.col(dim.kolonne), src.col(dim.kolonne)


def _aggregate(spec: QuerySpec, src: Source, main: Maal | None, where: list[exp.Expression],
               conds: list[exp.Expression], katalog: Katalog) -> exp.Expression:
    group = _group_key(spec, src, katalog)
    keys = [src.col("aar"), src.col("maal"), src.col("tjeneste")]
    counted = src.col("verdi") if main else exp.Star()
    andel = "andel" in spec.aggregater
    parts = []
    for agg in spec.aggregater:
        cond = exp.and_(*conds) if conds else None
        if agg == "andel":
            hits = exp.Count(this=exp.Star()) if cond is None else exp.Filter(
                this=exp.Count(this=exp.Star()), expression=exp.Where(this=cond))
            share = exp.Round(this=exp.Div(this=exp.Mul(this=exp.convert(100.0), expression=hits),
                                           expression=exp.Nullif(this=exp.Count(this=counted.copy()), expression=exp.convert(0))),
                              decimals=exp.convert(1))  # fmt: skip
            value, extra = share, [hits.copy().as_("antall"), exp.Count(this=counted.copy()).as_("av")]
        else:
            func = exp.Count(this=counted.copy()) if agg == "antall" else FUNCTIONS[agg](this=src.col("verdi"))
            value = func
            extra = [exp.null().as_("antall"), exp.null().as_("av")] if andel else []
        columns = ([group[0].as_(spec.gruppering)] if group else []) + [
            keys[0].copy().as_("aar"), keys[1].copy().as_("maal"), keys[2].copy().as_("tjeneste"),
            exp.convert(agg).as_("aggregat"), value.as_("verdi"),
            exp.Count(this=counted.copy()).as_("antall_kommuner"), *extra,
        ]  # fmt: skip
        filters = where + ([] if agg == "andel" else conds)
        query = src.select(*columns)
        query = query.where(*filters) if filters else query
        grouped = [k.copy() for k in keys if not isinstance(k, (exp.Literal, exp.Null))]
        grouped = ([group[0].copy()] if group else []) + grouped
        query = query.group_by(*grouped) if grouped else query
        if len(spec.aggregater) == 1:
            order = _group_order(spec, main, group)
            query = query.order_by(*order) if order else query
        parts.append(query)
    out = parts[0]
    for part in parts[1:]:
        out = exp.union(out, part, distinct=False)
    return out.limit(spec.grense) if spec.grense else out


def _group_order(spec: QuerySpec, main: Maal | None, group: tuple | None) -> list[exp.Expression]:
    """Groups by value when an order is asked (more is «best» for a count), else by the group."""
    first = []
    if spec.orden:
        desc = spec.orden in ("hoyest", "best")
        directed = main is not None and main.retning == "lav" and spec.orden in ("best", "verst")
        if directed and not set(spec.aggregater) <= {"antall", "andel"}:
            desc = not desc
        first = [exp.Ordered(this=exp.column("verdi"), desc=desc, nulls_first=False)]
    by_group = [group[1].copy()] if group else []
    return first + by_group + [exp.column("aar"), exp.column("maal"), exp.column("tjeneste")]


def _change(spec: QuerySpec, src: Source, main: Maal, katalog: Katalog, row_conds: list, semi: list) -> exp.Select:
    t = lambda n: src.col(n, "t")  # noqa: E731 - the later year
    f = lambda n: src.col(n, "f")  # noqa: E731 - the earlier year
    on = exp.and_(f("kommunenr").eq(t("kommunenr")), f("maal").eq(t("maal")),
                  exp.NullSafeEQ(this=f("tjeneste"), expression=t("tjeneste")),
                  f("aar").eq(exp.convert(spec.tid.fra_aar)))  # fmt: skip
    endring = exp.Sub(this=t("verdi"), expression=f("verdi"))
    query = (exp.select(t("kommune").as_("kommune"), t("kommunenr").as_("kommunenr"), t("maal").as_("maal"),
                        t("tjeneste").as_("tjeneste"), f("aar").as_("fra_aar"), t("aar").as_("til_aar"),
                        f("verdi").as_("verdi_fra"), t("verdi").as_("verdi_til"), endring.as_("endring"),
                        f("rang").as_("rang_fra"), t("rang").as_("rang_til"))
             .from_(exp.to_table("data").as_("t")).join(exp.to_table("data").as_("f"), on=on)
             .with_("data", as_=src.union.copy()))  # fmt: skip
    where = [t("aar").eq(exp.convert(spec.tid.aar)), *_utvalg(spec, t, katalog),
             *(_condition(v, main, t) for v in row_conds), *(_semi_join(v, spec, katalog, t) for v in semi)]
    if spec.orden or spec.grense:
        where.append(exp.Is(this=endring.copy(), expression=exp.null()).not_())
    query = query.where(*where)
    if spec.orden in ("best", "verst"):  # by places climbed (every directed measure has a rank)
        climb = exp.Sub(this=f("rang"), expression=t("rang"))
        order = [exp.Ordered(this=climb, desc=spec.orden == "best", nulls_first=False)]
    elif spec.orden:
        up = spec.orden == "hoyest" or (spec.orden == "best") == (main.retning == "hoy")
        order = [exp.Ordered(this=exp.column("endring"), desc=up, nulls_first=False)]
    else:
        order = []
    query = query.order_by(*order, exp.column("kommune"), exp.column("maal"), exp.column("tjeneste"))
    return query.limit(spec.grense) if spec.grense else query


# --- the front door --------------------------------------------------------------------------


@lru_cache(maxsize=256)
def compile_spec(spec: QuerySpec, katalog: Katalog) -> Query:
    """The one SQL query that answers `spec`, named by its form (see `spec.form`).

    Raises SpecError (or NoDataForYear) when the spec asks for what the catalogue cannot give.

    >>> from assistant.katalog import load_katalog
    >>> from assistant.query.spec import MaalRef, Tid, Utvalg
    >>> q = compile_spec(QuerySpec((MaalRef("innbyggere"),), Tid(2024), Utvalg(kommuner=("5501",))), load_katalog())
    >>> q.name, "'5501'" in q.sql, "OVER" in q.sql
    ('verdi', True, False)
    """
    resolved = check_spec(spec, katalog)
    shape = form(spec)
    main = resolved[0][0] if resolved else None
    row_conds = tuple(v for v in spec.vilkaar if _on_rows(v, resolved, katalog))
    semi = tuple(v for v in spec.vilkaar if v not in row_conds)
    shows_rank = shape in ("verdi", "tjenester", "naboer", "utvikling", "endring") or spec.orden in ("best", "verst")
    need = Need(
        **{**_needs(row_conds), "rang": shows_rank or any(isinstance(v, Rangvilkaar) for v in row_conds)},
        antall=shows_rank and not spec.aggregater,
        folketall=spec.utvalg.folketall is not None or spec.gruppering == "folketallsgruppe",
    )
    if spec.med_snitt:
        need = Need(**{**need.__dict__, "landssnitt": True, "gruppesnitt": True})
    branches = [branch(members, spec.tid.years, need, katalog) for members in groups(resolved) or [[]]]
    src = source(branches, force_cte=spec.tid.endring)
    if spec.tid.endring:
        sql = _change(spec, src, main, katalog, list(row_conds), list(semi))
        return Query(shape, prune(sql).sql(dialect=DIALECT))
    where = _utvalg(spec, src.col, katalog) + [_semi_join(v, spec, katalog, src.col) for v in semi]
    conds = [_condition(v, main, src.col) for v in row_conds]
    if spec.aggregater:
        sql = _aggregate(spec, src, main, where, conds, katalog)
    else:
        sql = _rows(spec, src, main, where + conds)
    return Query(shape, prune(sql).sql(dialect=DIALECT))
