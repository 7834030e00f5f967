"""The conversation object, the terminal chat loop, Markdown export and conversation lines in ask --batch.

The plumbing is tested with a stand-in assistant that records the history it is given; the real
assistant's follow-ups are tested in tests/test_conversation_real.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from planqa.analysis import validate_question
from planqa.chat import Conversation, batch_answers, export_markdown, run_chat
from planqa.errors import QuestionError
from planqa.records import Answer
from planqa.store import Store


class Recorder:
    """Answers every question with the length of the history it was given."""

    def __init__(self):
        self.histories: list[int] = []

    def ask(self, question: str, k=None, history=None) -> Answer:
        text = validate_question(question)
        self.histories.append(len(history or []))
        return Answer(text, "zh", "fact", f"answer to {text}", False, (), (), resolved_question=f"resolved {text}")


def test_turns_carry_the_history_and_are_saved(tmp_path: Path):
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    recorder = Recorder()
    conversation = Conversation.start(recorder, store)
    for q in ("一", "二", "三"):
        conversation.ask(q)
    assert recorder.histories == [0, 1, 2]
    again = Conversation.resume(recorder, store, conversation.id)
    again.ask("四")
    assert recorder.histories[-1] == 3 and len(store.turns(conversation.id)) == 4


def test_a_failing_store_keeps_the_answer(tmp_path: Path):
    path = tmp_path / "c.db"
    store = Store(f"sqlite:///{path}")
    conversation = Conversation.start(Recorder(), store)
    path.unlink()
    (tmp_path / "c.db-wal").unlink(missing_ok=True)
    path.write_bytes(b"garbage" * 1000)
    store.engine.dispose()
    answer = conversation.ask("问题")
    assert answer.answer == "answer to 问题" and len(conversation.turns) == 1
    assert conversation.save_error


def test_markdown_export_escapes_what_users_typed():
    turns = [
        {
            "question": "<script>alert(1)</script> [x](javascript:y)",
            "resolved_question": "北京方案（二）",
            "answer": "回答 [1]",
            "citations": [
                {
                    "n": 1,
                    "id": "bj-2024#2",
                    "doc_title": "北京方案",
                    "clause": "（二）",
                    "heading": "支持",
                    "quote": "首席数据官",
                    "bureaus": [],
                }
            ],
        }
    ]
    text = export_markdown("c1", turns)
    assert "<script>" not in text and "&lt;script&gt;" in text and "\\[x\\]" in text
    assert "`bj-2024#2`" in text and "“首席数据官”" in text and "*Resolved:* 北京方案（二）" in text


def test_terminal_chat_new_export_and_eof(tmp_path: Path):
    lines = iter(["首席数据官？", "", "/export " + str(tmp_path / "out.md"), "/new", "/bogus", "x" * 5000, "这一条呢？"])

    def read(prompt: str) -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    out = io.StringIO()
    recorder = Recorder()
    assert run_chat(recorder, None, read=read, out=out, format_answer=lambda d: d["answer"]) == 0
    text = out.getvalue()
    assert "answer to 首席数据官？" in text and "(resolved 首席数据官？)" in text
    assert "saved 1 turn(s)" in text and (tmp_path / "out.md").read_text(encoding="utf-8").count("## ") == 1
    assert "unknown command /bogus" in text and "error: the question is 5000 characters long" in text
    assert recorder.histories == [0, 0]  # /new started over


def test_batch_lines_group_turns_by_conversation():
    recorder = Recorder()
    lines = [
        '{"conversation": "a", "question": "一"}',
        '{"conversation": 7, "question": "二"}',
        "plain question",
        '{"conversation": "a", "question": "三"}',
        '{"conversation": "a", "question": ""}',
        '{"question": 5}',
        "{broken",
    ]
    results = list(batch_answers(recorder, lines))
    assert [r.get("conversation") for r in results] == ["a", "7", None, "a", "a", None, None]
    assert recorder.histories == [0, 0, 0, 1]
    assert results[3]["resolved_question"] == "resolved 三" and results[3]["clarify"] == []
    assert "empty" in results[4]["error"] and "question" in results[5]["error"] and "JSON" in results[6]["error"]


@pytest.mark.parametrize("bad", ["", "   ", "x" * 10_000])
def test_bad_turns_are_refused_and_lose_nothing(bad: str):
    conversation = Conversation(Recorder())
    conversation.ask("一")
    with pytest.raises(QuestionError, match=r"empty|limit"):
        conversation.ask(bad)
    assert len(conversation.turns) == 1
