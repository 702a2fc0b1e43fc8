"""The validator's size rule (issue 17): a function may not be asked to build more than a
small value. One DuckDB function can build gigabytes in a single step that no interrupt stops
(`lpad('x', 2000000000, 'y')`); which functions, and how their size is kept small, are the
tables in `assistant/query/allowlist.py`. `validate.py` lists the rule in `RULES`.
"""

import re

from sqlglot import exp

from assistant.errors import UnsafeSql
from assistant.query.allowlist import (
    BUILDS,
    DIALECT,
    FORMAT_ARGUMENTS,
    MAX_GROWING_TEXT,
    MAX_SIZE_ARGUMENT,
    MULTIPLIES,
    QUADRATIC,
    SIZE_ARGUMENTS,
)

__all__ = ["bounded_sizes"]


def bounded_sizes(expression: exp.Expr) -> exp.Expr:
    """Refuse functions asked to build more than a small value (the tables in allowlist.py).

    Lengths and counts must be small whole-number literals; format widths too; and a function
    whose result multiplies with its input (splitting, replacing, edit distances …) may not be
    fed what another function built, nor long literal text.

    >>> import sqlglot
    >>> parse = lambda sql: sqlglot.parse_one(sql, read="duckdb")
    >>> bounded_sizes(parse("SELECT lpad(kommunenr, 6, '0') FROM kommune")).key
    'select'
    >>> bounded_sizes(parse("SELECT length(lpad('x', 2000000000, 'y'))"))
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Funksjonen «lpad» kan bare lage korte verdier: lengden eller antallet må være et heltall på høyst 1000, skrevet rett inn.
    >>> bounded_sizes(parse("SELECT string_split(lpad('', 900, 'x'), '')"))
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Funksjonen «str_split» kan ikke brukes på tekst eller lister som en annen funksjon har bygget (som lpad, printf eller string_agg).
    """
    functions = [(node, _function_key(node)) for node in expression.find_all(exp.Func)]
    for node, key in functions:
        for name in SIZE_ARGUMENTS.get(key, ()):
            size = node.args.get(name)
            if size is not None and not _is_small_whole_number(size):
                raise UnsafeSql(
                    f"Funksjonen «{_duckdb_name(node)}» kan bare lage korte verdier: lengden "
                    f"eller antallet må være et heltall på høyst {MAX_SIZE_ARGUMENT}, skrevet "
                    "rett inn."
                )
        if key in FORMAT_ARGUMENTS:
            _check_format(node, FORMAT_ARGUMENTS[key])
    growing = [(node, key) for node, key in functions if key in MULTIPLIES or key in QUADRATIC]
    if growing:
        built = _built_names(expression)
        for node, _ in growing:
            _check_growing_arguments(node, built)
    return expression


def _function_key(node: exp.Func) -> type[exp.Func] | str:
    """How the size tables name a function: its sqlglot class, or DuckDB name if unknown."""
    return node.name.lower() if isinstance(node, exp.Anonymous) else type(node)


def _duckdb_name(node: exp.Func) -> str:
    """The function's name as DuckDB spells it (for messages; generated, so only on refusal)."""
    if isinstance(node, exp.Anonymous):
        return node.name.lower()
    return node.sql(dialect=DIALECT).split("(", 1)[0].lower()


def _is_small_whole_number(node: exp.Expr) -> bool:
    """A whole-number literal (or its negative) of at most `MAX_SIZE_ARGUMENT`."""
    if isinstance(node, exp.Neg):
        node = node.this
    return isinstance(node, exp.Literal) and node.is_int and int(node.name) <= MAX_SIZE_ARGUMENT


# printf's conversions (%-08.3f, %*d) and fmt's replacement fields ({:>10}, {0:{1}})
_PRINTF_FIELD = re.compile(r"%%|%[-+ #0']*(\*|\d+)?(?:\.(\*|\d+))?")
_FMT_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)(\{?)")


def _check_format(node: exp.Func, argument: str) -> None:
    """Refuse a format that is not a literal, or that asks for wide or dynamic fields."""
    value = node.args.get(argument)
    if isinstance(value, list):
        value = value[0] if value else None
    name = _duckdb_name(node)
    problem = (
        f"Formatet i «{name}» må være en tekst skrevet rett inn, med bredder på høyst "
        f"{MAX_SIZE_ARGUMENT}."
    )
    if not (isinstance(value, exp.Literal) and value.is_string):
        raise UnsafeSql(problem)
    widths: list[str] = []
    for m in _PRINTF_FIELD.finditer(value.name):
        widths += [w for w in m.groups() if w]
    for m in _FMT_FIELD.finditer(value.name):
        if m.group(2):  # a field inside a field: a width from the arguments
            raise UnsafeSql(problem)
        widths += re.findall(r"\d+", m.group(1) or "")
    if any(w == "*" or int(w) > MAX_SIZE_ARGUMENT for w in widths):
        raise UnsafeSql(problem)


def _is_built(node: exp.Expr, built: set[str]) -> bool:
    """True when `node` holds a function that builds, or a column such a function made."""
    for inner in node.walk():
        if isinstance(inner, exp.Func) and _function_key(inner) in BUILDS:
            return True
        if isinstance(inner, exp.Column) and (inner.name.lower() in built or "(" in inner.name):
            return True  # a name of a built value, or DuckDB's own name for one: "lpad(…)"
    return False


def _built_names(expression: exp.Expr) -> set[str]:
    """The names, anywhere in the query, of columns and tables whose values a building function
    made: aliases of built expressions (also through other aliases), and every column and the
    name of a CTE or subquery with a building function inside. By name, so conservative."""
    built: set[str] = set()
    for source in (*expression.find_all(exp.CTE), *expression.find_all(exp.Subquery)):
        alias = source.args.get("alias")
        if alias is not None and _is_built(source.this, built):
            built.add(alias.name.lower())
            built.update(column.name.lower() for column in alias.columns)
    aliases = list(expression.find_all(exp.Alias))
    while True:
        new = {
            a.alias.lower()
            for a in aliases
            if a.alias.lower() not in built and _is_built(a.this, built)
        }
        if not new:
            return built
        built |= new


def _check_growing_arguments(node: exp.Func, built: set[str]) -> None:
    """A multiplying function takes no built value and no long literal text."""
    for argument in node.iter_expressions():
        if _is_built(argument, built):
            raise UnsafeSql(
                f"Funksjonen «{_duckdb_name(node)}» kan ikke brukes på tekst eller lister som en annen "
                "funksjon har bygget (som lpad, printf eller string_agg)."
            )
        for literal in argument.find_all(exp.Literal):
            if literal.is_string and len(literal.name) > MAX_GROWING_TEXT:
                raise UnsafeSql(
                    f"Teksten i «{_duckdb_name(node)}» kan være høyst {MAX_GROWING_TEXT} tegn."
                )
