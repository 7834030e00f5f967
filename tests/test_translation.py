"""Word translations learned from the corpus's aligned renderings, and what they are for: a clause with no
rendering grounds, and is found for, a question asked in the other language."""

from __future__ import annotations

import pytest

from planqa.abstention import Thresholds
from planqa.answer import ExtractiveAnswerer
from planqa.chain import Assistant
from planqa.settings import Settings
from planqa.translation import WordTable

from .conftest import CORPUS


@pytest.fixture(scope="module")
def assistant(real_retriever) -> Assistant:
    settings = Settings.load(corpus_dir=str(CORPUS))
    return Assistant(settings, real_retriever, ExtractiveAnswerer(real_retriever.catalog, Thresholds.for_embedder(settings.embedder)))


def test_translations_are_learned_from_the_aligned_renderings(catalog):
    table = catalog.translations
    assert "evaluation" in table.translations["评价"] and "评价" in table.translations["evaluation"]
    assert "职称" in table.translations["title"]
    assert "subsidy" in table.translations["补贴"]  # from the research report and its rendering
    assert table.expand({"reform", "evaluation"}) >= {"改革", "评价"}


def test_a_word_pair_seen_once_or_rarely_together_is_not_a_translation():
    pairs = [({"补贴", "企业"}, {"subsidy", "enterprise"}), ({"补贴"}, {"subsidy"}), ({"企业", "培训"}, {"training"})]
    table = WordTable.learn(pairs)
    assert table.translations["补贴"] == ("subsidy",)
    assert "training" not in table.expand({"企业"})  # together once: chance, not translation
    assert WordTable.learn([]).expand({"补贴"}) == frozenset()


def test_a_chinese_question_about_the_english_only_summary_is_answered_from_it(assistant):
    """The English summary has no Chinese rendering: its clause is found and grounds the answer through the table."""
    answer = assistant.ask("英文摘要如何描述北京的数字人才组织保障？")
    assert not answer.abstained and answer.citations[0].chunk.doc_id == "bj-2024-en"
    assert "该文件只有英文版本" in answer.answer


def test_a_named_rendering_in_the_other_language_is_quoted(assistant):
    answer = assistant.ask("非官方英文译本怎么翻译“专精特新”？")
    assert not answer.abstained and "英文译本：“" in answer.answer
