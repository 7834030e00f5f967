"""The Ask tab as a conversation, in a real browser and through the API: follow-ups, a clarification chosen by
clicking, a reload that keeps the conversation, and a 👎 with a comment that `planqa feedback export` lists."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from planqa import ui
from planqa.answer import ExtractiveAnswerer
from planqa.chain import Assistant
from planqa.cli import main
from planqa.settings import Settings

from .conftest import CORPUS
from .test_ui import browser, free_port  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('store') / 'conversations.db'}"


@pytest.fixture(scope="module")
def conversing(real_retriever, database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings.load(corpus_dir=str(CORPUS), database_url=database)
    assistant = Assistant(settings, real_retriever, ExtractiveAnswerer(real_retriever.catalog))
    app = ui.create_app(assistant, reports_dir=tmp_path_factory.mktemp("reports"))
    url = ui.launch(app, port=free_port(), block=False)
    yield url
    app.close()


@pytest.mark.slow
def test_api_clients_follow_up_with_a_conversation_id(conversing: str):
    from gradio_client import Client

    client = Client(conversing, verbose=False)
    first = client.predict("首席数据官由谁聘任？", api_name="/ask")
    assert first["conversation"] and [c["id"] for c in first["citations"]] == ["bj-2024#2"]
    follow = client.predict("这一条由哪个部门负责？", first["conversation"], api_name="/follow_up")
    assert follow["conversation"] == first["conversation"]
    assert "（二）" in follow["resolved_question"] and [c["id"] for c in follow["citations"]] == ["bj-2024#2"]
    unknown = client.predict("这一条由哪个部门负责？", "no-such-conversation", api_name="/follow_up")
    assert "unknown conversation" in unknown["error"]
    assert "empty" in client.predict("", first["conversation"], api_name="/follow_up")["error"]


def _answers(page) -> int:
    return page.locator("#pq-chat .pq-answer").count()


def _ask(page, question: str) -> None:
    before = _answers(page)
    page.fill("#pq-question textarea", question)
    page.click("#pq-send")
    page.wait_for_function("n => document.querySelectorAll('#pq-chat .pq-answer').length > n", arg=before, timeout=20_000)


@pytest.mark.browser
def test_a_conversation_in_the_browser(conversing: str, browser, database: str, monkeypatch, capsys, tmp_path: Path):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(conversing)
    page.wait_for_selector("#pq-question textarea")

    _ask(page, "首席数据官由谁聘任？")
    _ask(page, "这一条由哪个部门负责？")
    second = page.locator("#pq-chat .pq-answer").nth(1)
    assert "市人力资源社会保障局" in second.inner_text()
    assert "北京方案（二）" in page.locator("#pq-chat .pq-resolved").nth(0).inner_text()

    _ask(page, "市教委牵头哪些措施？")  # a question asking for several clauses: "这一条" after it is ambiguous
    cited = page.locator("#pq-chat .pq-answer").nth(2).locator(".pq-card").count()
    assert cited >= 2, "the set-up question must cite several clauses for the next turn to be ambiguous"
    _ask(page, "这一条由哪个部门负责？")
    assert page.locator("#pq-chat .pq-clarify").count() == 1
    choice = page.locator("#pq-clarify-1")
    choice.wait_for(state="visible", timeout=10_000)
    chosen = choice.inner_text()
    before = _answers(page)
    choice.click()
    page.wait_for_function("n => document.querySelectorAll('#pq-chat .pq-answer').length > n", arg=before, timeout=20_000)
    clause_id = chosen.rsplit("(", 1)[1].rstrip(")")
    last = page.locator("#pq-chat .pq-answer").nth(_answers(page) - 1)
    assert clause_id.replace("#", "") in last.inner_text().replace("#", "")
    page.locator("#pq-clarify-0").wait_for(state="hidden", timeout=10_000)

    page.fill("#pq-comment textarea", "wrong measure <b>x</b>")
    page.click("#pq-down")
    page.get_by_text("noted 👎").wait_for(timeout=10_000)

    total = _answers(page)
    page.reload()
    page.wait_for_function("n => document.querySelectorAll('#pq-chat .pq-answer').length >= n", arg=total, timeout=20_000)
    assert _answers(page) == total and "首席数据官由谁聘任？" in page.locator("#pq-chat").inner_text()
    assert page.locator("#pq-chat b").count() == 0

    page.click("#pq-export")
    page.locator("#pq-export-file").wait_for(state="visible", timeout=10_000)

    page.click("#pq-new")
    page.wait_for_function("() => !document.querySelector('#pq-chat .pq-answer')", timeout=10_000)

    monkeypatch.setenv("PLANQA_DATABASE_URL", database)
    out = tmp_path / "review.jsonl"
    assert main(["feedback", "export", "--output", str(out)]) == 0
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    flagged = [i for i in items if i.get("needs_review")]
    assert flagged and flagged[-1]["comment"] == "wrong measure <b>x</b>" and flagged[-1]["cited"] == [clause_id]
