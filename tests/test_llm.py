"""The LLM answerer: every sentence checked against the clause it cites, one time limit, no lock, flags shown."""

from __future__ import annotations

import threading
import time

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from planqa import render, ui
from planqa.answer import ExtractiveAnswerer
from planqa.chain import Assistant
from planqa.cli import format_answer
from planqa.llm import MAX_ANSWER_CHARS, LLMAnswerer, load_chat_model
from planqa.settings import Settings

QUESTION = "首席数据官是怎么规定的？"
pytestmark = pytest.mark.slow  # the real model and index


@pytest.fixture(scope="module")
def base(real_retriever) -> Assistant:
    """The real corpus, model and index: the extractive answer a reply is checked against must be the real one."""
    return Assistant(Settings.load(), real_retriever, ExtractiveAnswerer(real_retriever.catalog))


def with_model(base: Assistant, model, timeout: float = 30.0) -> Assistant:
    return Assistant(base.settings, base.retriever, LLMAnswerer(model, base.answerer, name="fake", timeout=timeout))


def first_clause_sentence(base: Assistant) -> str:
    """A sentence taken from the clause the extractive answer numbers [1]: what a faithful model would write."""
    clause = base.ask(QUESTION).retrieved[0].chunk.text
    return clause.split("。")[0].split("，")[0]


def test_a_faithful_reply_is_kept(base):
    sentence = first_clause_sentence(base)
    answer = with_model(base, FakeListChatModel(responses=[f"{sentence} [1]。"])).ask(QUESTION)
    assert answer.answerer == "fake" and answer.answer == f"{sentence} [1]。" and [c.number for c in answer.citations] == [1]
    assert answer.flags == ()


def test_a_sentence_whose_citation_was_removed_is_dropped(base):
    sentence = first_clause_sentence(base)
    answer = with_model(base, FakeListChatModel(responses=[f"{sentence} [1]。上海每人补贴一百万元 [9]。"])).ask(QUESTION)
    assert "上海" not in answer.answer and "[9]" not in answer.answer and sentence in answer.answer
    assert any("removed citation [9]" in f for f in answer.flags) and any("dropped a sentence" in f for f in answer.flags)


@pytest.mark.parametrize(
    "claim",
    ["每家企业可获得500万元现金奖励 [1]。", "Companies on the moon receive free rockets and unlimited holidays [1]."],
)
def test_a_made_up_claim_citing_a_real_clause_shows_the_extractive_answer(base, claim):
    extractive = base.ask(QUESTION)
    answer = with_model(base, FakeListChatModel(responses=[claim])).ask(QUESTION)
    assert answer.answerer == "extractive" and answer.answer == extractive.answer
    assert "citing [1]" in answer.flags[-1] and "extractive answer shown" in answer.flags[-1]


def test_an_over_long_reply_is_refused(base):
    sentence = first_clause_sentence(base)
    answer = with_model(base, FakeListChatModel(responses=[f"{sentence} [1]。" * (MAX_ANSWER_CHARS // len(sentence) + 5)])).ask(QUESTION)
    assert answer.answerer == "extractive" and f"over the {MAX_ANSWER_CHARS} limit" in answer.flags[-1]
    huge = with_model(base, FakeListChatModel(responses=["x" * 14_000_000])).ask(QUESTION)
    assert huge.answerer == "extractive" and len(huge.answer) < 10_000


def test_a_hung_model_costs_one_time_limit(base):
    hung = FakeListChatModel(responses=["never"], sleep=30)
    started = time.perf_counter()
    answer = with_model(base, hung, timeout=0.3).ask(QUESTION)
    assert time.perf_counter() - started < 10  # the limit, not the 30 s the model would take
    assert answer.answerer == "extractive" and answer.citations and "no answer within 0.3 s" in answer.flags[-1]


def test_no_retries_by_default(monkeypatch):
    seen = {}

    def fake_init(model, model_provider, **options):
        seen.update(options, model=model, provider=model_provider)
        return FakeListChatModel(responses=["x"])

    monkeypatch.setattr("langchain.chat_models.init_chat_model", fake_init)
    settings = Settings.load(answerer="openai:gpt-x", llm_timeout="7")
    load_chat_model(settings.answerer, settings)
    assert seen["max_retries"] == 0 and seen["timeout"] == 7.0 and seen["model"] == "gpt-x"


def test_a_waiting_model_does_not_block_other_users(base):
    """One user's question waits on the model; another user's question is answered meanwhile."""
    release = threading.Event()

    class Waiting(FakeListChatModel):
        def invoke(self, *args, **kwargs):
            release.wait(30)
            return super().invoke(*args, **kwargs)

    asker = ui._Asker(with_model(base, Waiting(responses=[f"{first_clause_sentence(base)} [1]。"])))
    waiting = threading.Thread(target=asker.ask, args=(QUESTION,))
    waiting.start()
    try:
        time.sleep(0.2)
        other = asker.ask("市教委牵头哪些措施？")  # a bureau list never reaches the model
        assert other.citations and not release.is_set() and waiting.is_alive()
    finally:
        release.set()
        waiting.join(30)


def test_flags_are_shown_in_the_app_and_the_cli(base):
    sentence = first_clause_sentence(base)
    answer = with_model(base, FakeListChatModel(responses=[f"{sentence} [1]。另见 [9]。"])).ask(QUESTION)
    assert answer.flags
    html = render.answer_html(answer, base.catalog)
    text = format_answer(answer)
    for flag in answer.flags:
        assert render.esc(flag) in html and flag in text
    assert 'class="pq-flags"' in html
