"""The web app: answer and citation rendering, escaping, the tabs' lookups, serving under load, and a real browser.

Screenshots for docs/: `PLANQA_SCREENSHOTS=docs .venv/bin/pytest tests/test_ui.py -m browser` saves them there.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from planqa import render, ui
from planqa.answer import ExtractiveAnswerer
from planqa.chain import Assistant
from planqa.settings import Settings

from .conftest import CORPUS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Gradio's queue calls pandas options that pandas 3 deprecates; not ours to fix.
pytestmark = [
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]
XSS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


@pytest.fixture(scope="module")
def assistant(real_retriever) -> Assistant:
    return Assistant(Settings.load(corpus_dir=str(CORPUS)), real_retriever, ExtractiveAnswerer(real_retriever.catalog))


@pytest.fixture(scope="module")
def asker(assistant) -> ui._Asker:
    return ui._Asker(assistant)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(assistant, tmp_path_factory) -> Iterator[str]:
    """The app on a free loopback port, for the API clients and the browser; closed after the module."""
    app = ui.create_app(assistant, reports_dir=tmp_path_factory.mktemp("reports"))
    url = ui.launch(app, port=free_port(), block=False)
    yield url
    app.close()


# ---------------------------------------------------------------- rendering


@pytest.mark.parametrize("question", XSS)
def test_user_text_is_never_html(asker, question):
    history, box = asker.respond(question, [])
    assert box == "" and len(history) == 2
    for message in history:
        assert "<script" not in message["content"] and "<img" not in message["content"]
    assert render.esc(question) in history[0]["content"]


def test_answer_shows_citation_cards(asker, catalog):
    html = asker.reply("首席数据官由哪些部门负责？")
    assert 'class="pq-answer pq-ok"' in html and 'data-clause="bj-2024&#35;2"' in html
    assert "市人力资源社会保障局" in html and "Beijing Municipal Human Resources and Social Security Bureau" in html
    assert "（二）支持数字领军人才加快成长" in html
    assert html.count("<details>") >= 2 and "<mark>" in html and "English rendering (unofficial)" in html
    assert "\n" not in html  # one raw HTML block in the chat's Markdown


def test_english_answer_quotes_the_official_clause_and_its_rendering(asker):
    html = asker.reply("Who is responsible for chief data officers?")
    assert "<sup>[1]</sup>" in html and "（市人力资源社会保障局、市经济和信息化局、市政务服务和数据管理局）" in html
    assert 'class="pq-quote pq-render"' in html and "Beijing Municipal Human Resources and Social Security Bureau" in html


def test_abstention_looks_different_and_lists_nearest_clauses(asker):
    html = asker.reply("上海的数字人才补贴是多少？")
    assert "pq-abstain" in html and "The documents do not say" in html and "pq-ok" not in html
    assert "Nearest clauses" in html and html.count('class="pq-card pq-near"') == 3


@pytest.mark.parametrize(("question", "message"), [("", "question is empty"), ("   ", "question is empty"), ("x" * 2001, "limit is 2000")])
def test_bad_questions_are_friendly(asker, question, message):
    html = asker.reply(question)
    assert "pq-error" in html and message in html and "Traceback" not in html
    assert asker.ask_json(question)["error"]


# ---------------------------------------------------------------- serving


def test_the_profile_read_from_a_question_fills_in_the_what_applies_form(assistant):
    """The chat's self-described answer states the profile; the 'What applies to us' form is filled in with it."""
    from planqa.chat import answer_from_dict
    from planqa.profile import ClauseTags

    tags = ClauseTags.load(assistant.catalog)
    data = assistant.ask("我们是一家做软件的小微企业，能用上哪些政策？").to_dict()
    assert answer_from_dict(data, assistant.catalog).profile == tuple(map(tuple, data["profile"]))  # saved and restored
    kind, size, sector, interests, result = ui.profile_form([data], tags)
    assert (kind, size, sector) == ("enterprise", "micro_small", "digital") and interests == []
    assert result == render.match_profile(tags, kind, size, sector, interests) and "措施适用" in result
    untouched = ui.profile_form([assistant.ask("首席数据官由谁聘任？").to_dict()], tags)
    assert all(value == ui.gr.skip() for value in untouched)  # an answer with no profile leaves the form alone


def test_twenty_concurrent_api_clients_get_correct_answers(served, assistant):
    from gradio_client import Client

    questions = ["首席数据官由哪些部门负责？", "新八级工是什么？", "Who is responsible for chief data officers?", "市教委牵头哪些措施？"]
    expected = {q: [c.chunk.id for c in assistant.ask(q).citations] for q in questions}
    assert "bj-2024#2" in expected[questions[0]] and "bj-2024#10" in expected[questions[1]]
    assert {f"bj-2024#{n}" for n in (4, 5, 6, 12)} <= set(expected[questions[3]])

    def one(n: int) -> tuple[str, dict]:
        question = questions[n % len(questions)]
        return question, Client(served, verbose=False).predict(question, api_name="/ask")

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(one, range(20), timeout=300))  # a guard against a hang, not a speed target
    assert len(results) == 20
    for question, data in results:
        assert data["question"] == question and [c["id"] for c in data["citations"]] == expected[question]


def test_chat_endpoint(served):
    from gradio_client import Client

    history, box = Client(served, verbose=False).predict("新八级工是什么？", [], api_name="/chat")
    assert box == "" and "pq-card" in str(history[-1]["content"]) and "bj-2024&#35;10" in str(history[-1]["content"])


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (make test installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield browser
        browser.close()


def _ask(page, question: str, answers: int) -> None:
    page.fill("#pq-question textarea", question)
    page.click("#pq-send")
    page.wait_for_function(
        "n => document.querySelectorAll('#pq-chat .pq-answer').length >= n",
        arg=answers,
        timeout=15_000,
    )


def _shoot(page, name: str, height: int = 1000) -> None:
    """Save a screenshot from the top of the page (and of the chat) to $PLANQA_SCREENSHOTS (docs/ for the README)."""
    target = os.environ.get("PLANQA_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.add_style_tag(content=".scroll-down-button-container {display: none !important;}")  # an overlay arrow
        page.set_viewport_size({"width": 1280, "height": height})
        page.wait_for_timeout(300)  # the chat scrolls itself to the bottom on resize; scroll back after it
        page.evaluate(
            """() => {
            document.querySelectorAll('#pq-chat *').forEach(e => { if (e.scrollHeight > e.clientHeight + 4) e.scrollTop = 0; });
            window.scrollTo(0, 0);
        }"""
        )
        page.screenshot(path=str(Path(target) / f"{name}.png"))
        page.set_viewport_size({"width": 1280, "height": 1000})


def _open_first_card(page) -> None:
    """Open the first card's full clause and rendering, so the screenshots show them."""
    page.evaluate("() => document.querySelectorAll('#pq-chat .pq-card')[0]?.querySelectorAll('details').forEach(d => d.open = true)")


@pytest.mark.browser
def test_in_the_browser(served, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
    outside, dialogs = [], []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((served.rstrip("/"), "data:", "blob:")) else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(served)
    page.wait_for_selector("#pq-question textarea")

    _ask(page, "首席数据官由哪些部门负责？", 1)
    first = page.locator("#pq-chat .pq-answer").nth(0)
    assert first.locator(".pq-card").count() >= 1 and "市人力资源社会保障局" in first.inner_text()
    _open_first_card(page)
    _shoot(page, "ask-zh", height=1150)

    page.click("#pq-new")
    page.wait_for_function("() => !document.querySelector('#pq-chat .pq-answer')", timeout=10_000)
    _ask(page, "Who is responsible for chief data officers?", 1)
    answer = page.locator("#pq-chat .pq-answer").nth(0)
    assert answer.locator(".pq-card").count() >= 1 and "Beijing Municipal Human Resources" in answer.inner_text()
    _open_first_card(page)
    _shoot(page, "ask-en", height=1150)

    _ask(page, "上海的数字人才补贴是多少？", 2)
    assert page.locator("#pq-chat .pq-abstain").count() == 1
    _ask(page, " ".join(XSS), 3)
    assert " ".join(XSS) in page.locator("#pq-chat").inner_text()
    assert page.locator("#pq-chat img[src='x']").count() == 0 and page.locator("#pq-chat script").count() == 0

    page.get_by_role("tab", name="责任单位 · Bureaus").click()
    page.get_by_label("搜索 · Search", exact=False).fill("教委")
    page.click("#pq-bureau-search")
    result = page.locator("#pq-bureau-result")
    result.get_by_text("Responsible for 4 measure(s)").wait_for(timeout=10_000)  # the directory table is shown before
    assert "Beijing Municipal Education Commission" in result.inner_text()
    assert "bj-2024#4" in result.inner_text() and "bj-2024#12" in result.inner_text()
    _shoot(page, "bureaus")
    page.get_by_label("搜索 · Search", exact=False).fill("Ministry of Magic")
    page.click("#pq-bureau-search")
    result.get_by_text("No bureau matches").wait_for(timeout=10_000)

    page.get_by_role("tab", name="适用措施 · What applies to us").click()
    page.get_by_role("radio", name="小微企业 · Small or micro").check()
    page.get_by_role("radio", name="数字经济", exact=False).check()
    page.get_by_role("checkbox", name="培训与补贴 · Training and subsidies").check()
    page.get_by_role("checkbox", name="资金与投资 · Funding").check()
    page.click("#pq-profile-go")
    profile = page.locator("#pq-profile-result")
    profile.get_by_text("measures apply").wait_for(timeout=10_000)
    assert "bj-2024#15" in profile.inner_text() and profile.locator(".pq-why").count() >= 3
    _shoot(page, "profile", height=1300)

    assert not dialogs, dialogs
    assert not outside, f"the page fetched outside URLs: {outside}"
    page.close()
