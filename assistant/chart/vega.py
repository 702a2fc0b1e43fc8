"""What every chart shares: the Vega-Lite dict from an Altair chart, and a cached template
filled with an answer's rows, title and text alternative. Building with Altair costs ~30 ms, so
each kind of chart is built once over the named data set "rader" and copied per answer.

Every chart speaks Norwegian: a format locale (decimal comma, a space between thousands),
labels that wrap instead of being cut, no per-mark screen-reader labels (the chart's one-line
`description` says it in words), and its text at the page's size (`sized` for the kiosk).
Used by `frames`, `shapes`, `kart` and the report's static figures."""

import copy
import textwrap

import altair as alt
import pandas as pd

WIDTH = 520
FONT = 14  # px: the text of a chart beside the page's own text
DATA = alt.NamedData("rader")
# d3-format's locale for Norwegian bokmål, as Vega-Lite takes it in `config.locale`.
LOCALE = {
    "number": {
        "decimal": ",",
        "thousands": "\u00a0",
        "grouping": [3],
        "currency": ["", "\u00a0kr"],
        "minus": "\u2212",
    }
}
LABEL_LINES = "split(datum.label, '\\n')"  # an axis label wrapped by `wrap` shows on its lines
LABEL_LIMIT = 320  # px: wide enough for a wrapped line, so no label is cut with "…"


def wrap(text: str, width: int = 26) -> str:
    """A long label in lines of at most `width` characters (joined by a newline), so an axis
    can show all of it and two long labels never read the same.

    >>> wrap("Andel elever som fullfører videregående innen fem år")
    'Andel elever som fullfører\\nvideregående innen fem år'
    >>> wrap("Bodø")
    'Bodø'
    """
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def title(what: str, year: str = "") -> str:
    r"""A chart title: what it shows, and the year phrase on a line of its own (titles break at
    newlines), so a long title is never cut.

    >>> title("Kvalitet i grunnskole", " i 2024 (Kommuneindeksen 2025)")
    'Kvalitet i grunnskole\ni 2024 (Kommuneindeksen 2025)'
    """
    return f"{what}\n{year.strip()}" if year.strip() else what


def line_step(lines: int, font: int = FONT) -> int:
    """The height in px of one band of a chart whose labels run over `lines` lines.

    >>> line_step(1), line_step(2), line_step(2, 20)
    (22, 40, 56)
    """
    return 4 + round(font * 1.3 * lines)


def config(font: int = FONT) -> dict:
    """The shared configuration: the locale, text sizes, uncut labels and no per-mark ARIA."""
    hidden = {"aria": False}  # 357 points read out one by one help nobody; the description says it
    return {
        "locale": copy.deepcopy(LOCALE),
        "aria": False,
        "mark": dict(hidden),
        "axis": {"labelFontSize": font, "titleFontSize": font, "labelLimit": LABEL_LIMIT, **hidden},
        "legend": {"labelFontSize": font, "titleFontSize": font, "labelLimit": LABEL_LIMIT, **hidden},
        "header": {"labelFontSize": font, "titleFontSize": font},
        "title": {"fontSize": font + 2, "subtitleFontSize": font, "lineBreak": "\n", **hidden},
        "text": {"fontSize": font},
    }


def sized(spec: dict, font: int) -> dict:
    """The chart with its text at `font` px (the kiosk's large text): a new configuration,
    the data shared with `spec` (text marks take their size from the configuration).

    >>> spec = {"config": config(), "datasets": {"rader": []}}
    >>> big = sized(spec, 20)
    >>> big["config"]["axis"]["labelFontSize"], big["config"]["text"]["fontSize"]
    (20, 20)
    >>> spec["config"]["axis"]["labelFontSize"], big["datasets"] is spec["datasets"]
    (14, True)
    """
    cfg = copy.deepcopy(spec.get("config", {}))
    for part, settings in config(font).items():
        if isinstance(settings, dict) and part != "locale":
            cfg.setdefault(part, {}).update(settings)
    out = {**spec, "config": cfg}
    if isinstance(spec.get("height"), dict) and "step" in spec["height"]:  # wrapped labels
        out["height"] = {"step": round(spec["height"]["step"] * font / FONT)}
    return out


def vega_spec(chart) -> dict:
    """An Altair chart as a Vega-Lite dict, in the answers' width, with the shared configuration."""
    spec = chart.properties(width=WIDTH).to_dict()
    spec["config"] = config()
    return spec


def filled(template: dict, df: pd.DataFrame, heading: str, description: str, x_title: str | None = None) -> dict:
    """A copy of a template with the rows, a title and a one-line `description` for screen readers.

    >>> spec = filled({"encoding": {"x": {}}}, pd.DataFrame({"a": [1.0, None]}), "T", "D", "X")
    >>> spec["datasets"]["rader"], spec["title"], spec["encoding"]["x"]["title"]
    ([{'a': 1.0}, {'a': None}], 'T', 'X')
    """
    spec = copy.deepcopy(template)
    spec["datasets"] = {"rader": df.astype(object).where(df.notna(), None).to_dict("records")}
    spec["title"] = heading
    spec["description"] = description
    if x_title:
        spec["encoding"]["x"]["title"] = x_title
    return spec


def with_source(chart: dict | None, demo: bool) -> dict | None:
    """The chart's title says when the numbers are demo data."""
    if chart and demo:
        chart["title"] += " (demodata)"
    return chart
