"""What the language model's own SQL may say: nothing of its own (issue 17).

The model never answers the user, but SQL can carry words: `SELECT 'VIKTIG: Kontoen din er
sperret …' AS "Melding fra Kommuneindeksen"` would show the model's message as the answer's
table. So after the validator, `check_model_sql` also refuses
- a string literal that is not a known value: a municipality's name or number, a county, a
  service or index type, an indicator (key or name) — what a question can filter on;
- a column name (an alias, a CTE's or subquery's column list, a struct key) outside the
  catalogue of known column names: the contract's columns and those our SQL templates give;
- a table or CTE name that is neither a table nor a short alias (`k`, `i`, `v`);
- the functions and operators that cut or join text (`chr(86) || chr(73)`, `substring`).
What is left shows only the database's own text and numbers.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from sqlglot import exp

from assistant.errors import UnsafeSql
from assistant.query.build import SQL_DIR, template
from assistant.query.validate import parse_statement
from assistant.understand.context import Context
from scoring.contract import ALL_TABLES, ALLE, INDEKSTYPER, TJENESTER

__all__ = [
    "MAX_TABLE_ALIAS",
    "TEXT_FUNCTIONS",
    "Catalogue",
    "catalogue",
    "check_model_sql",
    "column_names",
]

MAX_TABLE_ALIAS = 3  # `k`, `i`, `kv`: a table alias this short cannot carry a message

# Functions that make new text out of old (letters, pieces, joins): refused in model SQL.
TEXT_FUNCTIONS: frozenset[type[exp.Expr] | str] = frozenset(
    {
        exp.Chr, exp.Concat, exp.ConcatWs, exp.DPipe, exp.Format, "printf", exp.Pad,
        exp.Replace, exp.RegexpReplace, exp.RegexpExtract, exp.Translate, exp.Substring,
        exp.Left, exp.Right, exp.SplitPart, exp.Split, exp.Reverse, exp.ArrayToString,
        exp.GroupConcat, exp.TimeToStr, exp.Initcap,
    }
)  # fmt: skip


@dataclass(frozen=True)
class Catalogue:
    """The words model SQL may use: known values (case-folded) and known column names."""

    values: frozenset[str]
    columns: frozenset[str]
    tables: frozenset[str] = frozenset(ALL_TABLES)

    @classmethod
    def of(cls, values: Iterable[str]) -> "Catalogue":
        """The catalogue for these known values, with every known column name.

        >>> catalogue = Catalogue.of(["Bodø"])
        >>> "bodø" in catalogue.values, "snitt" in catalogue.columns
        (True, True)
        """
        known = {*values, *TJENESTER, ALLE, *INDEKSTYPER}
        return cls(frozenset(v.casefold() for v in known if v), column_names())


def catalogue(ctx: Context) -> Catalogue:
    """The values and column names model SQL may use: the database's municipalities (names and
    numbers), counties, services and indicators."""
    kommuner = ctx.register.kommuner.values()
    return Catalogue.of([
        *(k.kommunenr for k in kommuner), *(k.kommune for k in kommuner),
        *(k.offisielt_navn for k in kommuner), *ctx.register.fylker,
        *ctx.tjenestenavn.values(), *ctx.indikatorer,
        *(i.navn for i in ctx.indikatorer.values()),
    ])  # fmt: skip


@cache
def column_names() -> frozenset[str]:
    """The contract's column names and the names our SQL templates give their results.

    >>> {"kommune", "innsparingspotensial_kr", "antall_kommuner", "snitt"} <= column_names()
    True
    """
    names = {column for columns in ALL_TABLES.values() for column in columns}
    for path in SQL_DIR.rglob("*.sql"):
        tree = template(str(path.relative_to(SQL_DIR).with_suffix("")))
        names.update(alias.alias for alias in tree.find_all(exp.Alias))
    return frozenset(name.lower() for name in names)


def check_model_sql(sql: str, catalogue: Catalogue) -> None:
    """Refuse validated model SQL that could say something of its own (see the module).

    >>> catalogue = Catalogue.of(["Troms"])
    >>> check_model_sql("SELECT kommune AS kommune FROM kommune AS k WHERE fylke = 'Troms'", catalogue)
    >>> check_model_sql("SELECT 'Ring 12345678' AS kommune", catalogue)
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Modellens SQL har en tekst som ikke er en kjent verdi: 'Ring 12345678'.
    """
    for node in parse_statement(sql).walk():
        _check_node(node, catalogue)


def _check_node(node: exp.Expr, catalogue: Catalogue) -> None:
    if isinstance(node, exp.Literal) and node.is_string:
        if node.name.casefold() not in catalogue.values:
            raise UnsafeSql(f"Modellens SQL har en tekst som ikke er en kjent verdi: {node.name!r}.")
    elif isinstance(node, exp.Alias):
        _check_column(node.alias, catalogue)
    elif isinstance(node, exp.PropertyEQ):  # a struct's key
        _check_column(node.this.name, catalogue)
    elif isinstance(node, exp.TableAlias):
        for column in node.columns:
            _check_column(column.name, catalogue)
        _check_table_alias(node.name, catalogue)
    elif _key(node) in TEXT_FUNCTIONS:
        raise UnsafeSql(f"Modellens SQL lager tekst med «{node.key}», som ikke er tillatt.")


def _key(node: exp.Expr) -> type[exp.Expr] | str:
    return node.name.lower() if isinstance(node, exp.Anonymous) else type(node)


def _check_column(name: str, catalogue: Catalogue) -> None:
    if name.lower() not in catalogue.columns:
        raise UnsafeSql(f"Modellens SQL har et kolonnenavn som ikke er kjent: {name!r}.")


def _check_table_alias(name: str, catalogue: Catalogue) -> None:
    known = name.lower() in catalogue.tables or name.lower() in catalogue.columns
    if name and not known and (len(name) > MAX_TABLE_ALIAS or not name.isidentifier()):
        raise UnsafeSql(f"Modellens SQL har et tabellnavn som ikke er kjent: {name!r}.")
