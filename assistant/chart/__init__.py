"""Charts: rows → a Vega-Lite dict, built in code with Altair (never model code).

`frames` draws the answers to frames (the question kinds), `shapes` the answers to query
specifications by their form, `kart` maps of the municipalities in an answer; `vega` holds what
they share (templates built once and filled per answer, the Norwegian number format, the text
alternative, the demo-data mark in the title, the kiosk's text size).
"""

from assistant.chart import frames, shapes
from assistant.chart.frames import chart_for, hva_om_chart
from assistant.chart.kart import kart_for, read_kart
from assistant.chart.shapes import spec_chart
from assistant.chart.vega import sized

__all__ = ["chart_for", "hva_om_chart", "kart_for", "read_kart", "sized", "spec_chart", "warm_up"]


def warm_up() -> None:
    """Build every chart template once (about 0.1 s each), before the first question."""
    for kind in frames.TEMPLATES:
        frames.template(kind)
    for kind in shapes.TEMPLATES:
        shapes.template(kind)
