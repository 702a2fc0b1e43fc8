"""Frames become SQL from the templates, with values as literals: never pasted text."""

import pytest

from assistant.query.build import SQL_DIR, fill, queries, template
from assistant.query.validate import validate_sql
from assistant.understand.frame import Frame

YEARS = (2022, 2023, 2024)


@pytest.mark.parametrize("name", sorted(p.stem for p in SQL_DIR.glob("*.sql")))
def test_every_template_parses(name):
    assert template(name) is not None


def test_a_value_with_quotes_stays_a_literal():
    sql = fill("befolkning", kommuner=("0301'; DROP TABLE kommune; --",), aar=2024).sql
    assert "'0301''; DROP TABLE kommune; --'" in sql
    assert validate_sql(sql)  # one SELECT, still


def test_a_rank_question_asks_for_its_index_types_and_year():
    frame = Frame("rang", kommuner=("5605",), tjeneste="pleie_og_omsorg",
                  indekstyper=("effektivitet", "kostnad", "kvalitet"), aar=2024)
    main = queries(frame, YEARS)[0].sql
    assert "'pleie_og_omsorg'" in main and "IN (2024)" in main and "'5605'" in main


def test_a_trend_asks_for_every_year_up_to_the_asked_one():
    frame = Frame("utvikling", kommuner=("5605",), indekstyper=("kommuneindeks",), aar=2024)
    assert "IN (2022, 2023, 2024)" in queries(frame, YEARS)[0].sql


def test_the_worst_end_orders_the_other_way():
    best = Frame("liste", indekstyper=("kostnad",), aar=2024, n=5)
    worst = Frame("liste", indekstyper=("kostnad",), aar=2024, n=5, verst=True)
    assert "ORDER BY i.rang * 1," in queries(best, YEARS)[0].sql
    assert "ORDER BY i.rang * (-1)," in queries(worst, YEARS)[0].sql


def test_every_query_for_every_kind_passes_the_validator():
    frames = [
        Frame("rang", kommuner=("1804",), indekstyper=("kommuneindeks",), aar=2024),
        Frame("liste", indekstyper=("kvalitet",), tjeneste="barnehage", aar=2024, n=10, fylke="Nordland"),
        Frame("innsparing", kommuner=("1804",), aar=2024),
        Frame("kostnad", aar=2024, n=10),
        Frame("finans", kommuner=("1804",), aar=2024),
        Frame("finans", aar=2024, n=5, finansmaal=("netto_lanegjeld_pst",)),
        Frame("indikator", kommuner=("1804",), indikatorer=("grunnskolepoeng",), aar=2024),
        Frame("snitt", indekstyper=("kostnad",), aar=2024, kostragruppe=8),
        Frame("antall", indekstyper=("kommuneindeks",), aar=2024),
        Frame("forklaring", kommuner=("1804",), indekstyper=("kommuneindeks",), aar=2024),
        Frame("befolkning", kommuner=("1804",), aar=2024),
        Frame("fakta", kommuner=("1804",), aar=2024),
        Frame("endring", indekstyper=("kommuneindeks",), aar=2024, fra_aar=2022, n=5, fylke="Troms"),
        Frame("liste", indekstyper=("kommuneindeks",), aar=2024, plass=100),
    ]
    for frame in frames:
        for q in queries(frame, YEARS):
            assert validate_sql(q.sql), (frame.sporsmaal, q.name)
