"""Follow-up resolution on the real corpus (no model): memos are built from answer dicts."""

from __future__ import annotations

import pytest

from planqa.conversation import Memo, clarification, memos, resolve, vocabulary


def turn(question: str, cited: list[str], intent: str = "fact", language: str = "zh", **extra) -> dict:
    return {"question": question, "language": language, "intent": intent, "citations": [{"id": c} for c in cited], **extra}


def resolved(catalog, question: str, *history: dict):
    return resolve(question, memos(list(history), catalog), catalog)


def test_vocabulary_loads_from_package_data():
    vocab = vocabulary()
    assert vocab.clause and vocab.measure and vocab.ellipsis
    assert {"responsible_bureau", "fact", "clause"} <= set(vocab.frames)


def test_first_turn_pointing_at_nothing_is_unresolved(catalog):
    """With nothing said before, "this measure" has no referent: the turn is declined, not matched to any clause."""
    assert resolve("这一条由哪个部门负责？", [], catalog).question == "这一条由哪个部门负责？"
    assert resolve("这一条由哪个部门负责？", [], catalog).kind == "unresolved"
    assert resolve("Who leads that measure?", [], catalog).kind == "unresolved"
    # a turn with a topic of its own stands alone
    assert resolve("留学人员创业园这条由哪个部门负责？", [], catalog).kind == ""


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("这一条由哪个部门负责？", "zh"),
        ("该措施由谁牵头？", "zh"),
        ("Who is responsible for it?", "en"),
        ("Which bureau leads that measure?", "en"),
    ],
)
def test_demonstrative_points_at_the_clause_cited(catalog, question, language):
    result = resolved(catalog, question, turn("首席数据官由谁聘任？", ["bj-2024#2"]))
    assert result.lead == ("bj-2024#2",)
    assert result.language == language
    assert "这一条" not in result.question and " it?" not in result.question
    assert ("北京方案（二）" if language == "zh" else "measure (2) of the Beijing plan") in result.question


def test_a_rendering_cited_refers_to_its_official_clause(catalog):
    result = resolved(catalog, "who leads it?", turn("chief data officers?", ["bj-2024-rendering-en#2"], language="en"))
    assert result.lead == ("bj-2024#2",)


def test_one_clause_asked_for_means_the_first_cited(catalog):
    result = resolved(catalog, "这一条由哪个部门负责？", turn("数字技能大赛怎么办？", ["bj-2024#9", "national-2024#6"]))
    assert result.lead == ("bj-2024#9",) and not result.clarify


def test_several_clauses_cited_for_a_list_question_means_asking_which(catalog):
    result = resolved(catalog, "这一条由哪个部门负责？", turn("哪些措施有补贴？", ["national-2024#10", "national-2024#11"]))
    assert result.clarify == ("national-2024#10", "national-2024#11")
    answer = clarification("这一条由哪个部门负责？", result, catalog)
    assert answer.intent == "clarify" and not answer.citations and "national-2024#11" in answer.answer
    # Each offered clause shows its heading, so the asker can tell them apart.
    assert catalog.chunk("national-2024-rendering-zh#11").heading in answer.answer


@pytest.mark.parametrize(
    ("reply", "chosen"), [("第二个", "national-2024#11"), ("national-2024#10", "national-2024#10"), ("the first one", "national-2024#10")]
)
def test_a_reply_to_a_clarification_picks_a_candidate(catalog, reply, chosen):
    asked = turn("这一条由哪个部门负责？", [], intent="clarify", clarify=["national-2024#10", "national-2024#11"])
    result = resolved(catalog, reply, turn("哪些措施有补贴？", ["national-2024#10", "national-2024#11"]), asked)
    assert result.lead == (chosen,)
    assert result.question.endswith("由哪个部门负责？")


def test_measure_number_is_read_in_the_document_in_context(catalog):
    assert resolved(catalog, "第五条讲什么？", turn("国家方案的培训政策？", ["national-2024#7"])).lead == ("national-2024#5",)
    assert resolved(catalog, "What does measure 12 say?", turn("CDO?", ["bj-2024#2"], language="en")).lead == ("bj-2024#12",)


def test_ellipsis_keeps_the_frame_and_swaps_the_topic(catalog):
    last = turn("首席数据官由哪个部门负责？", ["bj-2024#2"], intent="responsible_bureau")
    result = resolved(catalog, "住房呢？", last)
    assert result.question == "住房由哪个部门负责？" and result.kind == "ellipsis"
    numbered = resolved(catalog, "第十三条呢？", last)
    assert numbered.lead == ("bj-2024#13",) and numbered.question.endswith("由哪个部门负责？")
    english = resolved(catalog, "what about returnees?", turn("Who is responsible for CDOs?", ["bj-2024#2"], "responsible_bureau", "en"))
    assert english.question == "Who is responsible for returnees?" and english.language == "en"


def test_document_switch_with_a_measure_number_reads_it_in_the_new_document(catalog):
    first = turn("国家方案第六条讲什么？", ["national-2024#6"])
    result = resolved(catalog, "北京方案的第六条呢？", first)
    assert result.lead == ("bj-2024#6",) and result.whole


def test_a_word_naming_one_document_switches_to_it(catalog):
    first = turn("What does the national plan say about postdocs?", ["national-2024#5"], language="en")
    assert resolved(catalog, "What about Beijing?", first).question == "What does the Beijing plan say about postdocs?"


def test_document_switch_renames_the_document_in_place(catalog):
    first = turn("Does the national plan say anything about postdocs?", ["national-2024#5"], language="en")
    result = resolved(catalog, "And in the Beijing plan?", first)
    assert result.question == "Does the Beijing plan say anything about postdocs?"


def test_first_turn_measure_number_in_a_named_document(catalog):
    assert resolve("国家方案第六条讲什么？", [], catalog).lead == ("national-2024#6",)
    assert resolve("In the Beijing plan, what does measure 1 say?", [], catalog).lead == ("bj-2024#1",)
    assert resolve("首席数据官由谁聘任？", [], catalog).lead == ()


def test_document_switch_asks_the_standalone_question_of_the_other_document(catalog):
    first = turn("Who is responsible for chief data officers in the Beijing plan?", ["bj-2024#2"], "responsible_bureau", "en")
    follow = turn("who leads it?", ["bj-2024#2"], "responsible_bureau", "en", resolved_question="who leads “(2) …” in the Beijing plan?")
    result = resolved(catalog, "and in the national plan?", first, follow)
    assert "chief data officers" in result.question and "Beijing" not in result.question
    assert analyse_documents(catalog, result.question) == ["national-2024"]


def analyse_documents(catalog, text):
    return catalog.mentioned_documents(text)


def test_language_switch_repeats_the_last_question(catalog):
    last = turn("首席数据官由谁聘任？", ["bj-2024#2"], resolved_question="首席数据官由谁聘任？")
    result = resolved(catalog, "英文呢？", last)
    assert result.question == "首席数据官由谁聘任？" and result.language == "en" and result.lead == ("bj-2024#2",)
    assert resolved(catalog, "Answer in Chinese please", turn("CDO?", ["bj-2024#2"], language="en")).language == "zh"


@pytest.mark.parametrize(
    "question",
    [
        "Is it possible for returnees to get startup support in Beijing under the plan?",
        "技工院校培养由哪个部门负责？",
        "市教委牵头哪些措施？",
    ],
)
def test_a_question_that_stands_on_its_own_ignores_the_history(catalog, question):
    result = resolved(catalog, question, turn("首席数据官由谁聘任？", ["bj-2024#2"]))
    assert result.question == question and result.kind == "" and not result.lead and not result.clarify


def test_frame_only_turn_leans_on_the_clause_cited(catalog):
    result = resolved(catalog, "由哪个部门负责？", turn("首席数据官由谁聘任？", ["bj-2024#2"]))
    assert result.lead == ("bj-2024#2",)


def test_memo_ignores_unknown_ids_and_bad_entries(catalog):
    memo = Memo.of(
        {"question": "q", "citations": [{"id": "nope#1"}, {"id": "bj-2024#3"}], "bureaus": ["junk"], "clarify": ["x#1"]}, catalog
    )
    assert memo.cited == ("bj-2024#3",) and memo.bureaus == () and memo.clarify == ()


def test_a_long_history_costs_the_same(catalog):
    history = [turn(f"问题{i}", ["bj-2024#2"]) for i in range(1000)]
    assert len(memos(history, catalog)) <= 6
    assert resolved(catalog, "这一条由哪个部门负责？", *history).lead == ("bj-2024#2",)


def test_an_ordinal_after_a_section_lead_in_is_not_read_as_a_measure(catalog):
    """After a section's lead-in ('三、…'), 'and the third?' has no measure in context to count from."""
    after_measure = resolved(catalog, "And the third?", turn("What is measure 2?", ["bj-2024#2"], language="en"))
    assert after_measure.lead == ("bj-2024#3",)
    after_section = resolved(catalog, "And the third?", turn("What is part three about?", ["bj-2024#s3"], language="en"))
    assert "bj-2024#3" not in after_section.lead


@pytest.mark.parametrize(
    "question",
    [
        "北京方案第二条讲的是啥？",
        "What's measure 2 of the Beijing plan?",
        "Beijing plan, measure 2: what is it about?",
        "Walk me through measure 2 of the Beijing plan.",
        "Can you walk me through measure 2 in Beijing's digital talent plan?",  # the document named with words between
        "北京方案的第二项主要讲什么？",  # an adverb that only softens the asking
    ],
)
def test_asking_what_a_numbered_measure_says_quotes_it_whole(catalog, question):
    result = resolve(question, [], catalog)
    assert result.lead == ("bj-2024#2",) and result.whole


def test_the_last_measure_of_a_document(catalog):
    assert resolve("北京方案最后一条是什么内容？", [], catalog).lead == ("bj-2024#16",)
    assert resolve("What does the last measure of the national plan say?", [], catalog).lead == ("national-2024#12",)


@pytest.mark.parametrize(
    ("question", "expected"),
    [("And the one before it?", "bj-2024#6"), ("And the one after that?", "bj-2024#8"), ("前一条呢？", "bj-2024#6")],
)
def test_the_measure_before_or_after_the_one_in_context(catalog, question, expected):
    result = resolved(catalog, question, turn("What does measure 7 say?", ["bj-2024#7"], language="en"))
    assert result.lead == (expected,) and result.whole


def test_the_next_measure_is_asked_whole_whatever_the_last_question_asked(catalog):
    """Only 'who is responsible' carries over to the next measure; a narrower question about the last one does not."""
    result = resolved(catalog, "下一条呢？", turn("高校的科研人员能不能在职创业？", ["bj-2024#12"], intent="eligibility"))
    assert result.lead == ("bj-2024#13",) and result.whole
    who = resolved(catalog, "下一条呢？", turn("这条谁负责？", ["bj-2024#12"], intent="responsible_bureau"))
    assert who.lead == ("bj-2024#13",) and not who.whole and "负责" in who.question


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("北京方案第五条和第八条分别由谁负责？", ("bj-2024#5", "bj-2024#8")),
        ("Which agencies are responsible for measures 5 and 8 of the Beijing plan?", ("bj-2024#5", "bj-2024#8")),
        ("（十五）、（十六）讲什么？", ("bj-2024#15", "bj-2024#16")),
    ],
)
def test_several_measures_named_together_are_each_asked(catalog, question, expected):
    result = resolve(question, [], catalog)
    assert result.lead == expected and tuple(part.lead[0] for part in result.each) == expected
    assert all(len(part.lead) == 1 for part in result.each)
    assert "北京方案北京方案" not in result.question and "of the Beijing plan of the Beijing plan" not in result.question


def test_these_two_are_the_last_two_measures_talked_about(catalog):
    history = (turn("北京方案第五条讲什么？", ["bj-2024#5"]), turn("第八条呢？", ["bj-2024#8"]))
    result = resolved(catalog, "这两条各自由哪些部门负责？", *history)
    assert tuple(part.lead[0] for part in result.each) == ("bj-2024#5", "bj-2024#8")
    side_by_side = resolved(
        catalog, "Who runs these two?", turn("Which measures train managers?", ["bj-2024#3", "bj-2024#4"], language="en")
    )
    assert side_by_side.lead == ("bj-2024#3", "bj-2024#4")
    assert resolved(catalog, "这两条各自由哪些部门负责？", turn("北京方案第五条讲什么？", ["bj-2024#5"])).each == ()


def test_a_narrower_question_about_a_numbered_measure_is_not_answered_with_the_whole_clause(catalog):
    assert not resolve("What does measure 7 say about apprentices?", [], catalog).whole
    assert not resolve("北京方案第十二项对京津冀流动讲了什么？", [], catalog).whole


def test_the_beijing_one_is_the_beijing_clause_talked_about_earlier(catalog):
    history = (
        turn("What does measure 10 of the Beijing plan say about titles?", ["bj-2024#10"], language="en"),
        turn("And in the national plan?", ["national-2024#8"], language="en"),
    )
    assert resolved(catalog, "Who is in charge of carrying out the Beijing one?", *history).lead == ("bj-2024#10",)
    assert resolved(catalog, "北京的那条由谁负责？", *history).lead == ("bj-2024#10",)


@pytest.mark.parametrize(
    "question", ["Which Beijing measure mirrors it?", "And the Beijing plan on the same point?", "北京方案在这一点上呢？"]
)
def test_a_counterpart_is_asked_for_in_other_words(catalog, question):
    result = resolved(
        catalog, question, turn("What is the third item of the national plan?", ["national-2024#intro", "national-2024#3"], language="en")
    )
    assert result.counterpart[:2] == ("national-2024#3", "bj-2024")  # the measure, not the plan's introduction


def test_an_ellipsis_after_a_declined_turn_goes_on_with_the_last_question_answered(catalog):
    history = (
        turn("北京方案对企业职工教育经费有什么要求？", ["bj-2024#15"]),
        {**turn("具体要按工资总额的多少比例提？", []), "abstained": True},
    )
    result = resolved(catalog, "国家方案呢？", *history)
    assert "职工教育经费" in result.question and "比例" not in result.question


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("第四部分有哪些措施？", "bj-2024#s4"),
        ("北京方案第二部分包括哪些举措？", "bj-2024#s2"),
        ("list the measures in part three of the Beijing plan", "bj-2024#s3"),
        ("What does section V cover?", "bj-2024#s5"),
    ],
)
def test_a_section_asked_for_its_contents_lists_its_measures(catalog, question, section):
    from planqa.conversation import section_answer

    result = resolved(catalog, question)
    assert result.section == section and result.whole and not result.each
    expected = tuple(c.id for c in catalog.sections("bj-2024")[int(section[-1]) - 1][1])
    assert result.lead == expected and len(expected) == 4
    answer = section_answer(question, result, catalog)
    assert [c.chunk.id for c in answer.citations] == list(expected)
    assert answer.answer.count("\n") == len(expected)  # a head line, then one line per measure


def test_a_section_asked_something_else_asks_it_of_each_measure(catalog):
    result = resolved(catalog, "第四部分由谁负责？")
    assert result.section == "bj-2024#s4" and not result.whole
    assert [part.lead for part in result.each] == [(c,) for c in result.lead]


def test_a_section_of_a_named_document_without_sections_is_not_the_primary_documents(catalog):
    assert not resolved(catalog, "国家方案第三部分有哪些措施？").section


def test_another_document_replaces_the_whole_reference_even_with_words_between(catalog):
    """ "国家九部门那个行动方案里…" asked again of the Beijing plan names the Beijing plan once, not both."""
    r = resolved(catalog, "那北京的方案呢", turn("国家九部门那个行动方案里，数字职称专业设置这块是怎么说的？", ["national-2024#8"]))
    assert r.question == "北京方案里，数字职称专业设置这块是怎么说的？"


def test_that_news_item_is_not_a_clause(catalog):
    """条 also counts news items: "北京那条新闻" names the news report, not the clause in context."""
    r = resolved(catalog, "23年北京那条新闻里说每年要培养多少人？", turn("北京方案第十条讲什么？", ["bj-2024#10"]))
    assert "bj-2024#10" not in r.lead and "（十）" not in r.question
