"""Frame → SQL: templates in query/sql/*.sql with named placeholders, filled as sqlglot
expressions (literals and column names), never by pasting text into SQL."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sqlglot
from sqlglot import exp

from assistant.understand.frame import Frame
from scoring.contract import ALLE, KOSTNADSTJENESTER

SQL_DIR = Path(__file__).resolve().parent / "sql"


@dataclass(frozen=True)
class Query:
    name: str  # the template's name, e.g. "rang"
    sql: str


@cache
def template(name: str) -> exp.Expression:
    """A parsed template (cached; copied before filling)."""
    return sqlglot.parse_one((SQL_DIR / f"{name}.sql").read_text(encoding="utf-8"), read="duckdb")


def warm_up() -> None:
    """Parse every SQL template once, before the first question."""
    for path in SQL_DIR.rglob("*.sql"):
        template(str(path.relative_to(SQL_DIR).with_suffix("")))


def _value(v) -> exp.Expression:
    if isinstance(v, exp.Expression):
        return v
    if v is None:
        return exp.null()
    if isinstance(v, (list, tuple)):
        return exp.Tuple(expressions=[_value(x) for x in v])
    return exp.convert(v)


def fill(name: str, **values) -> Query:
    """Fill a template's placeholders with values.

    >>> fill("antall", aar=2024, tjeneste="alle", indekstype="kommuneindeks").sql.count("2024")
    1
    """
    filled = exp.replace_placeholders(template(name).copy(), **{k: _value(v) for k, v in values.items()})
    return Query(name, filled.sql(dialect="duckdb"))


def _filters(frame: Frame) -> dict:
    return {"fylke": frame.fylke, "kostragruppe": frame.kostragruppe}


def _sign(frame: Frame) -> int:
    return -1 if frame.verst else 1


def _indicator_order(frame: Frame) -> exp.Expression:
    """ "Mest/høyest X" orders by the value, highest first ("lavest", lowest first); "best" or
    "verst" by the rank, which follows the indicator's direction."""
    if "hoy" in frame.retning or "lav" in frame.retning:
        verdi = exp.column("verdi", table="v")
        return verdi if "lav" in frame.retning else exp.Neg(this=verdi)
    rang = exp.column("rang", table="v")
    return exp.Neg(this=rang) if frame.verst else rang


def _rank_years(frame: Frame, years: tuple[int, ...]) -> tuple[int, ...]:
    if frame.sporsmaal == "utvikling":  # «siden 2023», «siden i fjor»: from that year; else all
        first = frame.fra_aar if "fra_aar" in frame.explicit and frame.fra_aar is not None else min(years)
        return tuple(y for y in years if first <= y <= frame.aar)
    if frame.sporsmaal == "forklaring":
        return tuple(y for y in years if y in (frame.aar, frame.aar - 1))
    return (frame.aar,)


def _chart_query(frame: Frame) -> Query:
    """The data behind a single municipality's rank chart: cost against quality for every
    municipality where the service has both, else its KOSTRA group on the first index."""
    if frame.tjeneste == ALLE or frame.tjeneste in KOSTNADSTJENESTER:
        return fill("spredning", aar=frame.aar, tjeneste=frame.tjeneste)
    return fill("gruppe", aar=frame.aar, tjeneste=frame.tjeneste,
                indekstype=frame.indekstyper[0], kommunenr=frame.kommuner[0])


def queries(frame: Frame, years: tuple[int, ...]) -> list[Query]:
    """The SQL that answers a (finished) frame; the first query carries the answer's rows."""
    s = frame.sporsmaal
    if s in ("rang", "sammenlign", "utvikling", "forklaring"):
        rang = fill(
            "rang_historikk" if s == "forklaring" else "rang",
            tjeneste=frame.tjeneste,
            indekstyper=frame.indekstyper,
            aar=_rank_years(frame, years),
            kommuner=frame.kommuner,
        )
        if s == "rang" and len(frame.kommuner) == 1:
            return [rang, _chart_query(frame)]
        if s != "forklaring":
            return [rang]
        extra = [fill("forklaring", aar=frame.aar, tjeneste=frame.tjeneste, kommuner=frame.kommuner)]
        if frame.tjeneste == ALLE or frame.tjeneste in KOSTNADSTJENESTER:
            extra.append(fill("kostnad", kommuner=frame.kommuner, aar=frame.aar, tjeneste=frame.tjeneste))
        return [rang, *extra]
    fra, til = frame.plasser or (frame.plass, frame.plass)
    if s == "liste" and fra and not (frame.fylke or frame.kostragruppe):
        # national ranks: every municipality sharing a rank in the range
        return [fill("liste_plass", aar=frame.aar, tjeneste=frame.tjeneste,
                     indekstype=frame.indekstyper[0], fra=fra, til=til)]
    if s == "endring":
        return [fill("endring_liste", aar=frame.aar, fra_aar=frame.fra_aar, tjeneste=frame.tjeneste,
                     indekstype=frame.indekstyper[0], fortegn=_sign(frame), n=frame.n, **_filters(frame))]
    if s == "fakta":
        return [fill("kommune_fakta", kommuner=frame.kommuner)]
    if s == "liste":  # within a county or group, a range counts from the top of the list
        return [
            fill("liste", aar=frame.aar, tjeneste=frame.tjeneste, indekstype=frame.indekstyper[0],
                 fortegn=_sign(frame), n=frame.n, forskyv=(fra or 1) - 1, **_filters(frame))
        ]
    if s == "innsparing":
        tjeneste = frame.tjeneste if frame.tjeneste in KOSTNADSTJENESTER else ALLE
        if frame.kommuner:
            return [fill("innsparing", kommuner=frame.kommuner, aar=frame.aar, tjeneste=tjeneste)]
        return [fill("innsparing_liste", aar=frame.aar, tjeneste=tjeneste, fortegn=_sign(frame),
                     n=frame.n, **_filters(frame))]
    if s == "kostnad":
        tjeneste = frame.tjeneste if frame.tjeneste in KOSTNADSTJENESTER else ALLE
        if frame.kommuner:
            return [fill("kostnad", kommuner=frame.kommuner, aar=frame.aar, tjeneste=tjeneste)]
        # Amounts list the highest first unless the question asks for the lowest.
        maal = exp.column(frame.kostnadsmaal or "behovskorrigert_kr_per_innbygger", table="c")
        return [fill("kostnad_liste", aar=frame.aar, tjeneste=tjeneste, n=frame.n, maal=maal,
                     fortegn=-1 if frame.lavest else 1, **_filters(frame))]
    if s == "finans":
        if frame.kommuner:
            return [fill("finans", kommuner=frame.kommuner, aar=frame.aar)]
        maal = frame.finansmaal[0]
        return [fill("finans_liste", aar=frame.aar, maal=exp.column(maal), n=frame.n,
                     fortegn=-1 if frame.lavest else 1, **_filters(frame))]
    if s == "indikator":
        if frame.kommuner:
            return [fill("indikator", indikatorer=frame.indikatorer, aar=frame.aar, kommuner=frame.kommuner)]
        return [fill("indikator_liste", aar=frame.aar, indikator=frame.indikatorer[0],
                     orden=_indicator_order(frame), n=frame.n, **_filters(frame))]
    if s == "antall":
        if (frame.fylke or frame.kostragruppe) and not frame.explicit & {"tjeneste", "indekstyper"}:
            return [fill("antall_kommuner", **_filters(frame))]
        return [fill("antall", aar=frame.aar, tjeneste=frame.tjeneste, indekstype=frame.indekstyper[0])]
    if s == "snitt":
        if frame.finansmaal:
            return [fill("snitt_finans", aar=frame.aar, maal=exp.column(frame.finansmaal[0]), **_filters(frame))]
        if frame.kostnadsmaal or "kostnadsverdi" in frame.explicit:
            maal = exp.column(frame.kostnadsmaal or "behovskorrigert_kr_per_innbygger", table="c")
            return [fill("snitt_kostnad", aar=frame.aar, tjeneste=frame.tjeneste, maal=maal, **_filters(frame))]
        if frame.indikatorer:
            return [fill("snitt_indikator", aar=frame.aar, indikator=frame.indikatorer[0], **_filters(frame))]
        return [fill("snitt", aar=frame.aar, tjeneste=frame.tjeneste,
                     indekstype=frame.indekstyper[0], **_filters(frame))]
    if s == "befolkning":
        if frame.kommuner:
            return [fill("befolkning", kommuner=frame.kommuner, aar=frame.aar)]
        if frame.retning or "n" in frame.explicit:
            return [fill("befolkning_liste", aar=frame.aar, n=frame.n,
                         fortegn=-1 if frame.lavest else 1, **_filters(frame))]
        return [fill("befolkning_sum", aar=frame.aar, **_filters(frame))]
    raise ValueError(f"ingen SQL for spørsmålstypen {s}")

