"""`make eval`: score the assistant on question sets with reference SQL.

A case passes when the answer's status is as expected and, for `ok`, its rows hold the result
of the reference SQL run on the same database (modes in tests/assistant/README.md). A failed case
answered with status `ok` is a *wrong answer*, counted apart from refusals: a wrong answer that
looks right is the failure a user cannot see.
Run as `python -m assistant.evaluate [FILE …]`.
"""

import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

from assistant import Assistant
from assistant.understand.normalize import fold

ROOT = Path(__file__).resolve().parents[1]
SETS_DIR = ROOT / "tests" / "assistant"
DEFAULT_SETS = [SETS_DIR / "dev.jsonl", *sorted(SETS_DIR.glob("questions*.jsonl")),
                *sorted((SETS_DIR / "shapes").glob("*.jsonl"))]


@dataclass
class Outcome:
    case: dict
    passed: bool
    why: str
    status: str
    text: str

    @property
    def wrong(self) -> bool:
        """Answered `ok`, but not what was asked (or something that should not be answered)."""
        return not self.passed and self.status == "ok"


def load_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _close(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if float(b).is_integer() and float(a).is_integer():
            return a == b
        return math.isclose(a, b, rel_tol=0.01, abs_tol=1e-9)
    return str(a) == str(b)


def _kommunenr_column(columns: list[str], rows: list[list]) -> list[str]:
    if "kommunenr" not in columns:
        return []
    i = columns.index("kommunenr")
    return [r[i] for r in rows]


def check_rows(mode: str, ref_cols: list[str], ref_rows: list[list], columns: list[str], rows: list[list]) -> str:
    """Empty when the answer's rows hold the reference result, else why not."""
    if len(rows) > 10 * max(len(ref_rows), 1) and len(rows) > 50:
        return f"for mange rader ({len(rows)})"
    if mode == "values":
        values = [v for r in rows for v in r]
        for ref in (v for r in ref_rows for v in r):
            if ref is None:
                continue
            if not any(_close(v, ref) for v in values):
                return f"mangler verdien {ref!r}"
        return ""
    ref_nr = [r[ref_cols.index("kommunenr")] for r in ref_rows]
    got = _kommunenr_column(columns, rows)
    if mode == "set":  # the municipalities, each once, whatever the number of rows per municipality
        return "" if set(ref_nr) == set(got) else f"ventet {sorted(set(ref_nr))}, fikk {sorted(set(got))}"
    if mode == "ordered":
        return "" if ref_nr == got else f"ventet {ref_nr}, fikk {got}"
    return f"ukjent modus {mode}"


def run_case(assistant: Assistant, case: dict) -> Outcome:
    history = []
    for q in case.get("h", []):
        history.append((q, assistant.ask(q, history=list(history))))
    ans = assistant.ask(case["q"], history=history)
    expect = case["expect"]
    if expect == "ok":
        if ans.status != "ok":
            return Outcome(case, False, f"status {ans.status}", ans.status, ans.text)
        why = ""
        if case.get("mode") != "text":  # a method question: words in the text, no rows
            ref = assistant.sandbox.query(case["sql"])
            why = check_rows(case.get("mode", "values"), ref[0], ref[1], ans.columns, ans.rows)
        for word in case.get("need", []):
            if fold(word) not in fold(ans.text):
                why = why or f"teksten mangler «{word}»"
        return Outcome(case, not why, why, ans.status, ans.text)
    if expect == "clarify":
        hay = fold(ans.text + " " + " ".join(ans.suggestions))
        missing = [w for w in case.get("need", []) if fold(w) not in hay]
        ok = ans.status == "clarify" and not missing
        return Outcome(case, ok, f"status {ans.status}, mangler {missing}" if not ok else "", ans.status, ans.text)
    ok = ans.status != "ok" and bool(ans.text.strip())
    return Outcome(case, ok, "" if ok else f"status {ans.status}", ans.status, ans.text)


def evaluate(assistant: Assistant, cases: list[dict]) -> list[Outcome]:
    return [run_case(assistant, c) for c in cases]


def summary(name: str, outcomes: list[Outcome]) -> str:
    """One line per set: right answers, and wrong answers given as `ok` apart from refusals.

    >>> o = [Outcome({}, True, "", "ok", ""), Outcome({}, False, "", "ok", ""),
    ...      Outcome({"expect": "ok"}, False, "", "refused", "")]
    >>> summary("x.jsonl", o)
    'x.jsonl: 1 av 3 riktige (33.3 %), 1 feil svar gitt som ok, 1 avvist som burde vært besvart'
    """
    passed = sum(o.passed for o in outcomes)
    wrong = sum(o.wrong for o in outcomes)
    refused = sum(not o.passed and o.status != "ok" and o.case.get("expect") == "ok" for o in outcomes)
    share = passed / len(outcomes) if outcomes else 1.0
    return (f"{name}: {passed} av {len(outcomes)} riktige ({100 * share:.1f} %), "
            f"{wrong} feil svar gitt som ok, {refused} avvist som burde vært besvart")


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or DEFAULT_SETS
    assistant = Assistant()
    worst = 1.0
    for path in paths:
        outcomes = evaluate(assistant, load_cases(path))
        for o in outcomes:
            if not o.passed:
                mark = "FEIL SVAR" if o.wrong else "FEIL"
                print(f"  {mark} {o.case.get('id', '')}: {o.case['q']!r} → {o.why} | {o.text[:160]}")
        worst = min(worst, sum(o.passed for o in outcomes) / max(len(outcomes), 1))
        print(summary(path.name, outcomes))
    return 0 if worst >= 0.97 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
