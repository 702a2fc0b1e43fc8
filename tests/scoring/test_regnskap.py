"""The real KOSTRA figures (data/kostra/, SSB table 12134) in the default build: as SSB publishes
them, adding up to SSB's own totals, and feeding the method where they reach."""

import pandas as pd
import pytest

from scoring.aga import load_satser, share_of_net
from scoring.config import default_config
from scoring.contract import KOSTNADSTJENESTER
from scoring.regnskap import fgk9_shares
from tests.conftest import open_read_only


@pytest.fixture(scope="module")
def con(demo_db):
    c = open_read_only(demo_db)
    yield c
    c.close()


def rows(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def test_soer_varanger_grunnskole_2024_is_ssbs_21_001_kr_and_labelled_real(con):
    assert rows(
        con,
        "SELECT kr_per_innbygger, belop_1000kr FROM regnskap WHERE kommunenr='5605' AND aar=2024 "
        "AND maal='netto_driftsutgifter_FGK8b_grunnskole'",
    ) == [(21001.0, 209230.0)]
    assert rows(
        con,
        "SELECT status, er_demodata, kreditering, ssb_tabell, lisens FROM datakilde "
        "WHERE tabell='regnskap' AND maal='netto_driftsutgifter_FGK8b_grunnskole' AND aar=2024",
    ) == [("ekte", False, "Kilde: SSB (KOSTRA)", "12134", "NLOD / CC BY 4.0")]


def test_municipalities_and_old_alesund_add_up_to_ssbs_national_total(con):
    # For every year and measure that SSB gives for Landet (EAK): the sum of the municipalities
    # (with 1507 Ålesund in 2022–2023) is exactly SSB's national amount.
    diff = rows(
        con,
        """WITH kommunene AS (
             SELECT aar, maal, sum(belop_1000kr) AS belop FROM (
               SELECT aar, maal, belop_1000kr FROM regnskap
               UNION ALL
               SELECT aar, maal, belop_1000kr FROM regnskap_aggregat WHERE enhetstype='kommune')
             GROUP BY ALL)
           SELECT count(*), max(abs(k.belop - l.belop_1000kr))
           FROM kommunene k JOIN regnskap_aggregat l USING (aar, maal)
           WHERE l.enhetstype='landet'""",
    )
    n, worst = diff[0]
    assert n == 34  # every EAK figure (netto lånegjeld 2024 is not published)
    assert worst == 0


def test_county_authorities_add_up_to_eafk(con):
    n, worst = rows(
        con,
        """SELECT count(*), max(abs(f.belop - a.belop_1000kr)) FROM (
             SELECT aar, maal, sum(belop_1000kr) AS belop FROM regnskap_aggregat
             WHERE enhetstype='fylkeskommune' GROUP BY ALL) f
           JOIN regnskap_aggregat a USING (aar, maal) WHERE a.enhetstype='fylkeskommunene'""",
    )[0]
    assert n == 11 and worst == 0


def test_kostra_groups_are_ssbs_population_weighted_figures(con):
    # SSB's group figure per inhabitant = the group's amount over its inhabitants.
    worst = rows(
        con,
        """SELECT max(abs(g.kr_per_innbygger - g.belop_1000kr * 1000 / s.innb)) FROM regnskap_aggregat g
           JOIN (SELECT k.kostragruppe, b.aar, sum(b.innbyggere) AS innb FROM befolkning b
                 JOIN kommune k USING (kommunenr) GROUP BY ALL) s
             ON s.kostragruppe = g.kostragruppe AND s.aar = g.aar
           WHERE g.enhetstype='kostragruppe' AND g.aar=2024""",
    )[0][0]
    assert worst < 5  # kroner; SSB's population differs from ours by a few people here and there


def test_every_measure_is_in_the_catalogue_with_its_services(con):
    unknown = rows(con, "SELECT DISTINCT maal FROM regnskap WHERE maal NOT IN (SELECT maal FROM regnskapsmaal)")
    assert unknown == []
    fgk9 = rows(con, "SELECT tjeneste, tjenester FROM regnskapsmaal WHERE funksjonsgruppe='FGK9'")
    assert fgk9 == [(None, "pleie_og_omsorg,helse")]
    assert rows(con, "SELECT tjeneste FROM regnskapsmaal WHERE funksjonsgruppe='FGK8b'") == [("grunnskole",)]


def test_alesund_and_haram_have_no_figures_before_the_split(con):
    assert rows(con, "SELECT count(*) FROM regnskap WHERE kommunenr IN ('1508','1580') AND aar < 2024") == [(0,)]
    assert rows(
        con,
        "SELECT count(*) FROM regnskap_aggregat WHERE enhetstype='kommune' AND kode='1507'",
    ) == [(20,)]
    # Unranked, not demo-filled: no cost index those years.
    assert rows(
        con,
        "SELECT count(verdi), count(*) FROM indeks WHERE kommunenr='1508' AND aar=2023 "
        "AND indekstype='kostnad' AND tjeneste='alle'",
    ) == [(0, 1)]


@pytest.mark.parametrize(
    ("kommunenr", "aar", "ssb"),
    [("4601", 2023, 0.7), ("4601", 2024, -2.4), ("3222", 2024, 0.2)],
)
def test_net_operating_result_reproduces_ssbs_own_key_figure(con, kommunenr, aar, ssb):
    # SSB's KOSAGD230000 (12134), as published: Bergen 0.7 and -2.4, Lørenskog 0.2.
    ours = rows(
        con,
        "SELECT netto_driftsresultat_pst FROM finans WHERE kommunenr=? AND aar=?",
        [kommunenr, aar],
    )[0][0]
    assert round(ours, 1) == ssb


def test_cost_inputs_are_the_function_groups_less_the_estimated_employers_tax(con):
    # Grunnskole in Oslo 2024: FGK8b less the tax at zone 1 (14.1 %) on a wage share of 0.85.
    fgk8b = rows(
        con,
        "SELECT belop_1000kr * 1000 FROM regnskap WHERE kommunenr='0301' AND aar=2024 "
        "AND maal='netto_driftsutgifter_FGK8b_grunnskole'",
    )[0][0]
    ours = rows(
        con,
        "SELECT netto_driftsutgifter_kr FROM kostnad WHERE kommunenr='0301' AND aar=2024 "
        "AND tjeneste='grunnskole'",
    )[0][0]
    assert ours == pytest.approx(fgk8b * (1 - share_of_net(0.141, 0.85)))


def test_helse_og_omsorg_is_split_by_need_and_adds_up(con):
    fgk9, split = rows(
        con,
        """SELECT (SELECT belop_1000kr * 1000 FROM regnskap WHERE kommunenr='5605' AND aar=2024
                   AND maal='netto_driftsutgifter_FGK9_helse_omsorg'),
                  (SELECT sum(verdi) FROM raadata WHERE kommunenr='5605' AND aar=2024
                   AND variabel IN ('netto_driftsutgifter.pleie_og_omsorg', 'netto_driftsutgifter.helse'))""",
    )[0]
    assert split == pytest.approx(fgk9)
    assert rows(
        con,
        "SELECT status FROM datakilde WHERE tabell='raadata' AND maal='netto_driftsutgifter.helse' AND aar=2024",
    ) == [("estimat",)]


def test_fgk9_shares_follow_need_times_cost_key_weight():
    need = pd.DataFrame(
        {
            "aar": 2024,
            "kommunenr": ["a", "a", "b", "b"],
            "tjeneste": ["pleie_og_omsorg", "helse"] * 2,
            "behovsindeks": [1.0, 1.0, 2.0, 1.0],
        }
    )
    shares = fgk9_shares(need, default_config().regnskap.fgk9).set_index(["kommunenr", "tjeneste"])
    # a: 0.3532 / (0.3532 + 0.0637); b: 2 · 0.3532 / (2 · 0.3532 + 0.0637)
    assert shares.loc[("a", "pleie_og_omsorg"), "andel"] == pytest.approx(0.8472, abs=1e-4)
    assert shares.loc[("b", "pleie_og_omsorg"), "andel"] == pytest.approx(0.9173, abs=1e-4)


def test_aga_zones_give_finnmark_no_tax_and_oslo_the_full_rate():
    satser = load_satser()
    assert satser["5605"] == 0.0  # Sør-Varanger, tiltakssonen
    assert satser["0301"] == pytest.approx(0.141)
    assert satser["1804"] == pytest.approx(0.079)  # Bodø, zone 4a
    assert len(satser) == 357


def test_every_input_and_year_has_a_status_row(con):
    n_inputs = 1 + 3 * len(KOSTNADSTJENESTER) + len(default_config().indikatorer) + 3
    assert rows(con, "SELECT count(*) FROM datastatus") == [(n_inputs * 3,)]
    assert rows(con, "SELECT count(*) FROM datastatus WHERE status='mangler'") == [(0,)]


def test_cost_index_on_the_real_2024_figures_is_1_at_the_national_mean(con):
    # The national mean: the simple mean of the municipalities without outliers (beyond 2 SD).
    worst = rows(
        con,
        """WITH b AS (SELECT tjeneste, behovskorrigert_kr_per_innbygger AS kr FROM kostnad
                      WHERE aar = 2024 AND kr IS NOT NULL),
           s AS (SELECT tjeneste, avg(kr) AS m, stddev_pop(kr) AS sd FROM b GROUP BY ALL),
           snitt AS (SELECT tjeneste, avg(kr) AS m FROM b JOIN s USING (tjeneste)
                     WHERE abs(kr - s.m) <= 2 * s.sd GROUP BY ALL)
           SELECT max(abs(i.verdi - (1 + 0.069 * (snitt.m - k.behovskorrigert_kr_per_innbygger) / 1000)))
           FROM kostnad k JOIN snitt USING (tjeneste)
           JOIN indeks i ON i.aar = k.aar AND i.kommunenr = k.kommunenr AND i.tjeneste = k.tjeneste
                AND i.indekstype = 'kostnad'
           WHERE k.aar = 2024""",
    )[0][0]
    assert worst < 1e-9
    # Where the national mean lies on real 2024 figures, and Nannestad on it (docs/metode.md).
    mean, nannestad, rang = rows(
        con,
        """SELECT (SELECT avg(behovskorrigert_kr_per_innbygger) FROM kostnad
                   WHERE aar = 2024 AND tjeneste = 'alle'),
                  k.behovskorrigert_kr_per_innbygger, i.rang
           FROM kostnad k JOIN indeks i USING (aar, kommunenr, tjeneste)
           WHERE k.aar = 2024 AND k.tjeneste = 'alle' AND k.kommunenr = '3238'
             AND i.indekstype = 'kostnad'""",
    )[0]
    assert 65_000 < mean < 80_000 and nannestad < mean and rang <= 10
