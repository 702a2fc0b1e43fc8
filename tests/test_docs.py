"""The docs stay true to the code: generated parts are current, every module, command and
configuration key is documented."""

import csv
import re
import tomllib
from pathlib import Path

import click
import pytest

from kommuneindeks.cli import main
from kommuneindeks.metode import render
from scoring.contract import ADDED_COLUMNS, EXTRA_TABLES, TABLES
from tests.conftest import ROOT, open_read_only

DOCS = ROOT / "docs"


def test_metode_md_is_generated_from_the_code(demo_db):
    with open_read_only(demo_db) as con:
        rendered = render(con)
    assert (DOCS / "metode.md").read_text(encoding="utf-8") == rendered, (
        "docs/metode.md er utdatert: kjør `python -m kommuneindeks.metode > docs/metode.md`"
    )


PACKAGES = ["scoring", "scoring/ssb", "assistant", "skjerm", "kommuneindeks"]
STAGES = ["understand", "query", "text", "llm", "hva_om", "katalog", "chart", "rapport"]  # assistant's stages, named with their folder


@pytest.mark.parametrize("package", PACKAGES + [f"assistant/{s}" for s in STAGES])
def test_architecture_md_names_every_module(package):
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    prefix = package.split("/", 1)[1] + "/" if package.startswith("assistant/") else ""
    modules = [prefix + p.name for p in (ROOT / package).glob("*.py") if p.name != "__init__.py"]
    missing = [m for m in modules if f"`{m}`" not in text]
    assert not missing, f"docs/architecture.md nevner ikke {missing}"


def _entries(folder: Path) -> set[str]:
    """A folder's modules and packages as the tree writes them ("chart.py", "query/")."""
    return {p.name + "/" if p.is_dir() else p.name for p in folder.iterdir()
            if p.name != "__pycache__" and p.suffix != ".toml"}  # fmt: skip


def test_the_tree_in_architecture_md_is_the_assistant_folder():
    """The tree lists every module and package of assistant/, and a package it opens, in full."""
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    tree = text.split("```\nassistant/\n", 1)[1].split("```", 1)[0]
    listed: dict[str, set[str]] = {"": set()}
    parent = ""
    for line in tree.splitlines():
        top = re.match(r"[├└]── (\S+)", line)
        inner = re.match(r"│   [├└]── (\S+)", line)
        if top:
            parent = top.group(1) if top.group(1).endswith("/") else ""
            listed[""].add(top.group(1))
        elif inner:
            listed.setdefault(parent, set()).add(inner.group(1))
    for folder, names in listed.items():
        entries = _entries(ROOT / "assistant" / folder) - ({"__init__.py"} if folder else set())
        assert names == entries, folder or "assistant/"


def test_every_path_the_docs_name_exists():
    """A path in backticks (`assistant/query/build.py`, `skjerm/chat.py`) is a file we have
    (data/ is left out: it also names files the commands write)."""
    files = {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if ".venv" not in p.parts}
    stale = []
    for doc in DOCS.glob("*.md"):
        for path in re.findall(r"`((?:assistant|scoring|skjerm|kommuneindeks|tests|benchmarks|prompts)/[\w/.-]+)`", doc.read_text(encoding="utf-8")):
            if path.rstrip("/") not in files:
                stale.append(f"{doc.name}: {path}")
    assert not stale, f"stier som ikke finnes: {stale}"


def test_schema_md_has_every_contract_table_and_column():
    """docs/schema.md (the contract) and scoring/contract.py name the same tables and columns."""
    text = (DOCS / "schema.md").read_text(encoding="utf-8")
    documented: dict[str, dict[str, str]] = {}
    for block in re.split(r"^### ", text, flags=re.MULTILINE)[1:]:
        table = block.split()[0]
        rows = re.findall(r"^\| (\w+) \| (\w+)", block, flags=re.MULTILINE)
        documented[table] = {c: t for c, t in rows if c != "column"}
    assert documented == TABLES
    # What we add beyond the contract is named in the note at the top.
    note = text.split("# Contract", 1)[0]
    assert all(f"`{table}`" in note for table in EXTRA_TABLES)
    assert all(f"`{table}.{col}`" in note for table, cols in ADDED_COLUMNS.items() for col in cols)


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(cmd, click.Group):
            out += _commands(cmd, full + " ")
        else:
            out.append(full)
    return out


def test_cli_md_documents_every_command_and_each_has_help():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for command in _commands(main):
        assert f"`kommuneindeks {command}" in text, command
    for cmd in main.commands.values():
        assert cmd.help, cmd.name


def _keys(table: dict, prefix: str = "") -> list[str]:
    out = []
    for k, v in table.items():
        out += _keys(v, f"{prefix}{k}.") if isinstance(v, dict) else [k]
    return out


@pytest.mark.parametrize(
    "path",
    [
        "data/vekter.toml",
        "data/demodata.toml",
        "data/arsverk.toml",
        "data/regnskap.toml",
        "assistant/settings.toml",
    ],
)
def test_config_md_documents_every_key(path):
    text = (DOCS / "config.md").read_text(encoding="utf-8")
    with (ROOT / path).open("rb") as f:
        keys = set(_keys(tomllib.load(f)))
    if path == "data/arsverk.toml":  # one table per service: the services are data, not keys
        keys = {"kr_per_arsverk", "yrker"}
    if path == "data/demodata.toml":  # per-service levels and AGA zones are data, not keys
        keys -= {"grunnskole", "barnehage", "barnevern", "pleie_og_omsorg", "helse", "sosial",
                 "administrasjon", "standard", "distrikt", "nord", "tiltakssone", "2022", "2023", "2024",
                 "netto_driftsresultat_snitt", "netto_driftsresultat_sd", "netto_lanegjeld_snitt",
                 "netto_lanegjeld_sd", "disposisjonsfond_snitt", "disposisjonsfond_sd"}
    missing = sorted(k for k in keys if not re.search(rf"(?<![\w.]){re.escape(k)}(?!\w)", text))
    assert not missing, f"docs/config.md mangler {missing} fra {path}"


def test_config_md_documents_every_catalogue_column():
    text = (DOCS / "config.md").read_text(encoding="utf-8")
    with (ROOT / "data" / "indikatorer.csv").open(encoding="utf-8") as f:
        columns = next(csv.reader(f))
    assert all(f"`{c}`" in text for c in columns)


def _field_names(path: Path) -> set[str]:
    """The sections of a catalogue file and the field names of their entries ([maal.x] navn …),
    not the entries' own keys."""
    with path.open("rb") as f:
        data = tomllib.load(f)
    return set(data) | {name for entries in data.values() for entry in entries.values() for name in entry}


@pytest.mark.parametrize("path", ["data/katalog.toml", "data/metode.toml"])
def test_config_md_documents_every_catalogue_key(path):
    """Every section and field of the measure catalogue and the method texts is in docs/config.md."""
    text = (DOCS / "config.md").read_text(encoding="utf-8")
    missing = sorted(k for k in _field_names(ROOT / path) if f"`{k}`" not in text and f"[{k}" not in text)
    assert not missing, f"docs/config.md mangler {missing} fra {path}"
