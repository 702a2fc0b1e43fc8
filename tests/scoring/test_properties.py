"""Properties of the built databases: of every index (the default build, real costs and demo
quality), and of the demo data (a full demo build), which must look like Norway."""

import shutil

import numpy as np
import pytest

from scoring.build import build
from scoring.config import load_config
from tests.conftest import ROOT, open_read_only


@pytest.fixture(scope="module")
def con(demo_db):
    c = open_read_only(demo_db)
    yield c
    c.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A database built from demo data only (`kommuneindeks build --demo`)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build(path, demo=True)
    c = open_read_only(path)
    yield c
    c.close()


def one(con, sql: str):
    return con.execute(sql).fetchone()[0]


def test_ranks_agree_with_values(con):
    # A higher value never has a worse rank within the same year, service and index type.
    wrong = one(
        con,
        """SELECT count(*) FROM indeks a JOIN indeks b USING (aar, tjeneste, indekstype)
           WHERE a.verdi > b.verdi AND a.rang >= b.rang""",
    )
    assert wrong == 0


def test_ranks_equal_sql_rank_semantics(con):
    wrong = one(
        con,
        """SELECT count(*) FROM (
             SELECT rang, RANK() OVER (PARTITION BY aar, tjeneste, indekstype ORDER BY verdi DESC) r
             FROM indeks WHERE verdi IS NOT NULL) WHERE rang <> r""",
    )
    assert wrong == 0


def test_antall_is_the_number_ranked(con):
    wrong = one(
        con,
        """SELECT count(*) FROM (
             SELECT aar, tjeneste, indekstype, max(antall) a, count(rang) n, max(rang) top
             FROM indeks GROUP BY ALL) WHERE a <> n OR top > n""",
    )
    assert wrong == 0


def test_unranked_rows_have_null_value_and_rank(con):
    assert one(con, "SELECT count(*) FROM indeks WHERE (verdi IS NULL) <> (rang IS NULL)") == 0


def test_indicator_ranks_follow_direction(con):
    wrong = one(
        con,
        """SELECT count(*) FROM indikatorverdi a JOIN indikatorverdi b USING (aar, indikator)
           JOIN indikator i USING (indikator)
           WHERE (CASE WHEN i.hoyere_er_bedre THEN a.verdi > b.verdi ELSE a.verdi < b.verdi END)
             AND a.rang >= b.rang""",
    )
    assert wrong == 0


def test_quality_and_finance_centre_on_one(con):
    for indekstype in ("kvalitet", "finans"):
        mean = one(
            con, f"SELECT avg(verdi) FROM indeks WHERE indekstype='{indekstype}' AND tjeneste='alle'"
        )
        assert abs(mean - 1.0) < 0.02, indekstype


def test_the_total_is_the_mean_of_the_three_index_values(con):
    # The report's way: index values combined as they are, so the wider cost index weighs more.
    worst = one(
        con,
        """SELECT max(abs(t.verdi - (k.verdi + q.verdi + f.verdi) / 3)) FROM indeks t
           JOIN indeks k USING (aar, kommunenr, tjeneste) JOIN indeks q USING (aar, kommunenr, tjeneste)
           JOIN indeks f USING (aar, kommunenr, tjeneste)
           WHERE t.indekstype='kommuneindeks' AND k.indekstype='kostnad'
             AND q.indekstype='kvalitet' AND f.indekstype='finans'""",
    )
    assert worst < 1e-9


def test_total_savings_is_the_sum_over_services(con):
    diff = one(
        con,
        """SELECT max(abs(a.innsparingspotensial_kr - s.sum_kr)) FROM kostnad a JOIN (
             SELECT aar, kommunenr, sum(innsparingspotensial_kr) sum_kr FROM kostnad
             WHERE tjeneste <> 'alle' GROUP BY ALL) s USING (aar, kommunenr)
           WHERE a.tjeneste = 'alle'""",
    )
    assert diff < 1.0


def test_every_savings_row_agrees_with_its_own_columns(con):
    # (own − group average) × inhabitants × need index, for the services and for 'alle' alike.
    worst = one(
        con,
        """SELECT max(abs(k.innsparingspotensial_kr - (k.behovskorrigert_kr_per_innbygger
                  - k.gruppesnitt_kr_per_innbygger) * b.innbyggere * k.behovsindeks))
           FROM kostnad k JOIN befolkning b USING (aar, kommunenr)""",
    )
    assert worst < 1.0


def test_group_average_spending_gives_zero_savings_on_average(con):
    # Within a KOSTRA group a service's savings potential per unit of need averages to zero.
    worst = one(
        con,
        """SELECT max(abs(m)) FROM (SELECT avg(k.behovskorrigert_kr_per_innbygger - k.gruppesnitt_kr_per_innbygger) m
           FROM kostnad k JOIN kommune USING (kommunenr) WHERE k.tjeneste <> 'alle'
           GROUP BY k.aar, k.tjeneste, kostragruppe)""",
    )
    assert worst < 1e-6


def test_demo_costs_span_about_60_000_to_twice_that(demo):
    lo, hi = demo.execute(
        "SELECT min(behovskorrigert_kr_per_innbygger), max(behovskorrigert_kr_per_innbygger) "
        "FROM kostnad WHERE tjeneste='alle' AND aar=2024"
    ).fetchone()
    assert 50_000 < lo < 70_000
    assert 1.7 < hi / lo < 2.8


def test_quality_is_only_weakly_related_to_size(demo):
    r = one(
        demo,
        """SELECT corr(ln(b.innbyggere), i.verdi) FROM indeks i JOIN befolkning b USING (kommunenr, aar)
           WHERE i.tjeneste='alle' AND i.indekstype='kvalitet'""",
    )
    assert abs(r) < 0.3


def test_low_cost_municipalities_are_not_worse_on_quality(demo):
    cheap, rest = demo.execute(
        """SELECT avg(q.verdi) FILTER (WHERE c.rang <= c.antall / 4),
                  avg(q.verdi) FILTER (WHERE c.rang > c.antall / 4)
           FROM indeks c JOIN indeks q USING (aar, kommunenr, tjeneste)
           WHERE c.tjeneste='alle' AND c.indekstype='kostnad' AND q.indekstype='kvalitet'"""
    ).fetchone()
    assert cheap >= rest


def test_small_municipalities_vary_more(demo):
    # Per indicator, the spread among municipalities under 3 000 inhabitants is larger.
    share = one(
        demo,
        """SELECT avg((small > large)::INT) FROM (
             SELECT v.indikator, stddev(v.verdi) FILTER (WHERE b.innbyggere < 3000) AS small,
                    stddev(v.verdi) FILTER (WHERE b.innbyggere >= 20000) AS large
             FROM indikatorverdi v JOIN befolkning b USING (kommunenr, aar) GROUP BY ALL)""",
    )
    assert share > 0.8


def test_ranks_persist_between_years(demo):
    r = one(
        demo,
        """SELECT corr(a.rang, b.rang) FROM indeks a JOIN indeks b
           ON a.kommunenr=b.kommunenr AND a.tjeneste=b.tjeneste AND a.indekstype=b.indekstype
           AND b.aar=a.aar+1 WHERE a.tjeneste='alle' AND a.indekstype='kommuneindeks'""",
    )
    assert 0.65 < r < 0.95


def test_about_3_percent_of_indicator_values_are_missing_more_in_small_places(demo):
    overall, small = demo.execute(
        """SELECT avg((v.verdi IS NULL)::INT), avg((v.verdi IS NULL)::INT) FILTER (WHERE b.innbyggere < 2000)
           FROM indikatorverdi v JOIN befolkning b USING (kommunenr, aar)"""
    ).fetchone()
    assert 0.015 < overall < 0.06
    assert small > 2 * overall


def test_changing_a_weight_in_the_configuration_changes_the_result(demo_db, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*", "raadata", "cache"))
    toml = (data / "vekter.toml").read_text()
    (data / "vekter.toml").write_text(toml.replace("kostnad = 1.0\nkvalitet = 1.0\nfinans = 1.0", "kostnad = 3.0\nkvalitet = 1.0\nfinans = 1.0"))
    changed = tmp_path / "changed.duckdb"
    build(changed, config=load_config(data))
    sql = "SELECT kommunenr, rang FROM indeks WHERE indekstype='kommuneindeks' AND aar=2024 ORDER BY 1"
    with open_read_only(demo_db) as a, open_read_only(changed) as b:
        before, after = a.execute(sql).fetchall(), b.execute(sql).fetchall()
        cost_sql = "SELECT kommunenr, rang FROM indeks WHERE indekstype='kostnad' AND tjeneste='alle' ORDER BY 1"
        assert a.execute(cost_sql).fetchall() == b.execute(cost_sql).fetchall()
    assert before != after


# --- Demo data shaped like Norway: calibrated on the real figures of the default build ---------

COST = """SELECT tjeneste, aar, exp(avg(ln(behovskorrigert_kr_per_innbygger))) AS niva,
                 stddev_pop(ln(behovskorrigert_kr_per_innbygger)) AS spredning
          FROM kostnad WHERE behovskorrigert_kr_per_innbygger > 0 GROUP BY ALL ORDER BY ALL"""


def test_demo_costs_have_the_real_levels_spreads_and_years(demo, con):
    real = {(t, a): (n, s) for t, a, n, s in con.execute(COST).fetchall()}
    synthetic = {(t, a): (n, s) for t, a, n, s in demo.execute(COST).fetchall()}
    assert real.keys() == synthetic.keys()
    for key, (level, spread) in real.items():
        assert synthetic[key][0] == pytest.approx(level, rel=0.03), key
        assert synthetic[key][1] == pytest.approx(spread, rel=0.2), key


def _eta2(rows) -> float:
    """Share of the variance of the values explained by the groups."""
    values = np.array([v for v, _ in rows])
    groups = np.array([g for _, g in rows])
    means = {g: values[groups == g].mean() for g in set(groups)}
    fitted = np.array([means[g] for g in groups])
    return float(((fitted - values.mean()) ** 2).sum() / ((values - values.mean()) ** 2).sum())


def test_centrality_explains_about_30_percent_of_the_demo_total(demo):
    rows = demo.execute(
        """SELECT i.verdi, k.sentralitet FROM indeks i JOIN kommune k USING (kommunenr)
           WHERE i.aar=2024 AND i.tjeneste='alle' AND i.indekstype='kommuneindeks' AND i.verdi IS NOT NULL"""
    ).fetchall()
    assert 0.22 < _eta2(rows) < 0.38


def test_the_cheapest_demo_municipalities_are_central_and_mid_sized(demo):
    median, central = demo.execute(
        """SELECT median(b.innbyggere), avg((k.sentralitet <= 4)::INT) FROM (
             SELECT * FROM indeks WHERE aar=2024 AND tjeneste='alle' AND indekstype='kostnad'
             ORDER BY rang LIMIT 25) i
           JOIN kommune k USING (kommunenr) JOIN befolkning b USING (kommunenr, aar)"""
    ).fetchone()
    assert 12_000 < median < 35_000 and central >= 0.7


def test_demo_cost_levels_persist_like_the_real_ones(demo):
    r = one(
        demo,
        """SELECT corr(ln(a.behovskorrigert_kr_per_innbygger), ln(b.behovskorrigert_kr_per_innbygger))
           FROM kostnad a JOIN kostnad b ON a.kommunenr=b.kommunenr AND a.tjeneste=b.tjeneste AND b.aar=a.aar+1
           WHERE a.tjeneste='alle'""",
    )
    assert 0.85 < r < 0.97  # the real figures: 0.93


def test_soer_varangers_demo_savings_are_not_the_reports_real_40_mill(demo):
    kr = one(
        demo,
        "SELECT innsparingspotensial_kr FROM kostnad WHERE kommunenr='5605' AND aar=2024 AND tjeneste='alle'",
    )
    assert abs(kr - 40.0e6) > 2e6
