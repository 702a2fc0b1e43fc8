"""The build report: one line on what was built, then which inputs are real, estimated from real
figures, demo data or missing, and where real figures do not cover every municipality."""

from pathlib import Path

import pandas as pd

from scoring.datastatus import GRUPPENAVN, years_text
from scoring.inndata import inndata

STATUSLINJE = {
    "ekte": "Ekte tall",
    "estimat": "Beregnet fra ekte tall",
    "demo": "Demodata",
    "mangler": "Mangler",
}


def byggerapport(state, db_path: Path, secs: float) -> str:
    """The Norwegian report `build()` returns and `kommuneindeks build` prints."""
    status: pd.DataFrame = state.tables["datastatus"]
    # Population and need indices are always real; KOSTRA data means the KOSTRA inputs.
    found = set(status.loc[~status["gruppe"].isin(["befolkning", "behovsindeks"]), "status"])
    kilde = (
        "demodata"
        if found <= {"demo", "mangler"}
        else "KOSTRA-data og demodata"
        if "demo" in found
        else "KOSTRA-data"
    )
    n = state.tables["kommune"].shape[0]
    lines = [
        f"Bygde {db_path} med {kilde} for {n} kommuner, år {years_text(state.years)}, "
        f"på {secs:.1f} s."
    ]
    kort = {i.noekkel: i.kort for i in inndata(state.config)}
    for key, label in STATUSLINJE.items():
        parts = _parts(status[status["status"] == key], status, kort)
        if parts:
            lines.append(f"{label}: {'; '.join(parts)}.")
    lines += _gaps(status)
    lines += [f"Advarsel: {a}" for a in state.advarsler]
    return "\n".join(lines)


def _parts(rows: pd.DataFrame, status: pd.DataFrame, kort: dict[str, str]) -> list[str]:
    """Per input group: which inputs (by name when few, else how many) and which years."""
    parts = []
    all_years = set(status["aar"])
    for gruppe, group in rows.groupby("gruppe", sort=False):
        names = [kort[k] for k in dict.fromkeys(group["inndata"])]
        total = status.loc[status["gruppe"] == gruppe, "inndata"].nunique()
        what = GRUPPENAVN[gruppe]
        if len(names) < total:
            what += f" ({', '.join(names)})" if len(names) <= 7 else f" ({len(names)} av {total})"
        years = set(group["aar"])
        if years != all_years:
            what += f" {years_text(years)}"
        parts.append(what)
    return parts


def and_list(items: list[str]) -> str:
    """
    >>> and_list(["a"]), and_list(["a", "b", "c"])
    ('a', 'a, b og c')
    """
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}"


def _gaps(status: pd.DataFrame) -> list[str]:
    """Real figures that do not cover every municipality (those are left unranked)."""
    partial = status[status["status"].isin(["ekte", "estimat"]) & (status["dekning"] < 1)]
    if partial.empty:
        return []
    lines = []
    total = round(partial["antall_kommuner"].iloc[0] / partial["dekning"].iloc[0])
    for antall, rows in partial.groupby("antall_kommuner", sort=False):
        groups = and_list([GRUPPENAVN[g] for g in dict.fromkeys(rows["gruppe"])])
        lines.append(
            f"Ufullstendig: {groups} {years_text(rows['aar'])} har tall for {antall} av "
            f"{total} kommuner (de andre står uten verdi og rang der tallene trengs)."
        )
    return lines
