"""The prompts of the optional language model: templates in prompts/ with named placeholders,
filled with the schema and value lists rendered from `scoring.contract` and the live database,
so they cannot drift. No prompt text lives in Python."""

import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from assistant.llm.reply import FINANSMAAL, FRAME_FIELDS, KOSTNADSMAAL, MODEL_SPORSMAAL
from assistant.llm.sql import column_names
from assistant.query.allowlist import schema_text
from assistant.understand.context import Context
from assistant.understand.frame import Frame
from scoring.contract import ALLE, INDEKSTYPER, KOSTNADSTJENESTER, TJENESTER

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class PromptError(ValueError):
    """A prompt template and its values do not fit (a missing or unused placeholder)."""



def render(template: str, values: Mapping[str, str]) -> str:
    """Fill the `{name}` placeholders of a template; every one must be filled and every value
    used. Other braces (JSON) are left alone, and values are never read as templates.

    >>> render('Svar {"sql": ...} for {sporsmaal}', {"sporsmaal": "{n}"})
    'Svar {"sql": ...} for {n}'
    >>> render("{a}", {})
    Traceback (most recent call last):
    ...
    assistant.llm.prompt.PromptError: Malen mangler verdi for {a}, og har ikke plass til [].
    """
    wanted = set(_PLACEHOLDER.findall(template))
    missing, unused = sorted(wanted - set(values)), sorted(set(values) - wanted)
    if missing or unused:
        hull = ", ".join(f"{{{m}}}" for m in missing) or "ingen"
        raise PromptError(f"Malen mangler verdi for {hull}, og har ikke plass til {unused}.")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


@cache
def read_prompt(name: str) -> str:
    """One file of prompts/, as text."""
    return (PROMPTS_DIR / name).read_text(encoding="utf-8")


def prompt_version() -> str:
    """The version line of prompts/VERSION (bump it when a prompt changes)."""
    return read_prompt("VERSION").strip()


@cache
def read_examples() -> tuple[tuple[str, dict], ...]:
    """The few-shot examples of prompts/eksempler.jsonl: (question, JSON reply) pairs."""
    examples = []
    for line in read_prompt("eksempler.jsonl").splitlines():
        if line.strip():
            item = json.loads(line)
            examples.append((item["sporsmaal"], item["svar"]))
    return tuple(examples)


def values_text(ctx: Context) -> str:
    """The valid keys and values (prompts/verdier.md), from the contract and the live database."""
    grupper = sorted({k.kostragruppe for k in ctx.register.kommuner.values()})
    return render(read_prompt("verdier.md"), {
        "tjenester": ", ".join(f"{t} ({ctx.tjenestenavn.get(t, t)})" for t in TJENESTER),
        "alle": ALLE,
        "kostnadstjenester": ", ".join(KOSTNADSTJENESTER),
        "indekstyper": ", ".join(INDEKSTYPER),
        "aar": ", ".join(map(str, ctx.years)),
        "siste_aar": str(max(ctx.years)),
        "fylker": ", ".join(ctx.register.fylker),
        "kostragrupper": ", ".join(map(str, grupper)),
        "finansmaal": ", ".join(FINANSMAAL),
        "kostnadsmaal": ", ".join(KOSTNADSMAAL),
        "indikatorer": "\n".join(f"  - {k}: {i.navn} [{i.enhet}], {i.tjeneste}" for k, i in ctx.indikatorer.items()),
    }).rstrip()  # fmt: skip


def examples_text() -> str:
    """The few-shot examples, each rendered with prompts/eksempel.md."""
    template = read_prompt("eksempel.md").strip()
    return "\n\n".join(
        render(template, {"sporsmaal": q, "svar": json.dumps(svar, ensure_ascii=False)})
        for q, svar in read_examples()
    )


def frame_json(frame: Frame) -> dict[str, Any]:
    """A frame in the reply format, for the history in the prompt.

    >>> frame_json(Frame("rang", kommuner=("5605",), aar=2024))
    {'sporsmaal': 'rang', 'kommuner': ['5605'], 'aar': 2024}
    """
    out: dict[str, Any] = {}
    for name in FRAME_FIELDS:
        value = getattr(frame, name)
        if value in (None, (), False) or (name == "tjeneste" and value == ALLE):
            continue
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


def history_text(history: list) -> str:
    """The last three questions of the conversation, with what each was read as."""
    lines = []
    for question, answer in history[-3:]:
        frame = getattr(answer, "frame", None)
        reading = f" → {json.dumps(frame_json(frame), ensure_ascii=False)}" if frame else ""
        lines.append(f"- «{question}»{reading}")
    return render(read_prompt("historikk.md"), {"linjer": "\n".join(lines)}) if lines else ""


def build_messages(question: str, history: list, ctx: Context) -> list[dict[str, str]]:
    """The system and user messages for one question, rendered from prompts/."""
    system = render(read_prompt("system.md"), {
        "versjon": prompt_version(),
        "sporsmaalstyper": ", ".join(MODEL_SPORSMAAL),
        "schema": schema_text(),
        "kolonnenavn": ", ".join(sorted(column_names())),
        "verdier": values_text(ctx),
        "konvensjoner": read_prompt("konvensjoner.md").strip(),
        "eksempler": examples_text(),
    })  # fmt: skip
    hjem = ctx.hjemkommune
    user = render(read_prompt("sporsmaal.md"), {
        "historikk": history_text(history),
        "hjemkommune": f"{ctx.names.get(hjem, hjem)} ({hjem})" if hjem else read_prompt("ingen_hjemkommune.md").strip(),
        "sporsmaal": question,
    })  # fmt: skip
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]

