"""The map of the municipalities, made once at build time from `data/kart/kommuner.json`
(TopoJSON of the 357 municipalities, CC BY 4.0, «robhop/fylker-og-kommuner», see
`data/kart/README.md`):

- the outlines projected (transverse Mercator at 15° E, in kilometres, so a chart draws them
  flat with Vega-Lite's `identity` projection and no ring can turn inside out on the sphere),
  simplified (Douglas–Peucker on each shared arc, so neighbours still meet), islands too small
  to see at country scale left out, and the coordinates quantised and delta-encoded, written
  as TopoJSON next to the database (`KART_SUFFIX`), each outline with the municipality's number
  as its `id`, for the assistant's map charts. Geometry
  stays out of the database: a cell of it would pass any sane limit on a query result's size;
- the `nabo` table: one row per ordered pair of municipalities that share a border (an arc of
  the original outlines used by both), in both directions.
"""

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.contract import DATA_DIR, EXTRA_TABLES
from scoring.errors import DataError

__all__ = ["KART_FILE", "neighbours", "read_topology", "simplify_topology", "write_kart"]

KART_FILE = DATA_DIR / "kart" / "kommuner.json"
OBJECT = "kommuner"
TOLERANCE_KM = 2.0  # no point of an outline moves further than this (a pixel is ~2,5 km)
MIN_AREA_KM2 = 10.0  # smaller islands and lakes are left out (a municipality keeps its largest part)
QUANTISATION = 5_000  # grid steps across the bounding box (~0,4 km)
EARTH_RADIUS_KM = 6371.0
CENTRAL_MERIDIAN = 15.0  # as UTM zone 33, Norway's map projection

Ring = list[int]  # arc indices, ~i for an arc walked backwards (TopoJSON)


def read_topology(path: Path = KART_FILE) -> dict:
    """The TopoJSON file, checked to hold the object `kommuner` with a `kommunenummer` each."""
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
        geometries = topology["objects"][OBJECT]["geometries"]
        if not all(g["properties"]["kommunenummer"] for g in geometries):
            raise KeyError("kommunenummer")
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise DataError(f"Kartfilen {path} kan ikke leses som TopoJSON med «{OBJECT}»: {err}") from err
    if "transform" in topology:
        raise DataError(f"Kartfilen {path} er allerede kvantisert; bruk originalfilen.")
    return topology


def _rings(geometry: dict) -> list[Ring]:
    """Every ring (outer and holes) of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return list(geometry["arcs"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["arcs"] for ring in polygon]
    return []


def _arc(i: int) -> int:
    return i if i >= 0 else ~i


def neighbours(topology: dict) -> pd.DataFrame:
    """Pairs of municipalities whose outlines share an arc (a stretch of border), both ways.

    >>> topo = {"objects": {"kommuner": {"geometries": [
    ...     {"type": "Polygon", "arcs": [[0, 1]], "properties": {"kommunenummer": "A"}},
    ...     {"type": "Polygon", "arcs": [[~1, 2]], "properties": {"kommunenummer": "B"}},
    ...     {"type": "Polygon", "arcs": [[3]], "properties": {"kommunenummer": "C"}}]}}}
    >>> neighbours(topo).values.tolist()
    [['A', 'B'], ['B', 'A']]
    """
    users: dict[int, set[str]] = defaultdict(set)
    for g in topology["objects"][OBJECT]["geometries"]:
        for ring in _rings(g):
            for i in ring:
                users[_arc(i)].add(g["properties"]["kommunenummer"])
    pairs = {(a, b) for kommuner in users.values() for a in kommuner for b in kommuner if a != b}
    columns = list(EXTRA_TABLES["nabo"])
    return pd.DataFrame(sorted(pairs), columns=columns)


def _douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """The points to keep (a boolean mask) of an open line: its ends, and every point further
    than `tolerance` from the line between the kept points on either side."""
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = points[first], points[last]
        inner = points[first + 1 : last]
        ab = b - a
        length = math.hypot(*ab)
        if length == 0:
            dist = np.hypot(*(inner - a).T)
        else:
            dist = np.abs(ab[0] * (inner[:, 1] - a[1]) - ab[1] * (inner[:, 0] - a[0])) / length
        k = int(np.argmax(dist))
        if dist[k] > tolerance:
            middle = first + 1 + k
            keep[middle] = True
            stack += [(first, middle), (middle, last)]
    return keep


def _simplify_arc(points: np.ndarray, tolerance: float) -> np.ndarray:
    """An arc with fewer points. A closed arc (an island's whole coast) is split at its point
    furthest from the start, so it keeps at least a triangle."""
    if len(points) > 3 and np.array_equal(points[0], points[-1]):
        far = int(np.argmax(np.hypot(*(points - points[0]).T)))
        keep = np.concatenate([
            _douglas_peucker(points[: far + 1], tolerance)[:-1],
            _douglas_peucker(points[far:], tolerance),
        ])
        return points[keep]
    return points[_douglas_peucker(points, tolerance)]


def _area_km2(ring: Ring, arcs: Sequence[np.ndarray]) -> float:
    """The area a ring encloses, from its (simplified, projected) arcs."""
    parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in ring]
    xy = np.concatenate(parts)
    x, y = xy[:, 0], xy[:, 1]
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2


def _keep_rings(geometry: dict, arcs: Sequence[np.ndarray], min_area: float) -> dict | None:
    """The geometry without rings smaller than `min_area`, always with its largest polygon."""
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    areas = [_area_km2(p[0], arcs) for p in polygons]
    if not areas:
        return None
    largest = int(np.argmax(areas))
    kept = [
        [p[0], *(hole for hole in p[1:] if _area_km2(hole, arcs) >= min_area)]
        for i, p in enumerate(polygons)
        if i == largest or areas[i] >= min_area
    ]
    if len(kept) == 1:
        return {**geometry, "type": "Polygon", "arcs": kept[0]}
    return {**geometry, "type": "MultiPolygon", "arcs": kept}


def project(lonlat: np.ndarray) -> np.ndarray:
    """Longitude and latitude (degrees) to kilometres east and north, spherical transverse
    Mercator around 15° E.

    >>> project(np.array([[15.0, 0.0], [15.0, 60.0]])).round(1).tolist()
    [[0.0, 0.0], [0.0, 6671.7]]
    """
    lon = np.radians(lonlat[:, 0] - CENTRAL_MERIDIAN)
    lat = np.radians(lonlat[:, 1])
    b = np.cos(lat) * np.sin(lon)
    x = EARTH_RADIUS_KM * np.arctanh(b)
    y = EARTH_RADIUS_KM * np.arctan2(np.tan(lat), np.cos(lon))
    return np.column_stack([x, y])


def _quantised(arcs: Sequence[np.ndarray]) -> tuple[list, dict, list[float]]:
    """Arcs on an integer grid, delta-encoded as TopoJSON stores them, the transform and the
    bounding box."""
    points = np.concatenate(arcs)
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    scale = [(x1 - x0) / (QUANTISATION - 1), (y1 - y0) / (QUANTISATION - 1)]
    out = []
    for arc in arcs:
        grid = np.rint((arc - [x0, y0]) / scale).astype(np.int64)
        moved = np.any(np.diff(grid, axis=0) != 0, axis=1)
        grid = grid[np.concatenate([[True], moved])]  # a point on the same grid cell is dropped
        if len(grid) < 2:
            grid = np.vstack([grid, grid])
        deltas = np.vstack([grid[:1], np.diff(grid, axis=0)])
        out.append(deltas.tolist())
    bbox = [round(float(v), 3) for v in (x0, y0, x1, y1)]
    return out, {"scale": scale, "translate": [float(x0), float(y0)]}, bbox


def simplify_topology(topology: dict) -> dict:
    """The outlines for a map of the country: projected and simplified arcs, small islands
    left out, and quantised coordinates. Arcs no kept ring uses are dropped and the rest
    renumbered."""
    km = [project(np.asarray(a, dtype=float)) for a in topology["arcs"]]
    simple = [_simplify_arc(a, TOLERANCE_KM) for a in km]
    geometries = []
    for g in topology["objects"][OBJECT]["geometries"]:
        kept = _keep_rings(g, simple, MIN_AREA_KM2)
        if kept is not None:
            # the municipality's number as the feature's id; names come with the data
            geometries.append({"type": kept["type"], "arcs": kept["arcs"],
                               "id": g["properties"]["kommunenummer"]})
    used = sorted({_arc(i) for g in geometries for ring in _rings(g) for i in ring})
    number = {old: new for new, old in enumerate(used)}

    def renumber(ring: Ring) -> Ring:
        return [number[i] if i >= 0 else ~number[~i] for i in ring]

    for g in geometries:
        if g["type"] == "Polygon":
            g["arcs"] = [renumber(r) for r in g["arcs"]]
        else:
            g["arcs"] = [[renumber(r) for r in p] for p in g["arcs"]]
    arcs, transform, bbox = _quantised([simple[i] for i in used])
    return {
        "type": "Topology",
        "bbox": bbox,
        "transform": transform,
        "objects": {OBJECT: {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }


def write_kart(topology: dict, path: Path) -> None:
    """Write the simplified outlines atomically (a temporary file, then a rename)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(topology, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(path)
