"""The layers of the code hold: import-linter's contracts in pyproject.toml are kept, and they
are strict enough to catch what they are for (a cycle, a step importing the orchestrator, the
screen past the assistant's front door, scoring importing the assistant, Streamlit in it)."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("assistant", "scoring", "skjerm", "kommuneindeks")
CONTRACTS = ("scoring-alone", "assistant-no-screen", "screen-front-door", "assistant-stages",
             "assistant-acyclic")  # fmt: skip


def lint_imports(root: Path, *contracts: str) -> subprocess.CompletedProcess:
    """`lint-imports` on the packages in `root`, with the contracts of its pyproject.toml."""
    run = (
        "import sys; from importlinter.cli import lint_imports; "
        f"sys.exit(lint_imports(limit_to_contracts={contracts!r}, no_cache=True, no_logo=True))"
    )
    return subprocess.run(
        [sys.executable, "-c", run], cwd=root, capture_output=True, text=True, timeout=120
    )


def test_every_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(CONTRACTS)} kept, 0 broken" in result.stdout


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The packages and their contracts, copied so that a test can break them."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


BREAKS = {
    # a cycle between two stages: understanding would import the answer that depends on it
    "stage cycle": ("assistant/understand/frame.py", "import assistant.answer", "assistant-acyclic"),
    # a cycle inside one stage
    "module cycle": ("assistant/understand/numbers.py", "import assistant.understand.read",
                     "assistant-acyclic"),
    # a step that takes the whole Assistant again
    "step imports the orchestrator": ("assistant/text/compose.py", "import assistant.assistant",
                                      "assistant-stages"),
    "screen past the front door": ("skjerm/chat.py", "from assistant.errors import UnsafeSql",
                                   "screen-front-door"),
    "screen imports scoring": ("skjerm/hva_om.py", "from scoring.contract import TJENESTER",
                               "screen-front-door"),
    "scoring imports the assistant": ("scoring/rang.py", "import assistant", "scoring-alone"),
    "streamlit in the assistant": ("assistant/chart/frames.py", "import streamlit", "assistant-no-screen"),
}  # fmt: skip


@pytest.mark.parametrize(("module", "line", "contract"), BREAKS.values(), ids=BREAKS.keys())
def test_a_broken_layer_breaks_its_contract(copy: Path, module: str, line: str, contract: str):
    assert lint_imports(copy, contract).returncode == 0  # the copy is as good as the original
    path = copy / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint_imports(copy, contract)
    assert result.returncode != 0 and "1 broken" in result.stdout, result.stdout + result.stderr


def test_the_app_entry_uses_only_the_front_door():
    """streamlit_app.py is not a package import-linter can check: read its imports directly."""
    tree = ast.parse((ROOT / "streamlit_app.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    ours = {m for m in imported if m.split(".")[0] in PACKAGES}
    assert ours - {"assistant"} == {m for m in ours if m.split(".")[0] == "skjerm"}
