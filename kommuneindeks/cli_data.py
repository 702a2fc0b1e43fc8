"""`kommuneindeks data …`: load real data from SSB's API, statbank CSV exports or indicator
files, and show where each input of the method comes from.

A thin edge: each command parses its options, calls `scoring.ssb.fetch_raadata`,
`scoring.statbank_csv.import_folder` or `scoring.build.status`, and writes the frame atomically
with `scoring.raadata.write`. A failed or interrupted run writes nothing.
"""

import re
from pathlib import Path

import click
import pandas as pd

from kommuneindeks.options import raadata_folder, source_options
from scoring.errors import KommuneindeksError
from scoring.raadata import write
from scoring.ssb import DEFAULT_BASE_URL, DEFAULT_CACHE_DIR, DEFAULT_KATALOG

INTERRUPTED = (
    "Avbrutt. Ingenting ble skrevet; svar som allerede er hentet ligger i "
    "hurtigbufferen og brukes neste gang."
)


def parse_years(text: str) -> list[int]:
    """Years from ``2022-2024``, ``2022,2024`` or ``2023``.

    >>> parse_years("2022-2024"), parse_years("2024, 2022")
    ([2022, 2023, 2024], [2022, 2024])
    """
    years: set[int] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = re.fullmatch(r"(\d{4})(?:\s*-\s*(\d{4}))?", part)
        if not match:
            raise click.BadParameter(f"«{part}» er ikke et år eller et årsintervall som 2022-2024.")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise click.BadParameter(f"«{part}»: sluttåret er før startåret.")
        years.update(range(first, last + 1))
    if not years:
        raise click.BadParameter("Oppgi minst ett år.")
    return sorted(years)


def out_option(writes: str):
    """The --out option of a command that writes `writes` into the raw-data folder."""
    return click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("data/raadata"),
        show_default=True,
        help=f"Mappe for rådata; skriver {writes} der.",
    )


def _save(df: pd.DataFrame, target: Path) -> None:
    for warning in df.attrs.get("advarsler", []):
        click.echo(f"Advarsel: {warning}", err=True)
    write(df, target)
    years = sorted(df["aar"].unique())
    span = f"{years[0]}–{years[-1]}" if years else "ingen år"
    click.echo(
        f"Skrev {len(df)} rader ({df['variabel'].nunique()} variabler, {span}) til {target}."
    )


@click.group()
def data() -> None:
    """Hent rådata fra SSB, importer CSV-filer, og se hvor hvert inndata kommer fra."""


@data.command("status")
@source_options
def status(raadata: Path | None, demo: bool, fyll_inn: bool) -> None:
    """Vis hvert inndata til metoden (utgifter per tjeneste, arbeidsgiveravgift, behovsindeks,
    hver indikator, hvert finansielt nøkkeltall): ekte, beregnet, demo eller mangler, år og
    dekning, og hva det som mangler stopper. Samme valg som `kommuneindeks build`; byggingen
    lagrer det samme i tabellen `datastatus`."""
    from scoring.build import status as input_status
    from scoring.datastatus import status_text

    try:
        table = input_status(
            None if demo else raadata_folder(raadata), demo=demo, fyll_inn=fyll_inn
        )
    except KommuneindeksError as err:
        raise click.ClickException(str(err)) from err
    click.echo(status_text(table, 357))


@data.command("fetch")
@click.option(
    "--years", "years_text", required=True, help="Dataår, f.eks. 2022-2024 eller 2023,2024."
)
@click.option(
    "--base-url", default=DEFAULT_BASE_URL, show_default=True, help="Adressen til SSBs PxWebApi v2."
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_CACHE_DIR,
    show_default=True,
    help="Mappe for hurtigbuffer med SSB-svar.",
)
@out_option("ssb.csv")
@click.option(
    "--katalog",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_KATALOG,
    show_default=True,
    help="SSB-katalogen: tabeller og koder for hver variabel.",
)
@click.option(
    "--refresh", is_flag=True, help="Hent på nytt selv om svaret ligger i hurtigbufferen."
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Hopp over katalogoppføringer som SSBs metadata ikke kjenner (med advarsel) i stedet for å stoppe.",
)
def fetch(
    years_text: str,
    base_url: str,
    cache: Path,
    out: Path,
    katalog: Path,
    refresh: bool,
    skip_invalid: bool,
) -> None:
    """Hent rådata fra SSB og skriv dem til OUT/ssb.csv; kjør så `kommuneindeks build`.

    Eksempel: kommuneindeks data fetch --years 2022-2024
    """
    from scoring.ssb import fetch_raadata, terminal_progress

    years = parse_years(years_text)
    try:
        df = fetch_raadata(
            years,
            base_url=base_url,
            cache_dir=cache,
            progress=terminal_progress(),
            katalog_path=katalog,
            skip_invalid=skip_invalid,
            refresh=refresh,
        )
    except KommuneindeksError as err:
        click.echo(err=True)  # end the progress line
        raise click.ClickException(str(err)) from err
    except KeyboardInterrupt as err:
        click.echo(err=True)
        raise click.ClickException(INTERRUPTED) from err
    _save(df, out / "ssb.csv")


@data.command("import-csv")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@out_option("statbank.csv")
@click.option(
    "--katalog",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_KATALOG,
    show_default=True,
    help="SSB-katalogen: tabeller, koder og etiketter for hver variabel.",
)
def import_csv(folder: Path, out: Path, katalog: Path) -> None:
    """Importer CSV-filer eksportert fra SSBs statistikkbank i FOLDER til OUT/statbank.csv.

    Eksempel: kommuneindeks data import-csv ~/Nedlastinger/kostra
    """
    from scoring.statbank_csv import import_folder

    try:
        df = import_folder(folder, katalog_path=katalog)
    except KommuneindeksError as err:
        raise click.ClickException(str(err)) from err
    _save(df, out / "statbank.csv")


@data.command("import-indikatorer")
@click.argument("fil", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@out_option("indikatorer_<filnavn>.csv")
def import_indikatorer(fil: Path, out: Path) -> None:
    """Importer kvalitetsindikatorer fra Udir, FHI, Helsedirektoratet, Bufdir, KS … i FIL: en
    CSV med kolonnene indikator, kommunenr, aar, verdi, kilde (og eventuelt enhet). Hver linje
    sjekkes mot indikatorkatalogen; ved feil skrives ingenting, og feilene listes med linjenummer.

    Eksempel: kommuneindeks data import-indikatorer udir_2024.csv
    """
    from scoring.config import default_config
    from scoring.indikatorfil import read_indikatorfil
    from scoring.reference import load_kommuner

    try:
        kommunenr = set(load_kommuner()["kommunenr"])
        df = read_indikatorfil(fil, default_config(), kommunenr)
    except KommuneindeksError as err:
        raise click.ClickException(str(err)) from err
    _save(df, out / f"indikatorer_{fil.stem}.csv")
