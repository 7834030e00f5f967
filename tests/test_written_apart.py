"""Classes of question found in a batch written apart from the code (session 13), on the real corpus and model.

Each test is a class of question, phrased here afresh: a quoted sentence sharing rare words grounds a question
whatever filler surrounds it; the rest of a list the question already names is not given; a count word in a
statement says "a few"; a year before a document's name belongs to the name; chat shorthand and contractions.
"""

from __future__ import annotations

import pytest

from planqa.analysis import analyse
from planqa.answer import ExtractiveAnswerer
from planqa.chain import Assistant
from planqa.settings import Settings
from planqa.spelling import Vocabulary, correct

from .conftest import CORPUS


@pytest.fixture(scope="module")
def assistant(real_retriever) -> Assistant:
    return Assistant(Settings.load(corpus_dir=str(CORPUS)), real_retriever, ExtractiveAnswerer(real_retriever.catalog))


@pytest.mark.parametrize(
    ("question", "measure"),
    [
        ("帮我核对下，北京方案十六条里头，把市经济和信息化局写进责任单位的都是哪几条？", "bj-2024#2"),
        ("麻烦核对一下：各区人力资源和社会保障局在方案十六条里被列成责任单位的有哪些？", "bj-2024#13"),
    ],
)
def test_filler_around_a_units_name_does_not_make_a_question_ungrounded(assistant, question, measure):
    # 核对/里头/写进/列成 are in no clause; the unit's full name is, in the clauses that answer.
    answer = assistant.ask(question)
    assert not answer.abstained and measure in {c.chunk.id for c in answer.citations}


def test_a_units_name_alone_does_not_ground_a_question_about_its_people(assistant):
    answer = assistant.ask("Who is the present director of the municipal Talent Work Bureau?")
    assert answer.abstained


@pytest.mark.parametrize(
    "question",
    [
        "国家方案是九个部门发的，除了人社部、中组部、网信办和发改委，其余几个部门是谁？",
        "Besides MOHRSS, the CAC, the NDRC and the Organization Department, what are the other five departments behind the national plan?",
    ],
)
def test_the_rest_of_a_list_the_question_names_is_declined_when_no_clause_names_more(assistant, question):
    assert assistant.ask(question).abstained


def test_the_rest_of_a_measures_units_is_answered_from_its_parenthesis(assistant):
    answer = assistant.ask("北京方案第九条，除了市人才工作局，其余的单位有哪些？")
    assert not answer.abstained and "市委网信办" in {b.zh for b in answer.bureaus}


@pytest.mark.parametrize(
    "question",
    [
        "Who should I call at the HR bureau about the chief data officer measure? Is there a contact person?",
        "首席数据官那条措施，人社局的具体联系人是谁？",
    ],
)
def test_a_contact_person_is_never_given(assistant, question):
    assert assistant.ask(question).abstained


def test_a_count_word_in_a_statement_asks_for_nothing(catalog):
    analysis = analyse("我们公司有几个工程师想评职称。北京方案里新增了哪些职称专业？", catalog)
    assert "count" not in analysis.specifics


def test_back_when_tells_a_story_and_asks_no_date(catalog):
    analysis = analyse("Back when it was the Economy and IT Commission we worked with it. Which measures list it now?", catalog)
    assert "date" not in analysis.specifics


def test_which_ones_exactly_names_no_kind_of_thing(catalog):
    assert analyse("Beijing is adding digital title specialties in engineering - which ones exactly?", catalog).named_kind == ""


def test_chat_shorthand_reads_as_the_word_it_stands_for(catalog):
    analysis = analyse("how many ppl per yr does the 2023 skills plan train?", catalog)
    assert "people" in analysis.search_text and "year" in analysis.search_text


def test_a_contraction_is_no_typo(catalog):
    vocabulary = Vocabulary.from_catalog(catalog)
    assert correct("which of them aren't named and weren’t listed?", vocabulary).changes == ()


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Who's on the hook for the skills competition in the Beijing plan?", "responsible_bureau"),
        ("What is the Education Commission on the hook for?", "bureau_measures"),
    ],
)
def test_on_the_hook_for_a_topic_or_a_units_remit(catalog, question, intent):
    assert analyse(question, catalog).intent == intent


def test_which_of_the_plans_measures_list_a_unit_is_its_remit(catalog):
    question = "Which of the Beijing plan's 16 measures list the government services and data bureau as a responsible unit?"
    assert analyse(question, catalog).intent == "bureau_measures"


def test_what_actually_happened_is_an_outcome_the_documents_do_not_report(catalog):
    assert "current" in analyse("How many trainees actually completed the 2023 programme?", catalog).specifics


@pytest.mark.parametrize(
    ("text", "year", "kept"),
    [
        ("24年的北京方案里有没有技能大赛？", "24", False),
        ("北京24年那个方案里新增了哪些职称？", "24", False),
        ("2024年那份北京方案讲了什么？", "2024", False),
        ("到2026年北京方案要培养多少人？", "2026", True),  # a year asked about, not the name's
    ],
)
def test_a_year_said_before_or_inside_a_documents_name_is_part_of_the_name(catalog, text, year, kept):
    assert (year in catalog.without_years_of_names(text)) == kept


def test_the_ministrys_plan_is_the_national_plan(catalog):
    assert catalog.mentioned_documents("Does the ministry's plan say anything about vocational colleges?") == ["national-2024"]


def test_how_much_per_person_is_asked_of_the_clause_talked_about(assistant):
    # A bare ask for an amount has no topic of its own: it is about the national plan's training clause, which
    # names subsidies and gives no amount, so it is declined (before, it was searched alone and answered from the
    # research report's vouchers).
    first = assistant.ask("国家行动方案对职工参加数字技能培训有哪些补贴政策？")
    follow = assistant.ask("每个人能补多少钱？", history=[first])
    assert not first.abstained and "national-2024#10" in {c.chunk.id for c in first.citations}
    assert follow.abstained and not {c.chunk.doc_id for c in follow.citations} - {"national-2024"}


def test_a_compound_answer_gives_the_units_only_of_the_part_that_asks_for_them(assistant):
    answer = assistant.ask("北京方案对数字领域博士后工作站怎么说？另外，职称评审权下放那一条是哪几个部门负责的？")
    units = {b.zh for b in answer.bureaus}
    assert {"bj-2024#6", "bj-2024#10"} <= {c.chunk.id for c in answer.citations}
    assert units == {b.zh for b in assistant.catalog.chunk("bj-2024#10").bureaus}


@pytest.mark.parametrize(
    "question",
    ["Which ministries co-issued the national plan?", "Which agencies put out the national digital talent action plan?"],
)
def test_who_put_out_a_plan_asks_its_issuers(catalog, question):
    assert analyse(question, catalog).intent == "metadata"
