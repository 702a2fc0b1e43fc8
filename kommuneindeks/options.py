"""Options shared by several commands: where a build takes its raw data from."""

from pathlib import Path

import click

DEFAULT_RAADATA = Path("data/raadata")


def raadata_folder(raadata: Path | None) -> Path | None:
    """The raw-data folder a build uses: the one named (which must exist), else data/raadata
    when it holds CSV files, else none (the real KOSTRA figures in data/kostra and demo data)."""
    if raadata is not None:
        return raadata
    return DEFAULT_RAADATA if any(DEFAULT_RAADATA.glob("*.csv")) else None


def source_options(command):
    """--raadata, --demo and --fyll-inn, shared by `build` and `data status`."""
    command = click.option("--fyll-inn", "fyll_inn", is_flag=True, help="Med rådata: fyll inn det som mangler fra de ekte KOSTRA-tallene i data/kostra og demodata i stedet for å stoppe.")(command)
    command = click.option("--demo", is_flag=True, help="Bruk demodata for alt, også der ekte tall finnes.")(command)
    return click.option("--raadata", type=click.Path(path_type=Path), default=None, help="Mappe med rådata fra `data fetch`, `data import-csv` eller `data import-indikatorer` (standard: data/raadata når den har CSV-filer). En mappe som ikke finnes, er en feil.")(command)
