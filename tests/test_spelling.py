"""Misspelling correction: typos of corpus words and terms are fixed, correct questions come back untouched."""

from __future__ import annotations

import dataclasses
import doctest

import pytest

import planqa.spelling
from planqa.spelling import Correction, Vocabulary, correct, pinyin_key, readings
from planqa.text import sentence_spans


@pytest.fixture(scope="module")
def vocabulary(catalog) -> Vocabulary:
    return Vocabulary.from_catalog(catalog)


ENGLISH_TYPOS = [
    ("How do aprentices get subsidies?", "aprentices", "apprentices"),  # a letter dropped
    ("Which compnies qualify?", "compnies", "companies"),
    ("Which enterprizes qualify?", "enterprizes", "enterprises"),  # a letter changed
    ("Who appoints the cheif data officer?", "cheif", "chief"),  # two letters swapped
    ("certfication of engineers", "certfication", "certification"),
    ("vocatonal training", "vocatonal", "vocational"),
    ("a digital platfrom", "platfrom", "platform"),
    ("Digtal skills", "Digtal", "Digital"),  # capitalisation is kept
    ("the chief data oficer's role", "oficer", "officer"),  # a possessive keeps its 's
]


@pytest.mark.parametrize(("question", "wrong", "right"), ENGLISH_TYPOS)
def test_english_typos_become_corpus_words(vocabulary, question, wrong, right):
    assert right.lower() in vocabulary.english  # the target is a word of the corpus
    result = correct(question, vocabulary)
    assert result.changes == ((wrong, right),)
    assert result.text == question.replace(wrong, right)


def test_several_english_typos(vocabulary):
    result = correct("cheif data oficer", vocabulary)
    assert result == Correction("chief data officer", (("cheif", "chief"), ("oficer", "officer")))


CHINESE_TYPOS = [
    # homophones, the usual slip of a pinyin input method
    ("企业新型学徒至有什么补贴", "学徒至", "学徒制"),
    ("首席数据馆由谁任命", "首席数据馆", "首席数据官"),
    ("技能大狮工作室怎么建", "大狮工作室", "大师工作室"),
    ("数字机能人才怎么培养", "数字机能", "数字技能"),  # a homophone of 4+ characters even when it makes a word (机能)
    ("高技能人材有哪些待遇", "高技能人材", "高技能人才"),
    ("继续叫育基地", "继续叫育", "继续教育"),
    ("人工只能人才", "人工只能人才", "人工智能人才"),
    # one character off in a longer term
    ("高级能人才有哪些待遇", "高级能人才", "高技能人才"),
    ("智称评审怎么改革", "智称评审", "职称评审"),
]


@pytest.mark.parametrize(("question", "wrong", "right"), CHINESE_TYPOS)
def test_chinese_typos_become_corpus_terms(vocabulary, question, wrong, right):
    assert right in vocabulary.chinese and wrong not in vocabulary.chinese
    result = correct(question, vocabulary)
    assert result.changes == ((wrong, right),)
    assert result.text == question.replace(wrong, right)


def test_traditional_question_is_corrected_in_simplified(vocabulary):
    result = correct("首席數據館由誰任命", vocabulary)
    assert result == Correction("首席数据官由谁任命", (("首席数据馆", "首席数据官"),))


UNCHANGED = [
    "Who is responsible for appointing chief data officers?",
    "What is the chief data officer's role?",
    "What does HRSS do for AI talent in 2024?",
    "the 2024 plan for 5G and GPUs",
    "Does Zhang Wei from Huawei or Xiaomi qualify? What is Tsinghua doing?",
    "How does the Beijing Municipal Education Commission train teachers?",
    "teh plan",  # too short to judge
    "Which departments are named as issuers of the plan?",  # a plural rarer than its singular is still a word
    "市人力资源社会保障局负责哪些措施",
    "京人社专技字〔2024〕104号讲了什么",
    "数字技能人才怎么培养",
    "现在是时候申请吗",  # 是时 sounds like corpus words, but 时候 is a word of the question
    "事实上补贴有多少",  # 事实 is a real word, not a slip for 实施
    "人工智障",  # one character off at the edge: a different word as likely as a slip
    "數字技術人才有哪些支持",  # Traditional characters come back as written
    "北京市經濟和信息化局",
    "",
]


@pytest.mark.parametrize("question", UNCHANGED)
def test_correct_questions_come_back_unchanged(vocabulary, question):
    assert correct(question, vocabulary) == Correction(question)


def test_the_corpus_itself_needs_no_correction(catalog, vocabulary):
    """Every sentence of every document, official or rendering, passes through untouched."""
    changed = {}
    for chunk in catalog.chunks:
        for start, end in sentence_spans(chunk.text, chunk.lang):
            result = correct(chunk.text[start:end], vocabulary)
            if result.changes:
                changed[chunk.id] = result.changes
    assert changed == {}


def test_vocabulary_from_catalog_holds_names_and_terms(vocabulary, catalog):
    assert "首席数据官" in vocabulary.chinese  # a run of jieba words seen repeatedly (首席/数据/官)
    assert "对中小企业" not in vocabulary.chinese  # a run starting with a function word is no term
    assert all(name in vocabulary.chinese for entry in catalog.table.entries for name in entry.former if "局" in name)
    assert "cyberspace" in vocabulary.english and "zhongguancun" in vocabulary.english


def test_correction_is_frozen():
    result = Correction("x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "y"  # type: ignore[misc]


def test_pinyin_helpers():
    assert readings("行") >= {"xing", "hang"}
    assert readings("a") == frozenset({"a"})
    assert pinyin_key("银行行长") == ("yin", "hang", "hang", "zhang")  # read in context
    assert pinyin_key("首席数据馆") == pinyin_key("首席数据官")


def test_docstring_example():
    assert doctest.testmod(planqa.spelling).failed == 0
