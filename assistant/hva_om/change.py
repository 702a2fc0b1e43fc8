"""A what-if in the terms of the recomputation: which cost or indicator values it sets, and
the "Hvis …" clause that says so in Norwegian."""

import math
from dataclasses import dataclass

import pandas as pd

from assistant.errors import NotUnderstood
from assistant.hva_om.data import Grunnlag
from assistant.hva_om.read import EKSEMPLER_HVA_OM, Endring
from assistant.hva_om.text import scope_name, signed_percent
from assistant.text.formatting import kroner, tall, verdi_med_enhet
from scoring.config import Config
from scoring.contract import ALLE, KOSTNADSTJENESTER
from scoring.hva_om import CostChange, IndicatorChange, national_mean, scaled_costs


@dataclass(frozen=True)
class Case:
    """One what-if case, what every handler needs: the municipality, the year's tables, the
    services' names and the configuration."""

    g: Grunnlag
    kommunenr: str
    kommune: str
    tjenestenavn: dict[str, str]
    config: Config
    arsverk: dict[str, float]

    @property
    def gruppe(self) -> int:
        return self.g.kostragruppe[self.kommunenr]


def scope_services(tjeneste: str, tjenestenavn: dict[str, str]) -> tuple[str, ...]:
    """The cost services a change applies to: one, or all seven for 'alle'."""
    if tjeneste == ALLE:
        return KOSTNADSTJENESTER
    if tjeneste not in KOSTNADSTJENESTER:
        raise NotUnderstood(
            f"{tjenestenavn.get(tjeneste, tjeneste)} har bare kvalitetsindeks i Kommuneindeksen, "
            "så kostnaden kan ikke endres der. Kostnad finnes for grunnskole, barnehage, "
            "barnevern, pleie og omsorg, helse, sosial og administrasjon.",
            EKSEMPLER_HVA_OM[:3],
        )
    return (tjeneste,)


def _own(case: Case, tjenester: tuple[str, ...]) -> pd.DataFrame:
    k = case.g.base.kostnad
    rows = k[(k["kommunenr"] == case.kommunenr) & k["tjeneste"].isin(tjenester)]
    return rows.dropna(subset=["behovskorrigert_kr_per_innbygger"]).set_index("tjeneste")


def cost_changes(what: Endring, case: Case) -> tuple[list[CostChange], str]:
    """The cost changes a what-if means, and its "Hvis …" clause. An average sets each
    service's need-adjusted cost; every other change moves the scope's kr per inhabitant to a
    new level, shared over the services in proportion to what they cost."""
    tjenester = scope_services(what.tjeneste, case.tjenestenavn)
    own = _own(case, tjenester)
    if own.empty:
        raise NotUnderstood(f"{case.kommune} mangler kostnadstall for dette i {case.g.tables.aar}.")
    name = scope_name(what.tjeneste, case.tjenestenavn)
    if what.kind == "snitt":
        return _to_average(what, case, own, name)
    old = float(own["kr_per_innbygger"].sum())
    new, clause = _new_level(what, case, old, name, tjenester)
    if new <= 0:
        raise NotUnderstood("Kostnaden kan ikke bli null eller negativ. Prøv et mindre kutt.",
                            EKSEMPLER_HVA_OM[:3])
    return scaled_costs(case.g.base.kostnad, case.kommunenr, tjenester, new / old), clause


def _to_average(what: Endring, case: Case, own: pd.DataFrame, name: str) -> tuple[list[CostChange], str]:
    """Each service at the KOSTRA group's average (own group: the stored one), or the nation's."""
    if what.snitt == "gruppe":
        gruppe = what.gruppe or case.gruppe
        values = (own["gruppesnitt_kr_per_innbygger"].to_dict() if gruppe == case.gruppe
                  else _group_means(case, gruppe, tuple(own.index)))
        clause = f"Hvis {name} i {case.kommune} kostet som snittet i kommunegruppe {gruppe}"
    else:
        sd = case.config.vekter.uteligger_sd
        values = {t: national_mean(case.g.base.kostnad, t, sd) for t in own.index}
        clause = f"Hvis {name} i {case.kommune} kostet som landssnittet"
    return [CostChange(case.kommunenr, t, float(b)) for t, b in values.items()], clause


def _new_level(
    what: Endring, case: Case, old: float, name: str, tjenester: tuple[str, ...]
) -> tuple[float, str]:
    """The scope's new kr per inhabitant (not need-adjusted) and the clause that says why."""
    innb = float(case.g.tables.befolkning.set_index("kommunenr").at[case.kommunenr, "innbyggere"])
    word = "mindre" if what.tall < 0 else "mer"
    if what.kind == "prosent":
        return old * (1 + what.tall / 100), f"Hvis {name} i {case.kommune} kostet {signed_percent(what.tall)}"
    if what.kind == "kroner":
        return (old + what.tall / innb,
                f"Hvis {case.kommune} brukte {kroner(abs(what.tall))} {word} på {name}")
    if what.kind == "arsverk":
        return old + _arsverk_kroner(what, case, tjenester) / innb, _arsverk_clause(what, case, name)
    if what.sett_til:
        return what.tall, (f"Hvis {case.kommune} brukte {tall(what.tall, 0)} kr per innbygger på "
                           f"{name} i stedet for {tall(old, 0)} kr")
    return old + what.tall, (f"Hvis {case.kommune} brukte {tall(abs(what.tall), 0)} kr {word} "
                             f"per innbygger på {name}")


def _group_means(case: Case, gruppe: int, tjenester: tuple[str, ...]) -> dict[str, float]:
    """The simple mean need-adjusted cost per service in another KOSTRA group (as the build's
    own group averages are simple means)."""
    members = [k for k, g in case.g.kostragruppe.items() if g == gruppe]
    if not members:
        raise NotUnderstood(f"Kommunegruppe {gruppe} finnes ikke. Gruppene er nummerert 1–17.")
    k = case.g.base.kostnad
    rows = k[k["kommunenr"].isin(members) & k["tjeneste"].isin(tjenester)]
    return rows.groupby("tjeneste")["behovskorrigert_kr_per_innbygger"].mean().to_dict()


def _arsverk_kroner(what: Endring, case: Case, tjenester: tuple[str, ...]) -> float:
    if len(tjenester) > 1:
        raise NotUnderstood(
            "Et årsverk koster ulikt i de ulike tjenestene. Hvilken tjeneste gjelder det? "
            "Skriv for eksempel «10 færre årsverk i hjemmetjenesten i Sør-Varanger».",
            [EKSEMPLER_HVA_OM[3]],
        )
    return what.tall * case.arsverk[tjenester[0]]


def _arsverk_clause(what: Endring, case: Case, name: str) -> str:
    count = tall(abs(what.tall), 0 if what.tall == int(what.tall) else 1)
    word = "færre" if what.tall < 0 else "flere"
    per = kroner(case.arsverk[what.tjeneste])
    return f"Med {count} {word} årsverk i {name} i {case.kommune}, à {per} uten arbeidsgiveravgift"


def indicator_change(what: Endring, case: Case) -> tuple[IndicatorChange, str]:
    """The new indicator value a what-if means, and its "Hvis …" clause."""
    navn, enhet, hoyere = case.g.indikatorer[what.indikator]
    v = case.g.base.verdier
    rows = v[v["indikator"] == what.indikator]
    own = rows.loc[rows["kommunenr"] == case.kommunenr, "verdi"]
    old = float(own.iloc[0]) if not own.empty and pd.notna(own.iloc[0]) else math.nan
    label = navn[:1].lower() + navn[1:]
    if what.sett_til:
        new = what.tall if not math.isnan(what.tall) else _indicator_mean(rows, case, what.snitt)
    elif math.isnan(old):
        raise NotUnderstood(
            f"{case.kommune} mangler tall for {label} i {case.g.tables.aar}, så jeg kan ikke endre "
            "den med et tall. Skriv heller hva verdien skulle vært, for eksempel «var 45».",
            EKSEMPLER_HVA_OM[1:3])
    else:
        delta = what.tall * (-1 if what.mot_bedre and not hoyere else 1)
        relative = what.enhet == "prosent" and enhet != "prosent"
        new = old * (1 + delta / 100) if relative else old + delta
    was = verdi_med_enhet(old, enhet) if not math.isnan(old) else "ingen verdi"
    clause = f"Hvis {label} i {case.kommune} var {verdi_med_enhet(new, enhet)} i stedet for {was}"
    return IndicatorChange(case.kommunenr, what.indikator, new), clause


def _indicator_mean(rows: pd.DataFrame, case: Case, snitt: str) -> float:
    if snitt == "land":
        return float(rows["verdi"].mean())
    group = [k for k, g in case.g.kostragruppe.items() if g == case.gruppe]
    return float(rows.loc[rows["kommunenr"].isin(group), "verdi"].mean())
