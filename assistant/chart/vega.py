"""What every chart shares: the Vega-Lite dict from an Altair chart, and a cached template
filled with an answer's rows, title and text alternative. Building with Altair costs ~30 ms, so
each kind of chart is built once over the named data set "rader" and copied per answer."""

import copy

import altair as alt
import pandas as pd

WIDTH = 520
FONT = 14
DATA = alt.NamedData("rader")


def vega_spec(chart) -> dict:
    """An Altair chart as a Vega-Lite dict, in the answers' width and font sizes."""
    return (
        chart.properties(width=WIDTH)
        .configure_axis(labelFontSize=FONT, titleFontSize=FONT)
        .configure_title(fontSize=FONT + 2)
        .configure_legend(labelFontSize=FONT, titleFontSize=FONT)
        .to_dict()
    )


def filled(template: dict, df: pd.DataFrame, title: str, description: str, x_title: str | None = None) -> dict:
    """A copy of a template with the rows, a title and a one-line `description` for screen readers.

    >>> spec = filled({"encoding": {"x": {}}}, pd.DataFrame({"a": [1.0, None]}), "T", "D", "X")
    >>> spec["datasets"]["rader"], spec["title"], spec["encoding"]["x"]["title"]
    ([{'a': 1.0}, {'a': None}], 'T', 'X')
    """
    spec = copy.deepcopy(template)
    spec["datasets"] = {"rader": df.astype(object).where(df.notna(), None).to_dict("records")}
    spec["title"] = title
    spec["description"] = description
    if x_title:
        spec["encoding"]["x"]["title"] = x_title
    return spec


def with_source(chart: dict | None, demo: bool) -> dict | None:
    """The chart's title says when the numbers are demo data."""
    if chart and demo:
        chart["title"] += " (demodata)"
    return chart
