"""The CC-CEDICT glossary for documents written in one language only (planqa.dictionary)."""

from __future__ import annotations

import pytest

from planqa.dictionary import Glossary, english_stems


def glossary_of(*texts: str) -> Glossary:
    return Glossary.from_texts(["made-up"], texts)


def test_a_chinese_word_is_glossed_by_stems():
    assert {"drone"} <= english_stems("无人机")
    assert {"ai", "artifici", "intellig"} <= english_stems("人工智能")  # a one-word parenthesis is an abbreviation
    assert english_stems("不是一个词语吧") == frozenset()


def test_long_explanations_and_measure_words_are_not_glosses():
    assert "cl" not in english_stems("工程师") and "个" not in english_stems("工程师")
    assert "sign" not in english_stems("标注")  # 'to put a sign on sth explaining or calling attention to'


@pytest.mark.parametrize(
    ("question_words", "expected"),
    [
        (["drones"], {"无人机"}),  # an English inflection meets the gloss by its stem
        (["settling"], {"安家"}),
        (["deadline"], {"截止"}),
        (["weather"], set()),  # a word the document does not hold has no translation
        ([], set()),
    ],
)
def test_english_words_find_a_chinese_documents_words(question_words, expected):
    glossary = glossary_of("第二条 给予无人机飞控工程师一次性安家补贴8万元，申报截止日期为2025年10月31日。")
    assert set(glossary.expand(question_words)) == expected


def test_a_doer_is_found_through_the_verb_it_is_made_from():
    glossary = glossary_of("组织职工参加人工智能训练师培训")
    assert glossary.expand(["trainers"]) == glossary.expand(["train"]) and {"培训"} <= glossary.expand(["trainer"])
    # A word with glosses of its own is never cut down: 'teacher' is 教师, not also 教书 'to teach'.
    assert glossary_of("教师教书").expand(["teacher"]) == {"教师"}
    assert glossary.expand(["over"]) == frozenset()  # too short to be a doer


def test_chinese_words_find_an_english_documents_words():
    glossary = glossary_of("Each certified mentor receives a monthly allowance of 900 yuan.")
    assert glossary.expand(["津贴"]) == {"allowance"}
    assert glossary.expand(["天气"]) == frozenset()
    assert glossary.covers({"津贴", "天气"}, "a monthly allowance") == 0.5


def test_the_real_corpus_has_no_one_language_document(catalog):
    # Every document of the corpus has a rendering, is one, or summarises another: no dictionary is read.
    assert Glossary.of(catalog) is None
    assert catalog.translations.glossary is None
