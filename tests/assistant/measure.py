"""Time and peak memory of the app's process and its worker processes, measured in a test.

`Peaks` samples the resident memory (RSS, from /proc) of this process and of the workers
every few milliseconds while a block runs, so a test can bound what a hostile query cost.
"""

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Self

PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 2**20


def rss_bytes(pid: int) -> int:
    """The resident memory of a process, or 0 when it is gone."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


class Peaks:
    """The wall time, and the peak resident memory of this process and of `workers()`."""

    def __init__(self, workers: Callable[[], list[int]] = list, every: float = 0.005):
        self._workers = workers
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self.app_start = rss_bytes(os.getpid())
        self.app_peak = self.app_start
        self.worker_peak = 0
        self.seconds = 0.0

    @property
    def app_growth_mb(self) -> float:
        return (self.app_peak - self.app_start) / MB

    @property
    def worker_peak_mb(self) -> float:
        return self.worker_peak / MB

    def __enter__(self) -> Self:
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.seconds = time.monotonic() - self._started
        self._stop.set()
        self._thread.join()
        self._take()

    def _sample(self) -> None:
        while not self._stop.wait(self._every):
            self._take()

    def _take(self) -> None:
        self.app_peak = max(self.app_peak, rss_bytes(os.getpid()))
        for pid in self._workers():
            self.worker_peak = max(self.worker_peak, rss_bytes(pid))

    def __str__(self) -> str:
        return (
            f"{self.seconds:.2f} s, appen +{self.app_growth_mb:.0f} MB, "
            f"arbeidsprosess høyst {self.worker_peak_mb:.0f} MB"
        )
