"""Properties that hold for every index of the built demo database."""

import shutil

import pytest

from scoring.build import build
from scoring.config import load_config
from tests.conftest import ROOT, open_read_only


@pytest.fixture(scope="module")
def con(demo_db):
    c = open_read_only(demo_db)
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


def test_sub_indices_centre_on_one(con):
    for indekstype in ("kvalitet", "finans", "kommuneindeks", "effektivitet"):
        mean = one(
            con, f"SELECT avg(verdi) FROM indeks WHERE indekstype='{indekstype}' AND tjeneste='alle'"
        )
        assert abs(mean - 1.0) < 0.02, indekstype


def test_total_savings_is_the_sum_over_services(con):
    diff = one(
        con,
        """SELECT max(abs(a.innsparingspotensial_kr - s.sum_kr)) FROM kostnad a JOIN (
             SELECT aar, kommunenr, sum(innsparingspotensial_kr) sum_kr FROM kostnad
             WHERE tjeneste <> 'alle' GROUP BY ALL) s USING (aar, kommunenr)
           WHERE a.tjeneste = 'alle'""",
    )
    assert diff < 1.0


def test_group_average_spending_gives_zero_savings_on_average(con):
    # Within a KOSTRA group the savings potential per inhabitant-need unit averages to zero.
    worst = one(
        con,
        """SELECT max(abs(m)) FROM (SELECT avg(k.behovskorrigert_kr_per_innbygger - k.gruppesnitt_kr_per_innbygger) m
           FROM kostnad k JOIN kommune USING (kommunenr) GROUP BY k.aar, k.tjeneste, kostragruppe)""",
    )
    assert worst < 1e-6


def test_demo_costs_span_about_65_000_to_twice_that(con):
    lo, hi = con.execute(
        "SELECT min(behovskorrigert_kr_per_innbygger), max(behovskorrigert_kr_per_innbygger) "
        "FROM kostnad WHERE tjeneste='alle' AND aar=2024"
    ).fetchone()
    assert 55_000 < lo < 75_000
    assert 1.7 < hi / lo < 2.5


def test_quality_is_only_weakly_related_to_size(con):
    r = one(
        con,
        """SELECT corr(ln(b.innbyggere), i.verdi) FROM indeks i JOIN befolkning b USING (kommunenr, aar)
           WHERE i.tjeneste='alle' AND i.indekstype='kvalitet'""",
    )
    assert abs(r) < 0.3


def test_low_cost_municipalities_are_not_worse_on_quality(con):
    cheap, rest = con.execute(
        """SELECT avg(q.verdi) FILTER (WHERE c.rang <= c.antall / 4),
                  avg(q.verdi) FILTER (WHERE c.rang > c.antall / 4)
           FROM indeks c JOIN indeks q USING (aar, kommunenr, tjeneste)
           WHERE c.tjeneste='alle' AND c.indekstype='kostnad' AND q.indekstype='kvalitet'"""
    ).fetchone()
    assert cheap >= rest


def test_small_municipalities_vary_more(con):
    small, large = con.execute(
        """SELECT stddev(i.verdi) FILTER (WHERE b.innbyggere < 3000),
                  stddev(i.verdi) FILTER (WHERE b.innbyggere >= 20000)
           FROM indeks i JOIN befolkning b USING (kommunenr, aar)
           WHERE i.tjeneste='alle' AND i.indekstype='kvalitet'"""
    ).fetchone()
    assert small > large


def test_ranks_persist_between_years(con):
    r = one(
        con,
        """SELECT corr(a.rang, b.rang) FROM indeks a JOIN indeks b
           ON a.kommunenr=b.kommunenr AND a.tjeneste=b.tjeneste AND a.indekstype=b.indekstype
           AND b.aar=a.aar+1 WHERE a.tjeneste='alle' AND a.indekstype='kommuneindeks'""",
    )
    assert 0.65 < r < 0.95


def test_about_3_percent_of_indicator_values_are_missing_more_in_small_places(con):
    overall, small = con.execute(
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
