"""docs/metode.md, rendered from docs/metode.template.md and a worked example computed from a
built database, so the document cannot drift from the code. A test compares the two.

`python -m kommuneindeks.metode [DB] > docs/metode.md` writes it.
"""

import sys
from pathlib import Path

import duckdb

from assistant.text.formatting import kroner, tall
from scoring.config import default_config
from scoring.demodata import load_settings
from scoring.kostnad import linear_index
from scoring.rang import mean_without_outliers

DOCS = Path(__file__).resolve().parents[1] / "docs"
EKSEMPEL = "5605"  # Sør-Varanger
NANNESTAD = "3238"  # the report's example
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


STATUSORD = {"ekte": "ekte tall", "estimat": "beregnet fra ekte tall", "demo": "demodata"}


def _kilde(con, tabell: str, maal: str) -> str:
    """Where a table's measure comes from in the example year, in words."""
    status, kreditering = _one(
        con,
        "SELECT status, kreditering FROM datakilde WHERE tabell=? AND maal=? AND aar=?",
        [tabell, maal, AAR],
    )
    words = STATUSORD[status]
    return words if status == "demo" else f"{words}; {kreditering}"


def _index_table(con, nr: str) -> str:
    rows = con.execute(
        """SELECT i.indekstype, i.verdi, i.rang, i.antall, d.status FROM indeks i
           JOIN datakilde d ON d.tabell = 'indeks' AND d.maal = i.indekstype || ':alle'
                AND d.aar = i.aar
           WHERE i.kommunenr=? AND i.aar=? AND i.tjeneste='alle' ORDER BY i.indekstype""",
        [nr, AAR],
    ).fetchall()
    lines = ["| indeks | verdi | rang | av | tallene |", "|---|---:|---:|---:|---|"]
    lines += [f"| {t} | {tall(v)} | {r} | {a} | {STATUSORD[s]} |" for t, v, r, a, s in rows]
    return "\n".join(lines)


def _finance_line(con, nr: str) -> str:
    dr, gjeld, fond = _one(
        con,
        "SELECT netto_driftsresultat_pst, netto_lanegjeld_pst, disposisjonsfond_pst FROM finans "
        "WHERE kommunenr=? AND aar=?",
        [nr, AAR],
    )
    return (f"netto driftsresultat {tall(dr, 1)} %, netto lånegjeld {tall(gjeld, 1)} % og "
            f"disposisjonsfond {tall(fond, 1)} % (demodata) av brutto driftsinntekter")


def _national(con) -> dict[str, str]:
    """The national mean of the cost index on the example year, and Nannestad on it."""
    c = default_config()
    values = con.execute(
        "SELECT behovskorrigert_kr_per_innbygger FROM kostnad WHERE aar=? AND tjeneste='alle' "
        "AND behovskorrigert_kr_per_innbygger IS NOT NULL",
        [AAR],
    ).df()["behovskorrigert_kr_per_innbygger"]
    kr, verdi, rang = _one(
        con,
        """SELECT k.behovskorrigert_kr_per_innbygger, i.verdi, i.rang FROM kostnad k
           JOIN indeks i USING (aar, kommunenr, tjeneste)
           WHERE k.aar=? AND k.tjeneste='alle' AND k.kommunenr=? AND i.indekstype='kostnad'""",
        [AAR, NANNESTAD],
    )
    return {
        "snitt_2024": tall(mean_without_outliers(values, c.vekter.uteligger_sd), 0),
        "nannestad_kr": tall(kr, 0),
        "nannestad_indeks": tall(verdi),
        "nannestad_rang": str(rang),
        "nannestad_rapport": tall(linear_index(64_872, 70_400, c.vekter.kostnad_poeng_per_1000_kr)),
    }


def _weights() -> dict[str, str]:
    c = default_config()
    v = c.vekter
    tjenester = ", ".join(f"{t.navn.lower()} {tall(t.kvalitetsvekt, 1)}" for t in c.tjenester)
    navn = {t.tjeneste: t.navn.lower() for t in c.tjenester}
    demo = load_settings()["kostnad"]["kommune"]
    return {
        "finansvekter": ", ".join(f"{k} {tall(w * 100, 0)} %" for k, w in v.finans.items()),
        "kvalitetsvekter": tjenester,
        "uteligger_sd": tall(v.uteligger_sd, 1),
        "dekning_min": tall(v.dekning_min * 100, 0),
        "skala": tall(v.skala_per_sd, 2),
        "poeng": tall(v.kostnad_poeng_per_1000_kr, 3),
        "sammenstilling": v.sammenstilling,
        "antall_kvalitet": str(sum(i.gruppe == "kvalitet" for i in c.indikatorer)),
        "antall_forklaring": str(sum(i.gruppe == "forklaring" for i in c.indikatorer)),
        "fgk9_vekter": ", ".join(f"{navn[k]} {tall(w, 4)}" for k, w in c.regnskap.fgk9.items()),
        "lonnsandeler": ", ".join(f"{navn[k]} {tall(w, 2)}" for k, w in c.regnskap.lonnsandel.items()),
        "sentralitet_effekt": tall(demo["sentralitet_effekt"], 3),
        "persistens": tall(demo["persistens"], 2),
    }


def render(con: duckdb.DuckDBPyConnection) -> str:
    """docs/metode.md for the database behind the read-only connection `con`."""
    template = (DOCS / "metode.template.md").read_text(encoding="utf-8")
    navn, gruppe = _one(con, "SELECT kommune, kostragruppe FROM kommune WHERE kommunenr=?", [EKSEMPEL])
    kostnad = _kilde(con, "kostnad", "alle")
    values = {
        "eksempel_navn": navn,
        "eksempel_gruppe": str(gruppe),
        "aar": str(AAR),
        "datagrunnlag": f"kostnadene er {STATUSORD[_status(con, 'kostnad', 'alle')]}, kvaliteten "
        f"er {STATUSORD[_status(con, 'indeks', 'kvalitet:alle')]}",
        "kostnadskilde": kostnad,
        "finanskilde": _kilde(con, "finans", "netto_driftsresultat_pst"),
        "kostnadstabell": _cost_table(con, EKSEMPEL),
        "indekstabell": _index_table(con, EKSEMPEL),
        "finanslinje": _finance_line(con, EKSEMPEL),
        **_national(con),
        **_weights(),
    }
    return template.format(**values)


def _status(con, tabell: str, maal: str) -> str:
    return _one(
        con, "SELECT status FROM datakilde WHERE tabell=? AND maal=? AND aar=?", [tabell, maal, AAR]
    )[0]


if __name__ == "__main__":
    from scoring.contract import DEFAULT_DB

    path = Path(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DB)
    with duckdb.connect(str(path), read_only=True) as connection:
        sys.stdout.write(render(connection))
