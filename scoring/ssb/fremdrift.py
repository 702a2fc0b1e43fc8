"""Progress reporting: the `Progress` callback type and a one-line bar for the terminal."""

import sys
from collections.abc import Callable

Progress = Callable[[str, int, int], None]  # (what, done, total)


def terminal_progress(stream=None, width: int = 30) -> Progress:
    """A one-line progress bar on stderr (tqdm is not a dependency)."""
    out = stream or sys.stderr

    def show(what: str, done: int, total: int) -> None:
        filled = width * done // total if total else width
        end = "\n" if done >= total else ""
        out.write(f"\r{what[:40]:<40} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}")
        out.flush()

    return show
