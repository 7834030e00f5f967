"""Follow-ups through the real assistant (real corpus, index and model)."""

from __future__ import annotations

import pytest

from planqa.answer import ExtractiveAnswerer
from planqa.chain import Assistant
from planqa.settings import Settings

from .conftest import CORPUS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def assistant(real_retriever) -> Assistant:
    return Assistant(Settings.load(corpus_dir=str(CORPUS)), real_retriever, ExtractiveAnswerer(real_retriever.catalog))


def converse(assistant: Assistant, *questions: str):
    history = []
    for question in questions:
        history.append(assistant.ask(question, history=history))
    return history


def cited(answer) -> list[str]:
    return [c.chunk.id for c in answer.citations]


def test_a_pronoun_follow_up_is_about_the_clause_just_cited(assistant):
    first, follow = converse(assistant, "首席数据官由谁聘任？", "这一条由哪个部门负责？")
    assert cited(first) == ["bj-2024#2"]
    assert cited(follow) == ["bj-2024#2"] and follow.intent == "responsible_bureau"
    assert {b.zh for b in follow.bureaus} == {b.zh for b in assistant.catalog.chunk("bj-2024#2").bureaus}
    assert follow.question == "这一条由哪个部门负责？" and follow.resolved_question.startswith("北京方案（二）")
    english = converse(assistant, "Who appoints chief data officers?", "Who is responsible for it?")[1]
    assert cited(english) == ["bj-2024#2"] and english.language == "en"


def test_a_measure_number_and_its_ellipsis_are_quoted_whole(assistant):
    first, follow = converse(assistant, "北京方案第十三条讲什么？", "第十四条呢？")
    assert cited(first) == ["bj-2024#13"] and cited(follow) == ["bj-2024#14"]
    assert follow.citations[0].quote == assistant.catalog.chunk("bj-2024#14").text


def test_an_ambiguous_referent_is_asked_back_and_the_choice_answered(assistant):
    history = converse(assistant, "市教委牵头哪些措施？", "这一条由哪个部门负责？")
    assert history[1].clarify and not history[1].citations and len(history[1].clarify) >= 2
    chosen = history[1].clarify[1]
    choice = assistant.ask("第二个", history=history)
    assert cited(choice) == [chosen] and not choice.clarify


def test_this_one_after_a_list_of_the_measures_mentioning_a_term_is_asked_back(assistant):
    listed, follow = converse(assistant, "北京方案里哪些措施提到了职称或者证书？", "这条归谁管？")
    assert listed.intent == "mentions" and len(listed.citations) >= 2
    assert follow.clarify and set(follow.clarify) <= set(cited(listed)) and not follow.citations


def test_an_unanswerable_follow_up_is_declined(assistant):
    answers = converse(assistant, "企业新型学徒制是什么样的培养方式？", "参加这个学徒制培训，每个人能补贴多少钱？")
    assert answers[1].abstained and not answers[1].citations


def test_a_question_that_stands_alone_is_answered_as_if_asked_first(assistant):
    alone = assistant.ask("技工院校培养由哪个部门负责？")
    after = converse(assistant, "首席数据官由谁聘任？", "技工院校培养由哪个部门负责？")[1]
    assert cited(after) == cited(alone) and after.resolved_question == after.question


def test_a_language_switch_answers_the_same_clause_in_the_other_language(assistant):
    first, switched = converse(assistant, "首席数据官由谁聘任？", "英文呢？")
    assert switched.language == "en" and cited(switched) == cited(first)


def test_a_thousand_turn_history_is_fine(assistant):
    history = [assistant.ask("首席数据官由谁聘任？")] * 1000
    assert cited(assistant.ask("这一条由哪个部门负责？", history=history)) == ["bj-2024#2"]


def test_who_owns_it_asks_for_the_units_of_the_clause_just_cited(assistant):
    first, follow = converse(assistant, "What does measure 2 of the Beijing plan say?", "Which unit owns it?")
    assert cited(first) == ["bj-2024#2"] and follow.intent == "responsible_bureau" and cited(follow) == ["bj-2024#2"]
    owned = converse(assistant, "北京方案第八条讲什么？", "Who owns that measure?")[1]
    assert owned.intent == "responsible_bureau"
    assert {b.zh for b in owned.bureaus} == {b.zh for b in assistant.catalog.chunk("bj-2024#8").bureaus}


def test_a_follow_up_about_the_clause_referred_to_is_not_judged_off_topic_by_its_own_words(assistant):
    # "it" is the report's proposal just cited; the turn's own words ("qualify") are not the documents' words.
    first, follow = converse(assistant, "研究报告提议的AI青年人才基金规模多大？", "Who could qualify for it?")
    assert "ai-talent-2025#s3.A.3" in cited(first)
    assert not follow.abstained and cited(follow)[0] == "ai-talent-2025#s3.A.3"


def test_a_question_on_its_own_is_resolved_like_a_first_turn(assistant):
    alone = assistant.ask("国家方案第四条讲什么？")
    first = assistant.ask("国家方案第四条讲什么？", history=[])
    assert cited(alone) == cited(first) == ["national-2024#4"]
    assert alone.citations[0].quote == first.citations[0].quote


def test_a_declined_turn_does_not_change_what_this_refers_to(assistant):
    history = converse(assistant, "北京方案对博士后有什么安排？", "每个博士后工作站给多少钱？", "这条措施的负责单位有哪些？")
    assert cited(history[0])[0] == "bj-2024#6" and history[1].abstained
    last = history[2]
    assert last.intent == "responsible_bureau" and cited(last) == ["bj-2024#6"]
    assert {b.zh for b in last.bureaus} == {b.zh for b in assistant.catalog.chunk("bj-2024#6").bureaus}


def test_several_measures_cited_side_by_side_make_this_one_ambiguous(assistant):
    broad, follow = converse(assistant, "北京方案里提到了哪些培训基地？", "那这个是哪个部门管的？")
    measures = [c for c in cited(broad) if c.startswith("bj-2024#")]
    assert len(measures) >= 2
    assert follow.clarify and not follow.citations


def test_a_reply_that_describes_a_clause_picks_it(assistant):
    history = converse(assistant, "北京方案里提到了哪些培训基地？", "这条措施是哪些部门负责的？")
    assert "bj-2024#7" in history[1].clarify
    picked = assistant.ask("我说的是高技能人才培训基地那条。", history=history)
    assert cited(picked) == ["bj-2024#7"] and picked.intent == "responsible_bureau"
    # A new question is not a reply, even when its words fit one of the clauses offered.
    fresh = assistant.ask("那住房方面具体给多少补贴？", history=history)
    assert fresh.resolved_question == "那住房方面具体给多少补贴？" and fresh.abstained  # the plan gives no amount


def test_the_matching_measure_of_another_plan_is_found_by_the_clause_itself(assistant):
    first, match = converse(assistant, "国家方案第十一条是什么内容？", "北京方案里对应的是哪一条？")
    assert cited(first)[0] == "national-2024#11"
    assert cited(match) == ["bj-2024#12"] and not match.abstained
    assert match.citations[0].quote == assistant.catalog.chunk("bj-2024#12").text  # quoted whole, as the match
    # … and "it" is then that match.
    owners = assistant.ask("Which bureaus are responsible for it?", history=[first, match])
    assert cited(owners) == ["bj-2024#12"] and owners.intent == "responsible_bureau"
    english = converse(assistant, "In the Beijing plan, what does measure 1 say?", "Is there an equivalent in the national plan?")[1]
    assert cited(english) == ["national-2024#3"] and english.language == "en"


def test_a_counterpart_needs_another_document_named(assistant):
    first, same = converse(assistant, "国家方案第十一条是什么内容？", "有没有类似的规定？")
    assert "national-2024#11" in cited(first)
    assert "bj-2024#12" not in cited(same)  # no other document named: not a counterpart question


def test_ordinals_in_words_and_the_next_measure_follow_the_document_in_context(assistant):
    second, third = converse(assistant, "What is the second measure of the national plan?", "And the third?")
    assert cited(second)[0] == "national-2024#2" and cited(third)[0] == "national-2024#3"
    history = converse(assistant, "北京方案第十条讲什么？", "下一条呢？")
    assert cited(history[1]) == ["bj-2024#11"]
    sixth = assistant.ask("And the sixth measure in the Beijing plan?", history=[second])
    assert cited(sixth)[0] == "bj-2024#6"


def test_an_object_pronoun_refers_back_in_a_longer_turn(assistant):
    first, follow = converse(
        assistant, "What does the Beijing plan say about the digital engineer competition?", "What do people who do well in it get?"
    )
    assert cited(first)[0] == "bj-2024#9"
    assert cited(follow)[0] == "bj-2024#9" and "(9)" in follow.resolved_question
    standalone = assistant.ask("Is it possible for a returnee to get start-up support?", history=[first])
    assert standalone.resolved_question == "Is it possible for a returnee to get start-up support?"  # a dummy 'it'


def test_a_reply_naming_a_measure_not_offered_still_answers_the_clarified_question(assistant):
    history = converse(assistant, "北京方案第三部分“加大数字人才培育平台建设”包括哪些措施？", "这一条由谁负责？")
    # The section's measures are listed, so "this one" could be any of them; a measure of another section is named.
    assert history[1].clarify == ("bj-2024#5", "bj-2024#6", "bj-2024#7", "bj-2024#8")
    picked = assistant.ask("第九条。", history=history)
    assert cited(picked) == ["bj-2024#9"] and picked.intent == "responsible_bureau"


def test_a_choice_after_what_does_it_say_quotes_the_clause_whole(assistant):
    history = converse(assistant, "数据局在北京方案里参与了哪些措施？", "这一条具体说了什么？")
    assert "bj-2024#2" in history[1].clarify
    picked = assistant.ask("首席数据官那条。", history=history)
    assert cited(picked) == ["bj-2024#2"] and picked.citations[0].quote == assistant.catalog.chunk("bj-2024#2").text


def test_and_with_a_long_topic_keeps_the_last_questions_frame(assistant):
    first, follow = converse(
        assistant, "What is measure 3 of the national action plan about?", "And measure 3 in Beijing's own implementation plan?"
    )
    assert cited(first)[0] == "national-2024#3"
    assert cited(follow) == ["bj-2024#3"] and "数字技术工程师" in follow.citations[0].quote


def test_a_turn_asking_more_about_the_clause_in_context_continues_it(assistant):
    first, follow = converse(assistant, "研究报告里的“AI人才共享空间”是怎么设想的？", "入驻团队能拿多少场地补贴？")
    assert cited(first)[0] == "ai-talent-2025#s3.B.2"
    assert follow.resolved_question == "入驻团队能拿多少场地补贴？" and cited(follow)[:1] == ["ai-talent-2025#s3.B.2"]
    # A new subject, held better by another clause, stands on its own.
    shift = assistant.ask("首席数据官优先聘请什么样的人？", history=[first])
    assert cited(shift)[:1] == ["bj-2024#2"]
    # What has actually happened since is beyond a plan, continued or not.
    done = assistant.ask("How many shared spaces have actually been set up so far?", history=[first])
    assert done.abstained


def test_two_measures_asked_at_once_are_each_answered_with_their_own_bureaus(assistant):
    answer = assistant.ask("北京方案第五条和第八条分别由哪些部门负责？")
    assert [c.chunk.id for c in answer.citations] == ["bj-2024#5", "bj-2024#8"]
    assert "市教委" in answer.answer and "市人力资源社会保障局" in answer.answer and answer.answer.startswith("1.")


def test_a_turn_that_asks_for_a_language_first_is_resolved_and_answered_in_it(assistant):
    _, follow = converse(assistant, "首席数据官由谁聘任？", "Please answer in English: which bureaus are responsible for it?")
    assert cited(follow) == ["bj-2024#2"] and follow.language == "en"
    assert follow.intent == "responsible_bureau" and follow.resolved_question.startswith("which bureaus")
    alone = assistant.ask("用英文回答：首席数据官由哪些部门负责？")
    assert alone.language == "en" and cited(alone) == ["bj-2024#2"]


def test_a_pronoun_turn_with_a_topic_of_its_own_asks_about_the_cited_clause_that_holds_it(assistant):
    first, follow = converse(
        assistant, "2023年关于北京数字技能人才培养的那篇新闻，人才评价方面有哪些变化？", "它对产业工人提升数字技能怎么安排？"
    )
    assert "bj-2023-skills#workforce" in cited(first)
    assert cited(follow)[:1] == ["bj-2023-skills#workforce"]


def test_a_reply_naming_a_clause_after_a_declined_follow_up_picks_it(assistant):
    # Several subsidies cited; "how much at most" is ambiguous; the reply names the one meant by its content.
    turns = converse(assistant, "研究报告建议对企业发放哪些补贴？", "这个补贴最多能拿多少？", "我说的是算力券那个。")
    assert turns[1].clarify or turns[1].abstained
    assert cited(turns[2]) == ["ai-talent-2025#s3.D.2"] and "500万元" in turns[2].answer


def test_an_elliptical_topic_the_clause_in_context_holds_is_asked_of_that_clause(assistant):
    asked = "What does measure 11 of the Beijing plan say about pay in public institutions?"
    _, follow = converse(assistant, asked, "What about enterprises?")
    assert cited(follow) == ["bj-2024#11"] and "measure (11)" in follow.resolved_question


def test_a_referent_with_no_words_of_its_own_is_the_measure_cited_not_the_notice(catalog):
    from planqa.conversation import Memo, resolve

    asked = "数字技术工程师怎么培养？"
    memo = Memo(asked, asked, "zh", "fact", ("bj-2024#notice", "bj-2024#3"), ("bj-2024",), (), (), False)
    assert resolve("这一项由哪个部门负责？", [memo], catalog).lead == ("bj-2024#3",)


def test_asking_who_qualifies_for_it_asks_about_the_clause_not_the_document(assistant):
    # 申请 / 条件 are words of asking, not a topic of the turn's own that would make "it" the whole report.
    _, follow = converse(assistant, "报告里提议设立的“AI青年人才基金”规模多大？", "申请它需要符合什么条件？")
    assert cited(follow)[:1] == ["ai-talent-2025#s3.A.3"]


def test_an_english_elliptical_topic_loses_its_preposition(catalog):
    from planqa.conversation import Memo, resolve

    asked = "Which specialties does the Beijing plan want universities to build?"
    memo = Memo(asked, asked, "en", "fact", ("bj-2024#5",), ("bj-2024",), (), (), False)
    resolved = resolve("And at technical colleges?", [memo], catalog).question
    assert "about technical colleges" in resolved or "technical colleges in measure" in resolved
    assert " at technical" not in resolved


def test_measures_cited_side_by_side_are_not_ambiguous_when_only_the_first_holds_the_topic(catalog):
    from planqa.conversation import Memo, resolve

    asked = "北京方案对技能大师工作室是怎么规定的？"
    memo = Memo(asked, asked, "zh", "fact", ("bj-2024#7", "bj-2024#10"), ("bj-2024",), (), (), False)
    assert resolve("这条由谁负责？", [memo], catalog).lead == ("bj-2024#7",)
    broad = "北京方案给高层次数字人才哪些支持？"  # several measures answer it alike: which one is asked back
    memo = Memo(broad, broad, "zh", "fact", ("bj-2024#2", "bj-2024#16"), ("bj-2024",), (), (), False)
    assert resolve("这条由谁负责？", [memo], catalog).clarify


def test_a_counterpart_turn_naming_its_own_topic_matches_by_it(assistant):
    turns = converse(assistant, "国家行动方案第七条说了什么？", "那北京方案里和新工科相对应的是哪一项？")
    assert cited(turns[1]) == ["bj-2024#5"] and "工科" in turns[1].resolved_question


def test_that_plan_is_the_document_the_last_turn_named_even_when_it_was_declined(catalog):
    from planqa.conversation import Memo, resolve

    news = Memo("那篇新闻讲了什么？", "那篇新闻讲了什么？", "zh", "fact", ("bj-2023-skills#tldr",), ("bj-2023-skills",), (), (), False)
    declined = Memo("北京方案里有多少预算？", "北京方案里有多少预算？", "zh", "fact", (), (), (), (), True)
    resolved = resolve("这个方案是哪天印发的？", [news, declined], catalog).question
    assert resolved.startswith("北京方案")


def test_this_one_with_nothing_cited_before_is_declined_not_matched(assistant):
    """After a declined turn (or as a first turn) "这条" points at nothing: the answer says so and cites nothing."""
    declined, follow = converse(assistant, "深圳给博士的安家费是多少？", "这条的牵头单位是谁？")
    assert declined.abstained
    assert follow.abstained and not follow.citations and "no clause to refer to" in follow.flags
    alone = assistant.ask("Who is in charge of that measure?")
    assert alone.abstained and not alone.citations and alone.language == "en"


def test_a_tail_asking_only_whether_the_plan_says_it_is_not_a_question_of_its_own(assistant):
    """ "…拿多少工资，方案里写了吗？" is one question about pay, declined as a whole, not half answered."""
    first, follow = converse(assistant, "北京方案对首席数据官有什么安排？", "首席数据官每月能拿多少工资，方案里写了吗？")
    assert cited(first)[0] == "bj-2024#2"
    assert follow.abstained and not follow.citations


def test_warming_prepares_every_clause_before_the_first_question(real_retriever):
    """`serve` warms the assistant, so no user waits for a clause's first sentence split."""
    answerer = ExtractiveAnswerer(real_retriever.catalog)
    assert not answerer._sentence_cache
    Assistant(Settings.load(corpus_dir=str(CORPUS)), real_retriever, answerer).warm()
    assert set(answerer._sentence_cache) == set(real_retriever.catalog.chunk_map)


def test_a_position_among_the_measures_just_listed_is_not_the_measure_of_that_number(assistant):
    """ "其中第二条" after a section's four measures is the second of them, (六), not the plan's measure (二)."""
    listed, second, who = converse(assistant, "北京方案第三部分有哪些措施？", "其中第二条", "这条是哪个部门负责的？")
    assert cited(listed) == ["bj-2024#5", "bj-2024#6", "bj-2024#7", "bj-2024#8"]
    assert cited(second) == ["bj-2024#6"] and cited(who) == ["bj-2024#6"]


def test_the_same_thing_in_another_plan_is_its_counterpart(assistant):
    first, same = converse(assistant, "国家方案里说的数字技术工程师培育项目是干啥的", "does beijing's plan do the same thing?")
    assert cited(first) == ["national-2024#1"]
    assert cited(same) == ["bj-2024#3"] and same.language == "en"


def test_an_elliptical_turn_stays_in_the_document_the_conversation_named(assistant):
    first, more = converse(
        assistant, "What does the research report say about international talent services?", "and the data export issue?"
    )
    assert cited(first)[0].startswith("ai-talent-2025#")
    assert "research report" in more.resolved_question and all(c.startswith("ai-talent-2025") for c in cited(more))


def test_asking_to_name_things_a_clause_only_speaks_of_is_declined(assistant):
    """(十) devolves title review "to districts where industries cluster" and names none: which district is not given."""
    first, which = converse(assistant, "北京方案里职称评审权下放是怎么规定的？", "那具体先下放给哪个区？")
    assert cited(first) == ["bj-2024#10"]
    assert which.abstained and not which.citations


def test_a_number_after_a_list_that_lacks_that_measure_is_a_place_in_the_list(assistant):
    listed, third = converse(assistant, "北京方案第三部分有哪些措施？", "第三条具体说什么？")
    assert len(listed.citations) > 3 and "bj-2024#3" not in cited(listed)
    assert cited(third) == [cited(listed)[2]]
    # a number naming a listed measure, or beyond the list, is the measure itself
    beyond = converse(assistant, "北京方案第三部分有哪些措施？", "第十六条呢？")[1]
    assert cited(beyond) == ["bj-2024#16"]


def test_an_elliptical_role_word_asks_who_is_responsible_for_the_clause(assistant):
    units = converse(assistant, "北京方案第十二条讲什么？", "那牵头单位呢？")[1]
    assert cited(units) == ["bj-2024#12"] and units.intent == "responsible_bureau"
    english = converse(assistant, "What does measure 12 of the Beijing plan say?", "And the lead agency?")[1]
    assert cited(english) == ["bj-2024#12"] and english.intent == "responsible_bureau"


def test_asking_for_the_english_version_repeats_the_answer_in_english(assistant):
    first, english = converse(assistant, "北京方案第十二条由谁负责？", "那英文版呢？")
    assert english.language == "en" and cited(english) == cited(first)


def test_pointing_at_a_clause_while_naming_another_plan_asks_for_its_counterpart(assistant):
    national, beijing = converse(assistant, "国家行动方案第十一条讲什么？", "Who is responsible for it in Beijing?")
    assert cited(national) == ["national-2024#11"]
    assert cited(beijing) == ["bj-2024#12"] and beijing.intent == "responsible_bureau" and beijing.bureaus
    also = converse(assistant, "北京方案第十五条讲什么？", "国家的也有？")[1]
    assert cited(also) and all(cid.startswith("national-2024#") for cid in cited(also))


def test_it_after_a_documents_front_matter_is_the_document(assistant):
    number, basis = converse(assistant, "北京方案的文号是多少？", "它是根据哪个文件制定的？")
    assert cited(number) == ["bj-2024#notice"]
    assert basis.resolved_question.startswith("北京方案") and "notice" not in basis.resolved_question
    assert cited(basis)[0] == "bj-2024#preamble"


def test_that_before_a_documents_name_is_the_document_not_a_clause(assistant):
    issuers = converse(assistant, "北京方案第三条讲什么？", "Which departments issued that national plan?")[1]
    assert issuers.resolved_question == "Which departments issued that national plan?"
    assert cited(issuers) and cited(issuers)[0].startswith("national-2024#")


def test_what_about_followed_by_a_question_of_its_own_is_no_ellipsis(assistant):
    turn = converse(assistant, "北京方案第二条讲什么？", "what about returnees, does the national plan mention them?")[1]
    assert turn.resolved_question == "what about returnees, does the national plan mention them?"


def test_it_after_an_unnumbered_passage_is_named_by_its_document(assistant):
    story, center = converse(
        assistant, "What did the 2023 news story say about the skills plan?", "what's the metaverse center it mentions"
    )
    assert cited(story) and all(cid.startswith("bj-2023-skills#") for cid in cited(story))
    assert "news report" in center.resolved_question and "part " not in center.resolved_question


@pytest.mark.parametrize(
    ("first", "follow_up", "proposal"),
    [
        ("研究报告里说国际学校学位缺口有多大？", "它建议怎么解决？", "ai-talent-2025#s3.C.2"),
        (
            "According to the research report, how long do foreign AI experts wait for permanent residency?",
            "what does it recommend to fix that?",
            "ai-talent-2025#s3.C.1",
        ),
    ],
)
def test_asking_what_a_report_proposes_about_a_problem_finds_its_proposal(assistant, first, follow_up, proposal):
    """A problem the report describes (part II) is answered by the proposal on it (part III), matched by the sentence
    the conversation quoted: the passage names several problems."""
    problem, answer = converse(assistant, first, follow_up)
    assert cited(problem)[0] == "ai-talent-2025#s2.B.3"
    assert cited(answer) == [proposal] and answer.resolved_question != follow_up


def test_a_position_after_a_units_remit_points_into_that_list(assistant, catalog):
    """'责任单位' in the first question still asks for the unit's measures, so '你列的第二个' is the second of them."""
    remit = [c.id for c in catalog.directory.lookup("市教委")[0][1]]
    listed, second, units = converse(assistant, "市教委被列为责任单位的有哪几项？", "你列的第二个讲什么？", "这一项还有哪些单位一起负责？")
    assert cited(listed) == remit and cited(second) == [remit[1]]
    assert cited(units) == [remit[1]] and units.intent == "responsible_bureau"


def test_this_plan_means_a_plan_not_the_report_last_cited(assistant):
    """'这个方案' after an answer from the research report is the plan talked about before it, not the report."""
    plan, report, goal = converse(
        assistant, "国家行动方案是哪些部门联合印发的？", "研究报告里说北京战略科学家缺口大吗？", "这个方案的总体目标是什么？"
    )
    assert cited(plan)[0].startswith("national-2024#") and cited(report)[0].startswith("ai-talent-2025#")
    assert goal.resolved_question.startswith("国家行动方案") and cited(goal)[0].startswith("national-2024#")


def test_whats_the_deal_with_a_chosen_clause_quotes_it_whole(assistant):
    _, offered, chosen = converse(
        assistant, "Which measures does the HR bureau handle on its own?", "what's the deal with that one", "the one about pay"
    )
    assert offered.clarify and "bj-2024#11" in offered.clarify
    assert cited(chosen) == ["bj-2024#11"] and "annual salar" in chosen.answer


def test_the_latter_of_a_list_is_its_last_item(assistant):
    listed, latter = converse(assistant, "市人才工作局负责哪些措施？", "后面那个讲的是什么？")
    assert len(cited(listed)) > 2 and cited(latter) == [cited(listed)[-1]]


def test_a_pronoun_whose_one_word_only_one_cited_clause_holds_means_that_clause(assistant):
    """'How often does it meet?' after two clauses, one of which alone speaks of meetings: no need to ask which."""
    both, meeting = converse(assistant, "What do measures 13 and 14 of the Beijing plan say?", "How often does it meet?")
    assert cited(both)[:2] == ["bj-2024#13", "bj-2024#14"] and cited(meeting) == ["bj-2024#14"] and not meeting.clarify


def test_a_place_after_a_measure_of_another_plan_asks_for_its_counterpart(assistant):
    """'and in Beijing?' after the national plan's measure 11 is the Beijing measure matching it, not Beijing's
    measure 11; '北京这边呢？' after a declined question about a national measure asks the same of its match."""
    national, beijing = converse(assistant, "What does measure 11 of the national plan say?", "and in Beijing?")
    assert cited(national) == ["national-2024#11"] and cited(beijing) == ["bj-2024#12"]
    declined, units = converse(assistant, "国家行动方案第一条由哪个部门牵头？", "北京这边呢？")
    assert declined.abstained and units.intent == "responsible_bureau"
    assert cited(units) and cited(units)[0].startswith("bj-2024#") and units.bureaus


def test_asking_to_switch_language_before_a_question_answers_it_in_that_language(assistant):
    _, switched = converse(assistant, "北京方案第十六条讲什么？", "Can you switch to English? Who is responsible for this measure?")
    assert switched.language == "en" and switched.intent == "responsible_bureau" and cited(switched) == ["bj-2024#16"]
    # informal requests for English before the question are a switch too, not words of the question
    for ask in ("can u put that in english? who leads this measure?", "Switching to English for my boss - who leads this measure?"):
        _, informal = converse(assistant, "北京方案第十六条讲什么？", ask)
        assert informal.language == "en" and informal.resolved_question.lower().startswith("who leads")
        assert cited(informal) == ["bj-2024#16"]


def test_it_in_a_turn_that_names_another_document_is_that_document(assistant):
    _, _, back = converse(
        assistant,
        "2023年北京的技能人才方案每年培养多少人？",
        "北京2024年的方案里首席数据官怎么说？",
        "回到那篇新闻，它提到了哪些培养方式？",
    )
    assert "新闻报道" in back.resolved_question and cited(back) and cited(back)[0].startswith("bj-2023-skills#")


def test_a_bare_question_of_what_is_required_asks_it_of_the_clause_just_cited(assistant):
    first, required = converse(assistant, "北京方案第十条讲什么？", "需要满足什么前提？")
    assert cited(first) == ["bj-2024#10"] and cited(required) == ["bj-2024#10"] and required.resolved_question != "需要满足什么前提？"


def test_an_ellipsis_is_searched_after_the_question_whose_topic_it_swaps(assistant):
    """'And what about researchers starting companies?' after a question on training abroad in the Beijing plan is
    searched with that question before it (as a later part of a compound question is), and answered from measure 12."""
    _, swapped = converse(
        assistant,
        "What does the Beijing plan say about sending high-level digital talents abroad for training?",
        "And what about researchers founding startups?",
    )
    assert cited(swapped)[0] == "bj-2024#12"


def test_they_in_a_short_turn_are_the_people_the_clause_is_about(assistant):
    first, training = converse(assistant, "北京方案第二条讲什么？", "他们有培训吗？")
    assert cited(first) == ["bj-2024#2"] and cited(training) == ["bj-2024#2"] and "他们" not in training.resolved_question


def test_a_position_walks_on_through_the_list_a_clause_was_picked_from(assistant):
    turns = converse(assistant, "市政数局负责方案里哪几项措施？", "第二个讲的是什么？", "这条由哪些单位一起负责？", "那第一个呢？")
    listed = cited(turns[0])
    assert len(listed) >= 3 and cited(turns[1])[:1] == [listed[1]]
    assert cited(turns[3])[:1] == [listed[0]]  # the first of that list, not measure (1)
    # With no list before, a number after one measure is still that document's measure.
    assert cited(converse(assistant, "北京方案第九条讲的什么？", "那第五条呢？")[1])[:1] == ["bj-2024#5"]


def test_they_are_people_never_the_document(assistant):
    # Words the clause lacks but another clause of the plan holds make "it" the plan; "they" stays the clause's people.
    turns = converse(assistant, "anything on apprenticeships in the beijing plan?", "who covers the apprentices' pay while they train?")
    assert "measure (7)" in turns[1].resolved_question and "while Beijing plan" not in turns[1].resolved_question


def test_a_new_question_in_a_conversation_about_one_document_is_searched_there_first(assistant):
    # "补贴按什么标准给？" alone finds the plans' subsidies; after the report's proposals for small firms, the report's
    first, follow = converse(assistant, "社科院的报告对中小企业有哪些支持建议？", "补贴按什么标准给？")
    assert cited(first)[0] == "ai-talent-2025#s3.D.2"
    assert cited(follow)[0] == "ai-talent-2025#s3.D.2" and not follow.abstained
    alone = assistant.ask("补贴按什么标准给？")
    assert not cited(alone) or cited(alone)[0] != "ai-talent-2025#s3.D.2"


def test_a_plural_it_is_not_the_document(assistant):
    # 它们 ("they": the firms a clause is about) is never replaced by the document's name
    follow = converse(assistant, "社科院的报告对中小企业有哪些支持建议？", "它们能拿到多少补贴？")[1]
    assert "它们" in follow.resolved_question and "报告们" not in follow.resolved_question


def test_has_the_other_plan_anything_similar_asks_for_the_counterpart(assistant):
    first, similar = converse(assistant, "北京方案里哪条讲专业技术等级证书和职称衔接？", "国家的行动方案有类似的吗？")
    assert cited(first)[0] == "bj-2024#3"
    assert similar.resolved_question.startswith("国家行动方案里与北京方案（三）对应") and cited(similar) == ["national-2024#1"]
