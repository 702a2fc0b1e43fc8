"""docs/metode.md, rendered from docs/metode.template.md and a worked example computed from a
built database, so the document cannot drift from the code. A test compares the two.

`python -m kommuneindeks.metode [DB] > docs/metode.md` writes it.
"""

import sys
from pathlib import Path

import duckdb

from assistant.text.formatting import kroner, tall
from scoring.config import default_config

DOCS = Path(__file__).resolve().parents[1] / "docs"
EKSEMPEL = "5605"  # Sør-Varanger
AAR = 2024


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list):
    return con.execute(sql, params).fetchone()


def _cost_table(con, nr: str) -> str:
    rows = con.execute(
        """SELECT t.navn, c.kr_per_innbygger, c.behovsindeks, c.behovskorrigert_kr_per_innbygger,
                  c.gruppesnitt_kr_per_innbygger, c.innsparingspotensial_kr, i.verdi, i.rang
           FROM kostnad c LEFT JOIN tjeneste t USING (tjeneste)
           JOIN indeks i ON i.aar=c.aar AND i.kommunenr=c.kommunenr AND i.tjeneste=c.tjeneste
                AND i.indekstype='kostnad'
           WHERE c.kommunenr=? AND c.aar=? ORDER BY c.tjeneste='alle', t.navn""",
        [nr, AAR],
    ).fetchall()
    lines = [
        "| tjeneste | kr per innbygger | behovsindeks | behovskorrigert kr | snitt i gruppen | innsparingspotensial | kostnadsindeks | rang |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for navn, kr, behov, korr, gruppe, spar, verdi, rang in rows:
        lines.append(
            f"| {navn or 'Alle sju (sum)'} | {tall(kr, 0)} | {tall(behov)} | {tall(korr, 0)} | "
            f"{tall(gruppe, 0)} | {kroner(spar)} | {tall(verdi)} | {rang} |"
        )
    return "\n".join(lines)


def _index_table(con, nr: str) -> str:
    rows = con.execute(
        """SELECT indekstype, verdi, rang, antall FROM indeks
           WHERE kommunenr=? AND aar=? AND tjeneste='alle' ORDER BY indekstype""",
        [nr, AAR],
    ).fetchall()
    lines = ["| indeks | verdi | rang | av |", "|---|---:|---:|---:|"]
    lines += [f"| {t} | {tall(v)} | {r} | {a} |" for t, v, r, a in rows]
    return "\n".join(lines)


def _finance_line(con, nr: str) -> str:
    dr, gjeld, fond = _one(
        con,
        "SELECT netto_driftsresultat_pst, netto_lanegjeld_pst, disposisjonsfond_pst FROM finans "
        "WHERE kommunenr=? AND aar=?",
        [nr, AAR],
    )
    return (f"netto driftsresultat {tall(dr, 1)} %, netto lånegjeld {tall(gjeld, 1)} % og "
            f"disposisjonsfond {tall(fond, 1)} % av brutto driftsinntekter")


def _weights() -> dict[str, str]:
    c = default_config()
    v = c.vekter
    tjenester = ", ".join(f"{t.navn.lower()} {tall(t.kvalitetsvekt, 1)}" for t in c.tjenester)
    return {
        "finansvekter": ", ".join(f"{k} {tall(w * 100, 0)} %" for k, w in v.finans.items()),
        "kvalitetsvekter": tjenester,
        "uteligger_sd": tall(v.uteligger_sd, 1),
        "dekning_min": tall(v.dekning_min * 100, 0),
        "skala": tall(v.skala_per_sd, 2),
        "antall_indikatorer": str(len(c.indikatorer)),
    }


def render(con: duckdb.DuckDBPyConnection) -> str:
    """docs/metode.md for the database behind the read-only connection `con`."""
    template = (DOCS / "metode.template.md").read_text(encoding="utf-8")
    navn, gruppe = _one(con, "SELECT kommune, kostragruppe FROM kommune WHERE kommunenr=?", [EKSEMPEL])
    demo = _one(con, "SELECT bool_or(er_demodata) FROM datakilde", [])[0]
    values = {
        "eksempel_navn": navn,
        "eksempel_gruppe": str(gruppe),
        "aar": str(AAR),
        "datagrunnlag": "demodata (syntetiske tall)" if demo else "KOSTRA-data fra SSB",
        "kostnadstabell": _cost_table(con, EKSEMPEL),
        "indekstabell": _index_table(con, EKSEMPEL),
        "finanslinje": _finance_line(con, EKSEMPEL),
        **_weights(),
    }
    return template.format(**values)


if __name__ == "__main__":
    from scoring.contract import DEFAULT_DB

    path = Path(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DB)
    with duckdb.connect(str(path), read_only=True) as connection:
        sys.stdout.write(render(connection))
