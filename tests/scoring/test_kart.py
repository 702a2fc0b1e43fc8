"""The map made at build time: simplified outlines beside the database, and the `nabo` table of
municipalities that share a border."""

import hashlib
import json

import pytest

from scoring.contract import KART_SUFFIX
from scoring.errors import DataError
from scoring.kart import KART_FILE, neighbours, read_topology, simplify_topology
from tests.conftest import open_read_only

MAX_KART_BYTES = 120_000  # the outlines go to the browser with every map: small enough to be quick


@pytest.fixture(scope="module")
def topology() -> dict:
    return read_topology()


@pytest.fixture(scope="module")
def kart(demo_db) -> dict:
    return json.loads(demo_db.with_name(demo_db.name + KART_SUFFIX).read_text(encoding="utf-8"))


def nabo(demo_db) -> dict[str, set[str]]:
    with open_read_only(demo_db) as con:
        rows = con.execute("SELECT kommunenr, nabo_kommunenr FROM nabo").fetchall()
    out: dict[str, set[str]] = {}
    for a, b in rows:
        out.setdefault(a, set()).add(b)
    return out


def test_the_outlines_are_an_unchanged_copy_with_their_licence():
    digest = "6e29d57a5f4d190c715c6605c1a692c1ee37dfc59befe8addde004ea10606f71"
    assert hashlib.sha256(KART_FILE.read_bytes()).hexdigest() == digest
    readme = (KART_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "robhop/fylker-og-kommuner" in readme


def test_the_build_writes_every_municipality_small_and_quantised(kart, demo_db):
    size = demo_db.with_name(demo_db.name + KART_SUFFIX).stat().st_size
    assert size < MAX_KART_BYTES, size
    geometries = kart["objects"]["kommuner"]["geometries"]
    with open_read_only(demo_db) as con:
        kommuner = {r[0] for r in con.execute("SELECT kommunenr FROM kommune").fetchall()}
    assert {g["id"] for g in geometries} == kommuner
    assert "transform" in kart and all(isinstance(v, int) for a in kart["arcs"] for p in a for v in p)


def test_simplified_arcs_stay_shared_so_neighbours_still_meet(topology):
    simple = simplify_topology(topology)
    users: dict[int, set[str]] = {}
    for g in simple["objects"]["kommuner"]["geometries"]:
        rings = g["arcs"] if g["type"] == "Polygon" else [r for p in g["arcs"] for r in p]
        for ring in rings:
            for i in ring:
                users.setdefault(i if i >= 0 else ~i, set()).add(g["id"])
    shared = {frozenset(u) for u in users.values() if len(u) == 2}
    assert frozenset({"0301", "3201"}) in shared  # Oslo and Bærum still draw one border
    assert len(simple["arcs"]) < len(topology["arcs"])
    points = sum(len(a) for a in simple["arcs"])
    assert points < sum(len(a) for a in topology["arcs"]) / 5


def test_neighbours_are_symmetric_and_known_borders_are_there(demo_db):
    pairs = nabo(demo_db)
    assert all(a in pairs.get(b, set()) for a, bs in pairs.items() for b in bs)
    assert all(a not in bs for a, bs in pairs.items())
    assert {"3201", "3207", "3222", "3232"} <= pairs["0301"]  # Oslo: Bærum, Nordre Follo, Lørenskog, Nittedal
    assert "1841" in pairs["1804"]  # Bodø and Fauske
    assert "1856" not in pairs  # Røst is an island on its own
    assert "4601" not in pairs["0301"]


def test_the_assistant_may_read_the_neighbour_table(assistant):
    columns, rows = assistant.sandbox.query(
        "SELECT n.nabo_kommunenr FROM nabo AS n WHERE n.kommunenr = '1804' ORDER BY 1"
    )
    assert columns == ["nabo_kommunenr"] and ["1841"] in rows


def test_neighbours_come_from_shared_arcs_only():
    topo = {"objects": {"kommuner": {"geometries": [
        {"type": "MultiPolygon", "arcs": [[[0, 1]], [[5]]], "properties": {"kommunenummer": "A"}},
        {"type": "Polygon", "arcs": [[~1, 2]], "properties": {"kommunenummer": "B"}},
        {"type": "Polygon", "arcs": [[~2, 3]], "properties": {"kommunenummer": "C"}},
    ]}}}  # fmt: skip
    assert neighbours(topo).values.tolist() == [["A", "B"], ["B", "A"], ["B", "C"], ["C", "B"]]


def test_a_broken_map_file_is_a_norwegian_data_error(tmp_path):
    bad = tmp_path / "kart.json"
    bad.write_text('{"objects": {}}', encoding="utf-8")
    with pytest.raises(DataError, match="kan ikke leses"):
        read_topology(bad)
