"""The Ask tab as a conversation: follow-ups, clarifying buttons, 👍/👎 with a comment, history kept across reloads.

The browser keeps only its conversation id (`gr.BrowserState`, in localStorage); the turns live in the store,
so a reload shows the conversation again. The session also holds the turns in memory, so a store that fails
(locked, read-only, damaged) costs the saved history, never an answer. The `/ask` API returns a conversation id;
`/follow_up(question, conversation)` goes on with it, so `gradio_client` users can follow up.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from planqa.chat import answer_from_dict, export_markdown
from planqa.errors import PlanqaError, QuestionError
from planqa.inputs import question_text
from planqa.records import Answer
from planqa.render import SCROLL_TO_ANSWER_JS, error_html, question_html, turn_html
from planqa.store import Store, StoreError, check_id

log = logging.getLogger("planqa.ui")
MAX_CLARIFY_BUTTONS = 5


class ChatService:
    """The assistant (through the app's asker, so a reloaded corpus is used at once) and the store, for every browser.

    No lock: ask() only reads the shared index and models, and every store write is its own transaction.
    """

    def __init__(self, asker: Any, store: Store | None, store_error: str = ""):
        self.asker = asker  # anything with an `assistant` attribute (the app's _Asker, or an Assistant's stand-in)
        self.store = store
        self.store_error = store_error
        self._exports: tempfile.TemporaryDirectory | None = None  # made on the first export, removed with the service

    @property
    def assistant(self) -> Any:
        return self.asker.assistant

    @property
    def catalog(self) -> Any:
        return self.assistant.catalog

    @classmethod
    def open(cls, asker: Any) -> ChatService:
        try:
            return cls(asker, Store.open(asker.assistant.settings))
        except StoreError as exc:
            log.warning("conversations will not be saved: %s", exc)
            return cls(asker, None, str(exc))

    # --- one turn -----------------------------------------------------------------------

    def turn(self, question: str, turns: list[dict], conversation_id: str, save: bool = True) -> tuple[Answer | None, str, list[dict], str]:
        """Answer a turn with its history and save it: (answer or None, reply HTML, turns, conversation id)."""
        try:
            answer = self.assistant.ask(question_text(question), history=turns)
        except QuestionError as exc:
            return None, error_html(f"{exc}\n请换个问法再试 · Please rephrase and try again."), turns, conversation_id
        except PlanqaError as exc:
            return None, error_html(str(exc)), turns, conversation_id
        except Exception:
            log.exception("ask failed for %r", question[:200])
            return None, error_html("出错了，请稍后再试 · Something went wrong; please try again."), turns, conversation_id
        data = answer.to_dict()
        turns = [*turns, data]
        conversation_id, note = self._save(conversation_id, data) if save else (conversation_id, "")
        reply = turn_html(answer, self.catalog)
        if note:
            reply += error_html(f"此轮未保存 · This turn was not saved: {note}")
        return answer, reply, turns, conversation_id

    def _save(self, conversation_id: str, data: dict[str, Any]) -> tuple[str, str]:
        """Save a turn (starting the conversation if needed): (its id, why it was not saved or "")."""
        if self.store is None:
            return conversation_id, self.store_error
        try:
            conversation_id, _ = self.store.save_turn(conversation_id or None, data)
        except PlanqaError as exc:
            return conversation_id, str(exc)
        return conversation_id, ""

    def ask_api(self, question: str) -> dict[str, Any]:
        """`/ask`: the typed answer as JSON, starting a saved conversation; its `conversation` id is for `/follow_up`."""
        return self.follow_up_api(question, "")

    def follow_up_api(self, question: str, conversation: str) -> dict[str, Any]:
        """`/follow_up`: a turn of the conversation `/ask` started (an empty id starts one), as JSON.

        An unknown id is an error item, never a guess; a turn that cannot be saved is answered and flagged.
        (Two endpoints, because Gradio needs every input of an endpoint: `/ask` keeps taking one value.)
        """
        shown = question.encode("utf-8", "replace").decode("utf-8") if isinstance(question, str) else repr(question)[:200]
        cid = conversation.encode("utf-8", "replace").decode("utf-8")[:80] if isinstance(conversation, str) else ""
        try:
            text = question_text(question)
            turns: list[dict] = []
            if conversation:
                check_id(conversation)
                if self.store is None:
                    raise StoreError(f"conversations are not saved on this server ({self.store_error})")
                turns = self.store.turns(conversation)
            answer = self.assistant.ask(text, history=turns)
        except PlanqaError as exc:
            return {"question": shown, "conversation": cid, "error": str(exc)}
        data = answer.to_dict()
        cid, note = self._save(cid, data)
        if note:
            data["flags"] = [*data.get("flags", []), f"not saved: {note}"]
        return {"conversation": cid, **data}

    # --- the conversation ---------------------------------------------------------------

    def restore(self, conversation_id: str) -> tuple[list[dict], list[dict], str]:
        """The chat messages and turns of a saved conversation; an unknown or unsaved id starts afresh."""
        if not conversation_id or self.store is None:
            return [], [], ""
        try:
            turns = self.store.turns(conversation_id)
        except PlanqaError:
            return [], [], ""
        messages = []
        for data in turns:
            messages.append({"role": "user", "content": question_html(str(data.get("question", "")))})
            messages.append({"role": "assistant", "content": turn_html(answer_from_dict(data, self.catalog), self.catalog)})
        return messages, turns, conversation_id

    def feedback(self, rating: str, comment: str, turns: list[dict], conversation_id: str) -> tuple[str, str]:
        """Record 👍/👎 on the last answer: (status HTML, the comment box emptied or kept)."""
        if not turns:
            return _status("先提一个问题 · Ask something first."), comment
        if self.store is None or not conversation_id:
            return _status(f"无法保存反馈 · Feedback cannot be saved: {self.store_error or 'no saved conversation'}"), comment
        try:
            self.store.add_feedback(conversation_id, len(turns) - 1, rating, comment or "")
        except PlanqaError as exc:
            return _status(f"无法保存反馈 · Feedback not saved: {exc}"), comment
        thanks = "谢谢！已记录 👍 · Thanks, noted 👍" if rating == "up" else "谢谢！已记录 👎 · Thanks, noted 👎"
        return _status(thanks + (" — " + comment.strip()[:200] if comment and comment.strip() else "")), ""

    def export(self, turns: list[dict], conversation_id: str) -> str | None:
        """The conversation as a Markdown file to download (None when there is nothing to export)."""
        if not turns:
            return None
        from planqa.report import write_atomic

        if self._exports is None:
            # A TemporaryDirectory is removed when the service is collected or the process exits, so serving
            # (and every test that builds a service) leaves no folders behind in the system's temp dir.
            self._exports = tempfile.TemporaryDirectory(prefix="planqa-export-")
        path = Path(self._exports.name) / f"planqa-{conversation_id or 'conversation'}.md"
        write_atomic(path, export_markdown(conversation_id, turns))
        return str(path)


def _status(text: str) -> str:
    from planqa.render import esc

    return f'<div class="pq-meta" id="pq-feedback-note">{esc(text)}</div>'


def clarify_buttons(turns: list[dict], catalog: Any) -> list[Any]:
    """One button per candidate clause of a pending clarification (hidden otherwise)."""
    pending = list(turns[-1].get("clarify", [])) if turns else []
    updates = []
    for i in range(MAX_CLARIFY_BUTTONS):
        if i < len(pending) and pending[i] in catalog.chunk_map:
            chunk = catalog.chunk(pending[i])
            updates.append(gr.update(value=f"{chunk.title or chunk.local_id} ({chunk.id})", visible=True))
        else:
            updates.append(gr.update(value="", visible=False))
    return updates


def ask_tab(app: gr.Blocks, service: ChatService, examples: tuple[tuple[str, tuple[str, ...]], ...], placeholder: str) -> gr.State:
    """Lay out the Ask tab and wire its events (the chat box's submit is the public /chat endpoint); returns the
    state holding the conversation's turns, which other tabs may follow."""
    conversation = gr.BrowserState("", storage_key="planqa-conversation")
    turns = gr.State([])
    chat = gr.Chatbot(
        label="对话 · Chat",
        show_label=False,
        elem_id="pq-chat",
        height="max(460px, calc(100vh - 460px))",
        layout="panel",
        latex_delimiters=[],
        feedback_options=None,
        buttons=[],  # the answer's own button copies plain text; Gradio's would copy the HTML
        autoscroll=False,  # a long answer is shown from its start (SCROLL_TO_ANSWER_JS), not its end
        placeholder="用中文或英文提问，可以追问 · Ask in Chinese or English, and follow up; every answer cites its clauses.",
    )
    with gr.Row(elem_classes="pq-clarify-row"):
        choices = [gr.Button("", visible=False, size="sm", elem_id=f"pq-clarify-{i}") for i in range(MAX_CLARIFY_BUTTONS)]
    with gr.Row():
        box = gr.Textbox(placeholder=placeholder, show_label=False, scale=8, max_lines=4, elem_id="pq-question")
        send = gr.Button("提问 · Ask", variant="primary", scale=1, elem_id="pq-send")
        new = gr.Button("新对话 · New", scale=0, min_width=130, elem_id="pq-new")
    with gr.Row():
        up = gr.Button("👍", scale=0, min_width=60, elem_id="pq-up")
        down = gr.Button("👎", scale=0, min_width=60, elem_id="pq-down")
        comment = gr.Textbox(placeholder="对上一个回答的意见（可选）· A comment on the last answer (optional)", show_label=False, scale=6,
                             elem_id="pq-comment")  # fmt: skip
        export = gr.Button("导出 Markdown · Export", scale=0, min_width=160, elem_id="pq-export")
    status = gr.HTML("", elem_id="pq-feedback")
    download = gr.File(label="导出 · Export", visible=False, elem_id="pq-export-file")

    def respond(
        message: str, history: list[Any] | None, state: list[dict], cid: str, save: bool = True
    ) -> tuple[list[Any], str, list[dict], str]:
        message = message if isinstance(message, str) else ""
        shown = message.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate cannot be sent back as JSON
        _, reply, state, cid = service.turn(message, state or [], cid or "", save)
        history = [*(history or []), {"role": "user", "content": question_html(shown)}, {"role": "assistant", "content": reply}]
        return history, "", state, cid

    def choose(index: int, history: list[Any] | None, state: list[dict], cid: str) -> tuple[list[Any], str, list[dict], str]:
        pending = list(state[-1].get("clarify", [])) if state else []
        if index >= len(pending):
            return history or [], "", state, cid
        chunk = service.catalog.chunk(pending[index])
        return respond(f"{chunk.title or chunk.local_id} ({chunk.id})", history, state, cid)

    def after(state: list[dict]) -> list[Any]:
        return clarify_buttons(state, service.catalog)

    refresh = {"fn": after, "inputs": [turns], "outputs": choices, "api_visibility": "private"}

    def wire(event: Any) -> None:
        """After a turn: the clarification buttons follow it, then the new answer is scrolled to its start."""
        event.then(**refresh).then(None, js=SCROLL_TO_ANSWER_JS)

    io = {"outputs": [chat, box, turns, conversation]}
    wire(box.submit(respond, [box, chat, turns, conversation], api_visibility="private", **io))
    # The public /chat endpoint (message, history) -> (history, ""): one question, no saved conversation (use /ask to follow up).
    hidden = gr.Button(visible=False)
    hidden.click(lambda m, h: respond(m, h, [], "", save=False)[:2], [box, chat], [chat, box], api_name="chat")
    wire(send.click(respond, [box, chat, turns, conversation], api_visibility="private", **io))
    for i, button in enumerate(choices):
        wire(button.click(lambda h, s, c, i=i: choose(i, h, s, c), [chat, turns, conversation], api_visibility="private", **io))
    for label, questions in examples:
        with gr.Row(elem_classes="pq-examples"):
            gr.Markdown(f"**{label}**")
            for example in questions:
                button = gr.Button(example, size="sm", variant="secondary")
                wire(
                    button.click(
                        lambda h, s, c, q=example: respond(q, h, s, c), [chat, turns, conversation], api_visibility="private", **io
                    )
                )
    new.click(lambda: ([], "", [], "", ""), outputs=[chat, box, turns, conversation, status], api_visibility="private").then(**refresh)
    up.click(
        lambda c, s, cid: service.feedback("up", c, s, cid), [comment, turns, conversation], [status, comment], api_visibility="private"
    )
    down.click(
        lambda c, s, cid: service.feedback("down", c, s, cid), [comment, turns, conversation], [status, comment], api_visibility="private"
    )
    export.click(
        lambda s, cid: gr.update(value=service.export(s, cid), visible=bool(s)), [turns, conversation], download, api_visibility="private"
    )
    app.load(service.restore, [conversation], [chat, turns, conversation], api_visibility="private").then(**refresh)
    if service.store is None:
        gr.HTML(_status(f"对话不会被保存 · Conversations are not saved: {service.store_error}"))
    return turns
