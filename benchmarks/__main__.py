"""`python -m benchmarks` (or `make bench`): measures and reports, asserts nothing.

- a full demo build with all indices for three years (target < 5 s; issue 2 asks < 10 s)
- `Assistant.ask` in-process, p50/p95 over varied questions asked again (target p95 < 50 ms),
  and the same questions the first time
- one what-if recomputation (target < 200 ms)
- question → answer on screen in the browser, from the last end-to-end test run (target < 1 s)
"""

import json
import statistics
import tempfile
import time
from pathlib import Path

from assistant import Assistant
from scoring.build import build

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "Hvor ligger Sør-Varanger i pleie og omsorg?", "Hvilken plass har Bodø i Kommuneindeksen?",
    "Hvilke 10 kommuner har best kvalitet i barnehage?", "Topp 3 i finansindeksen",
    "Hvilke 5 kommuner har høyest kostnader?", "Sammenlign Alta og Hammerfest i kommuneindeksen",
    "Hvordan har Sør-Varanger utviklet seg i kommuneindeksen de siste tre årene?",
    "Hva er innsparingspotensialet for Sør-Varanger?", "Hva er netto driftsresultat i Bodø?",
    "Hva er grunnskolepoengene i Asker?", "Hvor mange kommuner er rangert i kommuneindeksen?",
    "Hva er gjennomsnittlig kostnadsindeks i kommunegruppe 8?", "Kvar ligg Sogndal i kommuneindeksen?",
    "Hvor ligger Herøy i kommuneindeksen?", "Hvem vant fotball-VM i 2022?",
    "Hvorfor ligger Tromsø der den ligger i grunnskole?",
]


def bench_build(tmp: Path) -> float:
    start = time.perf_counter()
    build(tmp / "bench.duckdb")
    return time.perf_counter() - start


def bench_ask(db: Path, rounds: int = 5) -> tuple[tuple[float, float], tuple[float, float]]:
    """(p50, p95) in ms of each question the first time (new SQL to validate) and asked again
    (its validated SQL remembered, as for a suggested question or a shared link)."""
    assistant = Assistant(db)
    assistant.ask("Hvor ligger Bodø?")  # warm the templates and charts
    first = [_timed(assistant, q) for q in QUESTIONS]
    again = [_timed(assistant, q) for _ in range(rounds) for q in QUESTIONS]
    return _p50_p95(first), _p50_p95(again)


def _timed(assistant: Assistant, question: str) -> float:
    start = time.perf_counter()
    assistant.ask(question)
    return (time.perf_counter() - start) * 1000


def _p50_p95(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def bench_hva_om(db: Path, runs: int = 5) -> float:
    """Seconds for one what-if question answered end to end (median of `runs`, after one
    warm-up run that loads the year's tables)."""
    question = "Hva om pleie og omsorg i Sør-Varanger kostet som snittet i kommunegruppen?"
    assistant = Assistant(db)
    assistant.ask(question)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        answer = assistant.ask(question)
        times.append(time.perf_counter() - start)
        if answer.status != "ok":
            raise RuntimeError(f"Hva om-spørsmålet feilet: {answer.text}")
    assistant.close()
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        build_s = bench_build(Path(tmp))
        db = Path(tmp) / "bench.duckdb"
        (first50, first95), (p50, p95) = bench_ask(db)
        hva_om = bench_hva_om(db)
    print(f"bygging (ekte KOSTRA-tall og demodata, alle indekser, 3 år): {build_s:.2f} s   (mål < 5 s)")
    print(f"Assistant.ask: p50 {p50:.1f} ms, p95 {p95:.1f} ms   (mål p95 < 50 ms); "
          f"første gang p50 {first50:.1f} ms, p95 {first95:.1f} ms")
    print(f"hva om-beregning: {hva_om * 1000:.0f} ms   (mål < 200 ms)")
    e2e = ROOT / "test-artifacts" / "e2e_timing.json"
    if e2e.exists():  # one entry per screen size the browser test measured
        timings = json.loads(e2e.read_text())
        for name, values in timings.items():
            if "sekunder_til_svar" in values:
                print(f"spørsmål → svar på skjermen, {name} (siste nettlesertest): "
                      f"{values['sekunder_til_svar']:.2f} s   (mål < 1 s)")
    else:
        print("spørsmål → svar på skjermen: kjør `make test` (nettlesertesten) først")


if __name__ == "__main__":
    main()
