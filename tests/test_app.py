"""The app's own defects: copy gives text not HTML, the Documents tab opens loaded, long answers show their start."""

from __future__ import annotations

import os
import shutil
import socket

import pytest

from planqa import render, ui

from .stubs import stub_assistant

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


@pytest.fixture(scope="module")
def assistant(catalog, tmp_path_factory):
    return stub_assistant(catalog, tmp_path_factory.mktemp("app"))


@pytest.fixture(scope="module")
def app(assistant, tmp_path_factory):
    return ui.create_app(assistant, reports_dir=tmp_path_factory.mktemp("reports"))


def component(app, elem_id: str) -> dict:
    return next(c for c in app.config["components"] if c.get("props", {}).get("elem_id") == elem_id)


def test_the_documents_tab_opens_with_its_document_loaded(app, catalog):
    pick, chunks = component(app, "pq-doc-pick"), component(app, "pq-doc-chunks")
    first = catalog.documents[0]
    assert pick["props"]["value"] == first.id
    assert render.chunks_html(first.id, catalog) == chunks["props"]["value"] != ""


def test_the_chat_copies_text_and_does_not_jump_to_the_end(app):
    chat = component(app, "pq-chat")["props"]
    assert chat["autoscroll"] is False and "copy" not in (chat.get("buttons") or [])


def test_the_copy_button_carries_the_answer_as_plain_text(assistant):
    answer = assistant.ask("市教委牵头哪些措施？")
    html = render.answer_html(answer, assistant.catalog)
    assert html.count('class="pq-copy"') == 1 and "\n" not in html
    text = render.answer_text(answer)
    assert "<" not in text and answer.citations[0].quote in text and answer.answer.strip() in text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.browser
def test_copy_and_scroll_in_the_browser(app, assistant):
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (make test installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    url = ui.launch(app, port=free_port(), block=False)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            )
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector("#pq-question textarea")
            for n, question in enumerate(["新八级工是什么？", "市教委牵头哪些措施？"], start=1):
                page.fill("#pq-question textarea", question)
                page.click("#pq-send")
                page.wait_for_function("n => document.querySelectorAll('#pq-chat .pq-answer').length >= n", arg=n, timeout=20_000)
            page.wait_for_timeout(500)
            last = page.locator("#pq-chat .pq-answer").last
            badge = last.locator(".pq-badge").first.bounding_box()
            chat = page.locator("#pq-chat").bounding_box()
            assert chat["y"] - 2 <= badge["y"] <= chat["y"] + chat["height"], (badge, chat)  # the start of the answer is in view
            last.locator(".pq-copy").click()
            copied = page.evaluate("() => navigator.clipboard.readText()")
            assert copied == render.answer_text(assistant.ask("市教委牵头哪些措施？")) and "<" not in copied
            browser.close()
    finally:
        app.close()


@pytest.mark.parametrize("message", ["\ud800市教委？", None, 42])
def test_the_chat_turns_what_is_not_text_into_an_error_reply(assistant, message):
    import json

    history, box = ui._Asker(assistant).respond(message, [])
    assert box == "" and "pq-error" in history[-1]["content"]
    json.dumps(history, ensure_ascii=False).encode("utf-8")  # can be sent back to the browser


def test_the_queue_does_not_summarise_its_events_after_every_question(app):
    """Gradio's default rebuilds a pandas table of up to 10,000 past events after each one, a cost that grows as
    the server runs; planqa summarises every thousand events over the last thousand."""
    queue = app._queue
    assert queue.ANAYLTICS_CACHE_FREQUENCY >= 1000
    assert queue.ANALYTICS_MAX_EVENTS <= 1000
    records = [{"function": "ask", "status": "success", "process_time": 0.04}] * 999
    queue.events_recorded = queue.event_count_at_last_cache + 999
    before = queue.cached_event_analytics_summary
    assert queue.compute_analytics_summary(records) is before  # no table built between summaries
