"""Where a raw input comes from: its source text (the `kilde` column of `raadata`), whether it is
real, an estimate from real figures, or demo data, and how to credit it.

Every loader stamps its rows with a `Kilde`; the build collects them by their text, and
`datakilde` combines them for every derived number (the worst status wins: a number computed from
any demo input is demo). Source texts without a registered `Kilde` (raw-data CSVs written by
`kommuneindeks data fetch` or `import-csv`, or indicator files) are read with `describe`.
"""

import re
from dataclasses import dataclass, replace

import pandas as pd

from scoring.contract import Status

SSB_LISENS = "NLOD / CC BY 4.0"
ORDER: dict[str, int] = {"ekte": 0, "estimat": 1, "demo": 2}  # worse is higher
TABLE_IN_TEXT = re.compile(r"(?<!\d)(\d{5})(?!\d)")


@dataclass(frozen=True)
class Kilde:
    """One source of raw inputs."""

    kilde: str
    status: Status
    kreditering: str
    ssb_tabell: str | None = None
    lisens: str | None = None

    def stamp(self, df: pd.DataFrame) -> pd.DataFrame:
        """`df` with this source in its `kilde` column."""
        return df.assign(kilde=self.kilde)

    def derived(self, status: Status, kilde: str) -> "Kilde":
        """A source computed from this one (an estimate keeps the credit of what it rests on)."""
        return replace(self, status=status, kilde=kilde)


DEMO = Kilde("demodata", "demo", "demodata")


def describe(kilde: str) -> Kilde:
    """A source text read as a `Kilde`: 'demodata' is demo, texts starting with 'SSB' are
    Statistics Norway's (with the table number when the text has one), any other text is a real
    source credited by its own name (an indicator file's 'Udir', 'FHI' …).

    >>> describe("SSB tabell 12362 (statistikkbank-CSV 12362.csv)").ssb_tabell
    '12362'
    >>> describe("Udir").kreditering, describe("demodata").status
    ('Kilde: Udir', 'demo')
    """
    if kilde == DEMO.kilde:
        return DEMO
    if kilde.startswith("SSB"):
        table = TABLE_IN_TEXT.search(kilde)
        return Kilde(kilde, "ekte", "Kilde: SSB", table.group(1) if table else None, SSB_LISENS)
    return Kilde(kilde, "ekte", f"Kilde: {kilde}")


def worst(statuses) -> Status:
    """The status of a number computed from inputs with these statuses.

    >>> worst(["ekte", "estimat"]), worst(["ekte", "demo", "estimat"])
    ('estimat', 'demo')
    """
    return max(statuses, key=ORDER.__getitem__)
