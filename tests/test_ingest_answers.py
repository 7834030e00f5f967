"""A new notice added from HTML, DOCX or PDF is answerable after `corpus add` and a re-index, with no hand edit.

A copy of the real corpus plus three made-up notices (tests/notices.py), indexed with the real model,
asked through `Assistant.ask()` in Chinese and English: facts, amounts, dates and bureaus. As for the
corpus's own documents, questions in the other language are answered through the notice's version in
that language, added with `corpus add --renders` (an English web page, a Chinese DOCX, an English text) — and,
with no such version, through the CC-CEDICT glossary of the words of a document written in one language only
(dictionary.py), its figures stated in the question's language (figures.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planqa.chain import Assistant
from planqa.cli import main
from planqa.settings import Settings

from . import notices
from .conftest import CORPUS, session_cache_dir

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    base = tmp_path_factory.mktemp("ingested")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    page, page_en, text_en = base / "ai-trainer-2025.html", base / "ai-trainer-2025-en.html", base / "low-altitude-2025-en.txt"
    page.write_text(notices.html_page(), encoding="utf-8")
    page_en.write_text(notices.html_page(notices.HTML_EN_PARAGRAPHS, notices.HTML_EN_TITLE), encoding="utf-8")
    text_en.write_text(notices.PDF_EN_TEXT, encoding="utf-8")
    docx_zh = notices.docx_file(base / "data-annotation-2025-zh.docx", notices.DOCX_ZH_PARAGRAPHS)
    added = [
        (page, None),
        (notices.docx_file(base / "data-annotation-2025.docx"), None),
        (notices.pdf_file(base / "low-altitude-2025.pdf"), None),
        (page_en, "ai-trainer-2025"),
        (docx_zh, "data-annotation-2025"),
        (text_en, "low-altitude-2025"),
    ]
    for path, renders in added:
        assert main(["corpus", "add", str(path), "--corpus", str(corpus), *(["--renders", renders] if renders else [])]) == 0
    settings = Settings.load(corpus_dir=str(corpus)).with_(index_dir=base / "index", cache_dir=session_cache_dir(tmp_path_factory))
    return Assistant.load(settings)


@pytest.fixture(scope="module")
def one_language(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The same three notices, each in its own language only: no `--renders`."""
    base = tmp_path_factory.mktemp("one-language")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    page = base / "ai-trainer-2025.html"
    page.write_text(notices.html_page(), encoding="utf-8")
    for path in (page, notices.docx_file(base / "data-annotation-2025.docx"), notices.pdf_file(base / "low-altitude-2025.pdf")):
        assert main(["corpus", "add", str(path), "--corpus", str(corpus)]) == 0
    settings = Settings.load(corpus_dir=str(corpus)).with_(index_dir=base / "index", cache_dir=session_cache_dir(tmp_path_factory))
    return Assistant.load(settings)


CASES = [
    # (question, document that must be cited, strings the answer must state, bureaus the answer must name)
    ("人工智能训练师培训补贴每人多少钱？", "ai-trainer-2025", ["4800元"], []),
    ("人工智能训练师培训补贴的申报截止日期是哪天？", "ai-trainer-2025", ["2025年9月30日"], []),
    ("人工智能训练师培训补贴由哪些部门负责？", "ai-trainer-2025", [], ["市人力资源社会保障局", "市财政局"]),
    ("How much is the training subsidy per person for AI trainers?", "ai-trainer-2025", ["4,800 yuan"], []),
    ("When is the deadline for the AI trainer training subsidy?", "ai-trainer-2025", ["September 30, 2025"], []),
    ("When do applications for the data annotation training subsidy close?", "data-annotation-2025", ["November 15, 2025"], []),
    ("How much does an enterprise receive per certified data annotation trainee?", "data-annotation-2025", ["2,600 yuan"], []),
    ("Which bureaus are responsible for the data annotation mentor allowance?", "data-annotation-2025", [], ["市经济和信息化局"]),
    ("数据标注导师每月津贴多少？", "data-annotation-2025", ["900"], []),
    ("无人机飞控工程师的安家补贴是多少？", "low-altitude-2025", ["8万元"], []),
    ("无人机飞控工程师奖励的申报截止日期是什么时候？", "low-altitude-2025", ["2025年10月31日"], []),
    (
        "Which bureaus handle the settling-in subsidy for drone flight-control engineers?",
        "low-altitude-2025",
        [],
        ["市经济和信息化局", "市财政局"],
    ),
    ("How much is the settling-in subsidy for a drone flight-control engineer?", "low-altitude-2025", ["80,000 yuan"], []),
    ("数据标注培训补贴什么时候截止申报？", "data-annotation-2025", ["2025年11月15日"], []),
]


@pytest.mark.parametrize("version", ["with renderings", "one language"])
@pytest.mark.parametrize(("question", "doc_id", "facts", "bureaus"), CASES, ids=[c[0][:40] for c in CASES])
def test_new_notice_is_answerable(request, version, question, doc_id, facts, bureaus):
    answer = request.getfixturevalue("assistant" if version == "with renderings" else "one_language").ask(question)
    cited = [c.chunk.doc_id for c in answer.citations]
    assert not answer.abstained and doc_id in cited, (answer.answer, cited)
    for fact in facts:
        assert fact in answer.answer, answer.answer
    named = {b.zh for b in answer.bureaus}
    assert set(bureaus) <= named, (answer.answer, named)


def test_the_real_corpus_still_answers(assistant):
    answer = assistant.ask("首席数据官制度由哪些单位负责？")
    assert not answer.abstained and any(c.chunk.doc_id == "bj-2024" for c in answer.citations)


def test_a_one_language_notice_is_quoted_as_written_with_its_figures_in_the_question_language(one_language):
    answer = one_language.ask("How much is the settling-in subsidy for a drone flight-control engineer?")
    assert "8万元" in answer.citations[0].quote and "80,000 yuan" in answer.answer and "Chinese only" in answer.answer


def test_a_one_language_notice_does_not_answer_what_the_same_language_clause_holds_outright(one_language):
    # The Chinese notice translates part of the question; the English notice holds all of it: that one is cited.
    answer = one_language.ask("When do applications for the data annotation training subsidy close?")
    assert [c.chunk.doc_id for c in answer.citations] == ["data-annotation-2025"]


# --- a saved page written apart from the code: chapters and articles, '责任单位：' lines and trailing lists, the
# document number printed above the article block, a publication note under the signature -------------------------

SKILLS_PAGE = Path(__file__).parent / "data" / "notices" / "skills-upgrade-2025.html"


@pytest.fixture(scope="module")
def skills_notice(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The real corpus and one Chinese-only notice (tests/data/notices), added as saved, with no English version."""
    base = tmp_path_factory.mktemp("skills")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    assert main(["corpus", "add", str(SKILLS_PAGE), "--corpus", str(corpus)]) == 0
    settings = Settings.load(corpus_dir=str(corpus)).with_(index_dir=base / "index", cache_dir=session_cache_dir(tmp_path_factory))
    return Assistant.load(settings)


def test_a_saved_page_keeps_its_number_units_and_signature(skills_notice):
    document = skills_notice.catalog.document("skills-upgrade-2025")
    assert document.doc_number == "京人社能发〔2025〕31号" and document.official  # printed above the article block
    last = skills_notice.catalog.chunk("skills-upgrade-2025#8")  # the date and '（此件主动公开）' are not part of it
    assert {b.zh for b in last.bureaus} == {"市人力资源社会保障局", "市财政局"} and "2025年8月20日" not in last.text


SKILLS_CASES = [
    ("企业申报补贴最晚到哪一天？", "skills-upgrade-2025#6", ["2025年10月31日"]),  # 最晚/哪一天 ask when, not about what
    ("申请个人补贴的职工年龄有什么要求？", "skills-upgrade-2025#3", ["50周岁"]),
    ("How much does an employee get for a level-2 certificate?", "skills-upgrade-2025#4", ["6,000 yuan"]),
    ("What may the enterprise training subsidy be spent on?", "skills-upgrade-2025#5", ["1,200 yuan"]),
    ("Which bureau checks social insurance and certificate data?", "skills-upgrade-2025#7", ["市政务服务和数据管理局"]),
]


@pytest.mark.parametrize(("question", "clause", "facts"), SKILLS_CASES, ids=[c[0][:40] for c in SKILLS_CASES])
def test_a_saved_page_written_apart_is_answered_in_both_languages(skills_notice, question, clause, facts):
    answer = skills_notice.ask(question)
    assert not answer.abstained and answer.citations[0].chunk.id == clause, (answer.answer, answer.flags)
    for fact in facts:
        assert fact in answer.answer, answer.answer
