"""A conversation with the assistant: turns asked with their history, saved to the store, exported as Markdown.

`Conversation` is what the terminal chat (`planqa chat`), the app and `planqa ask --batch` with conversation
ids share. Saving never costs an answer: when the store fails (locked, read-only, damaged) the answer is still
returned and kept in memory, and `save_error` says what went wrong.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from planqa.errors import PlanqaError, QuestionError
from planqa.records import Answer
from planqa.store import Store, StoreError


class Conversation:
    """One conversation's turns (answer dicts, oldest first), asked through one Assistant."""

    def __init__(self, assistant: Any, store: Store | None = None, conversation_id: str | None = None, turns: list[dict] | None = None):
        self.assistant = assistant
        self.store = store
        self.id = conversation_id or ""
        self.turns: list[dict[str, Any]] = list(turns or [])
        self.save_error = ""

    @classmethod
    def start(cls, assistant: Any, store: Store | None = None) -> Conversation:
        """A new conversation; saved from its first turn when there is a store that works."""
        conversation = cls(assistant, store)
        if store is not None:
            try:
                conversation.id = store.new_conversation()
            except StoreError as exc:
                conversation.save_error = str(exc)
        return conversation

    @classmethod
    def resume(cls, assistant: Any, store: Store, conversation_id: str) -> Conversation:
        """A saved conversation, to go on with; UnknownConversationError for an id the store does not have."""
        return cls(assistant, store, conversation_id, store.turns(conversation_id))

    def ask(self, question: str, k: int | None = None) -> Answer:
        """Answer one turn with the history, remember it and save it (a failed save keeps the answer)."""
        answer = self.assistant.ask(question, k=k, history=self.turns)
        data = answer.to_dict()
        self.turns.append(data)
        if self.store is not None and self.id:
            try:
                self.store.add_turn(self.id, data)
                self.save_error = ""
            except StoreError as exc:
                self.save_error = str(exc)
        return answer

    def markdown(self) -> str:
        return export_markdown(self.id, self.turns)


def export_markdown(conversation_id: str, turns: list[dict[str, Any]]) -> str:
    """The conversation as Markdown: each question (and its resolved form), the answer and its citations.

    What a user typed is escaped (HTML and Markdown), so the file renders it as text.
    """
    lines = [f"# planqa conversation {conversation_id}".rstrip(), ""]
    for number, turn in enumerate(turns, start=1):
        question = str(turn.get("question", ""))
        resolved = str(turn.get("resolved_question") or question)
        lines.append(f"## {number}. {_md(question)}")
        if resolved != question:
            lines.append(f"*Resolved:* {_md(resolved)}")
        lines += ["", *[f"> {line}" if line else ">" for line in str(turn.get("answer", "")).splitlines()], ""]
        for cite in turn.get("citations", []):
            bureaus = "、".join(b.get("zh", "") for b in cite.get("bureaus", []))
            label = f"{cite.get('clause', '')}{cite.get('heading', '')}"
            tail = f" — {bureaus}" if bureaus else ""
            lines.append(f"- [{cite.get('n')}] {cite.get('doc_title', '')} {label} (`{cite.get('id')}`){tail}")
            lines.append(f"  “{cite.get('quote', '')}”")
        if turn.get("clarify"):
            lines.append("- candidates: " + ", ".join(f"`{c}`" for c in turn["clarify"]))
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    """User text made inert in Markdown: HTML escaped, Markdown punctuation backslashed."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return "".join(f"\\{c}" if c in "\\`*_[]{}#|~!" else c for c in escaped)


def batch_answers(assistant: Any, lines: Iterable[Any], k: int | None = None) -> Iterator[dict[str, Any]]:
    """One answer dict per line, in order, as each is answered. A JSON line {"conversation": ID, "question": Q} is a
    turn of conversation ID (lines sharing an ID follow up on each other, in order); any other line is an independent
    question. A bad line gets an "error" entry and the rest go on.

    `lines` are `inputs.BatchLine`s (number, text, error) or plain strings.
    """
    conversations: dict[str, Conversation] = {}
    for index, line in enumerate(lines, start=1):
        number, text, unusable = (line.number, line.text, line.error) if hasattr(line, "text") else (index, line, None)
        conversation_id, question, problem = (None, text, unusable) if unusable else _batch_line(text)
        try:
            if problem:
                raise QuestionError(problem)
            if conversation_id is None:
                data = assistant.ask(question, k=k).to_dict()
            else:
                conversation = conversations.setdefault(conversation_id, Conversation(assistant, conversation_id=conversation_id))
                data = {"conversation": conversation_id, **conversation.ask(question, k=k).to_dict()}
        except PlanqaError as exc:  # one bad line is one error item; the batch goes on
            data = {"line": number, "question": question, "error": str(exc)}
            if conversation_id is not None:
                data["conversation"] = conversation_id
        yield data


def _batch_line(line: str) -> tuple[str | None, str, str]:
    """(conversation id or None, question, problem) for one --batch line."""
    import json

    if not line.lstrip().startswith("{"):
        return None, line, ""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, line, f'not a JSON object ({exc.msg}); write {{"conversation": ID, "question": Q}} or a plain question'
    if not isinstance(data, dict) or not isinstance(data.get("question"), str):
        return None, line, 'a JSON line needs a "question" string: {"conversation": ID, "question": Q}'
    conversation = data.get("conversation")
    if conversation is not None and not isinstance(conversation, str | int):
        return None, data["question"], '"conversation" must be a string or number'
    return (None if conversation is None else str(conversation)), data["question"], ""


HELP = "/new starts a new conversation, /export FILE saves it as Markdown, /help shows this, Ctrl-D leaves."


def run_chat(
    assistant: Any,
    store: Store | None,
    read: Callable[[str], str] | None = None,
    out: TextIO = sys.stdout,
    format_answer: Callable[[dict[str, Any]], str] | None = None,
    conversation_id: str | None = None,
) -> int:
    """The terminal chat loop: each line is a turn; the same answers and citations as `planqa ask`.

    `read` is prompt_toolkit's prompt (line editing, history) unless a test passes its own; EOF leaves.
    """
    if format_answer is None:
        from planqa.cli import format_answer_dict as format_answer
    read = read or _prompt_reader()
    if conversation_id and store is not None:
        conversation = Conversation.resume(assistant, store, conversation_id)
    else:
        conversation = Conversation.start(assistant, store)
    _say(out, f"planqa chat — {HELP}")
    if conversation.save_error:
        _say(out, f"note: {conversation.save_error}; this conversation is kept in memory only")
    while True:
        try:
            line = read("› ").strip()
        except EOFError:
            _say(out, "")
            return 0
        except KeyboardInterrupt:
            continue
        if not line:
            continue
        if line in ("/help", "/?"):
            _say(out, HELP)
        elif line == "/new":
            conversation = Conversation.start(assistant, store)
            _say(out, "(new conversation)")
        elif line.startswith("/export"):
            from planqa.report import write_atomic

            target = line[len("/export") :].strip()
            if not target:
                _say(out, "usage: /export FILE")
                continue
            try:
                write_atomic(Path(target).expanduser(), conversation.markdown())
                _say(out, f"saved {len(conversation.turns)} turn(s) to {target}")
            except OSError as exc:
                _say(out, f"error: cannot write {target}: {exc.strerror}")
        elif line.startswith("/"):
            _say(out, f"unknown command {line.split()[0]}; {HELP}")
        else:
            try:
                answer = conversation.ask(line)
            except QuestionError as exc:
                _say(out, f"error: {exc}")
                continue
            except PlanqaError as exc:
                _say(out, f"error: {exc}")
                continue
            data = answer.to_dict()
            if data["resolved_question"] != data["question"]:
                _say(out, f"({data['resolved_question']})")
            _say(out, format_answer(data))
            if conversation.save_error:
                _say(out, f"note: not saved: {conversation.save_error}")


def _say(out: TextIO, text: str) -> None:
    print(text, file=out, flush=True)


def _prompt_reader() -> Callable[[str], str]:
    """prompt_toolkit's prompt with in-memory history and Emacs line editing; plain input() when not a terminal."""
    if not sys.stdin.isatty():
        return input
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory

    session: PromptSession[str] = PromptSession(history=InMemoryHistory())
    return session.prompt


def answer_from_dict(data: dict[str, Any], catalog: Any) -> Answer:
    """A saved turn (an `Answer.to_dict()`) as an Answer again, for showing a restored conversation.

    Citations of clauses no longer in the corpus are left out.
    """
    from planqa.records import Bureau, Citation

    def citations(key: str) -> tuple[Citation, ...]:
        found = []
        for c in data.get(key, []):
            chunk = catalog.chunk_map.get(c.get("id"))
            if chunk is not None:
                found.append(
                    Citation(
                        int(c.get("n", len(found) + 1)),
                        chunk,
                        str(c.get("doc_title", "")),
                        str(c.get("quote", "")),
                        float(c.get("score", 0.0)),
                        c.get("rendering_id"),
                        str(c.get("rendering_quote", "")),
                    )
                )
        return tuple(found)

    return Answer(
        question=str(data.get("question", "")),
        language=str(data.get("language", "zh")),
        intent=str(data.get("intent", "fact")),
        answer=str(data.get("answer", "")),
        abstained=bool(data.get("abstained", False)),
        citations=citations("citations"),
        retrieved=citations("retrieved"),
        bureaus=tuple(Bureau(b.get("zh", ""), b.get("en", "")) for b in data.get("bureaus", []) if isinstance(b, dict)),
        timings_ms=dict(data.get("timings_ms", {})),
        answerer=str(data.get("answerer", "extractive")),
        flags=tuple(data.get("flags", [])),
        resolved_question=str(data.get("resolved_question", "")),
        clarify=tuple(c for c in data.get("clarify", []) if c in catalog.chunk_map),
        profile=tuple((str(p[0]), str(p[1])) for p in data.get("profile", []) if isinstance(p, list | tuple) and len(p) == 2),
    )
