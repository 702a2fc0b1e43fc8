"""The kommunerapport as Markdown: headings, text and tables (the charts are in the HTML and
Word files)."""

from assistant.rapport.compose import Rapport

__all__ = ["to_markdown"]


def _md(text: str) -> str:
    """Text for a Markdown table cell.

    >>> _md("a|b\\nc")
    'a\\\\|b c'
    """
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(rapport: Rapport) -> str:
    """The report as Markdown: headings, text and tables (no charts)."""
    lines = [f"# {rapport.title}", "", rapport.intro, ""]
    for s in rapport.sections:
        lines += [f"## {s.title}", "", s.text, ""]
        if s.columns:
            lines.append("| " + " | ".join(_md(c) for c in s.columns) + " |")
            lines.append("|" + "|".join("---" for _ in s.columns) + "|")
            lines += ["| " + " | ".join(_md(str(v)) for v in row) + " |" for row in s.rows]
            lines.append("")
    lines += [f"*{rapport.kilde}*", ""]
    return "\n".join(lines)
