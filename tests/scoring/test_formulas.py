"""Each formula of docs/metode.md, checked by hand on five municipalities."""

import dataclasses

import pandas as pd
import pytest

from scoring.config import default_config
from scoring.contract import KOSTNADSTJENESTER
from scoring.effektivitet import effektivitetsindeks
from scoring.finans import finansindeks
from scoring.kommuneindeks import kommuneindeks
from scoring.kostnad import compute_kostnad, kostnadsindeks
from scoring.kvalitet import indikatorskaar, kvalitetsindeks
from scoring.rang import rank_groups

NR = ["A", "B", "C", "D", "E"]
GROUP = {"A": 1, "B": 1, "C": 1, "D": 2, "E": 2}


def raw(rows: list[tuple[str, str, float]], aar: int = 2024) -> pd.DataFrame:
    return pd.DataFrame(
        [(aar, nr, var, v, "test") for nr, var, v in rows],
        columns=["aar", "kommunenr", "variabel", "verdi", "kilde"],
    )


@pytest.fixture
def config():
    return default_config()


@pytest.fixture
def kommuner():
    return pd.DataFrame({"kommunenr": NR, "kostragruppe": [GROUP[n] for n in NR]})


def cost_case(kommuner, services=("grunnskole",)):
    # Net incl. employer's tax minus 1 mill. AGA: 10, 12.5, 8, 20 and 12 mill.; 1 000 inhabitants.
    netto = {"A": 11e6, "B": 13.5e6, "C": 9e6, "D": 21e6, "E": 13e6}
    behov = {"A": 1.0, "B": 1.25, "C": 0.8, "D": 1.0, "E": 1.0}
    rows = [(n, "innbyggere", 1000.0) for n in NR]
    need = []
    for s in services:
        rows += [(n, f"netto_driftsutgifter.{s}", netto[n]) for n in NR]
        rows += [(n, f"arbeidsgiveravgift.{s}", 1e6) for n in NR]
        need += [(2024, n, s, behov[n]) for n in NR]
    behovsindeks = pd.DataFrame(need, columns=["aar", "kommunenr", "tjeneste", "behovsindeks"])
    return compute_kostnad(raw(rows), behovsindeks, kommuner)


def by_nr(df: pd.DataFrame, column: str, tjeneste: str = "grunnskole") -> dict:
    rows = df[df["tjeneste"] == tjeneste]
    return dict(zip(rows["kommunenr"], rows[column].round(4)))


def test_need_adjusted_cost_excludes_employers_tax_and_divides_by_need(kommuner):
    k = cost_case(kommuner)
    assert by_nr(k, "kr_per_innbygger") == {"A": 10000, "B": 12500, "C": 8000, "D": 20000, "E": 12000}
    assert by_nr(k, "behovskorrigert_kr_per_innbygger") == {
        "A": 10000, "B": 10000, "C": 10000, "D": 20000, "E": 12000,
    }


def test_group_mean_and_savings_potential(kommuner):
    k = cost_case(kommuner)
    assert by_nr(k, "gruppesnitt_kr_per_innbygger") == {
        "A": 10000, "B": 10000, "C": 10000, "D": 16000, "E": 16000,
    }
    # (own − group mean) × inhabitants × need index
    assert by_nr(k, "innsparingspotensial_kr") == {"A": 0, "B": 0, "C": 0, "D": 4e6, "E": -4e6}


def test_cost_index_is_national_mean_over_own(kommuner, config):
    idx = kostnadsindeks(cost_case(kommuner), config)
    # national mean of 10 000, 10 000, 10 000, 20 000, 12 000 = 12 400
    assert by_nr(idx, "verdi") == {"A": 1.24, "B": 1.24, "C": 1.24, "D": 0.62, "E": 1.0333}


def test_outliers_are_left_out_of_the_national_mean(config):
    nr = [f"K{i}" for i in range(10)]
    kommuner = pd.DataFrame({"kommunenr": nr, "kostragruppe": 1})
    rows = [(n, "innbyggere", 1000.0) for n in nr]
    rows += [(n, "netto_driftsutgifter.helse", 1e7 if n != "K9" else 1e8) for n in nr]
    need = pd.DataFrame({"aar": 2024, "kommunenr": nr, "tjeneste": "helse", "behovsindeks": 1.0})
    idx = kostnadsindeks(compute_kostnad(raw(rows), need, kommuner), config)
    values = by_nr(idx, "verdi", "helse")
    assert values["K0"] == 1.0  # the 100 000 kr outlier does not raise the mean
    assert values["K9"] == 0.1


def test_total_cost_sums_the_seven_services_and_their_savings(kommuner):
    k = cost_case(kommuner, KOSTNADSTJENESTER)
    assert by_nr(k, "behovskorrigert_kr_per_innbygger", "alle")["D"] == 7 * 20000
    assert by_nr(k, "innsparingspotensial_kr", "alle")["D"] == 7 * 4e6
    # kr per inhabitant / need index holds for the total too
    assert by_nr(k, "behovsindeks", "alle")["B"] == 1.25


def test_total_cost_is_null_when_a_service_is_missing(kommuner):
    k = cost_case(kommuner, KOSTNADSTJENESTER[:6])
    alle = k[k["tjeneste"] == "alle"]
    assert len(alle) == len(NR) and alle["behovskorrigert_kr_per_innbygger"].isna().all()


def quality_values(values: dict[str, list[float | None]]) -> pd.DataFrame:
    rows = []
    for ind, vals in values.items():
        rows += [(2024, n, ind, v) for n, v in zip(NR, vals)]
    return pd.DataFrame(rows, columns=["aar", "kommunenr", "indikator", "verdi"])


def test_indicator_scores_are_standardised_and_flipped_when_lower_is_better(config):
    # sykefravaer_kommune: lower is better; grunnskolepoeng: higher is better.
    skaar = indikatorskaar(
        quality_values({"grunnskolepoeng": [1, 2, 3, 4, 5], "sykefravaer_kommune": [1, 2, 3, 4, 5]}),
        config,
    )
    gp = skaar[skaar["indikator"] == "grunnskolepoeng"]["skaar"].round(4).tolist()
    sf = skaar[skaar["indikator"] == "sykefravaer_kommune"]["skaar"].round(4).tolist()
    assert gp == [-1.4142, -0.7071, 0.0, 0.7071, 1.4142]  # mean 3, SD √2
    assert sf == [1.4142, 0.7071, 0.0, -0.7071, -1.4142]


def test_a_service_needs_60_percent_of_its_indicators(config):
    keys = [i.indikator for i in config.indikatorer if i.tjeneste == "administrasjon"]
    assert len(keys) == 5
    # A has data for 3 of 5 (60 %), B for 2 of 5 (40 %).
    values = {k: [1, None, 3, 4, 5] for k in keys}
    values[keys[0]] = [1, 2, 3, 4, 5]
    values[keys[1]] = [1, 2, 3, 4, 5]
    values[keys[3]] = [None, None, 3, 4, 5]
    values[keys[4]] = [None, None, 3, 4, 5]
    q = kvalitetsindeks(indikatorskaar(quality_values(values), config), config)
    adm = by_nr(q, "verdi", "administrasjon")
    assert pd.notna(adm["A"]) and pd.isna(adm["B"])


def test_an_average_municipality_gets_exactly_1(config):
    keys = [i.indikator for i in config.indikatorer if i.tjeneste == "kultur"]
    q = kvalitetsindeks(
        indikatorskaar(quality_values({k: [1, 2, 3, 4, 5] for k in keys}), config), config
    )
    assert by_nr(q, "verdi", "kultur")["C"] == 1.0


def test_finance_weights_50_25_25(config):
    table = pd.DataFrame(
        {
            "aar": 2024,
            "kommunenr": NR,
            "netto_driftsresultat_pst": [5, 1, 3, 2, 4],
            "netto_lanegjeld_pst": [3, 3, 3, 3, 3],
            "disposisjonsfond_pst": [1, 5, 3, 4, 2],
        }
    )
    f = finansindeks(table, config)
    # score = ½·z(result) + ¼·z(fund); A: ½·√2 − ¼·√2 = 0.354, SD of the scores 0.25
    assert by_nr(f, "verdi", "alle") == {"A": 1.1414, "B": 0.8586, "C": 1.0, "D": 0.9293, "E": 1.0707}
    # With the fund weighted most, the order turns: the weights come from the configuration.
    v = dataclasses.replace(
        config.vekter,
        finans={"netto_driftsresultat_pst": 0.25, "netto_lanegjeld_pst": 0.25, "disposisjonsfond_pst": 0.5},
    )
    turned = by_nr(finansindeks(table, dataclasses.replace(config, vekter=v)), "verdi", "alle")
    assert turned["B"] > 1.0 > turned["A"]


def test_debt_counts_lower_as_better(config):
    table = pd.DataFrame(
        {
            "aar": 2024,
            "kommunenr": NR,
            "netto_driftsresultat_pst": [3] * 5,
            "netto_lanegjeld_pst": [10, 50, 90, 130, 170],
            "disposisjonsfond_pst": [3] * 5,
        }
    )
    f = by_nr(finansindeks(table, config), "verdi", "alle")
    assert f["A"] > f["C"] > f["E"]


def index_frame(values: list[float], tjeneste: str = "grunnskole") -> pd.DataFrame:
    return pd.DataFrame({"aar": 2024, "kommunenr": NR, "tjeneste": tjeneste, "verdi": values})


def test_efficiency_weights_cost_and_quality_equally(config):
    e = effektivitetsindeks(
        index_frame([1.2, 1.0, 0.8, 1.0, 1.0]), index_frame([1.0, 1.1, 1.0, 0.9, 1.0]), config
    )
    # z(cost) = [1.58, 0, −1.58, 0, 0], z(quality) = [0, 1.58, 0, −1.58, 0]; mean over SD 0.707
    assert by_nr(e, "verdi") == {"A": 1.1118, "B": 1.1118, "C": 0.8882, "D": 0.8882, "E": 1.0}
    ranked = rank_groups(e.assign(indekstype="effektivitet"), ["aar", "tjeneste", "indekstype"])
    assert by_nr(ranked, "rang") == {"A": 1, "B": 1, "C": 4, "D": 4, "E": 3}


def test_kommuneindeks_counts_cost_quality_and_finance_equally(config):
    k = kommuneindeks(
        index_frame([1.2, 1.0, 1.0, 0.8, 1.0], "alle"),
        index_frame([1.0, 1.2, 1.0, 1.0, 0.8], "alle"),
        index_frame([1.0, 1.0, 1.2, 0.8, 1.0], "alle"),
        config,
    )
    v = by_nr(k, "verdi", "alle")
    assert v["A"] == v["B"] == v["C"]  # one strong sub-index each, equally weighted
    assert v["D"] < v["E"] < v["A"]


def test_kommuneindeks_is_null_without_all_three_parts(config):
    k = kommuneindeks(
        index_frame([1.2, 1.0, 1.0, 0.8, None], "alle"),
        index_frame([1.0, 1.2, 1.0, 1.0, 0.8], "alle"),
        index_frame([1.0, 1.0, 1.2, 0.8, 1.0], "alle"),
        config,
    )
    ranked = rank_groups(k.assign(indekstype="kommuneindeks"), ["aar", "tjeneste", "indekstype"])
    e = ranked[ranked["kommunenr"] == "E"].iloc[0]
    assert pd.isna(e["verdi"]) and pd.isna(e["rang"])
    assert ranked["antall"].iloc[0] == 4
