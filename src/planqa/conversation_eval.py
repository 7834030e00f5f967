"""Evaluate conversations: every turn asked with its history, judged like a single question (`evaluate.judge`).

eval/conversations.jsonl holds one labelled conversation per line:

    {"id": "c001", "lang": "zh", "kinds": ["pronoun"], "turns": [
        {"question": "首席数据官由谁聘任？", "gold": ["bj-2024#2"], …, "clarify": []},
        {"question": "这条归哪个部门负责？", "gold": ["bj-2024#2"], "bureaus": [...], …, "clarify": []}]}

A turn's labels are for the question as resolved. A turn whose `clarify` is non-empty expects the assistant
to ask which clause is meant (and to offer those clauses), never to answer. Reported, for dev and test:
first-turn accuracy, follow-up accuracy, confidently wrong follow-ups (answered — not declined, not a
clarification — but the gold clause not cited, an unanswerable one answered, or a clarification skipped),
clarifications asked when expected and when not, and unanswerable follow-ups declined.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from planqa.catalog import Catalog
from planqa.evaluate import EVAL_K, judge

LANGS = ("zh", "en", "switch")
KINDS = ("pronoun", "ellipsis", "ordinal", "doc_switch", "lang_switch", "topic_shift", "ambiguous", "unanswerable")
TURN_FIELDS = ("question", "gold", "alternates", "facts", "bureaus", "answerable", "clarify")
# Metrics where a rise is a regression; the others may not fall.
LOWER_IS_BETTER = {"confidently_wrong_follow_ups", "clarify_when_not_expected"}


def check_conversations(conversations: list[dict[str, Any]], catalog: Catalog) -> list[str]:
    """Problems with the conversation set: missing fields, unknown kinds or clause ids, duplicate ids."""
    problems, seen = [], set()
    chunks = catalog.chunk_map
    for conv in conversations:
        cid = conv.get("id", "?")
        if cid in seen:
            problems.append(f"{cid}: duplicate id")
        seen.add(cid)
        if conv.get("lang") not in LANGS:
            problems.append(f"{cid}: lang {conv.get('lang')!r} is not one of {', '.join(LANGS)}")
        unknown = [k for k in conv.get("kinds", []) if k not in KINDS]
        if unknown or not conv.get("kinds"):
            problems.append(f"{cid}: kinds {conv.get('kinds')} must be some of {', '.join(KINDS)}")
        if not conv.get("turns"):
            problems.append(f"{cid}: no turns")
        for number, turn in enumerate(conv.get("turns", [])):
            missing = [f for f in TURN_FIELDS if f not in turn]
            if missing:
                problems.append(f"{cid} turn {number}: missing field(s) {', '.join(missing)}")
                continue
            for clause in [*turn["gold"], *turn["alternates"], *turn["clarify"]]:
                if clause not in chunks:
                    problems.append(f"{cid} turn {number}: clause {clause} does not exist")
    return problems


def run_conversations(
    assistant: Any,
    conversations: list[dict[str, Any]],
    sides: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Ask every turn with the answers before it as history; judge every turn; metrics overall and per side of the split.

    `sides` maps a conversation id to 'dev' or 'test' (eval/split.json, read by `planqa.split.load_split`).
    """
    part = dict(sides or {})
    verdicts = []
    for conv in conversations:
        history: list[Any] = []
        for number, turn in enumerate(conv["turns"]):
            answer = assistant.ask(turn["question"], k=EVAL_K, history=history)
            history.append(answer)
            verdict = turn_verdict(conv, number, turn, answer, part.get(conv["id"], ""))
            if number == 0:  # the same question asked on its own, outside a conversation: first turns must be as good
                verdict["passed_alone"] = turn_verdict(conv, 0, turn, assistant.ask(turn["question"], k=EVAL_K))["passed"]
            verdicts.append(verdict)
        if progress:
            progress(1)
    groups = {"all": verdicts, **{name: [v for v in verdicts if v["split"] == name] for name in sorted(set(part.values()))}}
    return {
        "metrics": {name: conversation_metrics(group) for name, group in groups.items()},
        "by_kind": {kind: conversation_metrics([v for v in verdicts if kind in v["kinds"]]) for kind in KINDS},
        "verdicts": verdicts,
    }


def turn_verdict(conv: dict[str, Any], number: int, turn: dict[str, Any], answer: Any, split: str = "") -> dict[str, Any]:
    """How one turn fared; a turn expecting a clarification passes only if the assistant asked, offering one of those clauses."""
    item = {**turn, "id": f"{conv['id']}.{number}", "lang": conv.get("lang", ""), "category": "follow_up" if number else "first_turn"}
    verdict = judge(item, answer)
    expected = list(turn.get("clarify") or [])
    offered = list(answer.clarify)
    clarified = bool(offered)
    answered = not answer.abstained and not clarified
    if expected:
        # The candidates are what the last answer cited, which may differ from the labelled ones: one in common suffices.
        passed = clarified and bool(set(expected) & set(offered))
        wrong = answered
    else:
        passed = not clarified and verdict.passed
        wrong = answered and (not verdict.answerable or not verdict.gold_cited)
    return {
        "id": item["id"],
        "conversation": conv["id"],
        "turn": number,
        "split": split,
        "lang": conv.get("lang", ""),
        "kinds": list(conv.get("kinds", [])),
        "question": turn["question"],
        "resolved_question": answer.resolved_question or answer.question,
        "answerable": verdict.answerable,
        "abstained": answer.abstained,
        "expected_clarify": expected,
        "clarify": offered,
        "gold_cited": verdict.gold_cited,
        "cited_ids": list(verdict.cited_ids),
        "facts_found": list(verdict.facts_found),
        "facts_total": verdict.facts_total,
        "bureaus_match": verdict.bureaus_match,
        "confidently_wrong": wrong,
        "passed": passed,
    }


def conversation_metrics(verdicts: list[dict[str, Any]]) -> dict[str, Any]:
    first = [v for v in verdicts if v["turn"] == 0]
    follow = [v for v in verdicts if v["turn"] > 0]
    expected = [v for v in verdicts if v["expected_clarify"]]
    not_expected = [v for v in verdicts if not v["expected_clarify"]]
    unanswerable = [v for v in follow if not v["answerable"] and not v["expected_clarify"]]
    return {
        "conversations": len({v["conversation"] for v in verdicts}),
        "turns": len(verdicts),
        "follow_up_turns": len(follow),
        "first_turn_accuracy": _rate(sum(v["passed"] for v in first), len(first)),
        "first_turn_alone_accuracy": _rate(sum(v.get("passed_alone", v["passed"]) for v in first), len(first)),
        "follow_up_accuracy": _rate(sum(v["passed"] for v in follow), len(follow)),
        "confidently_wrong_follow_ups": _rate(sum(v["confidently_wrong"] for v in follow), len(follow)),
        "clarify_when_expected": _rate(sum(bool(v["clarify"]) for v in expected), len(expected)),
        "clarify_when_not_expected": _rate(sum(bool(v["clarify"]) for v in not_expected), len(not_expected)),
        "unanswerable_follow_ups_declined": _rate(sum(v["abstained"] for v in unanswerable), len(unanswerable)),
    }


COUNTS = {"conversations", "turns", "follow_up_turns"}


def compare_conversations(current: dict[str, Any], baseline: dict[str, Any], tolerances: dict[str, float]) -> list[str]:
    """Every turn that passed in the baseline and fails now, then every metric that got worse beyond its tolerance."""
    before = {v["id"]: v for v in baseline.get("verdicts", [])}
    problems = []
    for now in current["verdicts"]:
        old = before.get(now["id"])
        if old is not None and old["passed"] and not now["passed"]:
            what = "asked back" if now["clarify"] else ("declined" if now["abstained"] else f"cited {now['cited_ids'] or 'nothing'}")
            problems.append(
                f"conversation turn {now['id']} “{now['question'][:60]}” now fails ({what}; resolved as “{now['resolved_question'][:80]}”)"
            )
    for group, metrics in baseline.get("metrics", {}).items():
        for name, old_value in metrics.items():
            new_value = current["metrics"].get(group, {}).get(name)
            if name in COUNTS or old_value is None or new_value is None:
                continue
            drop = (new_value - old_value) if name in LOWER_IS_BETTER else (old_value - new_value)
            tolerance = tolerances.get(f"conversations.{name}", 0.0)
            if drop > tolerance + 1e-9:
                problems.append(f"metric conversations {group} {name}: {old_value} -> {new_value} (tolerance {tolerance})")
    return problems


def summary_lines(result: dict[str, Any]) -> list[str]:
    """One line per split: the headline conversation metrics."""
    lines = []
    for group, m in result["metrics"].items():
        lines.append(
            f"conversations {group}: {m['conversations']} conv / {m['turns']} turns; first turns {_fmt(m['first_turn_accuracy'])} "
            f"(asked alone {_fmt(m['first_turn_alone_accuracy'])}), "
            f"follow-ups {_fmt(m['follow_up_accuracy'])}, confidently wrong {_fmt(m['confidently_wrong_follow_ups'])}, "
            f"clarified when expected {_fmt(m['clarify_when_expected'])} / when not {_fmt(m['clarify_when_not_expected'])}, "
            f"unanswerable follow-ups declined {_fmt(m['unanswerable_follow_ups_declined'])}"
        )
    return lines


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def evaluate_conversations(assistant: Any, conversations_path: Any, sides: dict[str, str]) -> dict[str, Any] | None:
    """Run eval/conversations.jsonl when it exists (None otherwise); problems in the set are a ConfigError.

    Conversations missing from the split are placed as `planqa eval --update-split` would place them (in memory).
    """
    from pathlib import Path

    from planqa.errors import ConfigError
    from planqa.evaluate import load_questions

    if not Path(conversations_path).is_file():
        return None
    conversations = load_questions(Path(conversations_path))
    # Clause ids missing from the corpus are not an error here: a candidate corpus that drops a clause must fail the
    # gate turn by turn, not stop the run (`planqa eval --check-set` reports them).
    problems = [p for p in check_conversations(conversations, assistant.catalog) if "does not exist" not in p]
    if problems:
        raise ConfigError(
            f"{Path(conversations_path).name}: {problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
        )
    from planqa.split import assign

    return run_conversations(assistant, conversations, assign(conversations, sides))
