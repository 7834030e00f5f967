"""Conversation metrics and the gate, with a scripted assistant (the real one is measured by `planqa eval`)."""

from __future__ import annotations

from planqa.conversation_eval import check_conversations, compare_conversations, run_conversations
from planqa.records import Answer, Citation


def turn(question, gold=(), answerable=True, clarify=()):
    return {"question": question, "gold": list(gold), "alternates": [], "facts": [], "bureaus": [], "answerable": answerable,
            "clarify": list(clarify)}  # fmt: skip


CONVERSATIONS = [
    {"id": "c1", "lang": "zh", "kinds": ["pronoun"], "turns": [turn("a", ["bj-2024#2"]), turn("b", ["bj-2024#2"])]},
    {"id": "c2", "lang": "en", "kinds": ["ambiguous"], "turns": [turn("c", ["bj-2024#3"]), turn("d", clarify=["bj-2024#3", "bj-2024#4"])]},
    {"id": "c3", "lang": "zh", "kinds": ["unanswerable"], "turns": [turn("e", ["bj-2024#2"]), turn("f", answerable=False)]},
]


class Scripted:
    """Answers from a script: question -> ('cite', id) | ('abstain',) | ('clarify', ids)."""

    def __init__(self, catalog, script):
        self.catalog, self.script, self.histories = catalog, script, []

    def ask(self, question, k=None, history=None):
        if history is not None:  # not the first turns asked again on their own
            self.histories.append(len(history))
        action = self.script[question]
        if action[0] == "cite":
            chunk = self.catalog.chunk(action[1])
            return Answer(question, "zh", "fact", "x", False, (Citation(1, chunk, "t", chunk.text[:5], 1.0),), ())
        if action[0] == "clarify":
            return Answer(question, "zh", "clarify", "which?", False, (), (), clarify=tuple(action[1]))
        return Answer(question, "zh", "fact", "no", True, (), ())


def test_set_checks(catalog):
    assert check_conversations(CONVERSATIONS, catalog) == []
    bad = [{"id": "x", "lang": "fr", "kinds": ["weird"], "turns": [{"question": "q", "gold": ["nope#1"]}]}]
    problems = check_conversations(bad, catalog)
    assert any("lang" in p for p in problems) and any("kinds" in p for p in problems) and any("missing" in p for p in problems)


def test_metrics_count_confidently_wrong_and_clarifications(catalog):
    script = {"a": ("cite", "bj-2024#2"), "b": ("cite", "bj-2024#5"), "c": ("cite", "bj-2024#3"),
              "d": ("clarify", ["bj-2024#3", "bj-2024#4"]), "e": ("cite", "bj-2024#2"), "f": ("cite", "bj-2024#2")}  # fmt: skip
    assistant = Scripted(catalog, script)
    result = run_conversations(assistant, CONVERSATIONS, {"c1": "dev", "c2": "dev", "c3": "test"})
    assert assistant.histories == [0, 1, 0, 1, 0, 1]
    m = result["metrics"]["all"]
    assert m["first_turn_accuracy"] == 1.0 and m["follow_up_accuracy"] == round(1 / 3, 4)
    assert m["confidently_wrong_follow_ups"] == round(2 / 3, 4)  # wrong clause, and an unanswerable one answered
    assert m["clarify_when_expected"] == 1.0 and m["clarify_when_not_expected"] == 0.0
    assert m["unanswerable_follow_ups_declined"] == 0.0
    assert result["metrics"]["test"]["turns"] == 2

    better = dict(script, b=("cite", "bj-2024#2"), f=("abstain",))
    fixed = run_conversations(Scripted(catalog, better), CONVERSATIONS, {"c1": "dev", "c2": "dev", "c3": "test"})
    assert fixed["metrics"]["all"]["follow_up_accuracy"] == 1.0
    assert compare_conversations(fixed, result, {}) == []
    problems = compare_conversations(result, fixed, {})
    assert any("c1.1" in p for p in problems) and any("follow_up_accuracy" in p for p in problems)


def test_a_skipped_clarification_is_confidently_wrong(catalog):
    script = {"c": ("cite", "bj-2024#3"), "d": ("cite", "bj-2024#3")}
    result = run_conversations(Scripted(catalog, script), CONVERSATIONS[1:2])
    (first, second) = result["verdicts"]
    assert first["passed"] and not second["passed"] and second["confidently_wrong"]


def test_a_clause_missing_from_the_corpus_fails_its_turn_not_the_run(catalog, tmp_path):
    import json

    import pytest

    from planqa.conversation_eval import evaluate_conversations
    from planqa.errors import ConfigError

    gone = [{"id": "c9", "lang": "zh", "kinds": ["pronoun"], "turns": [turn("a", ["bj-2024#99"])]}]
    path = tmp_path / "conversations.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in gone), encoding="utf-8")
    assistant = Scripted(catalog, {"a": ("cite", "bj-2024#2")})
    result = evaluate_conversations(assistant, path, {})
    assert result["verdicts"][0]["passed"] is False and result["verdicts"][0]["split"] in ("dev", "test")
    path.write_text(json.dumps({"id": "c9", "lang": "fr", "kinds": ["pronoun"], "turns": [turn("a")]}), encoding="utf-8")
    with pytest.raises(ConfigError, match="lang"):
        evaluate_conversations(assistant, path, {})
    assert evaluate_conversations(assistant, tmp_path / "none.jsonl", {}) is None
