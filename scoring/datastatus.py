"""The `datastatus` table: each input of the method per year, with its status (ekte, estimat,
demo, mangler), its sources, how many municipalities have a value, which indices it feeds and
which it stops.

`stopper` is, for a missing input, the indices it feeds that cannot be computed now; for a present
one, the indices that could not be computed without it (given the other inputs of that year).
"""

from pathlib import Path

import pandas as pd

from scoring.config import Config
from scoring.contract import ALL_TABLES
from scoring.datakilde import Opphav
from scoring.inndata import computable, describe_indices, feeds, index_order, inndata, stops

COLUMNS = list(ALL_TABLES["datastatus"])
GRUPPENAVN = {
    "befolkning": "innbyggere",
    "utgifter": "netto driftsutgifter",
    "arbeidsgiveravgift": "arbeidsgiveravgift",
    "behovsindeks": "behovsindekser",
    "kvalitet": "kvalitetsindikatorer",
    "forklaring": "forklaringsindikatorer",
    "finans": "finansielle nøkkeltall",
}


def counts(raadata: pd.DataFrame, behovsindeks: pd.DataFrame) -> dict[tuple[str, int], int]:
    """Municipalities with a value, per (input, year)."""
    rows = raadata[raadata["verdi"].notna()]
    out = {(v, int(a)): int(n) for (v, a), n in rows.groupby(["variabel", "aar"]).size().items()}
    need = behovsindeks[behovsindeks["behovsindeks"].notna()]
    out |= {
        (f"behovsindeks.{t}", int(a)): int(n)
        for (t, a), n in need.groupby(["tjeneste", "aar"]).size().items()
    }
    return out


def datastatus(
    inputs: dict[tuple[str, int], Opphav],
    antall: dict[tuple[str, int], int],
    years: list[int],
    n_kommuner: int,
    config: Config,
) -> pd.DataFrame:
    """One row per input and year."""
    rows = []
    for aar in years:
        present = {key for key, year in inputs if year == aar}
        missing = _missing(inputs, aar, config)
        for item in inndata(config):
            found = inputs.get((item.noekkel, aar))
            if found is None:
                stopped = missing[item.noekkel]
            else:
                stopped = stops(present, item.noekkel, config)
            n = antall.get((item.noekkel, aar), 0)
            rows.append(
                {
                    "inndata": item.noekkel,
                    "gruppe": item.gruppe,
                    "navn": item.navn,
                    "aar": aar,
                    "status": found.status if found else "mangler",
                    "kilde": "; ".join(sorted({k.kilde for k in found.kilder})) if found else None,
                    "antall_kommuner": n,
                    "dekning": n / n_kommuner,
                    "brukes_i": describe_indices(feeds(item.noekkel, config), config) or None,
                    "stopper": describe_indices(stopped, config) or None,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def years_text(years) -> str:
    """Years in words: a run as «2022–2024», else a list.

    >>> years_text([2022, 2023, 2024]), years_text([2022, 2024]), years_text([2023])
    ('2022–2024', '2022, 2024', '2023')
    """
    years = sorted(set(years))
    if len(years) > 2 and years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def _names(names: list[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" og {len(names) - limit} til" if len(names) > limit else "")


def _missing(
    inputs: dict[tuple[str, int], Opphav], aar: int, config: Config
) -> dict[str, list[str]]:
    """The inputs missing in `aar` and the indices each of them feeds that cannot be computed."""
    present = {key for key, year in inputs if year == aar}
    possible = computable(present, config)
    out = {}
    for item in inndata(config):
        if item.noekkel not in present:
            out[item.noekkel] = [i for i in feeds(item.noekkel, config) if i not in possible]
    return out


def missing_message(
    inputs: dict[tuple[str, int], Opphav], years: list[int], config: Config, folder: Path | None
) -> str | None:
    """Why a real-data build cannot go on: the missing inputs that stop an index, by group,
    with the indices they stop. None when nothing missing stops anything."""
    items = {i.noekkel: i for i in inndata(config)}
    groups: dict[str, dict] = {}
    for aar in years:
        for key, stopped in _missing(inputs, aar, config).items():
            if stopped:
                g = groups.setdefault(items[key].gruppe, {"navn": {}, "aar": set(), "stopper": set()})
                g["navn"][items[key].navn] = None
                g["aar"].add(aar)
                g["stopper"].update(stopped)
    if not groups:
        return None
    lines = []
    for gruppe, g in groups.items():
        names = list(g["navn"])
        total = sum(1 for i in items.values() if i.gruppe == gruppe)
        what = (
            f"{len(names)} av {total} {GRUPPENAVN[gruppe]} ({_names(names)})"
            if len(names) > 1
            else names[0]
        )
        stopped = describe_indices(sorted(g["stopper"], key=index_order), config)
        lines.append(f"  - {what}, {years_text(g['aar'])}: stopper {stopped}")
    where = f"Rådataene i {folder}" if folder else "Inndataene"
    return (
        f"{where} mangler inndata som indeksene ikke kan beregnes uten:\n"
        + "\n".join(lines)
        + "\nHent eller importer det som mangler (se docs/data.md), eller bygg med --fyll-inn "
        "for å fylle det inn fra de ekte KOSTRA-tallene i data/kostra og demodata "
        "(byggerapporten sier hva som ble brukt)."
    )


OVERSKRIFT = {
    "befolkning": "Befolkning",
    "utgifter": "Netto driftsutgifter per tjeneste",
    "arbeidsgiveravgift": "Arbeidsgiveravgift (AGA)",
    "behovsindeks": "Behovsindekser",
    "kvalitet": "Kvalitetsindikatorer (i kvalitetsindeksen)",
    "forklaring": "Forklaringsindikatorer (ressurser og arbeidsmiljø, ikke i indeksen)",
    "finans": "Finansielle nøkkeltall",
}


def status_text(status: pd.DataFrame, n_kommuner: int) -> str:
    """`kommuneindeks data status` as text: per input its status by year, coverage, and for
    missing inputs what they stop."""
    years = sorted(status["aar"].unique())
    lines = [f"Inndata til Kommuneindeksen, år {years_text(years)} ({n_kommuner} kommuner):"]
    for gruppe, rows in status.groupby("gruppe", sort=False):
        lines += ["", f"{OVERSKRIFT[gruppe]}:"]
        for _, item in rows.groupby("inndata", sort=False):
            lines += _input_lines(item, n_kommuner)
    missing = status[status["status"] == "mangler"]
    if missing.empty:
        lines += ["", "Ingen inndata mangler."]
    return "\n".join(lines)


def _input_lines(item: pd.DataFrame, n_kommuner: int) -> list[str]:
    by_status = [
        f"{s} {years_text(rows['aar'])}" for s, rows in item.groupby("status", sort=False)
    ]
    have = item[item["status"] != "mangler"]
    cover = ""
    if not have.empty:
        low, high = have["antall_kommuner"].min(), have["antall_kommuner"].max()
        cover = f"{low}–{high}" if low < high else f"{high}"
        cover += f" av {n_kommuner} kommuner"
        if low < high:
            short = ", ".join(f"{r.aar}: {r.antall_kommuner}" for r in have.itertuples())
            cover += f" ({short})"
    name = item["navn"].iloc[0]
    out = [f"  {name:<62} {'; '.join(by_status):<22} {cover}".rstrip()]
    stopped = item.loc[item["status"] == "mangler", "stopper"].dropna()
    if not stopped.empty:
        out.append(f"      stopper: {stopped.iloc[0]}")
    return out
