"""Feedback export (evaluation items) and stats, from a real store file, through the CLI too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planqa.cli import main
from planqa.feedback import export_items, stats, stats_text
from planqa.store import Store
from tests.test_store import answer


@pytest.fixture
def rated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    url = f"sqlite:///{tmp_path / 'fb.db'}"
    monkeypatch.setenv("PLANQA_DATABASE_URL", url)
    store = Store(url)
    cid = store.new_conversation("c1")
    store.add_turn(cid, answer("首席数据官由谁聘任？", ("bj-2024#2",), intent="responsible_bureau"))
    store.add_turn(cid, answer("这一条呢？", ("bj-2024#13",), resolved="北京方案（十三）健全数字人才工作体系呢？"))
    store.add_turn(cid, answer("上海呢？", (), abstained=True, resolved="上海由哪个部门负责？"))
    store.add_feedback(cid, 0, "up")
    store.add_feedback(cid, 1, "down", "<b>wrong</b> measure")
    store.add_feedback(cid, 2, "up", "right to decline")
    return store


def test_thumbs_up_gives_gold_thumbs_down_needs_review(rated: Store, catalog):
    items = export_items(rated.feedback())
    up, down, declined = items
    assert up["question"] == "首席数据官由谁聘任？" and up["gold"] == ["bj-2024#2"] and up["category"] == "bureau" and up["answerable"]
    assert "needs_review" not in up
    assert down["question"] == "北京方案（十三）健全数字人才工作体系呢？" and down["needs_review"] and down["gold"] == []
    assert down["comment"] == "<b>wrong</b> measure" and down["cited"] == ["bj-2024#13"]
    assert declined["answerable"] is False and declined["gold"] == [] and declined["category"] == "unanswerable"
    from planqa.evaluate import FIELDS, check_set

    assert all(set(FIELDS) <= set(item) for item in items)
    assert check_set([up, declined], catalog) == []  # the 👍 items are valid evaluation items as they stand


def test_the_newest_rating_of_a_turn_wins(rated: Store):
    rated.add_feedback("c1", 0, "down", "changed my mind")
    items = export_items(rated.feedback())
    assert len(items) == 3 and any(i["needs_review"] for i in items if i["source"]["turn"] == 0)


def test_stats(rated: Store):
    summary = stats(rated.feedback())
    assert (summary["total"], summary["up"], summary["down"], summary["conversations"]) == (3, 2, 1, 1)
    assert summary["recent_comments"][0]["comment"] == "<b>wrong</b> measure"
    assert "1 👎" in stats_text(summary)
    assert stats_text(stats([])) == "no feedback yet"


def test_cli_export_and_stats(rated: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "review.jsonl"
    assert main(["feedback", "export", "--output", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [item.get("needs_review", False) for item in lines] == [False, True, False]
    assert main(["feedback", "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["down"] == 1


def test_cli_with_a_damaged_database_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 500)
    monkeypatch.setenv("PLANQA_DATABASE_URL", f"sqlite:///{bad}")
    assert main(["feedback", "stats"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged" in err and "Traceback" not in err
