"""The validator: one read-only SELECT over the allowed tables, with a LIMIT of at most max_rows."""

import json
import logging
from pathlib import Path

import duckdb
import pytest
import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlglot import exp

from assistant.errors import UnsafeSql
from assistant.query import validate
from assistant.query.allowlist import (
    BOUNDED,
    FORMAT_ARGUMENTS,
    MULTIPLIES,
    QUADRATIC,
    SIZE_ARGUMENTS,
)
from assistant.query.execute import Sandbox
from assistant.query.validate import (
    ALLOWED_DUCKDB_FUNCTIONS,
    ALLOWED_FUNCTIONS,
    RULES,
    TEXT_RULES,
    validate_sql,
)
from scoring.contract import ALL_TABLES

MAX_ROWS = 1000

# Queries the assistant and staff really write; each must pass (one JSON object a line).
REALISTIC_FILE = Path(__file__).with_name("realistic_sql.jsonl")
with open(REALISTIC_FILE, encoding="utf-8") as realistic_file:
    REALISTIC = [json.loads(line)["sql"] for line in realistic_file if line.strip()]


def outer_limit(sql: str) -> int:
    """The row cap of the outer query: a whole number, or the number inside LEAST(…)."""
    expression = sqlglot.parse_one(sql, read="duckdb")
    count = expression.args["limit"].expression
    if isinstance(count, exp.Least):
        numbers = [a for a in (count.this, *count.expressions) if isinstance(a, exp.Literal)]
        return min(int(n.name) for n in numbers if n.is_int)
    assert isinstance(count, exp.Literal) and count.is_int
    return int(count.name)


# --- one statement ---------------------------------------------------------------------------


@pytest.mark.parametrize("sql", ["", "   ", "\n\t", ";", ";;", "-- bare en kommentar", "/* */"])
def test_empty_input_is_refused(sql: str) -> None:
    with pytest.raises(UnsafeSql, match="tom"):
        validate_sql(sql)


def test_stacked_statements_are_refused() -> None:
    with pytest.raises(UnsafeSql, match="Bare én spørring"):
        validate_sql("SELECT * FROM kommune; DROP TABLE kommune")


def test_two_selects_are_refused_too() -> None:
    with pytest.raises(UnsafeSql, match="fant 2"):
        validate_sql("SELECT 1; SELECT 2")


def test_one_trailing_semicolon_is_accepted() -> None:
    assert validate_sql("SELECT kommune FROM kommune;") == "SELECT kommune FROM kommune LIMIT 1000"


def test_comments_are_dropped_from_the_output() -> None:
    safe = validate_sql("SELECT /* hei */ kommune FROM kommune -- ; DROP TABLE kommune")
    assert safe == "SELECT kommune FROM kommune LIMIT 1000"


def test_unreadable_sql_is_refused_with_its_position() -> None:
    with pytest.raises(UnsafeSql, match="linje 1"):
        validate_sql("SELECT kommune FROM kommune WHERE (")


def test_too_long_input_is_refused() -> None:
    with pytest.raises(UnsafeSql, match="for lang"):
        validate_sql("SELECT 1" + " " * validate.MAX_SQL_CHARS)


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\u200b", "\u202e", "\ufeff"])
def test_control_characters_are_refused(char: str) -> None:
    with pytest.raises(UnsafeSql, match="kontrolltegn"):
        validate_sql(f"SELECT kommune FROM kommune{char}")


# --- only SELECT -----------------------------------------------------------------------------


def test_delete_is_refused() -> None:
    with pytest.raises(UnsafeSql, match="ikke DELETE"):
        validate_sql("DELETE FROM kommune")


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO kommune VALUES ('9999', 'x', 'x', 'x', 1, 1)",
        "UPDATE kommune SET kommune = 'x'",
        "DROP TABLE kommune",
        "CREATE TABLE x AS SELECT 1",
        "ALTER TABLE kommune RENAME TO x",
        "PRAGMA version",
        "SET threads = 8",
        "ATTACH 'x.db'",
        "DETACH x",
        "COPY kommune TO 'x.csv'",
        "EXPORT DATABASE 'x'",
        "IMPORT DATABASE 'x'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "CALL duckdb_settings()",
        "VACUUM",
        "CHECKPOINT",
        "USE memory",
        "DESCRIBE kommune",
        "SHOW TABLES",
        "SUMMARIZE kommune",
        "EXPLAIN SELECT 1",
        "BEGIN TRANSACTION",
        "VALUES (1)",
        "PIVOT kommune ON fylke",
    ],
)
def test_statements_other_than_select_are_refused(sql: str) -> None:
    with pytest.raises(UnsafeSql):
        validate_sql(sql)


def test_select_into_is_refused() -> None:
    with pytest.raises(UnsafeSql, match="INTO"):
        validate_sql("SELECT * INTO kopi FROM kommune")


def test_a_data_changing_cte_is_refused() -> None:
    with pytest.raises(UnsafeSql, match="DELETE"):
        validate_sql("WITH x AS (DELETE FROM kommune RETURNING *) SELECT * FROM x")


def test_parameters_are_refused() -> None:
    with pytest.raises(UnsafeSql, match="PLACEHOLDER"):
        validate_sql("SELECT * FROM kommune WHERE kommunenr = ?")


# --- no recursion ----------------------------------------------------------------------------


def test_recursive_cte_is_refused() -> None:
    sql = "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT n FROM t"
    with pytest.raises(UnsafeSql, match="RECURSIVE"):
        validate_sql(sql)


def test_a_cte_naming_itself_without_recursive_is_refused() -> None:
    sql = "WITH t AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM t) SELECT n FROM t"
    with pytest.raises(UnsafeSql, match="«t»"):
        validate_sql(sql)


# --- tables ----------------------------------------------------------------------------------


@pytest.mark.parametrize("table", sorted(ALL_TABLES))
def test_every_contract_table_is_allowed(table: str) -> None:
    assert validate_sql(f"SELECT * FROM {table}") == f"SELECT * FROM {table} LIMIT 1000"


def test_an_unknown_table_is_refused_with_the_known_ones_named() -> None:
    with pytest.raises(UnsafeSql, match="«brukere».*kommune"):
        validate_sql("SELECT * FROM brukere")


def test_the_tables_argument_is_the_allow_list() -> None:
    only_kommune = {"kommune": ALL_TABLES["kommune"]}
    assert validate_sql("SELECT kommune FROM kommune", tables=only_kommune)
    with pytest.raises(UnsafeSql, match="«indeks»"):
        validate_sql("SELECT verdi FROM indeks", tables=only_kommune)


def test_cte_names_are_allowed_as_tables() -> None:
    sql = "WITH x AS (SELECT kommune FROM kommune) SELECT kommune FROM x"
    assert validate_sql(sql).endswith("LIMIT 1000")


def test_a_cte_is_not_visible_outside_its_subquery() -> None:
    sql = "SELECT * FROM (WITH x AS (SELECT 1 AS a) SELECT a FROM x) AS s, x"
    with pytest.raises(UnsafeSql, match="«x»"):
        validate_sql(sql)


def test_the_main_schema_prefix_is_allowed() -> None:
    assert validate_sql("SELECT kommune FROM main.kommune")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM information_schema.tables",
        "SELECT * FROM pg_catalog.pg_tables",
        "SELECT * FROM duckdb_tables",
        "SELECT * FROM sqlite_master",
        "SELECT * FROM main.duckdb_settings",
        "SELECT * FROM system.main.duckdb_tables",
        "SELECT * FROM temp.main.x",
    ],
)
def test_system_catalogues_are_refused(sql: str) -> None:
    with pytest.raises(UnsafeSql, match="Systemtabeller"):
        validate_sql(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM 'data.csv'",
        "SELECT * FROM '/etc/passwd'",
        "FROM 'https://example.com/x.parquet'",
        'SELECT * FROM "kommune.parquet"',
        'WITH "x.csv" AS (SELECT 1 AS a) SELECT a FROM "x.csv"',
    ],
)
def test_file_references_are_refused(sql: str) -> None:
    with pytest.raises(UnsafeSql, match="filer"):
        validate_sql(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_parquet('x.parquet')",
        "SELECT * FROM range(10)",
        "SELECT * FROM generate_series(1, 10)",
        "SELECT * FROM duckdb_settings()",
        "SELECT * FROM glob('*')",
        "SELECT * FROM query('SELECT 1')",
    ],
)
def test_table_functions_are_refused(sql: str) -> None:
    with pytest.raises(UnsafeSql, match="Funksjonen|Tabellfunksjoner"):
        validate_sql(sql)


# --- columns ---------------------------------------------------------------------------------


def test_an_unknown_column_is_refused() -> None:
    with pytest.raises(UnsafeSql, match="«passord»"):
        validate_sql("SELECT passord FROM kommune")


def test_a_column_of_another_table_is_refused() -> None:
    with pytest.raises(UnsafeSql, match="«verdi»"):
        validate_sql("SELECT k.verdi FROM kommune AS k")


def test_aliases_and_cte_columns_are_known() -> None:
    sql = "WITH x AS (SELECT kommune AS navn FROM kommune) SELECT navn AS n FROM x ORDER BY n"
    assert validate_sql(sql)


# --- functions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "function",
    [
        "getenv('HOME')",
        "current_setting('threads')",
        "version()",
        "current_database()",
        "current_user",
        "getvariable('x')",
        "nextval('s')",
        "range(10)",
        "repeat('x', 10)",
    ],
)
def test_system_and_generator_functions_are_refused(function: str) -> None:
    with pytest.raises(UnsafeSql, match="Funksjonen"):
        validate_sql(f"SELECT {function}")


def test_a_safe_duckdb_function_is_allowed() -> None:
    assert validate_sql("SELECT strip_accents(kommune) FROM kommune")


@pytest.mark.parametrize("name", sorted(ALLOWED_DUCKDB_FUNCTIONS))
def test_every_listed_duckdb_function_is_unknown_to_sqlglot(name: str) -> None:
    """A name sqlglot knows as a class belongs in ALLOWED_FUNCTIONS, not in the name list."""
    expression = sqlglot.parse_one(f"SELECT {name}(1)", read="duckdb")
    assert isinstance(expression.expressions[0], exp.Anonymous)


def test_no_file_or_generator_function_is_allowed() -> None:
    dangerous = {
        exp.ReadCSV,
        exp.ReadParquet,
        exp.GenerateSeries,
        exp.ExplodingGenerateSeries,
        exp.Repeat,
        exp.CurrentUser,
        exp.CurrentSchema,
        exp.CurrentVersion,
        exp.ToFile,
    }
    assert not dangerous & ALLOWED_FUNCTIONS


# --- sizes: functions that build (issue 17) --------------------------------------------------

# Queries that ask one function for gigabytes, or feed what one built to one that multiplies.
TOO_BIG = {
    "lpad to 2 GB": "SELECT length(lpad('x', 2000000000, 'y'))",
    "rpad from a column": "SELECT rpad(kommune, kostragruppe * 100000000, 'x') FROM kommune",
    "lpad with arithmetic": "SELECT lpad('x', 1000 * 1000, 'y')",
    "string_split of a built string": "SELECT string_split(lpad('', 900, 'x'), '')",
    "printf width": "SELECT printf('%0999999999d', 1)",
    "printf width from an argument": "SELECT printf('%*d', 999999999, 1)",
    "printf format from a column": "SELECT printf(kommune, 1) FROM kommune",
    "format width": "SELECT format('{:>1000000000}', 1)",
    "format width from an argument": "SELECT format('{:>{}}', 1, 999999999)",
    "damerau_levenshtein on long text": (
        "SELECT damerau_levenshtein('" + "a" * 9000 + "', '" + "b" * 9000 + "')"
    ),
    "levenshtein on a built string": "SELECT levenshtein(lpad('a', 1000, 'b'), kommune) FROM kommune",
    "the n largest, a billion of them": "SELECT max(kommune, 100000000) FROM kommune",
    "arg_max with a huge n": "SELECT arg_max(kommune, kommunenr, 100000000) FROM kommune",
    "replace in a replace": "SELECT replace(replace(kommune, 'a', 'bbbb'), 'b', 'cccc') FROM kommune",
    "replace with a long replacement": "SELECT replace(kommune, 'a', '" + "x" * 5000 + "') FROM kommune",
    "string_agg of built strings": "SELECT string_agg(lpad(kommunenr, 1000, 'x'), ',') FROM indeks",
    "a long separator": "SELECT string_agg(kommunenr, '" + "," * 5000 + "') FROM indeks",
    "strftime with a long format": "SELECT strftime(hentet, '" + "%c" * 3000 + "') FROM datakilde",
    "a built value through a CTE": (
        "WITH a AS (SELECT lpad('x', 1000, 'y') AS s) SELECT replace(s, 'y', 'zzz') FROM a"
    ),
    "through two CTEs and a rename": (
        "WITH a AS (SELECT lpad('x', 1000, 'y') AS s), b AS (SELECT s AS t FROM a) "
        "SELECT string_split(t, '') FROM b"
    ),
    "through CTE column names": (
        "WITH a(t) AS (SELECT lpad('x', 1000, 'y')) SELECT string_split(t, '') FROM a"
    ),
    "through DuckDB's own column name": (
        "SELECT string_split(\"lpad('x', 1000, 'y')\", '') FROM (SELECT lpad('x', 1000, 'y'))"
    ),
    "through a subquery alias": (
        "SELECT string_split(CAST(t AS VARCHAR), '') FROM (SELECT lpad('x', 1000, 'y') AS s) AS t"
    ),
    "range": "SELECT range(1000000000)",
    "generate_series": "SELECT generate_series(1, 1000000000)",
    "repeat": "SELECT repeat('x', 1000000000)",
    "list_resize": "SELECT list_resize([1], 1000000000)",
    "array_fill": "SELECT array_fill(1, 1000000000)",
    "bar": "SELECT bar(1, 0, 1, 1000000000)",
    "a range as a table": "SELECT * FROM range(1000000000)",
}

# Small values of the same functions, as staff write them: allowed.
SMALL_ENOUGH = [
    "SELECT lpad(kommunenr, 6, '0') FROM kommune",
    "SELECT rpad(kommune, 1000, '.') FROM kommune",
    "SELECT printf('%5.2f kr', 1.5), format('{} har {:>8}', kommune, kostragruppe) FROM kommune",
    "SELECT string_split(kommune, '-'), replace(kommune, '-', ' ') FROM kommune",
    "SELECT levenshtein(kommune, 'Oslo'), damerau_levenshtein(kommune, 'Bodø') FROM kommune",
    "SELECT max(kommune, 3), arg_max(kommune, kommunenr, 5) FROM kommune",
    "SELECT string_agg(kommunenr, ', ') FROM indeks",
    "SELECT strftime(hentet, '%Y-%m-%d') FROM datakilde",
    "WITH a AS (SELECT lpad(kommunenr, 6, '0') AS nr, kommune FROM kommune) "
    "SELECT nr, replace(kommune, 'a', 'b') FROM a",
]


@pytest.mark.parametrize("sql", TOO_BIG.values(), ids=TOO_BIG.keys())
def test_a_function_asked_to_build_too_much_is_refused(sql: str) -> None:
    with pytest.raises(UnsafeSql, match="Funksjonen|Formatet|Teksten|for lang"):
        validate_sql(sql)


@pytest.mark.parametrize("sql", SMALL_ENOUGH)
def test_small_values_of_the_same_functions_are_allowed(sql: str) -> None:
    assert validate_sql(sql)


# Return types that can hold more than a number: text, lists, structs and anything generic.
def _holds_text_or_lists(return_type: str | None) -> bool:
    if return_type is None or return_type in ("ANY", "T"):
        return True
    return "VARCHAR" in return_type or "[]" in return_type or return_type.startswith(
        ("STRUCT", "MAP", "BLOB", "JSON", "UNION", "BIT")
    )


def _allowed_functions_in_duckdb() -> dict[str, tuple[object, set[str]]]:
    """Every DuckDB function the allow-list lets through, with its key and return types,
    read from DuckDB's own function list."""
    with duckdb.connect() as con:
        rows = con.execute(
            "SELECT function_name, list(DISTINCT return_type), min(len(parameters)) "
            "FROM duckdb_functions() WHERE function_type IN ('scalar', 'aggregate', 'macro') "
            "GROUP BY function_name"
        ).fetchall()
    allowed = {}
    for name, returns, arity in rows:
        if not name.isidentifier():
            continue  # operators: the syntax allow-list decides
        args = ", ".join(["x"] * (arity or 0))
        try:
            node = sqlglot.parse_one(f"SELECT {name}({args})", read="duckdb").expressions[0]
        except sqlglot.errors.SqlglotError:
            continue  # sqlglot cannot read it, so no query can use it
        if not isinstance(node, exp.Func):
            continue
        key = node.name.lower() if isinstance(node, exp.Anonymous) else type(node)
        known = key in ALLOWED_DUCKDB_FUNCTIONS if isinstance(key, str) else key in ALLOWED_FUNCTIONS
        if known:
            allowed[name] = (key, set(returns))
    return allowed


def test_every_allowed_function_that_returns_text_or_lists_has_a_size_rule() -> None:
    """The class is read off DuckDB's function list: whatever can return text, a list or a
    struct is either limited (SIZE_ARGUMENTS, FORMAT_ARGUMENTS, MULTIPLIES) or declared
    BOUNDED by its arguments. A new DuckDB or sqlglot version that lets a new one through fails
    here until it is classified."""
    classified = {*SIZE_ARGUMENTS, *FORMAT_ARGUMENTS, *MULTIPLIES, *QUADRATIC, *BOUNDED}
    allowed = _allowed_functions_in_duckdb()
    assert len(allowed) > 100  # the list was read
    missing = sorted(
        name
        for name, (key, returns) in allowed.items()
        if any(_holds_text_or_lists(r) for r in returns) and key not in classified
    )
    assert not missing, f"uten størrelsesregel i allowlist.py: {missing}"


def test_the_size_tables_do_not_overlap_and_hold_only_allowed_functions() -> None:
    tables = [set(SIZE_ARGUMENTS), set(FORMAT_ARGUMENTS), set(MULTIPLIES), set(QUADRATIC), set(BOUNDED)]
    for i, a in enumerate(tables):
        for b in tables[i + 1 :]:
            assert not a & b
    for key in set().union(*tables):
        known = key in ALLOWED_DUCKDB_FUNCTIONS if isinstance(key, str) else key in ALLOWED_FUNCTIONS
        assert known, key


# --- LIMIT -----------------------------------------------------------------------------------


def test_a_limit_is_added() -> None:
    assert validate_sql("SELECT kommune FROM kommune").endswith("LIMIT 1000")


def test_a_large_limit_is_capped() -> None:
    assert validate_sql("SELECT kommune FROM kommune LIMIT 50000").endswith("LIMIT 1000")


def test_a_small_limit_is_kept() -> None:
    assert validate_sql("SELECT kommune FROM kommune LIMIT 10").endswith("LIMIT 10")


def test_max_rows_sets_the_cap() -> None:
    assert validate_sql("SELECT kommune FROM kommune LIMIT 10", max_rows=3).endswith("LIMIT 3")


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        ("ALL", "LIMIT 1000"),
        ("NULL", "LIMIT 1000"),
        ("2 + 3", "LIMIT LEAST(2 + 3, 1000)"),
        ("(SELECT COUNT(*) FROM indeks)", "LIMIT LEAST((SELECT COUNT(*) FROM indeks), 1000)"),
        ("1e9", "LIMIT LEAST(1e9, 1000)"),
    ],
)
def test_a_non_literal_limit_is_capped(limit: str, expected: str) -> None:
    assert validate_sql(f"SELECT kommune FROM kommune LIMIT {limit}").endswith(expected)


def test_fetch_first_is_capped() -> None:
    sql = "SELECT kommune FROM kommune FETCH FIRST 5000 ROWS ONLY"
    assert validate_sql(sql).endswith("LIMIT 1000")


def test_a_percent_limit_is_refused() -> None:
    with pytest.raises(UnsafeSql, match="prosent"):
        validate_sql("SELECT kommune FROM kommune LIMIT 10%")


def test_a_union_gets_one_outer_limit() -> None:
    safe = validate_sql("SELECT kommune FROM kommune UNION SELECT navn FROM tjeneste")
    assert safe == "SELECT kommune FROM kommune UNION SELECT navn FROM tjeneste LIMIT 1000"


def test_a_limit_inside_a_subquery_does_not_count() -> None:
    safe = validate_sql("SELECT * FROM (SELECT kommune FROM kommune LIMIT 5000) AS k")
    assert safe.endswith(") AS k LIMIT 1000")


def test_offset_is_kept() -> None:
    assert validate_sql("SELECT kommune FROM kommune LIMIT 5 OFFSET 2").endswith("LIMIT 5 OFFSET 2")


# --- the whole pipeline ----------------------------------------------------------------------


@pytest.mark.parametrize("sql", REALISTIC)
def test_realistic_queries_pass(sql: str) -> None:
    assert outer_limit(validate_sql(sql)) <= MAX_ROWS


@pytest.mark.parametrize("sql", REALISTIC)
def test_validated_sql_validates_to_itself(sql: str) -> None:
    safe = validate_sql(sql)
    assert validate_sql(safe) == safe


def test_a_refusal_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="assistant.query.validate"), pytest.raises(UnsafeSql):
        validate_sql("DROP TABLE kommune")
    assert "SQL avvist" in caplog.text and "DROP TABLE kommune" in caplog.text


def test_an_unexpected_validator_error_is_a_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The validator fails closed: a bug in a rule refuses the query instead of running it."""

    def broken(expression: exp.Expr) -> exp.Expr:
        raise KeyError("feil i en regel")

    monkeypatch.setattr(validate, "RULES", (broken,))
    with pytest.raises(UnsafeSql, match="kunne ikke kontrolleres"):
        validate_sql("SELECT 1")


def test_rules_are_listed_in_order() -> None:
    names = [rule.__name__ for rule in RULES]
    assert names == [
        "only_select",
        "no_recursive_cte",
        "only_allowed_syntax",
        "only_allowed_functions",
        "bounded_sizes",
        "only_allowed_tables",
        "only_known_columns",
        "cap_limit",
    ]
    assert [rule.__name__ for rule in TEXT_RULES] == [
        "not_empty",
        "not_too_long",
        "no_control_characters",
    ]


@pytest.mark.parametrize("rule", [*TEXT_RULES, *RULES], ids=lambda rule: rule.__name__)
def test_every_rule_has_a_docstring_with_an_example(rule) -> None:
    assert rule.__doc__ and ">>>" in rule.__doc__


# --- properties ------------------------------------------------------------------------------

SQL_WORDS = [
    "SELECT", "FROM", "WHERE", "kommune", "indeks", "verdi", "rang", "*", ",", "(", ")", ";",
    "'", '"', "--", "/*", "*/", "UNION", "ALL", "DROP", "TABLE", "read_csv('/etc/passwd')",
    "LIMIT", "10", "1e9", "WITH", "RECURSIVE", "AS", "x", "JOIN", "ON", "=", "OR", "1",
    "ATTACH", "COPY", "PRAGMA", "SET", "getenv", "range(9)", "ORDER BY", "GROUP BY",
    "information_schema.tables", "main.", "$$", "\\", "NULL", "ＳＥＬＥＣＴ", "😀",
]  # fmt: skip


def assert_refused_or_capped(sql: str, max_rows: int = MAX_ROWS) -> str | None:
    """Validate `sql`: either UnsafeSql, or SQL whose outer LIMIT is at most `max_rows`."""
    try:
        safe = validate_sql(sql, max_rows=max_rows)
    except UnsafeSql as err:
        assert str(err)
        return None
    assert outer_limit(safe) <= max_rows
    return safe


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_random_text_is_refused_or_capped(sql: str) -> None:
    assert_refused_or_capped(sql)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(SQL_WORDS), max_size=25).map(" ".join))
def test_random_sql_words_are_refused_or_capped(sql: str) -> None:
    assert_refused_or_capped(sql)


@st.composite
def selects(draw: st.DrawFn) -> str:
    """A SELECT over the allowed columns, sometimes with a wrong column, filter or LIMIT."""
    table = draw(st.sampled_from(sorted(ALL_TABLES)))
    columns = list(ALL_TABLES[table])
    names = st.sampled_from([*columns, "ukjent_kolonne"])
    chosen = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    parts = [f"SELECT {', '.join(chosen)} FROM {table}"]
    if draw(st.booleans()):
        column = draw(st.sampled_from(columns))
        text = draw(st.text(max_size=10)).replace("'", "''")
        conditions = [f"WHERE {column} IS NOT NULL", f"WHERE CAST({column} AS VARCHAR) <> '{text}'"]
        parts.append(draw(st.sampled_from(conditions)))
    if draw(st.booleans()):
        parts.append(f"ORDER BY {draw(st.sampled_from(chosen))} DESC NULLS LAST")
    limit = draw(st.none() | st.integers(min_value=0, max_value=5000))
    if limit is not None:
        parts.append(f"LIMIT {limit}")
    return " ".join(parts)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sql=selects(), max_rows=st.integers(min_value=1, max_value=2000))
def test_generated_selects_run_or_are_refused_cleanly(
    sandbox: Sandbox, sql: str, max_rows: int
) -> None:
    safe = assert_refused_or_capped(sql, max_rows)
    if safe is None:
        return
    columns, rows = sandbox.query(safe)
    assert len(rows) <= min(max_rows, sandbox.settings.max_rows)
    assert columns
