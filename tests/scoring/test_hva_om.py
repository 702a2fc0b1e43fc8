"""What-if recomputation (scoring/hva_om.py) against the stored demo database."""

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scoring.config import default_config
from scoring.contract import ALLE, KOSTNADSTJENESTER
from scoring.hva_om import (
    CostChange,
    IndicatorChange,
    YearTables,
    apply_cost_changes,
    apply_indicator_changes,
    build_order,
    innsparing_kr,
    recompute,
    recompute_with,
    scaled_costs,
)
from scoring.hva_om_solve import rank_of, solve_cost_factor
from tests.conftest import open_read_only

AAR = 2024
KEY = ["aar", "kommunenr", "tjeneste", "indekstype"]


def read_only(db: Path) -> duckdb.DuckDBPyConnection:
    """Read-only and configured like the assistant's sandbox: an app or assistant test in the
    same process may still hold a connection to the file, and DuckDB refuses other settings."""
    return open_read_only(db)


def read(db: Path, sql: str, connect: Callable[[Path], duckdb.DuckDBPyConnection] = read_only) -> pd.DataFrame:
    with connect(db) as con:
        return con.execute(sql).df()


def year_tables(db: Path, aar: int, connect: Callable = read_only) -> YearTables:
    """One year's tables, read in an order unlike the build's (build_order must fix it).

    `connect` opens the file read-only; within a process every connection to one file needs
    the same DuckDB configuration, so a test that also runs the assistant passes its own.
    """
    def q(sql: str) -> pd.DataFrame:
        return read(db, sql, connect)

    return YearTables(
        aar=aar,
        kostnad=q(f"SELECT * EXCLUDE (aar) FROM kostnad WHERE aar = {aar} "
                         "ORDER BY kommunenr DESC, tjeneste").assign(aar=aar),
        indikatorverdi=q("SELECT kommunenr, indikator, verdi FROM indikatorverdi "
                                f"WHERE aar = {aar} ORDER BY kommunenr DESC, indikator DESC"),
        finans=q(f"SELECT * EXCLUDE (aar) FROM finans WHERE aar = {aar} ORDER BY kommunenr DESC"),
        kommune=q("SELECT kommunenr, kostragruppe FROM kommune"),
        befolkning=q(f"SELECT kommunenr, innbyggere FROM befolkning WHERE aar = {aar}"),
    )


@pytest.fixture(scope="module")
def tables(demo_db) -> YearTables:
    return year_tables(demo_db, AAR)


@pytest.fixture(scope="module")
def base(tables):
    return recompute(tables, default_config())


def ranks(indeks: pd.DataFrame) -> pd.Series:
    return indeks.set_index(KEY)["rang"]


def rank(indeks: pd.DataFrame, kommunenr: str, tjeneste: str, indekstype: str) -> int:
    row = indeks[(indeks["kommunenr"] == kommunenr) & (indeks["tjeneste"] == tjeneste)
                 & (indeks["indekstype"] == indekstype)]
    return int(row["rang"].iloc[0])


def test_changing_nothing_reproduces_every_stored_rank_and_value_exactly(demo_db, base):
    stored = read(demo_db, f"SELECT * FROM indeks WHERE aar = {AAR}")
    merged = stored.merge(base.indeks, on=KEY, how="outer", suffixes=("_db", "_ny"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert len(merged) == len(stored) == 11424
    assert merged["kommunenr"].nunique() == 357
    assert set(merged["indekstype"]) == {"kostnad", "kvalitet", "effektivitet", "finans", "kommuneindeks"}
    assert (merged["rang_db"].astype("Int64") == merged["rang_ny"].astype("Int64")).fillna(
        merged["rang_db"].isna() & merged["rang_ny"].isna()).all()
    assert (merged["antall_db"] == merged["antall_ny"]).all()
    both = merged["verdi_db"].notna()
    assert (merged.loc[both, "verdi_db"] == merged.loc[both, "verdi_ny"]).all()
    assert merged.loc[~both, "verdi_ny"].isna().all()


def test_the_alle_cost_rows_are_summed_again_exactly_as_stored(demo_db, base):
    stored = read(demo_db, f"SELECT * FROM kostnad WHERE aar = {AAR} AND tjeneste = 'alle'")
    again = base.kostnad[base.kostnad["tjeneste"] == ALLE]
    merged = stored.merge(again, on=["kommunenr"], suffixes=("_db", "_ny"))
    assert len(merged) == len(stored)
    for col in ("behovskorrigert_kr_per_innbygger", "netto_driftsutgifter_kr", "innsparingspotensial_kr"):
        both = merged[f"{col}_db"].notna()
        assert (merged.loc[both, f"{col}_db"] == merged.loc[both, f"{col}_ny"]).all(), col


@pytest.mark.parametrize("kommunenr,tjeneste", [
    ("5605", "pleie_og_omsorg"), ("5605", "sosial"), ("0301", "grunnskole"),
    ("1804", "barnehage"), ("5601", "administrasjon"),
])
def test_spending_like_the_group_saves_exactly_the_stored_innsparingspotensial(base, tables, kommunenr, tjeneste):
    k = base.kostnad
    row = k[(k["kommunenr"] == kommunenr) & (k["tjeneste"] == tjeneste)].iloc[0]
    change = CostChange(kommunenr, tjeneste, float(row["gruppesnitt_kr_per_innbygger"]))
    after = recompute_with(base, tables, default_config(), cost=[change])
    assert innsparing_kr(base.kostnad, after.kostnad, kommunenr) == pytest.approx(
        row["innsparingspotensial_kr"], abs=1.0)


def test_the_partial_recomputation_equals_a_full_one_of_the_changed_tables(base, tables):
    config = default_config()
    cost = [CostChange("5605", "pleie_og_omsorg", 29000.0), CostChange("0301", "helse", 4000.0)]
    indicators = [IndicatorChange("5601", "grunnskolepoeng", 45.0)]
    partial = recompute_with(base, tables, config, cost=cost, indicators=indicators)
    innbyggere = tables.befolkning.set_index("kommunenr")["innbyggere"]
    changed = replace(
        tables,
        kostnad=apply_cost_changes(tables.kostnad, cost, innbyggere),  # 'alle' summed again
        indikatorverdi=apply_indicator_changes(tables.indikatorverdi, indicators),
    )
    full = recompute(changed, config)
    merged = partial.indeks.merge(full.indeks, on=KEY, suffixes=("_p", "_f"))
    assert len(merged) == len(full.indeks)
    assert (merged["rang_p"].fillna(-1) == merged["rang_f"].fillna(-1)).all()
    assert (merged["verdi_p"].fillna(-1.0) == merged["verdi_f"].fillna(-1.0)).all()


def test_lower_cost_never_gives_a_worse_cost_rank(base, tables):
    config = default_config()
    for factor in (0.99, 0.95, 0.8):
        changes = scaled_costs(base.kostnad, "5605", KOSTNADSTJENESTER, factor)
        after = recompute_with(base, tables, config, cost=changes)
        for tjeneste in (*KOSTNADSTJENESTER, ALLE):
            assert rank(after.indeks, "5605", tjeneste, "kostnad") <= rank(base.indeks, "5605", tjeneste, "kostnad")


def test_a_better_indicator_never_gives_a_worse_quality_rank(base, tables):
    config = default_config()
    v = base.verdier
    own = float(v[(v["kommunenr"] == "5601") & (v["indikator"] == "grunnskolepoeng")]["verdi"].iloc[0])
    after = recompute_with(base, tables, config, indicators=[IndicatorChange("5601", "grunnskolepoeng", own + 2)])
    assert rank(after.indeks, "5601", "grunnskole", "kvalitet") < rank(base.indeks, "5601", "grunnskole", "kvalitet")
    assert rank(after.indeks, "5601", ALLE, "kvalitet") <= rank(base.indeks, "5601", ALLE, "kvalitet")


def test_the_solver_finds_the_highest_cost_that_reaches_the_rank(base, tables):
    config = default_config()
    target = ("pleie_og_omsorg", "kostnad")
    factor = solve_cost_factor(base, tables, config, "5607", ("pleie_og_omsorg",), target, 100)
    assert factor is not None and factor < 1.0

    def at(f: float) -> int:
        changes = scaled_costs(base.kostnad, "5607", ("pleie_og_omsorg",), f)
        return rank_of(base, tables, config, "5607", target, changes)

    assert at(factor) <= 100
    assert at(factor * 1.001) > 100
    # The cheap rank agrees with the full recomputation.
    full = recompute_with(base, tables, config, cost=scaled_costs(base.kostnad, "5607", ("pleie_og_omsorg",), factor))
    assert rank(full.indeks, "5607", *target) == at(factor)


def test_the_solver_says_none_when_cost_alone_cannot_reach_the_rank(base, tables):
    target = ("pleie_og_omsorg", "effektivitet")
    assert solve_cost_factor(base, tables, default_config(), "5607", ("pleie_og_omsorg",), target, 1) is None


def test_recomputing_never_changes_the_tables_it_was_given(tables, base):
    before = {name: getattr(tables, name).copy() for name in ("kostnad", "indikatorverdi", "finans")}
    recompute_with(base, tables, default_config(), cost=[CostChange("5605", "helse", 1.0)],
                   indicators=[IndicatorChange("5605", "grunnskolepoeng", 1.0)])
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(tables, name), frame)


def test_build_order_puts_alle_last_and_services_in_contract_order(tables):
    ordered = build_order(tables).kostnad
    assert list(dict.fromkeys(ordered["tjeneste"])) == [*KOSTNADSTJENESTER, ALLE]
    first = ordered[ordered["tjeneste"] == "grunnskole"]["kommunenr"]
    assert first.is_monotonic_increasing
