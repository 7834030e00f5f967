"""End-to-end latency of `Assistant.ask()` on the real corpus, warm, per pipeline step.

    .venv/bin/python bench/ask.py            # every question in eval/questions.jsonl, 3 rounds

Prints p50/p95 of the total and of each step (analyse, retrieve, answer) after one warm-up
round; the target for the default (extractive) answerer is under 50 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from planqa.chain import Assistant
from planqa.evaluate import load_questions

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 3


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    started = time.perf_counter()
    assistant = Assistant.load()
    print(f"load: {time.perf_counter() - started:.1f} s (corpus, model, index)")
    questions = [item["question"] for item in load_questions(ROOT / "eval" / "questions.jsonl")]
    for question in questions:  # warm-up: fills the per-clause sentence cache and the model's buffers
        assistant.ask(question)
    steps: dict[str, list[float]] = {}
    for _ in range(ROUNDS):
        for question in questions:
            for step, ms in assistant.ask(question).timings_ms.items():
                steps.setdefault(step, []).append(ms)
    print(f"{len(questions)} questions x {ROUNDS} rounds, warm, extractive answerer")
    for step in ("analyse", "retrieve", "answer", "total"):
        values = steps[step]
        print(f"  {step:<9} p50 {percentile(values, 50):6.1f} ms   p95 {percentile(values, 95):6.1f} ms")
    total_p50 = percentile(steps["total"], 50)
    print(f"target < 50 ms: {'met' if total_p50 < 50 else 'NOT met'} (p50 {total_p50:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
