"""Maps of the municipalities: a Vega-Lite choropleth over the outlines the build simplified
(`scoring/kart.py`, written beside the database), for lists of municipalities, for «vis kart
over …» and for the kommunerapport's county. Every map carries its source line
(`usermeta.kilde`) for the screen to show under it."""

import json
import logging
from pathlib import Path

import pandas as pd

from assistant.chart.vega import config, title
from assistant.query.execute import Result
from assistant.text.formatting import tall
from assistant.text.phrases import i_aar, list_measure
from assistant.understand.context import Context
from assistant.understand.frame import Frame
from scoring.contract import KART_SUFFIX

__all__ = ["KART_KILDE", "kart_chart", "kart_for", "read_kart"]

log = logging.getLogger(__name__)

KART_KILDE = "Kommunegrenser: robhop/fylker-og-kommuner (CC BY 4.0)"
WIDTH, HEIGHT = 420, 560
TOM = "#dfe3e8"  # a municipality without a value (or outside the list)
MARKERT = "#1f2933"  # the outline of the municipality a report is about
# Diverging colours around a midpoint (an index's 1,00, a change of 0): orange below, blue above.
DIVERGING = {"scheme": "blueorange", "reverse": True}


def read_kart(db_path: Path) -> dict | None:
    """The outlines the build wrote beside the database, or None (with a warning) without them."""
    path = Path(db_path).with_name(Path(db_path).name + KART_SUFFIX)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        log.warning("Fant ikke kartet %s (%s): bygg databasen på nytt for å få kart.", path, err)
        return None


def kart_chart(
    kart: dict,
    data: pd.DataFrame,
    heading: str,
    legend: str,
    description: str,
    midpoint: float | None = None,
    only_listed: bool = False,
    markert: str | None = None,
) -> dict:
    """A choropleth: each municipality in `data` (kommunenr, kommune, verdi, tekst) coloured by
    `verdi`, the others grey (or left out with `only_listed`, and the map zooms to the rest);
    `markert` is outlined. Colours diverge around `midpoint` when it is given."""
    lookup = {"lookup": "id", "from": {"data": {"name": "rader"}, "key": "kommunenr",
                                       "fields": ["kommune", "verdi", "tekst"]}}
    listed = [{"filter": "isValid(datum.kommune)"}] if only_listed else []
    scale = {**DIVERGING, "domainMid": midpoint} if midpoint is not None else {"scheme": "blues"}
    tooltip = [{"field": "kommune", "title": "Kommune"}, {"field": "tekst", "title": legend}]
    layers = [
        {"mark": {"type": "geoshape", "fill": TOM, "stroke": "#ffffff", "strokeWidth": 0.4},
         "encoding": {"tooltip": tooltip}},
        {"transform": [{"filter": "isValid(datum.verdi)"}],
         "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.4},
         "encoding": {"color": {"field": "verdi", "type": "quantitative", "title": legend,
                                "scale": scale,
                                "legend": {"orient": "bottom", "direction": "horizontal",
                                           "gradientLength": 260, "titleLimit": 400}},
                      "tooltip": tooltip}},
    ]
    if markert:
        layers.append({"transform": [{"filter": {"field": "id", "equal": markert}}],
                       "mark": {"type": "geoshape", "fill": None, "stroke": MARKERT,
                                "strokeWidth": 2.5}})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": heading,
        "description": description,
        "width": WIDTH,
        "height": HEIGHT,
        "datasets": {"kart": kart, "rader": data.astype(object).where(data.notna(), None).to_dict("records")},
        "data": {"name": "kart", "format": {"type": "topojson", "feature": "kommuner"}},
        "transform": [lookup, *listed],
        "projection": {"type": "identity", "reflectY": True},  # the outlines are projected already
        "layer": layers,
        "config": {**config(), "view": {"stroke": None}},
        "usermeta": {"kilde": KART_KILDE},
    }


def kart_for(frame: Frame, results: list[Result], ctx: Context) -> dict | None:
    """The map of a list answer (or of «vis kart over …»): the listed municipalities coloured
    by the measure the list is ordered by. None without outlines or for another kind of answer."""
    measure = list_measure(frame, ctx)
    first = results[0]
    needed = {"kommunenr", "kommune", measure[0] if measure else ""}
    if ctx.kart is None or measure is None or not needed <= set(first.columns) or not first.rows:
        return None
    column, label = measure
    df = pd.DataFrame(first.rows, columns=first.columns).dropna(subset=[column])
    decimals = 2 if frame.sporsmaal == "liste" else (1 if df[column].abs().max() < 1000 else 0)
    data = pd.DataFrame({
        "kommunenr": df["kommunenr"], "kommune": df["kommune"], "verdi": df[column].astype(float),
        "tekst": df[column].map(lambda v: tall(v, decimals)),
    })
    midpoint = {"liste": 1.0, "endring": 0.0}.get(frame.sporsmaal)
    year = i_aar(frame.aar) if frame.sporsmaal in ("liste", "endring") else f" i {frame.aar}"
    chart = kart_chart(
        ctx.kart, data, title(label, year), label,
        f"Kart over Norges kommuner: {label.lower()} for {len(df)} kommuner{year}, fargelagt "
        "etter verdien; kommuner uten tall er grå. Tallene står i tabellen under svaret.",
        midpoint,
    )
    if ctx.er_demodata:
        chart["title"] += " (demodata)"
    return chart
