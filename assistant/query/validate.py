"""The SQL validator: one read-only SELECT over the allowed tables, with a LIMIT.

`validate_sql` is the only door to DuckDB. It checks the raw text (`TEXT_RULES`), parses it
with sqlglot in the DuckDB dialect, runs the tree through `RULES` in order (the way sqlglot's
optimizer lists its steps) and returns SQL *regenerated from the checked tree*, never the
text it was given: comments are dropped and the LIMIT is set. The regenerated SQL is parsed
and checked once more and must come out unchanged, so what runs is what was checked.

Everything is an allow-list: statement kinds, syntax nodes, functions and tables. Anything
unknown is refused with a polite Norwegian `UnsafeSql`, and every refusal is logged.
"""

import inspect
import logging
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, OptimizeError, ParseError, SqlglotError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import traverse_scope
from sqlglot.schema import MappingSchema

from assistant.errors import UnsafeSql
from assistant.query.allowlist import (
    ALLOWED_DUCKDB_FUNCTIONS,
    ALLOWED_FUNCTIONS,
    ALLOWED_SYNTAX,
    DIALECT,
    FILE_LIKE,
    INVISIBLE,
    MAX_SQL_CHARS,
    SAFE_CONTROL_CHARACTERS,
    STATEMENT_NAMES,
    SYSTEM_PREFIXES,
    SYSTEM_SCHEMAS,
)
from assistant.query.sizes import bounded_sizes
from scoring.contract import ALL_TABLES

__all__ = [
    "ALLOWED_DUCKDB_FUNCTIONS",
    "ALLOWED_FUNCTIONS",
    "ALLOWED_SYNTAX",
    "MAX_SQL_CHARS",
    "RULES",
    "TEXT_RULES",
    "parse_statement",
    "to_duckdb_sql",
    "validate_sql",
]

log = logging.getLogger(__name__)

# --- rules on the raw text -------------------------------------------------------------------


def not_empty(sql: str) -> None:
    """Refuse text that holds no SQL at all.

    >>> not_empty("SELECT 1")
    >>> not_empty("   ")
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Spørringen er tom. Skriv én SELECT-spørring.
    """
    if not sql.strip():
        raise UnsafeSql("Spørringen er tom. Skriv én SELECT-spørring.")


def not_too_long(sql: str) -> None:
    """Refuse text longer than `MAX_SQL_CHARS` before the parser spends time on it.

    >>> not_too_long("SELECT 1" + " " * 30_000)
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Spørringen er for lang (over 20000 tegn). Gjør den kortere.
    """
    if len(sql) > MAX_SQL_CHARS:
        raise UnsafeSql(f"Spørringen er for lang (over {MAX_SQL_CHARS} tegn). Gjør den kortere.")


def no_control_characters(sql: str) -> None:
    """Refuse invisible characters: control, format (bidi, zero-width) and surrogates.

    Tab, newline and carriage return are fine; NUL and friends, or text that reads one way
    and runs another, are not.

    >>> no_control_characters("SELECT 1\\n")
    >>> no_control_characters("SELECT 1\\x00; DROP TABLE kommune")
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Spørringen har usynlige kontrolltegn (U+0000); fjern dem.
    """
    for char in sql:
        if char not in SAFE_CONTROL_CHARACTERS and unicodedata.category(char) in INVISIBLE:
            raise UnsafeSql(f"Spørringen har usynlige kontrolltegn (U+{ord(char):04X}); fjern dem.")


TEXT_RULES: tuple[Callable[[str], None], ...] = (not_empty, not_too_long, no_control_characters)


# --- parsing and generating ------------------------------------------------------------------


def parse_statement(sql: str) -> exp.Expr:
    """Parse `sql` (DuckDB dialect) into exactly one statement.

    Empty statements (a lone `;` or a comment) are ignored; two real ones are refused.

    >>> parse_statement("SELECT 1;").sql()
    'SELECT 1'
    >>> parse_statement("SELECT 1; DROP TABLE kommune")
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Bare én spørring om gangen er tillatt (fant 2).
    """
    try:
        parsed = sqlglot.parse(sql, read=DIALECT)
    except ParseError as err:
        where = _error_position(err)
        raise UnsafeSql(f"Spørringen kunne ikke leses som SQL{where}. Sjekk skrivemåten.") from err
    except SqlglotError as err:
        raise UnsafeSql("Spørringen kunne ikke leses som SQL. Sjekk skrivemåten.") from err
    statements = [s for s in parsed if s is not None and not isinstance(s, exp.Semicolon)]
    if not statements:
        raise UnsafeSql("Spørringen er tom. Skriv én SELECT-spørring.")
    if len(statements) > 1:
        raise UnsafeSql(f"Bare én spørring om gangen er tillatt (fant {len(statements)}).")
    return statements[0]


def _error_position(err: ParseError) -> str:
    """' (linje 1, kolonne 8)' for the first error sqlglot located, else ''."""
    for error in err.errors:
        if error.get("line") and error.get("col"):
            return f" (linje {error['line']}, kolonne {error['col']})"
    return ""


def to_duckdb_sql(expression: exp.Expr) -> str:
    """Generate DuckDB SQL from a tree, without comments; unsupported constructs are errors.

    >>> to_duckdb_sql(parse_statement("select 1 /* hei */ as x -- hallo"))
    'SELECT 1 AS x'
    """
    return expression.sql(dialect=DIALECT, comments=False, unsupported_level=ErrorLevel.RAISE)


# --- rules on the tree -----------------------------------------------------------------------


def only_select(expression: exp.Expr) -> exp.Expr:
    """Allow only a query: SELECT, WITH … SELECT, a set operation (UNION …) of queries, or
    a query in parentheses.

    >>> only_select(parse_statement("WITH x AS (SELECT 1) SELECT * FROM x")).key
    'select'
    >>> only_select(parse_statement("DELETE FROM kommune"))
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Bare SELECT-spørringer er tillatt her, ikke DELETE.
    """
    if isinstance(expression, (exp.Select, exp.SetOperation, exp.Subquery)):
        return expression
    if isinstance(expression, (exp.Condition, exp.Alias, exp.Identifier)):
        raise UnsafeSql("Spørringen må være en SELECT-spørring.")
    if isinstance(expression, exp.Command):
        kind = str(expression.this).upper()
    else:
        kind = STATEMENT_NAMES.get(expression.key, expression.key.upper())
    raise UnsafeSql(f"Bare SELECT-spørringer er tillatt her, ikke {kind}.")


def no_recursive_cte(expression: exp.Expr) -> exp.Expr:
    """Refuse WITH RECURSIVE: a recursive query can run for ever.

    (A CTE that names itself without RECURSIVE is an unknown table to `only_allowed_tables`.)

    >>> no_recursive_cte(parse_statement(
    ...     "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT n FROM t"))
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Rekursive spørringer (WITH RECURSIVE) er ikke tillatt.
    """
    for with_ in expression.find_all(exp.With):
        if with_.args.get("recursive"):
            raise UnsafeSql("Rekursive spørringer (WITH RECURSIVE) er ikke tillatt.")
    return expression


def only_allowed_syntax(expression: exp.Expr) -> exp.Expr:
    """Allow only the syntax nodes in `ALLOWED_SYNTAX` (functions are checked separately).

    This refuses statements hidden inside a query (INTO, data-changing CTEs), parameters,
    PIVOT, positional columns and anything else sqlglot can parse but we did not list.

    >>> only_allowed_syntax(parse_statement("SELECT kommune INTO kopi FROM kommune"))
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Spørringen bruker «INTO», som ikke er tillatt her.
    """
    for node in expression.walk():
        if not isinstance(node, exp.Func) and type(node) not in ALLOWED_SYNTAX:
            raise UnsafeSql(f"Spørringen bruker «{node.key.upper()}», som ikke er tillatt her.")
    return expression


def only_allowed_functions(expression: exp.Expr) -> exp.Expr:
    """Allow only functions in `ALLOWED_FUNCTIONS` or, by name, `ALLOWED_DUCKDB_FUNCTIONS`.

    This keeps out file and URL readers, table functions, generators and functions that
    reveal the system (`read_csv`, `range`, `getenv`, `current_setting`, `duckdb_settings`).

    >>> only_allowed_functions(parse_statement("SELECT strip_accents(kommune) FROM kommune")).key
    'select'
    >>> only_allowed_functions(parse_statement("SELECT getenv('HOME')"))
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Funksjonen «getenv» er ikke tillatt her.
    """
    for node in expression.find_all(exp.Func):
        if isinstance(node, exp.Anonymous):
            allowed = node.name.lower() in ALLOWED_DUCKDB_FUNCTIONS
            name = node.name
        else:
            allowed = type(node) in ALLOWED_FUNCTIONS
            name = node.sql_name().lower()
        if not allowed:
            raise UnsafeSql(f"Funksjonen «{name}» er ikke tillatt her.")
    return expression


def only_allowed_tables(expression: exp.Expr, tables: dict[str, dict[str, str]]) -> exp.Expr:
    """Allow only tables in `tables`, or CTEs visible where they are used.

    Refuses table functions (`FROM read_csv(…)`), files and URLs (`FROM '/etc/passwd'`),
    other schemas and catalogues (`information_schema.tables`, `duckdb_tables`) and unknown
    names. `main.<table>` is the same as `<table>`.

    >>> only_allowed_tables(parse_statement("SELECT * FROM kommune"), ALL_TABLES).key
    'select'
    >>> only_allowed_tables(parse_statement("SELECT * FROM '/etc/passwd'"), ALL_TABLES)
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Spørringen kan ikke lese filer eller nettadresser («/etc/passwd»).
    """
    cte_references = _cte_references(expression)
    for cte in expression.find_all(exp.CTE):
        _check_plain_name(cte.alias_or_name)
    for table in expression.find_all(exp.Table):
        if id(table) not in cte_references:
            _check_table(table, tables)
    return expression


def _cte_references(expression: exp.Expr) -> set[int]:
    """The ids of the table nodes that name a CTE visible in their scope."""
    references = set()
    for scope in traverse_scope(expression):
        for table in scope.tables:
            is_plain = not table.args.get("db") and not table.args.get("catalog")
            if is_plain and table.name in scope.cte_sources:
                references.add(id(table))
    return references


def _check_plain_name(name: str) -> None:
    """Refuse a table or CTE name that looks like a file, a path or a URL."""
    if FILE_LIKE.search(name):
        raise UnsafeSql(f"Spørringen kan ikke lese filer eller nettadresser («{name}»).")


def _check_table(table: exp.Table, tables: dict[str, dict[str, str]]) -> None:
    """Refuse one table reference unless it names an allowed table."""
    if not isinstance(table.this, exp.Identifier):
        name = table.this.sql_name() if isinstance(table.this, exp.Func) else table.this.key
        raise UnsafeSql(f"Tabellfunksjoner som «{name.lower()}» er ikke tillatt her.")
    name = table.name
    schema = table.db.lower()
    if table.catalog or (schema and schema != "main"):
        raise UnsafeSql(
            f"Systemtabeller og andre skjemaer («{table.sql()}») er ikke tilgjengelige."
        )
    _check_plain_name(name)
    if name.lower() in tables:
        return
    if name.lower() in SYSTEM_SCHEMAS or name.lower().startswith(SYSTEM_PREFIXES):
        raise UnsafeSql(f"Systemtabeller («{name}») er ikke tilgjengelige.")
    known = ", ".join(sorted(tables))
    raise UnsafeSql(
        f"Tabellen «{name}» finnes ikke eller er ikke tilgjengelig. Tabellene er: {known}."
    )


def only_known_columns(expression: exp.Expr, tables: dict[str, dict[str, str]]) -> exp.Expr:
    """Allow only real columns of the tables used, or outputs of CTEs, subqueries and aliases.

    sqlglot's `qualify` resolves every column against a schema built from `tables`; a column
    it cannot resolve is refused. The tree itself is left as it was.

    >>> only_known_columns(parse_statement("SELECT kommune FROM kommune"), ALL_TABLES).key
    'select'
    >>> only_known_columns(parse_statement("SELECT passord FROM kommune"), ALL_TABLES)
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Kolonnen «passord» finnes ikke i tabellene spørringen bruker.
    """
    try:
        schema = _schema(tuple((t, tuple(c.items())) for t, c in tables.items()))
        qualify(expression.copy(), schema=schema, dialect=DIALECT, quote_identifiers=False)
    except OptimizeError as err:
        raise UnsafeSql(_column_message(str(err))) from err
    return expression


@lru_cache(maxsize=8)
def _schema(tables: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]) -> MappingSchema:
    """The allow-listed tables as a sqlglot schema, built once (building it costs ~3 ms)."""
    return MappingSchema({t: dict(cols) for t, cols in tables}, dialect=DIALECT)


def _column_message(error: str) -> str:
    """A Norwegian message from sqlglot's column error text.

    >>> _column_message("Column 'x' could not be resolved. Line: 1, Col: 8")
    'Kolonnen «x» finnes ikke i tabellene spørringen bruker.'
    """
    match = re.search(r"Column '([^']*)' could not be resolved|Unknown column: (\S+)", error)
    if match:
        name = match.group(1) or match.group(2)
        return f"Kolonnen «{name}» finnes ikke i tabellene spørringen bruker."
    return "Spørringen bruker en kolonne eller et navn som ikke finnes."


def cap_limit(expression: exp.Expr, max_rows: int) -> exp.Expr:
    """Give the outer query a LIMIT of at most `max_rows`.

    A missing LIMIT (or LIMIT ALL/NULL) becomes `max_rows`; a larger number is lowered; an
    expression becomes `LEAST(expression, max_rows)`. LIMIT in percent is refused.

    >>> to_duckdb_sql(cap_limit(parse_statement("SELECT 1"), 1000))
    'SELECT 1 LIMIT 1000'
    >>> to_duckdb_sql(cap_limit(parse_statement("SELECT 1 LIMIT 5000"), 1000))
    'SELECT 1 LIMIT 1000'
    >>> to_duckdb_sql(cap_limit(parse_statement("SELECT 1 LIMIT 2 + 3"), 1000))
    'SELECT 1 LIMIT LEAST(2 + 3, 1000)'
    """
    limit = expression.args.get("limit")
    options = limit.args.get("limit_options") if limit else None
    if options and options.args.get("percent"):
        raise UnsafeSql("LIMIT i prosent støttes ikke. Oppgi et antall rader.")
    if options and options.args.get("with_ties"):
        raise UnsafeSql("FETCH … WITH TIES støttes ikke. Oppgi et antall rader.")
    if isinstance(limit, exp.Fetch):
        count = limit.args.get("count")
    else:
        count = limit.expression if limit else None
    expression.set("limit", exp.Limit(expression=_capped(count, max_rows)))
    return expression


def _capped(count: exp.Expr | None, max_rows: int) -> exp.Expr:
    """The LIMIT value: `count` when it is a whole number up to `max_rows`, else capped."""
    cap = exp.Literal.number(max_rows)
    if count is None or isinstance(count, (exp.Null, exp.Var)):
        return cap
    if _is_small_number(count, max_rows):
        return count
    if isinstance(count, exp.Literal) and count.is_int:
        return cap
    if _is_capped_least(count, max_rows):
        return count  # already capped, e.g. by an earlier pass
    return exp.Least(this=count, expressions=[cap], ignore_nulls=True)


def _is_capped_least(node: exp.Expr, max_rows: int) -> bool:
    """True for DuckDB's NULL-ignoring LEAST(…) with a whole number of at most `max_rows`."""
    if not isinstance(node, exp.Least) or not node.args.get("ignore_nulls"):
        return False
    return any(_is_small_number(arg, max_rows) for arg in (node.this, *node.expressions))


def _is_small_number(node: exp.Expr, max_rows: int) -> bool:
    """True for a whole-number literal of at most `max_rows`."""
    return isinstance(node, exp.Literal) and node.is_int and int(node.name) <= max_rows


Rule = Callable[..., exp.Expr]

RULES: tuple[Rule, ...] = (
    only_select,
    no_recursive_cte,
    only_allowed_syntax,
    only_allowed_functions,
    bounded_sizes,
    only_allowed_tables,
    only_known_columns,
    cap_limit,
)
# The generated text is parsed and checked once more before it runs. The column check is left
# out of that second pass: regenerating a checked tree cannot change its columns, and qualifying
# is the costly step (about half of the time of a pass).
RECHECK_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r is not only_known_columns)


def apply_rules(expression: exp.Expr, rules: tuple[Rule, ...], **options: Any) -> exp.Expr:
    """Run `rules` in order, giving each rule the `options` its signature asks for.

    >>> to_duckdb_sql(apply_rules(parse_statement("SELECT 1"), (cap_limit,), max_rows=5))
    'SELECT 1 LIMIT 5'
    """
    for rule in rules:
        wanted = inspect.signature(rule).parameters
        expression = rule(expression, **{k: v for k, v in options.items() if k in wanted})
    return expression


# --- the front door --------------------------------------------------------------------------


def validate_sql(
    sql: str, max_rows: int = 1000, tables: dict[str, dict[str, str]] = ALL_TABLES
) -> str:
    """Return the safe DuckDB SQL to run for `sql`, or raise `UnsafeSql` (and log why).

    >>> validate_sql("select kommune from kommune where fylke = 'Finnmark' -- hei")
    "SELECT kommune FROM kommune WHERE fylke = 'Finnmark' LIMIT 1000"
    >>> validate_sql("SELECT * FROM kommune; DROP TABLE kommune")
    Traceback (most recent call last):
    ...
    assistant.errors.UnsafeSql: Bare én spørring om gangen er tillatt (fant 2).
    """
    try:
        return _checked_sql(sql, max_rows, tables)
    except UnsafeSql as err:
        log.warning("SQL avvist: %s SQL: %.500r", err, sql)
        raise


def _checked_sql(sql: str, max_rows: int, tables: dict[str, dict[str, str]]) -> str:
    """Run every rule, generate the SQL, then check that the result checks to itself."""
    try:
        for text_rule in TEXT_RULES:
            text_rule(sql)
        options = {"max_rows": max_rows, "tables": tables}
        safe = to_duckdb_sql(apply_rules(parse_statement(sql), RULES, **options))
        again = to_duckdb_sql(apply_rules(parse_statement(safe), RECHECK_RULES, **options))
    except UnsafeSql:
        raise
    except RecursionError as err:
        raise UnsafeSql("Spørringen er for dypt nøstet til å kontrolleres. Forenkle den.") from err
    except SqlglotError as err:
        raise UnsafeSql("Spørringen kunne ikke kontrolleres, og blir derfor ikke kjørt.") from err
    except Exception as err:  # fail closed: an unexpected validator error is a refusal
        log.exception("Uventet feil i SQL-kontrollen")
        raise UnsafeSql("Spørringen kunne ikke kontrolleres, og blir derfor ikke kjørt.") from err
    if again != safe:
        raise UnsafeSql("Spørringen kunne ikke kontrolleres entydig, og blir derfor ikke kjørt.")
    return safe
