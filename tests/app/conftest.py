"""Fixtures for the screen's tests: the app under AppTest, on the session's demo database."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = ROOT / "streamlit_app.py"
# Settings that would change what the app does (mode, database, a language model).
APP_ENV = (
    "KOMMUNEINDEKS_MODUS",
    "KOMMUNEINDEKS_KIOSK_SPORSMAAL",
    "KOMMUNEINDEKS_LLM_BASE_URL",
    "KOMMUNEINDEKS_LLM_MODEL",
    "KOMMUNEINDEKS_LLM_API_KEY",
    "OPENAI_API_KEY",
)


@pytest.fixture
def app_env(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The environment of a staff screen on the demo database."""
    for name in APP_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KOMMUNEINDEKS_DB", str(demo_db))
    return demo_db


@pytest.fixture
def app(app_env: Path) -> AppTest:
    """The app, run once: the start screen."""
    return AppTest.from_file(str(APP), default_timeout=30).run()


@pytest.fixture(autouse=True)
def no_kiosk_questions_counted() -> None:
    """Every test starts with no kiosk questions counted: the count is per device and shared by
    all sessions in the process, and in AppTest every session is the same device."""
    from skjerm.chat import device_limit

    device_limit.clear()
