"""The app's conversation service without a server: saving, restoring, feedback and a store that fails."""

from __future__ import annotations

import gc
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from planqa.chat_tab import ChatService, clarify_buttons
from planqa.store import Store
from tests.test_chat import Recorder


@pytest.fixture
def service(tmp_path: Path, catalog) -> ChatService:
    recorder = Recorder()
    recorder.catalog = catalog
    return ChatService(SimpleNamespace(assistant=recorder), Store(f"sqlite:///{tmp_path / 'c.db'}"))


def test_turns_are_saved_and_restored_after_a_reload(service: ChatService):
    _, reply, turns, cid = service.turn("一", [], "")
    _, _, turns, cid = service.turn("<b>二</b>", turns, cid)
    assert cid and len(turns) == 2 and "answer to 一" in reply
    messages, restored, same = service.restore(cid)
    assert same == cid and restored == turns and len(messages) == 4
    assert "<b>" not in messages[2]["content"] and "&#60;b&#62;" in messages[2]["content"]
    assert service.restore("no-such-id") == ([], [], "")


def test_the_api_follows_up_with_the_id_it_returned(service: ChatService):
    first = service.ask_api("一")
    follow = service.follow_up_api("二", first["conversation"])
    assert follow["conversation"] == first["conversation"] and service.assistant.histories[-1] == 1
    assert "unknown conversation" in service.follow_up_api("二", "nope")["error"]
    assert "not a conversation id" in service.follow_up_api("二", "../x")["error"]
    assert "empty" in service.follow_up_api("", first["conversation"])["error"]
    assert "invalid character" in service.ask_api("\ud800二")["error"]


def test_feedback_on_the_last_answer(service: ChatService):
    assert "Ask something first" in service.feedback("down", "x", [], "")[0]
    _, _, turns, cid = service.turn("一", [], "")
    status, box = service.feedback("down", "wrong <i>x</i>", turns, cid)
    assert "noted 👎" in status and "<i>" not in status and box == ""
    (fb,) = service.store.feedback()
    assert (fb.position, fb.rating, fb.comment) == (0, "down", "wrong <i>x</i>")
    path = service.export(turns, cid)
    assert path and Path(path).read_text(encoding="utf-8").startswith(f"# planqa conversation {cid}")


def test_exports_leave_no_folders_behind(tmp_path: Path, monkeypatch, catalog):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    recorder = Recorder()
    recorder.catalog = catalog
    service = ChatService(SimpleNamespace(assistant=recorder), None)
    assert not list(tmp_path.glob("planqa-export-*"))  # nothing made until something is exported
    _, _, turns, cid = service.turn("一", [], "", save=False)
    path = Path(service.export(turns, cid) or "")
    assert path.is_file() and path.parent.parent == tmp_path
    del service
    gc.collect()
    assert not path.parent.exists()


def test_a_damaged_store_costs_the_history_not_the_answer(tmp_path: Path, catalog):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 500)
    recorder = Recorder()
    recorder.catalog = catalog
    recorder.settings = type("S", (), {"database_url": f"sqlite:///{bad}", "cache_dir": tmp_path})()
    service = ChatService.open(SimpleNamespace(assistant=recorder))
    assert service.store is None and "damaged" in service.store_error
    answer, reply, turns, _ = service.turn("一", [], "")
    assert answer is not None and "answer to 一" in reply and "not saved" in reply and len(turns) == 1
    assert "cannot be saved" in service.feedback("up", "", turns, "")[0]


def test_clarify_buttons_follow_the_last_turn(catalog):
    shown = clarify_buttons([{"clarify": ["bj-2024#4", "bj-2024#5"]}], catalog)
    assert [u["visible"] for u in shown] == [True, True, False, False, False] and "bj-2024#5" in shown[1]["value"]
    assert not any(u["visible"] for u in clarify_buttons([], catalog))
