"""What a query may use: the syntax nodes, the functions and the names that are off limits.
Allow-lists, read by the rules in `validate.py`; add to them deliberately. The tables are the
contract's (`scoring.contract.ALL_TABLES`); `schema_text` shows them to people and the model."""

import re
from collections.abc import Mapping

from sqlglot import exp

from scoring.contract import ALL_TABLES

DIALECT = "duckdb"
MAX_SQL_CHARS = 20_000
SAFE_CONTROL_CHARACTERS = frozenset("\t\n\r")
INVISIBLE = frozenset({"Cc", "Cf", "Cs"})  # Unicode categories: control, format, surrogate
SYSTEM_SCHEMAS = frozenset({"information_schema", "pg_catalog", "system", "temp"})
SYSTEM_PREFIXES = ("duckdb_", "pragma_", "sqlite_", "pg_")
FILE_LIKE = re.compile(r"[./\\:~]")
STATEMENT_NAMES = {"truncatetable": "TRUNCATE", "transaction": "BEGIN"}

# Syntax nodes a query may contain besides functions (functions have their own lists below).
ALLOWED_SYNTAX: frozenset[type[exp.Expr]] = frozenset(
    {
        # queries and their clauses
        exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Subquery, exp.With, exp.CTE,
        exp.From, exp.Join, exp.Lateral, exp.Values, exp.Where, exp.Group, exp.Cube,
        exp.Rollup, exp.GroupingSets, exp.Having, exp.Qualify, exp.Order, exp.Ordered,
        exp.Limit, exp.LimitOptions, exp.Offset, exp.Fetch, exp.Distinct, exp.TableSample,
        exp.Window, exp.WindowSpec, exp.Filter, exp.WithinGroup, exp.IgnoreNulls,
        exp.RespectNulls,
        # names
        exp.Table, exp.TableAlias, exp.Alias, exp.Column, exp.Identifier, exp.Star, exp.Dot,
        # values
        exp.Literal, exp.Boolean, exp.Null, exp.Interval, exp.Var, exp.DataType,
        exp.DataTypeParam, exp.Tuple, exp.Bracket, exp.Slice, exp.Lambda, exp.PropertyEQ,
        # operators
        exp.Paren, exp.Not, exp.Neg, exp.Add, exp.Sub, exp.Mul, exp.Div, exp.IntDiv, exp.Mod,
        exp.DPipe, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ,
        exp.NullSafeNEQ, exp.Is, exp.In, exp.Between, exp.Like, exp.ILike, exp.SimilarTo,
        exp.Escape, exp.Any, exp.All,
    }
)  # fmt: skip

# Functions known to sqlglot that are safe: pure scalar, aggregate and window functions.
ALLOWED_FUNCTIONS: frozenset[type[exp.Func]] = frozenset(
    {
        # logic and conditionals
        exp.And, exp.Or, exp.Case, exp.If, exp.Coalesce, exp.Nullif, exp.Greatest, exp.Least,
        exp.Cast, exp.TryCast, exp.Exists, exp.Collate, exp.IsNan, exp.IsInf,
        # aggregates
        exp.Sum, exp.Avg, exp.Count, exp.CountIf, exp.Min, exp.Max, exp.Median, exp.Mode,
        exp.Quantile, exp.ApproxQuantile, exp.PercentileCont, exp.PercentileDisc, exp.Stddev,
        exp.StddevPop, exp.StddevSamp, exp.Variance, exp.VariancePop, exp.Corr, exp.CovarPop,
        exp.CovarSamp, exp.RegrSlope, exp.RegrIntercept, exp.Kurtosis, exp.Skewness,
        exp.ArgMax, exp.ArgMin, exp.AnyValue, exp.First, exp.Last, exp.ArrayAgg,
        exp.GroupConcat, exp.LogicalAnd, exp.LogicalOr, exp.ApproxDistinct,
        # window functions
        exp.RowNumber, exp.Rank, exp.DenseRank, exp.PercentRank, exp.CumeDist, exp.Ntile,
        exp.Lag, exp.Lead, exp.FirstValue, exp.LastValue, exp.NthValue,
        # numbers
        exp.Abs, exp.Ceil, exp.Floor, exp.Round, exp.Trunc, exp.Sign, exp.Sqrt, exp.Cbrt,
        exp.Exp, exp.Ln, exp.Log, exp.Pow, exp.Pi,
        # text
        exp.Upper, exp.Lower, exp.Length, exp.Substring, exp.Concat, exp.ConcatWs, exp.Trim,
        exp.Replace, exp.Translate, exp.StrPosition, exp.Left, exp.Right, exp.Pad,
        exp.Reverse, exp.Initcap, exp.Contains, exp.StartsWith, exp.EndsWith, exp.Split,
        exp.SplitPart, exp.RegexpLike, exp.RegexpExtract, exp.RegexpReplace,
        exp.RegexpFullMatch, exp.Levenshtein, exp.JarowinklerSimilarity, exp.Format,
        exp.Ascii, exp.Chr, exp.Unicode,
        # dates and times
        exp.CurrentDate, exp.CurrentTimestamp, exp.Extract, exp.DateTrunc,
        exp.TimestampTrunc, exp.DateAdd, exp.DateSub, exp.DateDiff, exp.Year, exp.Month,
        exp.Day, exp.Quarter, exp.Week, exp.Dayname, exp.Monthname, exp.LastDay,
        exp.TimeToStr, exp.StrToTime, exp.TimeToUnix, exp.UnixToTime, exp.DateFromParts,
        # lists and structs
        exp.Array, exp.Struct, exp.StructExtract, exp.ArraySize, exp.ArrayContains,
        exp.ArraySort, exp.ArrayToString, exp.Explode, exp.Unnest,
    }
)  # fmt: skip

# DuckDB functions sqlglot does not know (parsed as exp.Anonymous), by lower-case name.
ALLOWED_DUCKDB_FUNCTIONS: frozenset[str] = frozenset(
    {
        "age", "date_part", "datepart", "printf", "round_even", "isfinite", "strip_accents",
        "nfc_normalize", "damerau_levenshtein", "jaccard", "hamming", "prefix", "suffix",
        "try_strptime", "now", "list_extract", "list_element", "mean", "product", "fsum",
        "favg", "arbitrary",
    }
)  # fmt: skip


# --- sizes: functions that can build far more than they are given (issue 17) ----------------
# One DuckDB function can build gigabytes in a single step that no interrupt stops
# (`lpad('x', 2000000000, 'y')`). Every allowed function that returns text, a list or a
# struct is in exactly one of the tables below; tests/assistant/test_validate.py reads DuckDB's
# own function list to check that. Keys are sqlglot classes, or DuckDB names for the functions
# sqlglot does not know.

MAX_SIZE_ARGUMENT = 1000  # the largest length, width or count a query may ask a function for
MAX_GROWING_TEXT = 100  # the longest literal text a multiplying function may be given

# Lengths and counts: each named argument must be a whole-number literal ≤ MAX_SIZE_ARGUMENT.
SIZE_ARGUMENTS: dict[type[exp.Func] | str, tuple[str, ...]] = {
    exp.Pad: ("expression",),  # lpad/rpad(text, LENGTH, fill)
    exp.Max: ("count",),  # max(x, N): the N largest values, as a list
    exp.Min: ("count",),
    exp.ArgMax: ("count",),  # arg_max(x, y, N), max_by
    exp.ArgMin: ("count",),
}

# Format strings: a literal, whose widths and precisions are at most MAX_SIZE_ARGUMENT.
FORMAT_ARGUMENTS: dict[type[exp.Func] | str, str] = {
    exp.Format: "this",  # format('{:>10}', x)
    "printf": "expressions",  # printf('%10d', x): the first of the expressions
}

# Results that multiply with the size of the arguments: splitting (a list element per piece),
# replacing, joining a list, collecting rows, and strftime's format. Their arguments may hold no
# function that builds (`BUILDS`), nor a column one built, and literal text ≤ MAX_GROWING_TEXT.
MULTIPLIES: frozenset[type[exp.Func] | str] = frozenset(
    {
        exp.Split, exp.Replace, exp.RegexpReplace, exp.ArrayToString, exp.GroupConcat,
        exp.ArrayAgg, exp.TimeToStr,
    }
)  # fmt: skip

# Edit distances: time or memory grows with the product of the two lengths (damerau_levenshtein
# on two 15 000-character strings takes 2 GB). The same rule as `MULTIPLIES`.
QUADRATIC: frozenset[type[exp.Func] | str] = frozenset(
    {exp.Levenshtein, exp.JarowinklerSimilarity, "damerau_levenshtein", "hamming", "jaccard"}
)

# Every function that can return much more than it was given.
BUILDS: frozenset[type[exp.Func] | str] = frozenset(
    {*SIZE_ARGUMENTS, *FORMAT_ARGUMENTS, *MULTIPLIES}
)

# Returns text, a list or a struct no longer than its arguments together: nothing to limit.
BOUNDED: frozenset[type[exp.Func] | str] = frozenset(
    {
        exp.Array, exp.ArraySort, exp.Struct, exp.StructExtract, exp.Chr, exp.Concat,
        exp.ConcatWs, exp.Left, exp.Right, exp.Substring, exp.SplitPart, exp.RegexpExtract,
        exp.Lower, exp.Upper, exp.Trim, exp.Reverse, exp.Translate, exp.Dayname,
        exp.Monthname, exp.First, exp.Last, exp.AnyValue, exp.Median, exp.Mode,
        exp.Quantile, exp.PercentileDisc, exp.ApproxQuantile, exp.Greatest, exp.Least,
        exp.Coalesce, exp.If, exp.Nullif, exp.Case, exp.Cast, exp.TryCast, exp.DateAdd,
        exp.Lag, exp.Lead, exp.FirstValue, exp.LastValue, exp.NthValue, "arbitrary",
        "list_extract", "list_element", "nfc_normalize", "strip_accents", "date_part",
        "datepart", "prefix", "suffix",
    }
)  # fmt: skip


def schema_text(tables: Mapping[str, Mapping[str, str]] = ALL_TABLES) -> str:
    """The tables a query may read, one line each with their columns and types (for the
    language model's prompt and the Egen SQL page).

    >>> schema_text({"finans": {"aar": "INTEGER", "kommunenr": "VARCHAR"}})
    '- finans(aar INTEGER, kommunenr VARCHAR)'
    """
    return "\n".join(
        f"- {table}({', '.join(f'{c} {t}' for c, t in columns.items())})"
        for table, columns in tables.items()
    )
