"""End-to-end latency of `Assistant.ask()` on the real corpus, warm, per pipeline step.

    .venv/bin/python bench/ask.py            # every question in eval/questions.jsonl, 3 rounds

Prints p50/p95 of the total and of each step (analyse, retrieve, answer) after one warm-up
round, and — because this machine's speed varies with its load — the warm `ask` p50 as a ratio
to one query embedding measured in the same run: almost all of an answer should be that
embedding, so the target is a ratio of at most 1.5.
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
    embedder = assistant.retriever.embedder
    embeds = []
    for _ in range(ROUNDS):
        for question in questions:
            started = time.perf_counter()
            embedder.embed_array([question], query=True)
            embeds.append((time.perf_counter() - started) * 1000)
    embed_p50 = percentile(embeds, 50)
    ratio = total_p50 / embed_p50
    print(f"  one query embedding p50 {embed_p50:6.1f} ms")
    print(f"ask p50 / embedding p50 = {ratio:.2f} (target <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
