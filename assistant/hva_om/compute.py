"""Recompute and describe a what-if ("Hva om …?"): one handler per kind of change.

`compute_hva_om` reads the change of a what-if question (`read.py`), loads the year's stored
tables (`data.py`), applies the change in memory, recomputes the indices with the build's own
functions (`scoring.hva_om`) and describes the ranks before and after (`text.py`).
`compute_hva_om_tjenester` is the same machinery for the app's sliders (a percentage per service).
The database is never written; `make bench` times one what-if question.
"""

import dataclasses
from dataclasses import dataclass
from typing import Any

import pandas as pd

from assistant.chart import hva_om_chart
from assistant.errors import NotUnderstood
from assistant.hva_om.change import Case, cost_changes, indicator_change, scope_services
from assistant.hva_om.data import default_arsverk, grunnlag_for
from assistant.hva_om.read import EKSEMPLER_HVA_OM, Endring, read_endring
from assistant.hva_om.text import (
    arsverk_count,
    money_text,
    per_innbygger,
    plass,
    ranks_text,
    savings_line,
    scope_name,
    signed_percent,
    suggestions,
)
from assistant.query.execute import Sandbox
from assistant.text.formatting import kroner, tall
from assistant.understand.context import Context
from assistant.understand.frame import Frame
from scoring.config import default_config
from scoring.contract import ALLE, KOSTNADSTJENESTER
from scoring.hva_om import (
    Recomputation,
    innsparing_kr,
    recompute_with,
    scaled_costs,
)
from scoring.hva_om_solve import solve_cost_factor

COLUMNS = [
    "kommunenr", "kommune", "tjeneste", "indekstype",
    "verdi_for", "verdi_etter", "rang_for", "rang_etter", "antall",
]


@dataclass(frozen=True)
class HvaOm:
    """The result of one what-if: the text, the ranks before and after, and the kroner.

    `rows` follow `columns` (see COLUMNS): per affected index of the municipality, its value
    and rank before and after. `innsparing_kr` is the fall in net operating expenditure of the
    seven services (negative = the municipality would spend more).
    """

    kommunenr: str
    kommune: str
    aar: int
    text: str
    columns: list[str]
    rows: list[list[Any]]
    chart: dict | None
    innsparing_kr: float
    sql: str  # the SELECT of the year's stored costs the recomputation starts from
    suggestions: tuple[str, ...] = ()  # follow-up questions, for an answer in the chat

    @property
    def savings_line(self) -> str:
        """The kroner saved (or spent) in one line, as the app shows it under the text."""
        return savings_line(self.innsparing_kr, self.aar)


def _case(sandbox: Sandbox, ctx: Context, kommunenr: str, aar: int) -> Case:
    return Case(
        g=grunnlag_for(sandbox, aar),
        kommunenr=kommunenr,
        kommune=ctx.names[kommunenr],
        tjenestenavn=ctx.tjenestenavn,
        config=default_config(),
        arsverk=default_arsverk(),
    )


# ---------------------------------------------------------------- before and after


def _groups(tjenester: tuple[str, ...], kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """The (tjeneste, indekstype) pairs an answer shows: the services', then the total's."""
    out = [(t, k) for t in tjenester for k in kinds if t != ALLE]
    return out + [(ALLE, k) for k in kinds] + [(ALLE, "kommuneindeks")]


def before_after(
    base: Recomputation, after: Recomputation, case: Case, groups: list[tuple[str, str]]
) -> list[dict]:
    """The municipality's value and rank on each group, before and after."""
    def own(r: Recomputation) -> pd.DataFrame:
        rows = r.indeks[r.indeks["kommunenr"] == case.kommunenr]
        return rows.set_index(["tjeneste", "indekstype"])

    b, a = own(base), own(after)
    out = []
    for key in groups:
        if key not in b.index:
            continue
        out.append({
            "kommunenr": case.kommunenr, "kommune": case.kommune,
            "tjeneste": key[0], "indekstype": key[1],
            "verdi_for": _num(b.at[key, "verdi"]), "verdi_etter": _num(a.at[key, "verdi"]),
            "rang_for": _int(b.at[key, "rang"]), "rang_etter": _int(a.at[key, "rang"]),
            "antall": _int(a.at[key, "antall"]),
        })
    return out


def _num(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _int(x: Any) -> int | None:
    return None if x is None or pd.isna(x) else int(x)


def _result(case: Case, text: str, records: list[dict], saved: float) -> HvaOm:
    rows = [[r[c] for c in COLUMNS] for r in records]
    chart = hva_om_chart(records, case.tjenestenavn, f"{case.kommune}: før og etter")
    return HvaOm(case.kommunenr, case.kommune, case.g.tables.aar, text, COLUMNS, rows, chart, saved,
                     case.g.sql)


# ---------------------------------------------------------------- cost changes


def _scope_cost(r: Recomputation, case: Case, tjeneste: str) -> float:
    k = r.kostnad
    row = k[(k["kommunenr"] == case.kommunenr) & (k["tjeneste"] == tjeneste)]
    return float(row["behovskorrigert_kr_per_innbygger"].iloc[0])


def _potential(r: Recomputation, case: Case, tjeneste: str) -> float:
    k = r.kostnad
    row = k[(k["kommunenr"] == case.kommunenr) & (k["tjeneste"] == tjeneste)]
    return float(row["innsparingspotensial_kr"].iloc[0])


def _cost_result(what: Endring, case: Case) -> HvaOm:
    changes, clause = cost_changes(what, case)
    base = case.g.base
    after = recompute_with(base, case.g.tables, case.config, cost=changes)
    saved = innsparing_kr(base.kostnad, after.kostnad, case.kommunenr)
    tjenester = scope_services(what.tjeneste, case.tjenestenavn)
    records = before_after(base, after, case, _groups(tjenester, ("kostnad", "effektivitet")))
    scope = what.tjeneste
    cost_text = per_innbygger(_scope_cost(base, case, scope), _scope_cost(after, case, scope))
    text = f"{clause} ({cost_text}), {money_text(saved, case.g.tables.aar)}. "
    text += ranks_text(records, scope, case.kommune, case.tjenestenavn)
    if what.kind != "snitt":
        text += " " + _potential_text(base, after, case, scope)
    return _result(case, text, records, saved)


def _potential_text(base: Recomputation, after: Recomputation, case: Case, scope: str) -> str:
    """ "Mot snittet i kommunegruppe 8 ville kommunen ligget 8,8 mill. kr over (nå 16,3 …)". """
    def gap(x: float) -> str:
        return f"{kroner(abs(x))} {'over' if x >= 0 else 'under'}"

    before, now = _potential(base, case, scope), _potential(after, case, scope)
    return (f"Mot snittet i kommunegruppe {case.gruppe} ville kommunen ligget {gap(now)} "
            f"(nå {gap(before)}).")


# ---------------------------------------------------------------- årsverk, target, indicator


def _arsverk_equivalent(what: Endring, case: Case) -> HvaOm:
    """How many årsverk the kroner of a change (by default: spending like the group) make."""
    basis = what.grunnlag or dataclasses.replace(what, kind="snitt")
    changes, clause = cost_changes(basis, case)
    base = case.g.base
    after = recompute_with(base, case.g.tables, case.config, cost=changes)
    tjenester = scope_services(what.tjeneste, case.tjenestenavn)
    per_service = {
        t: _service_saved(base, after, case, t) / case.arsverk[t] for t in tjenester
    }
    saved = innsparing_kr(base.kostnad, after.kostnad, case.kommunenr)
    count = sum(per_service.values())
    per = (f"à {kroner(case.arsverk[tjenester[0]])}" if len(tjenester) == 1
           else "med kostnaden per årsverk i hver tjeneste")
    name = scope_name(what.tjeneste, case.tjenestenavn)
    aar = case.g.tables.aar
    if basis.kind == "snitt":
        mot = f"snittet i kommunegruppe {case.gruppe}" if basis.snitt == "gruppe" else "landssnittet"
        if saved >= 0:
            head = (f"Innsparingspotensialet i {name} i {case.kommune} er {kroner(saved)} mot {mot} "
                    f"i {aar}. Det tilsvarer {arsverk_count(count)}")
        else:
            head = (f"{case.kommune} bruker {kroner(-saved)} mindre enn {mot} på {name} i {aar}, "
                    f"tilsvarende {arsverk_count(count)}")
    else:
        head = (f"{clause}, {money_text(saved, aar)}. Det tilsvarer {arsverk_count(count)}")
    text = f"{head} ({per}, uten arbeidsgiveravgift; se data/arsverk.toml). "
    records = before_after(base, after, case, _groups(tjenester, ("kostnad", "effektivitet")))
    text += "Med så mye lavere kostnader: " if saved >= 0 else "Med så mye høyere kostnader: "
    text += ranks_text(records, what.tjeneste, case.kommune, case.tjenestenavn)
    return _result(case, text, records, saved)


def _service_saved(base: Recomputation, after: Recomputation, case: Case, tjeneste: str) -> float:
    def spent(r: Recomputation) -> float:
        k = r.kostnad
        row = k[(k["kommunenr"] == case.kommunenr) & (k["tjeneste"] == tjeneste)]
        return float(row["netto_driftsutgifter_kr"].fillna(0.0).sum())

    return spent(base) - spent(after)


def _target_result(what: Endring, case: Case) -> HvaOm:
    """The cost that reaches a rank: a bracketing search (regula falsi) on the need-adjusted cost (scoring.hva_om)."""
    tjenester = scope_services(what.tjeneste, case.tjenestenavn)
    target, rang = what.maal, int(what.tall)
    base, tables = case.g.base, case.g.tables
    now = _rank(base, case, target)
    if now is None:
        raise NotUnderstood(
            f"{case.kommune} er ikke rangert på dette i {tables.aar} (for lite data), "
            "så jeg kan ikke regne ut hva som skal til.", EKSEMPLER_HVA_OM[:3])
    factor = solve_cost_factor(base, tables, case.config, case.kommunenr, tjenester, target, rang)
    reached = factor is not None
    if factor is None:
        factor = _lowest_factor(case, tjenester)
    changes = scaled_costs(base.kostnad, case.kommunenr, tjenester, factor)
    after = recompute_with(base, tables, case.config, cost=changes)
    saved = innsparing_kr(base.kostnad, after.kostnad, case.kommunenr)
    records = before_after(base, after, case, _groups(tjenester, ("kostnad", "effektivitet")))
    cost_now, cost_then = _scope_cost(base, case, what.tjeneste), _scope_cost(after, case, what.tjeneste)
    text = _target_text(case, what, target, rang, now, reached, factor, cost_now, cost_then, saved)
    lead = "Med landets laveste kostnad" if not reached else "Med den kostnaden"
    text += " " + ranks_text(records, what.tjeneste, case.kommune, case.tjenestenavn, lead=lead)
    return _result(case, text, records, saved)


def _rank(r: Recomputation, case: Case, target: tuple[str, str]) -> int | None:
    i = r.indeks
    row = i[(i["kommunenr"] == case.kommunenr) & (i["tjeneste"] == target[0])
            & (i["indekstype"] == target[1])]
    return None if row.empty else _int(row["rang"].iloc[0])


def _lowest_factor(case: Case, tjenester: tuple[str, ...]) -> float:
    k = case.g.base.kostnad
    scope = tjenester[0] if len(tjenester) == 1 else ALLE
    rows = k[k["tjeneste"] == scope].set_index("kommunenr")["behovskorrigert_kr_per_innbygger"]
    return float(rows.min() / rows[case.kommunenr])


def _target_text(case: Case, what: Endring, target: tuple[str, str], rang: int, now: int,
                 reached: bool, factor: float, cost_now: float, cost_then: float,
                 saved: float) -> str:
    on = {"kostnad": "på kostnad", "effektivitet": "på effektivitet",
          "kommuneindeks": "i Kommuneindeksen"}[target[1]]
    where = "" if target[0] == ALLE else f" i {scope_name(target[0], case.tjenestenavn)}"
    goal = f"topp {rang} {on}{where}"
    name = scope_name(what.tjeneste, case.tjenestenavn)
    pct = tall(abs(factor - 1) * 100, 1)
    kr_text = f"{tall(cost_then, 0)} kr per innbygger (behovskorrigert) mot {tall(cost_now, 0)} kr nå"
    if not reached:
        return (f"{case.kommune} når ikke {goal} med lavere kostnader alene: selv med landets "
                f"laveste kostnad i {name} ({tall(cost_then, 0)} kr per innbygger, behovskorrigert) "
                f"ville den ligget på {plass(_rank_after(case, what, factor, target))}. "
                "Da må også kvaliteten opp.")
    if now <= rang:
        if factor <= 1.0 + 1e-9:
            return f"{case.kommune} er allerede på {plass(now)}, innenfor {goal}."
        return (f"{case.kommune} er allerede på {plass(now)}, innenfor {goal}. Kostnaden i {name} "
                f"kunne vært {pct} % høyere, {kr_text}, eller {kroner(-saved)} mer i "
                f"{case.g.tables.aar}, før kommunen faller ut av topp {rang}.")
    return (f"For å komme på {goal} måtte {case.kommune} få kostnaden i {name} ned med {pct} %, "
            f"til {kr_text}. Det er {kroner(saved)} mindre i {case.g.tables.aar}.")


def _rank_after(case: Case, what: Endring, factor: float, target: tuple[str, str]) -> int | None:
    tjenester = scope_services(what.tjeneste, case.tjenestenavn)
    changes = scaled_costs(case.g.base.kostnad, case.kommunenr, tjenester, factor)
    after = recompute_with(case.g.base, case.g.tables, case.config, cost=changes)
    return _rank(after, case, target)


def _indicator_result(what: Endring, case: Case) -> HvaOm:
    change, clause = indicator_change(what, case)
    base = case.g.base
    after = recompute_with(base, case.g.tables, case.config, indicators=[change])
    indikator = next(i for i in case.config.indikatorer if i.indikator == what.indikator)
    tjeneste = indikator.tjeneste
    kinds = ("kvalitet", "effektivitet") if tjeneste in KOSTNADSTJENESTER else ("kvalitet",)
    records = before_after(base, after, case, _groups((tjeneste,), kinds))
    service_records = [r for r in records if r["tjeneste"] in (tjeneste, ALLE)
                       and (r["tjeneste"] != ALLE or r["indekstype"] == "kommuneindeks")]
    text = ranks_text(service_records, tjeneste, case.kommune, case.tjenestenavn, lead=clause)
    if indikator.gruppe == "forklaring":  # not in the quality index: say why nothing moves
        text = (f"{indikator.navn} er en forklaringsindikator: den viser hva som kan ligge bak "
                "kvaliteten, men inngår ikke i kvalitetsindeksen, så en endring i den flytter ingen "
                f"plassering. {text}")
    return _result(case, text, records, 0.0)


HANDLERS = {
    "snitt": _cost_result,
    "prosent": _cost_result,
    "kroner": _cost_result,
    "kr_per_innbygger": _cost_result,
    "arsverk": _cost_result,
    "arsverk_tilsvarer": _arsverk_equivalent,
    "maal": _target_result,
    "indikator": _indicator_result,
}


# ---------------------------------------------------------------- the public entry points


def _named_indekstype(frame: Frame) -> str | None:
    if "indekstyper" in frame.explicit and frame.indekstyper:
        return frame.indekstyper[0]
    return None


def _indicator(frame: Frame, ctx: Context) -> str | None:
    """The indicator a what-if changes: of those named, the first of the named service."""
    same = [i for i in frame.indikatorer if ctx.indikator_tjeneste(i) == frame.tjeneste]
    return (same or list(frame.indikatorer) or [None])[0]


def compute_hva_om(frame: Frame, sandbox: Sandbox, ctx: Context) -> HvaOm:
    """Read, recompute and describe one what-if question (a frame with sporsmaal 'hva_om');
    NotUnderstood (with examples) when it cannot be read."""
    kommunenr = frame.kommuner[0]
    what = read_endring(
        frame.endring, kommunenr, frame.tjeneste, frame.aar, ctx.vocabulary,
        indikator=_indicator(frame, ctx),
        indekstype=_named_indekstype(frame),
    )
    result = HANDLERS[what.kind](what, _case(sandbox, ctx, kommunenr, frame.aar))
    return dataclasses.replace(result, suggestions=suggestions(result.kommune, frame.tjeneste, ctx.tjenestenavn))


def compute_hva_om_tjenester(
    sandbox: Sandbox, ctx: Context, kommunenr: str, aar: int, endringer: dict[str, float]
) -> HvaOm:
    """For the app's sliders: the municipality's indices if each service's cost changed by a
    percentage (`endringer`: service → per cent, e.g. {"pleie_og_omsorg": -10.0}).

    Services left out or at 0 keep their cost. Raises ValueError for a key that is not one of
    the seven cost services.
    """
    unknown = sorted(set(endringer) - set(KOSTNADSTJENESTER))
    if unknown:
        raise ValueError(f"Ikke kostnadstjenester: {', '.join(unknown)}.")
    case = _case(sandbox, ctx, kommunenr, aar)
    base = case.g.base
    changes = [
        c for t, pct in endringer.items() if pct
        for c in scaled_costs(base.kostnad, kommunenr, (t,), 1 + pct / 100)
    ]
    after = recompute_with(base, case.g.tables, case.config, cost=changes)
    saved = innsparing_kr(base.kostnad, after.kostnad, kommunenr)
    records = before_after(base, after, case, _groups(KOSTNADSTJENESTER, ("kostnad", "effektivitet")))
    parts = [f"{_tjenestenavn_lower(case, t)} {signed_percent(p)}" for t, p in endringer.items() if p]
    head = (f"Med kostnadene endret slik i {case.kommune} ({', '.join(parts)}), "
            f"{money_text(saved, aar)}. " if parts else f"Uten endringer for {case.kommune}. ")
    text = head + ranks_text(records, ALLE, case.kommune, case.tjenestenavn)
    return _result(case, text, records, saved)


def _tjenestenavn_lower(case: Case, tjeneste: str) -> str:
    return case.tjenestenavn[tjeneste].lower()
