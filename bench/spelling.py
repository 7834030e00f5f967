"""Spelling benchmark: building the corpus vocabulary, and correcting one question (target: <= 2 ms typical).

    cd /work/main && .venv/bin/python bench/spelling.py

Questions are made from the corpus itself, so no evaluation question is needed: the start of every
sentence (40 characters; in English 60, cut at a space) is a correct question, the common case where
nothing changes; the same with one typo planted (a letter dropped from an English word of 7+ letters,
the first Chinese character that has one swapped for a common character sharing a reading) is a
misspelt one. Prints the vocabulary build time, then p50/p95 per question for each kind, after a
warm-up pass (pinyin and wordfreq load lazily on first use). On the shared 2-core machine a busy spell
inflates p95 several times over; compare runs made at the same load.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from planqa.catalog import Catalog  # noqa: E402
from planqa.spelling import Vocabulary, correct, readings  # noqa: E402
from planqa.text import sentence_spans  # noqa: E402


def questions(catalog: Catalog) -> tuple[list[str], list[str]]:
    sentences = [chunk.text[s:e] for chunk in catalog.chunks for s, e in sentence_spans(chunk.text, chunk.lang)]
    clean = [text[:40] if re.search(r"[\u4e00-\u9fff]", text) else text[:60].rsplit(" ", 1)[0] for text in sentences]
    typos = []
    for text in clean:
        word = next((w for w in re.findall(r"[a-z]{7,}", text)), None)
        if word:
            typos.append(text.replace(word, word[:3] + word[4:], 1))
            continue
        han = next((i for i, c in enumerate(text) if "\u4e00" <= c <= "\u9fff" and _homophone(c)), None)
        if han is not None:
            typos.append(text[:han] + _homophone(text[han]) + text[han + 1 :])
    return clean, typos


def _homophone(char: str) -> str:
    """Another common character with one of the same readings ('官' -> '关'), or ''."""
    for other in "关观管馆冠惯光广工公功攻宫共供公制至志治智质之知支职指只":
        if other != char and readings(other) & readings(char):
            return other
    return ""


def timed(vocabulary: Vocabulary, items: list[str]) -> list[float]:
    times = []
    for text in items:
        start = time.perf_counter()
        correct(text, vocabulary)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    catalog = Catalog.load(ROOT / "corpus")
    start = time.perf_counter()
    vocabulary = Vocabulary.from_catalog(catalog)
    took = time.perf_counter() - start
    print(f"vocabulary build: {took:.2f} s ({len(vocabulary.english)} English words, {len(vocabulary.chinese)} Chinese terms)")
    clean, typos = questions(catalog)
    timed(vocabulary, clean + typos)  # warm-up
    for name, items in (("correct questions", clean), ("one typo planted", typos)):
        times = sorted(timed(vocabulary, items))
        p95 = times[int(0.95 * (len(times) - 1))]
        changed = sum(bool(correct(t, vocabulary).changes) for t in items)
        print(f"{name}: n={len(items)} p50 {statistics.median(times):.3f} ms, p95 {p95:.3f} ms, changed {changed}")


if __name__ == "__main__":
    main()
