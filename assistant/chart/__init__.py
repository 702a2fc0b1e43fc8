"""Charts: rows → a Vega-Lite dict, built in code with Altair (never model code).

`frames` draws the answers to frames (the question kinds); `vega` holds what every chart
shares (templates built once and filled per answer, the text alternative, the demo-data mark).
"""

from assistant.chart import frames
from assistant.chart.frames import chart_for, hva_om_chart

__all__ = ["chart_for", "hva_om_chart", "warm_up"]


def warm_up() -> None:
    """Build every chart template once (about 0.1 s each), before the first question."""
    for kind in frames.TEMPLATES:
        frames.template(kind)
