"""Feedback becomes evaluation items: 👍 answers as review-ready questions, 👎 answers flagged for review.

`export_items` writes eval/questions.jsonl's format, so a maintainer reviews the file and appends the items:

    👍 "这条归哪个部门负责？" (resolved "北京方案（十三）…由哪个部门负责？", cited bj-2024#13)
       -> {"id": "fb-0007", "question": "北京方案（十三）…由哪个部门负责？", "gold": ["bj-2024#13"], "answerable": true, …}
    👎 with "wrong measure" -> the same shape with "gold": [], "needs_review": true, "comment": "wrong measure"

The resolved question is the item's question: it stands on its own, as every item of the set must.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from planqa.store import Feedback

# The question categories of eval/questions.jsonl, by the intent the answer was given for.
CATEGORY_OF_INTENT = {
    "fact": "fact",
    "responsible_bureau": "bureau",
    "bureau_measures": "bureau_list",
    "eligibility": "eligibility",
    "title_route": "title_route",
    "metadata": "metadata",
}


def export_items(feedback: list[Feedback]) -> list[dict[str, Any]]:
    """One evaluation item per feedback, newest judgement of a turn winning; 👎 items carry `needs_review`."""
    latest: dict[tuple[str, int], Feedback] = {}
    for item in feedback:
        latest[(item.conversation, item.position)] = item
    items = []
    for item in sorted(latest.values(), key=lambda f: f.id):
        up = item.rating == "up"
        answerable = not item.abstained if up else True
        entry: dict[str, Any] = {
            "id": f"fb-{item.id:04d}",
            "question": item.resolved_question,
            "lang": item.language if item.language in ("zh", "en") else "zh",
            "category": CATEGORY_OF_INTENT.get(item.intent, "fact") if answerable else "unanswerable",
            "gold": list(item.cited) if up and answerable else [],
            "alternates": [],
            "facts": [],
            "bureaus": [],
            "answerable": answerable,
            "source": {"conversation": item.conversation, "turn": item.position, "rating": item.rating, "asked": item.question},
        }
        if not up:
            entry["needs_review"] = True
            entry["comment"] = item.comment
            entry["answered"] = item.answer
            entry["cited"] = list(item.cited)
        elif item.comment:
            entry["comment"] = item.comment
        items.append(entry)
    return items


def to_jsonl(items: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)


def stats(feedback: list[Feedback]) -> dict[str, Any]:
    """Counts of 👍/👎 overall and by intent and language, the 👎 share, and the latest 👎 comments."""
    ratings = Counter(f.rating for f in feedback)
    by_intent: dict[str, Counter[str]] = {}
    by_language: dict[str, Counter[str]] = {}
    for f in feedback:
        by_intent.setdefault(f.intent or "?", Counter())[f.rating] += 1
        by_language.setdefault(f.language or "?", Counter())[f.rating] += 1
    total = len(feedback)
    return {
        "total": total,
        "up": ratings["up"],
        "down": ratings["down"],
        "down_share": round(ratings["down"] / total, 4) if total else None,
        "conversations": len({f.conversation for f in feedback}),
        "by_intent": {k: dict(v) for k, v in sorted(by_intent.items())},
        "by_language": {k: dict(v) for k, v in sorted(by_language.items())},
        "recent_comments": [
            {"id": f.id, "question": f.question, "comment": f.comment} for f in reversed(feedback) if f.rating == "down" and f.comment
        ][:10],
    }


def stats_text(summary: dict[str, Any]) -> str:
    if not summary["total"]:
        return "no feedback yet"
    lines = [
        f"{summary['total']} ratings on {summary['conversations']} conversation(s): "
        f"{summary['up']} 👍, {summary['down']} 👎 ({summary['down_share']:.0%} 👎)"
    ]
    for name, counts in summary["by_intent"].items():
        lines.append(f"  {name:<20} 👍 {counts.get('up', 0):>4}  👎 {counts.get('down', 0):>4}")
    for comment in summary["recent_comments"]:
        lines.append(f"  👎 #{comment['id']} “{comment['question'][:60]}”: {comment['comment'][:100]}")
    return "\n".join(lines)
