"""The command line: a thin edge over `scoring.build`, the SSB import and `Assistant`."""

import json
import sys
from pathlib import Path

import click

from kommuneindeks.options import raadata_folder, source_options
from scoring.errors import KommuneindeksError


def db_path() -> Path:
    """The database path: `$KOMMUNEINDEKS_DB`, else data/kommuneindeks.duckdb."""
    from assistant import default_db_path

    return default_db_path()


@click.group()
def main() -> None:
    """Kommuneindeks-assistenten: bygg databasen og still spørsmål om Kommuneindeksen."""


@main.command()
@click.option("--db", type=click.Path(path_type=Path), default=None, help="Databasefil (standard: $KOMMUNEINDEKS_DB eller data/kommuneindeks.duckdb).")
@source_options
def build(db: Path | None, raadata: Path | None, demo: bool, fyll_inn: bool) -> None:
    """Bygg databasen med alle indekser (atomisk: en feilet bygging etterlater ingen halv fil).

    Uten rådata: de ekte KOSTRA-tallene i data/kostra der de finnes, demodata for resten.
    Byggerapporten sier hvilke tall som er ekte, beregnet, demodata eller mangler."""
    from scoring.build import build as run_build

    target = db or db_path()
    try:
        report = run_build(
            target,
            raadata_folder=None if demo else raadata_folder(raadata),
            demo=demo,
            fyll_inn=fyll_inn,
            progress=True,
        )
    except KommuneindeksError as err:
        raise click.ClickException(str(err)) from err
    click.echo(report)


def _assistant():
    """The assistant over the database, or a Norwegian message saying how to build it."""
    from assistant import Assistant, AssistantError

    try:
        return Assistant(db_path())
    except AssistantError as err:
        raise click.ClickException(str(err)) from err


def _print_answer(answer) -> None:
    click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, default=str))


@main.command()
@click.argument("sporsmal")
@click.option("--json", "as_json", is_flag=True, help="Skriv svaret som ett JSON-objekt.")
def ask(sporsmal: str, as_json: bool) -> None:
    """Still et spørsmål på norsk, f.eks. «Hvor ligger Sør-Varanger i pleie og omsorg?»."""
    answer = _assistant().ask(sporsmal, history=[])
    if as_json:
        _print_answer(answer)
    else:
        click.echo(answer.text)
        for s in answer.suggestions:
            click.echo(f"  – {s}")


@main.command()
@click.argument("sql")
@click.option("--json", "as_json", is_flag=True, help="Skriv svaret som ett JSON-objekt.")
def sql(sql: str, as_json: bool) -> None:
    """Kjør egen SQL (kun SELECT mot Kommuneindeks-tabellene) trygt og skrivebeskyttet."""
    answer = _assistant().run_sql(sql)
    if as_json:
        _print_answer(answer)
    else:
        click.echo(answer.text)
        for row in answer.rows:
            click.echo("\t".join("" if v is None else str(v) for v in row))
    if answer.status == "error":
        sys.exit(1)


@main.command()
@click.argument("kommune")
@click.argument("tjeneste", required=False, default="alle")
@click.option("--aar", type=int, default=None, help="Dataår (standard: siste år).")
@click.option("--json", "as_json", is_flag=True, help="Skriv svaret som ett JSON-objekt.")
def explain(kommune: str, tjeneste: str, aar: int | None, as_json: bool) -> None:
    """Forklar hvorfor en kommune ligger der den ligger: indikatorene som trekker opp og ned,
    kostnaden mot kommunegruppen og endringen siden i fjor. TJENESTE er en nøkkel
    (f.eks. pleie_og_omsorg) eller et navn ("pleie og omsorg")."""
    from scoring.config import default_config

    navn = {t.tjeneste: t.navn for t in default_config().tjenester}
    q = f"Hvorfor ligger {kommune} der den ligger"
    if tjeneste != "alle":
        q += f" i {navn.get(tjeneste, tjeneste)}"
    q += f" i {aar}?" if aar else "?"
    answer = _assistant().ask(q, history=[])
    if as_json:
        _print_answer(answer)
    else:
        click.echo(answer.text)
    if answer.status == "error":
        sys.exit(1)


def _register_data_commands() -> None:
    from kommuneindeks.cli_data import data

    main.add_command(data)


_register_data_commands()
