"""The limits on the question path, read from assistant/settings.toml into frozen dataclasses.

Changing a limit never touches Python: edit the TOML file. Every key is checked at load, and
an error names the file and the key.
"""

import dataclasses
import tomllib
from pathlib import Path
from typing import Any

__all__ = [
    "SETTINGS_FILE",
    "LlmSettings",
    "QuestionSettings",
    "Settings",
    "SettingsError",
    "SqlSettings",
    "load_settings",
    "parse_settings",
]

SETTINGS_FILE = Path(__file__).with_name("settings.toml")


class SettingsError(ValueError):
    """The settings file is missing, unreadable, or has a wrong or unknown key."""


@dataclasses.dataclass(frozen=True)
class SqlSettings:
    """Limits on every SQL query (the `[sql]` table)."""

    max_rows: int = 1000
    timeout_seconds: float = 2.0
    memory_limit: str = "512MB"
    threads: int = 2
    workers: int = 2
    worker_memory_mb: int = 768
    kill_grace_seconds: float = 0.5
    max_columns: int = 50
    max_cell_chars: int = 1000
    max_result_bytes: int = 2_000_000


@dataclasses.dataclass(frozen=True)
class LlmSettings:
    """Limits on the optional language model's reply (the `[llm]` table)."""

    max_reply_bytes: int = 200_000


@dataclasses.dataclass(frozen=True)
class QuestionSettings:
    """Limits on the questions themselves (the `[question]` table)."""

    max_chars: int = 500


@dataclasses.dataclass(frozen=True)
class Settings:
    """All limits, one attribute per TOML table."""

    sql: SqlSettings = SqlSettings()
    question: QuestionSettings = QuestionSettings()
    llm: LlmSettings = LlmSettings()


def _check_value(value: Any, kind: type, where: str) -> Any:
    """Return `value` when it has the type `kind` and is positive, else raise SettingsError.

    >>> _check_value(2, float, "x.toml [sql] timeout_seconds")
    2.0
    >>> _check_value(True, int, "x.toml [sql] threads")
    Traceback (most recent call last):
    ...
    assistant.settings.SettingsError: x.toml [sql] threads: ventet int, fikk True.
    """
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, kind):
        raise SettingsError(f"{where}: ventet {kind.__name__}, fikk {value!r}.")
    if kind in (int, float) and value <= 0:
        raise SettingsError(f"{where}: må være større enn null, fikk {value!r}.")
    if kind is str and not value.strip():
        raise SettingsError(f"{where}: kan ikke være tom.")
    return value


def _parse_table(cls: type, data: Any, where: str) -> Any:
    """Build the dataclass `cls` from one TOML table; missing keys keep their defaults."""
    if not isinstance(data, dict):
        raise SettingsError(f"{where}: ventet en tabell, fikk {data!r}.")
    fields = {field.name: field for field in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise SettingsError(f"{where}: ukjent nøkkel {unknown[0]!r}.")
    values = {
        name: _check_value(value, fields[name].type, f"{where} {name}")
        for name, value in data.items()
    }
    return cls(**values)


def parse_settings(data: dict[str, Any], source: str = "settings.toml") -> Settings:
    """Turn the parsed TOML `data` into `Settings`; `source` names the file in errors.

    >>> parse_settings({"sql": {"max_rows": 50}}).sql.max_rows
    50
    >>> parse_settings({"sql": {"max_rows": 0}}, "a.toml")
    Traceback (most recent call last):
    ...
    assistant.settings.SettingsError: a.toml [sql] max_rows: må være større enn null, fikk 0.
    """
    tables = {field.name: field.type for field in dataclasses.fields(Settings)}
    unknown = sorted(set(data) - set(tables))
    if unknown:
        raise SettingsError(f"{source}: ukjent tabell [{unknown[0]}].")
    parts = {
        name: _parse_table(cls, data[name], f"{source} [{name}]")
        for name, cls in tables.items()
        if name in data
    }
    return Settings(**parts)


def load_settings(path: Path = SETTINGS_FILE) -> Settings:
    """Read and check the settings file (assistant/settings.toml by default)."""
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except OSError as err:
        raise SettingsError(f"{path}: kunne ikke leses ({err.strerror}).") from err
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"{path}: ugyldig TOML ({err}).") from err
    return parse_settings(data, str(path))
