"""Step 3: parse SSB's JSON-stat2 bodies: data into a tidy frame, metadata into `TabellMeta`.

A body that is HTML, truncated JSON or not a JSON-stat2 dataset is a DataError, so the client
never caches it.
"""

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.errors import DataError

MISSING_SYMBOLS = frozenset({".", "..", ":", "…"})  # SSB: not possible, not available, confidential


@dataclass(frozen=True)
class TabellMeta:
    tabell: str
    dimensjoner: dict[str, dict[str, str]]  # dimension -> {code: label}, in SSB's order
    eliminerbar: dict[str, bool]
    geo: str | None


def parse_jsonstat(text: str, table: str) -> pd.DataFrame:
    """A JSON-stat2 dataset as a tidy frame: one column per dimension, `value` and `status`.

    Null values and the status symbols `.`, `..` and `:` stay as rows with a missing value.

    >>> body = ('{"class": "dataset", "id": ["Region", "Tid"], "size": [2, 1], "dimension": {'
    ...   '"Region": {"category": {"index": {"0301": 0, "4601": 1}}},'
    ...   '"Tid": {"category": {"index": ["2024"]}}}, "value": [81240, null], "status": {"1": ".."}}')
    >>> parse_jsonstat(body, "12134").values.tolist()
    [['0301', '2024', 81240.0, None], ['4601', '2024', nan, '..']]
    """
    data = _load_json(text, table)
    dims = _dimension_codes(data, table, sized=True)
    n = math.prod(len(codes) for codes in dims.values())
    values = _values(data.get("value"), n, table)
    status = _status(data.get("status"), n)
    if dims:
        frame = pd.MultiIndex.from_product(list(dims.values()), names=list(dims)).to_frame(
            index=False
        )
    else:
        frame = pd.DataFrame(index=range(n))
    frame["value"] = values
    frame["status"] = pd.Series(status, dtype=object)
    frame.loc[frame["status"].isin(MISSING_SYMBOLS), "value"] = np.nan
    return frame


def parse_metadata(text: str, table: str) -> TabellMeta:
    """The dimensions and codes of a table from its JSON-stat2 metadata (no values)."""
    data = _load_json(text, table)
    dims = _dimension_codes(data, table, sized=False)
    labels, elimination = {}, {}
    for dim, codes in dims.items():
        spec = data["dimension"][dim]
        names = spec["category"].get("label") or {}
        labels[dim] = {c: str(names.get(c, c)) for c in codes}
        elimination[dim] = bool((spec.get("extension") or {}).get("elimination", True))
    geo = (data.get("role") or {}).get("geo") or [None]
    return TabellMeta(table, labels, elimination, geo[0])


def _load_json(text: str, table: str) -> dict:
    if text.lstrip().startswith("<"):
        raise DataError(f"SSB svarte med en HTML-side, ikke JSON-stat2, for tabell {table}.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError(
            f"Svaret fra SSB for tabell {table} er ikke gyldig JSON ({err.msg}, "
            f"tegn {err.pos}); det kan være avkortet."
        ) from err
    if not isinstance(data, dict) or data.get("class") != "dataset":
        cls = data.get("class") if isinstance(data, dict) else type(data).__name__
        raise DataError(
            f"Svaret fra SSB for tabell {table} er ikke et JSON-stat2-datasett (class={cls!r})."
        )
    return data


def _dimension_codes(data: dict, table: str, sized: bool) -> dict[str, list[str]]:
    dims = data.get("dimension")
    ids = data.get("id", list(dims) if isinstance(dims, dict) else None)
    sizes = data.get("size") if sized else [None] * len(ids or [])
    if (
        not isinstance(dims, dict)
        or not isinstance(ids, list)
        or not isinstance(sizes, list)
        or len(ids) != len(sizes)
    ):
        raise DataError(
            f"Svaret fra SSB for tabell {table} mangler gyldige «id», «size» eller «dimension»."
        )
    out = {}
    for dim, size in zip(ids, sizes):
        spec = dims.get(dim)
        category = spec.get("category") if isinstance(spec, dict) else None
        if not isinstance(category, dict):
            raise DataError(
                f"Svaret fra SSB for tabell {table}: dimensjonen {dim} mangler kategorier."
            )
        codes = _category_codes(category)
        if size is not None and len(codes) != size:
            raise DataError(
                f"Svaret fra SSB for tabell {table}: dimensjonen {dim} har {len(codes)} "
                f"koder, men «size» sier {size}."
            )
        out[dim] = codes
    return out


def _category_codes(category: dict) -> list[str]:
    index = category.get("index")
    if isinstance(index, list):
        return [str(c) for c in index]
    if isinstance(index, dict):
        return [str(c) for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
    return [str(c) for c in category.get("label") or {}]  # JSON-stat allows no index for size 1


def _values(raw, n: int, table: str) -> list[float]:
    if isinstance(raw, dict):  # the sparse form {"index": value}
        dense = [None] * n
        for key, value in raw.items():
            if not str(key).isdigit() or int(key) >= n:
                raise DataError(
                    f"Svaret fra SSB for tabell {table} har verdi-indeks {key} utenfor {n}."
                )
            dense[int(key)] = value
        raw = dense
    if not isinstance(raw, list) or len(raw) != n:
        got = len(raw) if isinstance(raw, list) else type(raw).__name__
        raise DataError(
            f"Svaret fra SSB for tabell {table} har {got} verdier, men dimensjonene gir {n}."
        )
    return [_number(v, table) for v in raw]


def _number(value, table: str) -> float:
    if value is None or (isinstance(value, str) and value in MISSING_SYMBOLS):
        return np.nan
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise DataError(f"Svaret fra SSB for tabell {table} har en ugyldig verdi: {value!r}.")
    try:
        return float(value)
    except ValueError as err:
        raise DataError(
            f"Svaret fra SSB for tabell {table} har en ugyldig verdi: {value!r}."
        ) from err


def _status(raw, n: int) -> list[str | None]:
    if isinstance(raw, str):
        return [raw] * n
    if isinstance(raw, list):
        return (list(raw) + [None] * n)[:n]
    out: list[str | None] = [None] * n
    for key, symbol in (raw or {}).items():
        if str(key).isdigit() and int(key) < n:
            out[int(key)] = symbol
    return out
