"""The kommunerapport as one self-contained HTML page: every text escaped, and each chart as a
static SVG picture with its description as the text alternative."""

import html

from assistant.rapport.compose import Rapport, Section
from assistant.rapport.figures import svg_data_uri
from assistant.text.phrases import PUNKT

__all__ = ["to_html"]

CSS = """body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;
color:#1f2933;line-height:1.5}h1{font-size:1.7rem}h2{font-size:1.25rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.75rem 0}th,td{border:1px solid #cbd2d9;
padding:.3rem .5rem;text-align:left}th{background:#eef2f5}.kilde{color:#52606d;font-size:.9rem}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}figcaption{color:#3e4c59;font-size:.9rem}"""


def _text(text: str) -> str:
    """A section's text as paragraphs, and its lines that start with a bullet as a list."""
    e = html.escape
    out, items = [], []
    for line in text.split("\n"):
        if line.startswith(PUNKT):
            items.append(f"<li>{e(line.removeprefix(PUNKT))}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        out.append(f"<p>{e(line)}</p>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return "\n".join(out)


def _figure(s: Section) -> str:
    e = html.escape
    caption = e(s.chart_description) + (f"<br>{e(s.chart_kilde)}" if s.chart_kilde else "")
    return (f'<figure><img src="{svg_data_uri(s.chart)}" alt="{e(s.chart_description)}">'
            f"<figcaption>{caption}</figcaption></figure>")


def to_html(rapport: Rapport) -> str:
    """The report as one self-contained HTML page; every text is escaped.

    >>> r = Rapport("<script>x</script>", "i", "k", (Section("S", "t", ["a"], [["<b>"]]),), "0301", 2024)
    >>> page = to_html(r)
    >>> "<script>" in page, "&lt;script&gt;" in page, "&lt;b&gt;" in page
    (False, True, True)
    """
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nb"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(rapport.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(rapport.title)}</h1>",
        f"<p>{e(rapport.intro)}</p>",
    ]
    for s in rapport.sections:
        parts += [f"<section><h2>{e(s.title)}</h2>", _text(s.text)]
        if s.chart:
            parts.append(_figure(s))
        if s.columns:
            head = "".join(f'<th scope="col">{e(c)}</th>' for c in s.columns)
            body = "".join(
                "<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>" for row in s.rows
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        parts.append("</section>")
    parts += [f'<p class="kilde">{e(rapport.kilde)}</p>', "</body></html>"]
    return "\n".join(parts)
