"""Each formula of docs/metode.md, checked by hand on five municipalities."""

import dataclasses

import pandas as pd
import pytest

from scoring.config import default_config
from scoring.contract import KOSTNADSTJENESTER
from scoring.effektivitet import effektivitetsindeks
from scoring.finans import finansindeks
from scoring.kommuneindeks import kommuneindeks
from scoring.kostnad import compute_kostnad, kostnadsindeks, linear_index
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


def test_cost_index_is_linear_in_kroner_around_the_national_mean(kommuner, config):
    idx = kostnadsindeks(cost_case(kommuner), config)
    # national mean of 10 000, 10 000, 10 000, 20 000, 12 000 = 12 400; 0.069 per 1 000 kr
    assert by_nr(idx, "verdi") == {"A": 1.1656, "B": 1.1656, "C": 1.1656, "D": 0.4756, "E": 1.0276}


def test_the_reports_example_is_reproduced_when_its_kroner_are_fed_in(config):
    # The report (2024 data): 1.00 at about 70 400 kr, Nannestad 64 872 kr → 1.38.
    slope = config.vekter.kostnad_poeng_per_1000_kr
    assert linear_index(64_872, 70_400, slope) == pytest.approx(1.38, abs=0.05)
    assert linear_index(70_400, 70_400, slope) == 1.0


def test_outliers_are_left_out_of_the_national_mean(config):
    nr = [f"K{i}" for i in range(10)]
    kommuner = pd.DataFrame({"kommunenr": nr, "kostragruppe": 1})
    rows = [(n, "innbyggere", 1000.0) for n in nr]
    rows += [(n, "netto_driftsutgifter.helse", 1e7 if n != "K9" else 1e8) for n in nr]
    need = pd.DataFrame({"aar": 2024, "kommunenr": nr, "tjeneste": "helse", "behovsindeks": 1.0})
    idx = kostnadsindeks(compute_kostnad(raw(rows), need, kommuner), config)
    values = by_nr(idx, "verdi", "helse")
    assert values["K0"] == 1.0  # the 100 000 kr outlier does not raise the mean
    assert values["K9"] == round(1 + 0.069 * (10_000 - 100_000) / 1000, 4)  # still ranked


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
    # mobbing_7: lower is better; grunnskolepoeng: higher is better.
    skaar = indikatorskaar(
        quality_values({"grunnskolepoeng": [1, 2, 3, 4, 5], "mobbing_7": [1, 2, 3, 4, 5]}),
        config,
    )
    gp = skaar[skaar["indikator"] == "grunnskolepoeng"]["skaar"].round(4).tolist()
    sf = skaar[skaar["indikator"] == "mobbing_7"]["skaar"].round(4).tolist()
    assert gp == [-1.4142, -0.7071, 0.0, 0.7071, 1.4142]  # mean 3, SD √2
    assert sf == [1.4142, 0.7071, 0.0, -0.7071, -1.4142]


def test_a_service_needs_60_percent_of_its_indicators(config):
    keys = [
        i.indikator
        for i in config.indikatorer
        if i.tjeneste == "administrasjon" and i.gruppe == "kvalitet"
    ]
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


def test_outlying_indicator_values_are_removed_not_pulled_in(config):
    # Nine municipalities at 40–44 and one at 100: the 100 gets no score (as if missing), and
    # the others are standardised among themselves.
    nr = [f"K{i}" for i in range(10)]
    values = [40.0, 41, 42, 43, 44, 40, 41, 42, 43, 100]
    skaar = indikatorskaar(
        pd.DataFrame({"aar": 2024, "kommunenr": nr, "indikator": "grunnskolepoeng", "verdi": values}),
        config,
    )
    s = dict(zip(skaar["kommunenr"], skaar["skaar"]))
    assert pd.isna(s["K9"])
    kept = pd.Series(values[:9])
    assert s["K2"] == pytest.approx((42 - kept.mean()) / kept.std(ddof=0))


def test_explanatory_indicators_are_stored_but_not_in_the_quality_index(config):
    forklaring = [i.indikator for i in config.indikatorer if i.gruppe == "forklaring"]
    assert "sykefravaer_kommune" in forklaring and "barn_per_arsverk" in forklaring
    skaar = indikatorskaar(quality_values({"sykefravaer_kommune": [1, 2, 3, 4, 5]}), config)
    assert skaar.empty


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


def test_efficiency_is_the_mean_of_the_index_values(config):
    e = effektivitetsindeks(
        index_frame([1.2, 1.0, 0.8, 1.0, 1.0]), index_frame([1.0, 1.1, 1.0, 0.9, 1.0]), config
    )
    assert by_nr(e, "verdi") == {"A": 1.1, "B": 1.05, "C": 0.9, "D": 0.95, "E": 1.0}
    ranked = rank_groups(e.assign(indekstype="effektivitet"), ["aar", "tjeneste", "indekstype"])
    assert by_nr(ranked, "rang") == {"A": 1, "B": 2, "C": 5, "D": 4, "E": 3}


def test_a_wider_index_weighs_more_in_efficiency(config):
    # Cost spreads four times wider than quality: the cheapest is most efficient even with the
    # worst quality, as in the report's cost-driven lists.
    e = by_nr(
        effektivitetsindeks(
            index_frame([1.4, 1.0, 0.6, 1.0, 1.0]), index_frame([0.95, 1.05, 1.05, 1.0, 0.95]), config
        ),
        "verdi",
    )
    assert e["A"] == max(e.values()) and e["C"] == min(e.values())


def test_standardised_combination_is_the_configured_alternative(config):
    v = dataclasses.replace(config.vekter, sammenstilling="standardisert")
    e = effektivitetsindeks(
        index_frame([1.2, 1.0, 0.8, 1.0, 1.0]),
        index_frame([1.0, 1.1, 1.0, 0.9, 1.0]),
        dataclasses.replace(config, vekter=v),
    )
    # z(cost) = [1.58, 0, −1.58, 0, 0], z(quality) = [0, 1.58, 0, −1.58, 0]; mean over SD 0.707
    assert by_nr(e, "verdi") == {"A": 1.1118, "B": 1.1118, "C": 0.8882, "D": 0.8882, "E": 1.0}


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
