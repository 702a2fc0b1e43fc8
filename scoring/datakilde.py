"""The `datakilde` table: for every table, measure and year, where its numbers come from.

One row per (tabell, maal, aar). `maal` is the column for wide tables (`finans`, `befolkning`,
`kommune`), the key for long ones (`kostnad`: the service; `indikatorverdi` and `indikatorskaar`:
the indicator; `raadata`: the variable; `behovsindeks`: the service; `regnskap` and
`regnskap_aggregat`: the measure key) and `indekstype:tjeneste` for `indeks`. A derived number
takes the worst status of the inputs it is computed from (`scoring.inndata`): real only if every
input is real, demo if any input is demo.
"""

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from scoring import reference, regnskap
from scoring.config import Config
from scoring.contract import ALL_TABLES, ALLE, KOSTNADSTJENESTER
from scoring.inndata import INNBYGGERE, behov, index_inputs
from scoring.kilde import DEMO, Kilde, describe, worst

COLUMNS = list(ALL_TABLES["datakilde"])


@dataclass(frozen=True)
class Opphav:
    """Where one input's numbers for one year come from (several sources when mixed)."""

    kilder: tuple[Kilde, ...]

    @property
    def status(self) -> str:
        return worst(k.status for k in self.kilder)

    def row(self, tabell: str, maal: str, aar: int, hentet: datetime) -> dict:
        status = self.status
        kilder = sorted({k.kilde for k in self.kilder})
        if status == "demo":
            kreditering = DEMO.kreditering
        else:
            names = {k.kreditering.removeprefix("Kilde: ") for k in self.kilder}
            # SSB first, the way the label is read: «Kilde: SSB (KOSTRA), …».
            kreditering = "Kilde: " + ", ".join(sorted(names, key=lambda n: (not n.startswith("SSB"), n)))
        return {
            "kilde": "; ".join(kilder),
            "aar": aar,
            "hentet": hentet,
            "er_demodata": status == "demo",
            "tabell": tabell,
            "maal": maal,
            "status": status,
            "kreditering": kreditering,
            "ssb_tabell": _joined(k.ssb_tabell for k in self.kilder),
            "lisens": _joined(k.lisens for k in self.kilder),
        }


def _joined(values) -> str | None:
    found = sorted({v for v in values if v})
    return ", ".join(found) or None


def merge(parts) -> Opphav | None:
    """The provenance of a number computed from these inputs (missing ones ignored)."""
    kilder = tuple(dict.fromkeys(k for p in parts if p is not None for k in p.kilder))
    return Opphav(kilder) if kilder else None


def input_provenance(
    raadata: pd.DataFrame, behovsindeks: pd.DataFrame, kilder: dict[str, Kilde]
) -> dict[tuple[str, int], Opphav]:
    """Per (input, year): the sources of the rows that have a value."""
    out: dict[tuple[str, int], Opphav] = {}
    rows = raadata[raadata["verdi"].notna()][["variabel", "aar", "kilde"]].drop_duplicates()
    for (variabel, aar), group in rows.groupby(["variabel", "aar"]):
        out[(variabel, int(aar))] = Opphav(tuple(_kilde(k, kilder) for k in sorted(group["kilde"])))
    need = behovsindeks[["tjeneste", "aar", "behovskilde"]].drop_duplicates()
    for (tjeneste, aar), group in need.groupby(["tjeneste", "aar"]):
        fallback = group["behovskilde"].str.contains("reserve")
        found = [reference.BEHOV] + ([reference.BEHOV_RESERVE] if fallback.any() else [])
        out[(behov(tjeneste), int(aar))] = Opphav(tuple(found))
    return out


def _kilde(text: str, kilder: dict[str, Kilde]) -> Kilde:
    return kilder.get(text) or describe(text)


def datakilde(
    tables: dict[str, pd.DataFrame],
    inputs: dict[tuple[str, int], Opphav],
    config: Config,
    hentet: datetime,
) -> pd.DataFrame:
    """The `datakilde` table for the built `tables`."""
    years = sorted({aar for _, aar in inputs})
    rows: list[dict] = []

    def add(tabell: str, maal: str, aar: int, keys) -> None:
        found = merge(inputs.get((k, aar)) for k in keys)
        if found is not None:
            rows.append(found.row(tabell, maal, aar, hentet))

    indices = index_inputs(config)
    cost_inputs = {t: indices[f"kostnad:{t}"] for t in (*KOSTNADSTJENESTER, ALLE)}
    for aar in years:
        add("befolkning", "innbyggere", aar, [INNBYGGERE])
        for col in ("netto_driftsresultat_pst", "netto_lanegjeld_pst", "disposisjonsfond_pst"):
            add("finans", col, aar, [f"finans.{col}"])
        for tjeneste, keys in cost_inputs.items():
            add("kostnad", tjeneste, aar, keys)
        for t in KOSTNADSTJENESTER:
            add("behovsindeks", t, aar, [behov(t)])
        for i in config.indikatorer:
            add("indikatorverdi", i.indikator, aar, [f"indikator.{i.indikator}"])
            if i.gruppe == "kvalitet":
                add("indikatorskaar", i.indikator, aar, [f"indikator.{i.indikator}"])
        for index, keys in indices.items():
            add("indeks", index, aar, keys)
    for (variabel, aar), found in inputs.items():
        if not variabel.startswith("behovsindeks."):
            rows.append(found.row("raadata", variabel, aar, hentet))
    rows += _fixed_rows(tables, years, hentet)
    return pd.DataFrame(rows, columns=COLUMNS).sort_values(["tabell", "maal", "aar"])


def _fixed_rows(tables: dict[str, pd.DataFrame], years: list[int], hentet: datetime) -> list[dict]:
    """Tables copied as they are from one source: the real accounts and the register."""
    rows = []
    for tabell in ("regnskap", "regnskap_aggregat"):
        if tabell in tables:
            for (maal, aar), _ in tables[tabell].groupby(["maal", "aar"]):
                rows.append(Opphav((regnskap.KILDE,)).row(tabell, maal, int(aar), hentet))
    for maal in ("kostragruppe", "sentralitet"):
        rows += [Opphav((reference.KOMMUNE,)).row("kommune", maal, aar, hentet) for aar in years]
    return rows
