"""The report's charts as static pictures, drawn by vl-convert from the same Vega-Lite specs the
screen shows (with their Norwegian number format): SVG for the HTML page, PNG for Word."""

import base64

import vl_convert

__all__ = ["png", "svg", "svg_data_uri"]

PNG_SCALE = 2  # sharp when printed


def svg(spec: dict) -> str:
    """The chart as an SVG document."""
    return vl_convert.vegalite_to_svg(spec)


def svg_data_uri(spec: dict) -> str:
    """The chart as an SVG `data:` URI for an `<img>`, so the page stays one self-contained file."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg(spec).encode("utf-8")).decode("ascii")


def png(spec: dict) -> bytes:
    """The chart as a PNG picture."""
    return vl_convert.vegalite_to_png(spec, scale=PNG_SCALE)
