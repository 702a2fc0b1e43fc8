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
