"""Judge answers against the labelled questions in eval/questions.jsonl.

Each item names its gold clause ids (and acceptable alternates), the key facts an answer
must state (each fact a list of acceptable strings), the responsible bureaus where
relevant, and whether it is answerable at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planqa.errors import PlanqaError
from planqa.records import Answer


def load_questions(path: Path) -> list[dict[str, Any]]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise PlanqaError(f"cannot read question set {path}: {exc.strerror}") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise PlanqaError(f"{Path(path).name} line {number}: not JSON ({exc.msg})") from None
    return items


@dataclass(frozen=True)
class Verdict:
    """How one answer fared: abstention, gold clause cited, facts stated, bureaus matched."""

    id: str
    answerable: bool
    abstained: bool
    gold_cited: bool
    cited_ids: tuple[str, ...]
    facts_found: int
    facts_total: int
    bureaus_match: bool | None

    @property
    def correct_abstention(self) -> bool:
        return self.abstained != self.answerable

    @property
    def passed(self) -> bool:
        if not self.answerable:
            return self.abstained
        return not self.abstained and self.gold_cited and self.facts_found == self.facts_total and self.bureaus_match is not False


def judge(item: dict[str, Any], answer: Answer) -> Verdict:
    """Compare an answer with its labelled item (facts are matched case-insensitively)."""
    cited = tuple(c.chunk.id for c in answer.citations)
    acceptable = set(item.get("gold", [])) | set(item.get("alternates", []))
    text = answer.answer.casefold()
    facts = item.get("facts", [])
    found = sum(any(alt.casefold() in text for alt in fact) for fact in facts)
    wanted = item.get("bureaus") or []
    bureaus = None if not wanted else set(wanted) <= {b.zh for b in answer.bureaus}
    return Verdict(item["id"], bool(item["answerable"]), answer.abstained, bool(acceptable & set(cited)), cited, found, len(facts), bureaus)


def summarise(verdicts: Iterable[Verdict]) -> dict[str, float]:
    """Headline rates: abstention recall/precision, false abstention, citation recall, fact accuracy."""
    verdicts = list(verdicts)
    answerable = [v for v in verdicts if v.answerable]
    unanswerable = [v for v in verdicts if not v.answerable]
    abstained = [v for v in verdicts if v.abstained]
    facts_total = sum(v.facts_total for v in answerable)
    return {
        "questions": len(verdicts),
        "abstention_recall": _rate(sum(v.abstained for v in unanswerable), len(unanswerable)),
        "abstention_precision": _rate(sum(not v.answerable for v in abstained), len(abstained)),
        "false_abstention": _rate(sum(v.abstained for v in answerable), len(answerable)),
        "citation_recall": _rate(sum(v.gold_cited for v in answerable), len(answerable)),
        "fact_accuracy": _rate(sum(v.facts_found for v in answerable), facts_total),
        "passed": _rate(sum(v.passed for v in verdicts), len(verdicts)),
    }


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0
