"""The conversation store: round trips, bad input, a locked/read-only/damaged file, kill -9 and concurrent writers."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from planqa.errors import PlanqaError
from planqa.store import Store, StoreError, UnknownConversationError


def answer(question: str, cited: tuple[str, ...] = ("bj-2024#2",), **extra) -> dict:
    return {
        "question": question,
        "resolved_question": extra.pop("resolved", question),
        "language": "zh",
        "intent": "fact",
        "answer": f"回答：{question}",
        "abstained": False,
        "citations": [{"id": c, "n": i} for i, c in enumerate(cited, start=1)],
        "clarify": [],
        **extra,
    }


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'db' / 'conversations.db'}")
    yield store
    store.close()


def test_turns_and_feedback_round_trip(store: Store):
    cid = store.new_conversation()
    assert store.turns(cid) == []
    assert store.add_turn(cid, answer("首席数据官？")) == 0
    assert store.add_turn(cid, answer("这一条呢？", resolved="北京方案（二）呢？")) == 1
    turns = store.turns(cid)
    assert [t["question"] for t in turns] == ["首席数据官？", "这一条呢？"]
    assert turns[1]["resolved_question"] == "北京方案（二）呢？"
    store.add_feedback(cid, 1, "down", "  wrong measure  ")
    (fb,) = store.feedback()
    assert (fb.rating, fb.comment, fb.resolved_question, fb.cited) == ("down", "wrong measure", "北京方案（二）呢？", ("bj-2024#2",))


def test_a_clients_own_id_is_kept_and_reopening_is_harmless(store: Store):
    assert store.new_conversation("browser-123") == "browser-123"
    store.add_turn("browser-123", answer("q"))
    assert store.new_conversation("browser-123") == "browser-123"
    assert len(store.turns("browser-123")) == 1


@pytest.mark.parametrize("bad", ["nope", "", "x" * 65, "../etc", "<script>"])
def test_unknown_or_malformed_conversation_ids_are_one_clear_error(store: Store, bad: str):
    with pytest.raises(UnknownConversationError, match="conversation"):
        store.turns(bad)
    with pytest.raises(UnknownConversationError):
        store.add_turn(bad, answer("q"))


def test_bad_feedback_is_refused_and_nothing_is_written(store: Store):
    cid = store.new_conversation()
    store.add_turn(cid, answer("q"))
    with pytest.raises(PlanqaError, match="rating"):
        store.add_feedback(cid, 0, "meh")
    with pytest.raises(PlanqaError, match="no turn 5"):
        store.add_feedback(cid, 5, "up")
    with pytest.raises(PlanqaError, match="limit"):
        store.add_feedback(cid, 0, "up", "x" * 10_000)
    assert store.feedback() == []


def test_a_thousand_turns_and_a_ten_thousand_character_turn(store: Store):
    cid = store.new_conversation()
    for i in range(1000):
        store.add_turn(cid, answer(f"问题 {i}"))
    store.add_turn(cid, answer("长" * 10_000))
    turns = store.turns(cid)
    assert len(turns) == 1001 and turns[999]["question"] == "问题 999" and len(turns[-1]["question"]) == 10_000


def test_a_locked_database_is_one_clear_error_and_the_data_survives(tmp_path: Path):
    path = tmp_path / "c.db"
    Store(f"sqlite:///{path}").new_conversation("keep")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked"):
            Store(f"sqlite:///{path}", timeout=0.2).add_turn("keep", answer("q"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    again = Store(f"sqlite:///{path}")
    again.add_turn("keep", answer("q"))
    assert len(again.turns("keep")) == 1


def test_a_read_only_database_is_one_clear_error(tmp_path: Path):
    path = tmp_path / "c.db"
    Store(f"sqlite:///{path}").new_conversation("keep")
    readonly = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(StoreError, match="read-only"):
        readonly.add_turn("keep", answer("q"))


def test_a_damaged_database_is_one_clear_error(tmp_path: Path):
    path = tmp_path / "c.db"
    path.write_bytes(b"this is not a database" * 200)
    with pytest.raises(StoreError, match="damaged"):
        Store(f"sqlite:///{path}")
    assert path.read_bytes().startswith(b"this is not")  # nothing overwritten


def test_a_directory_that_cannot_hold_the_file_is_one_clear_error(tmp_path: Path):
    (tmp_path / "file").write_text("x")
    with pytest.raises((StoreError, OSError)):
        Store(f"sqlite:///{tmp_path / 'file' / 'c.db'}")


WRITER = """
import sys, itertools
from planqa.store import Store
store = Store(sys.argv[1])
store.new_conversation("k")
print("ready", flush=True)
for i in itertools.count():
    store.add_turn("k", {"question": f"q{i}", "answer": "x" * 5000, "citations": [{"id": "bj-2024#2"}]})
"""


def test_the_store_survives_kill_9_mid_write(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    for round_ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, url], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.3 + 0.2 * round_)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    store = Store(url)
    turns = store.turns("k")
    assert turns, "the writers wrote nothing"
    assert [t["question"] for t in turns[:3]] == ["q0", "q1", "q2"]
    assert all(t["answer"] == "x" * 5000 for t in turns)
    assert sqlite3.connect(tmp_path / "c.db").execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store.add_turn("k", answer("after"))
    assert store.turns("k")[-1]["question"] == "after"


def run_users(users: int, user: Callable[[int], None]) -> None:
    """`user(0)` … `user(users - 1)` at once, one thread each; any exception fails the test in the main thread."""
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            user(n)
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]


def concurrent_users(url: str, users: int = 20, turns: int = 5) -> None:
    Store(url).new_conversation("shared")

    def user(n: int) -> None:
        store = Store(url)
        own = store.new_conversation(f"user-{n}")
        for i in range(turns):
            store.add_turn(own, answer(f"u{n} q{i}"))
            store.add_turn("shared", answer(f"u{n} shared {i}"))
        store.add_feedback(own, 0, "up" if n % 2 else "down", f"user {n}")
        store.close()

    run_users(users, user)
    store = Store(url)
    for n in range(users):
        assert [t["question"] for t in store.turns(f"user-{n}")] == [f"u{n} q{i}" for i in range(turns)]
    shared = [t["question"] for t in store.turns("shared")]
    assert len(shared) == users * turns and len(set(shared)) == users * turns
    assert len([f for f in store.feedback() if f.conversation.startswith("user-")]) == users


def test_twenty_concurrent_users_lose_nothing(tmp_path: Path):
    concurrent_users(f"sqlite:///{tmp_path / 'c.db'}")


def one_store_many_users(url: str, users: int = 20, turns: int = 5) -> None:
    """The app's case: one Store shared by its workers; each turn saved with save_turn (start if new, then append)."""
    store = Store(url)
    ids: dict[int, str] = {}

    def user(n: int) -> None:
        own = None
        for i in range(turns):
            own, position = store.save_turn(own, answer(f"u{n} q{i}"))
            assert position == i
            store.save_turn("together", answer(f"u{n} together {i}"))
        ids[n] = own

    run_users(users, user)
    assert len(set(ids.values())) == users
    for n, own in ids.items():
        assert [t["question"] for t in store.turns(own)] == [f"u{n} q{i}" for i in range(turns)]
    together = [t["question"] for t in store.turns("together")]
    assert len(together) == users * turns and len(set(together)) == users * turns
    store.close()


def test_one_store_shared_by_twenty_users_saves_every_turn_once(tmp_path: Path):
    one_store_many_users(f"sqlite:///{tmp_path / 'c.db'}")


def test_save_turn_starts_a_conversation_and_refuses_a_malformed_id(store: Store):
    cid, position = store.save_turn(None, answer("第一问"))
    assert position == 0 and store.turns(cid)[0]["question"] == "第一问"
    assert store.save_turn(cid, answer("第二问")) == (cid, 1)
    assert store.save_turn("client-id", answer("x")) == ("client-id", 0)
    with pytest.raises(UnknownConversationError):
        store.save_turn("../etc", answer("y"))
    assert [t["question"] for t in store.turns(cid)] == ["第一问", "第二问"]
