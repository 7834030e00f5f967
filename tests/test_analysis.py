"""Question analysis on the real corpus: intents, the bureaus a question names, and the specifics it asks for."""

from __future__ import annotations

import pytest

from planqa.analysis import analyse, validate_question
from planqa.errors import QuestionError


@pytest.mark.parametrize(
    ("question", "intent", "bureaus"),
    [
        ("市教委负责哪些措施？", "bureau_measures", ["市教委"]),
        ("中关村管委会在方案里负责什么？", "bureau_measures", ["市科委中关村管委会"]),
        ("Which measures does the Beijing Municipal Education Commission lead?", "bureau_measures", ["市教委"]),
        ("What is HRSS responsible for?", "bureau_measures", ["市人力资源社会保障局"]),
        ("What is the Zhongguancun administrative committee responsible for under the plan?", "bureau_measures", ["市科委中关村管委会"]),
        ("教委在这个数字人才方案里有什么分工？", "bureau_measures", ["市教委"]),  # a word for a role (分工)
        ("经信局管哪几项？", "bureau_measures", ["市经济和信息化局"]),
        ("What does the education commission have to do under the plan, e.g. this year?", "bureau_measures", ["市教委"]),  # stopwords
        ("北京市互联网信息办公室负责什么？", "bureau_measures", ["市委网信办"]),  # the same office's other name
        ("首席数据官由哪些部门负责？", "responsible_bureau", []),
        ("Who is responsible for chief data officers?", "responsible_bureau", []),
        ("What is the body responsible for chief data officers?", "responsible_bureau", []),
        ("Which department is in charge of skills competitions?", "responsible_bureau", []),
        ("Which agencies handle the skills competitions?", "responsible_bureau", []),  # plural of agency
        ("Who is the lead agency for the skills competitions?", "responsible_bureau", []),
        ("技能大赛最后由谁来抓落实？", "responsible_bureau", []),  # 谁 + a verb of carrying out
        ("首席数据官负责什么？", "fact", []),  # names no bureau: what a chief data officer does
        ("新八级工是什么？", "fact", []),
        ("What is the plan's document number?", "metadata", []),
        ("这份计划的起止时间跨度是哪几年？", "metadata", []),  # the period a plan covers is in its title
        ("它是哪天印发的？", "metadata", []),  # a document's date asked without naming it
        ("When was it issued?", "metadata", []),
        ("Which years does the national plan cover?", "metadata", []),
        ("国家方案里数字技能培训的周期是几年？", "fact", []),  # a period of something in it is not the plan's period
        # abbreviations and other names of units, and the ways a unit's remit or part is asked about
        ("政数局在方案里负责什么？", "bureau_measures", ["市政务服务和数据管理局"]),
        ("北京市大数据管理局负责哪几项？", "bureau_measures", ["市政务服务和数据管理局"]),
        ("知识更新工程领导小组在方案中承担什么？", "bureau_measures", ["市专业技术人才知识更新工程指导协调小组成员单位"]),
        ("What tasks fall to the Beijing Municipal Commission of Education?", "bureau_measures", ["市教委"]),
        ("中关村管委会和市教委共同负责哪条？", "bureau_measures", ["市科委中关村管委会", "市教委"]),
        ("首席数据官这条，经信局参与了吗？", "responsible_bureau", ["市经济和信息化局"]),
        ("技能大师工作室归哪个局管？人社局吗？", "responsible_bureau", ["市人力资源社会保障局"]),
        ("企业参与数字技能培训有补贴吗？", "eligibility", []),
        ("亦庄的社会事业局在方案里有什么任务？", "bureau_measures", ["北京经济技术开发区社会事业局"]),
        ("What role does the Beijing Municipal Bureau of Finance play in the plan?", "bureau_measures", ["市财政局"]),
        ("Which measures involve the district HR bureaus?", "bureau_measures", ["各区人力资源和社会保障局"]),
        ("区人力社保局负责什么？", "bureau_measures", ["各区人力资源和社会保障局"]),
        ("中关村科技园区管委会负责方案里哪一条？", "bureau_measures", ["市科委中关村管委会"]),
        ("Tell me what the Science and Technology Commission does under this plan.", "bureau_measures", ["市科委中关村管委会"]),
        ("首席数据官这条是不是政数局负责的？", "responsible_bureau", ["市政务服务和数据管理局"]),
        ("网信办管哪一块？", "bureau_measures", ["市委网信办"]),
        ("数字工程师大赛是人社还是教委在管？", "responsible_bureau", ["市人力资源社会保障局", "市教委"]),
        ("人社部发〔2024〕37号是哪年印发的？", "metadata", []),  # 人社 before 部 is the ministry, not the bureau
        ("各级人社部门要做什么？", "fact", []),
        ("What does the talent office own in the plan?", "bureau_measures", ["市人才工作局"]),
        ("十六条措施里写了市财政局的是哪几条？", "bureau_measures", ["市财政局"]),  # the unit between 写了 and 的
        ("北京方案（六）除了教委还有谁负责？", "responsible_bureau", ["市教委"]),  # a measure named: not the unit's remit
        ("Does the finance bureau have any role in the chief data officer measure?", "responsible_bureau", ["市财政局"]),
        ("市财政局需要落实方案里的哪几条？", "bureau_measures", ["市财政局"]),
        ("首席数据官制度要落实哪些任务？", "fact", []),  # no unit named: what the measure requires
        ("写了人工智能的措施有哪些？", "mentions", []),  # a term, not a unit: every measure mentioning it
        ("When did Beijing issue the implementation plan?", "metadata", []),  # the issue date in the active voice
        ("What survey did the author of the report use?", "fact", []),  # asks about the survey, not who wrote it
        ("Who are the authors of the research report?", "metadata", []),
        # a unit's measures asked with 作为责任单位, 参与, a count of 条, or "among the responsible units"
        ("市财政局作为责任单位的措施一共有几条？", "bureau_measures", ["市财政局"]),
        ("市教委参与负责的任务有哪些？", "bureau_measures", ["市教委"]),
        ("市财政局一共参与了几条措施？分别是哪几条？", "bureau_measures", ["市财政局"]),  # the second part asks the same again
        ("Which of the 16 measures list the Municipal Finance Bureau among the responsible units?", "bureau_measures", ["市财政局"]),
    ],
)
def test_intent_and_bureaus(catalog, question, intent, bureaus):
    analysis = analyse(question, catalog)
    assert analysis.intent == intent and [b.zh for b in analysis.bureaus] == bureaus
    assert not analysis.subquestions or intent != "responsible_bureau"


def test_a_later_part_asking_a_units_remit_means_the_unit_named_before(catalog):
    analysis = analyse("北京市经济和信息化委员会现在叫什么？负责哪些措施？", catalog)
    assert [(p.intent, [b.zh for b in p.bureaus]) for p in analysis.subquestions][1] == ("bureau_measures", ["市经济和信息化局"])


@pytest.mark.parametrize(
    ("question", "terms", "joint"),
    [
        ("哪些措施提到了职称或者证书？", ("职称", "证书"), False),
        ("提到博士后的措施有哪些？", ("博士后",), False),
        ("Which clauses mention subsidies or apprentices?", ("subsidies", "apprentices"), False),
        ("Where in the Beijing plan are high-skilled talents mentioned?", ("high-skilled talents",), False),
        ("写了人工智能的措施有哪些？", ("人工智能",), False),
        ("哪些措施是财政局和人社局一起负责的？", (), True),
        ("Which measures do the Talent Work Bureau and the cyberspace office share?", (), True),
    ],
)
def test_listing_questions(catalog, question, terms, joint):
    analysis = analyse(question, catalog)
    assert analysis.terms == terms and analysis.joint == joint


@pytest.mark.parametrize(
    ("question", "specifics", "places"),
    [
        ("上海的数字人才补贴是多少？", ("amount",), ("上海",)),
        ("北京AI从业人员里硕士及以上学历占多少？", ("percentage",), ()),
        ("What is the deadline to apply in Shenzhen?", ("date",), ("深圳",)),
        ("新八级工是什么？", (), ()),
        ("培训补贴在哪儿申请？", ("procedure",), ()),
        ("技能等级认定备案要怎么办理？", ("procedure",), ()),
        ("What paperwork do we need to submit for the training subsidy?", ("procedure",), ()),
        ("换了单位以后档案怎么办？", (), ()),  # asks what happens, not how to get something done
        # a place in the asker's own story is not what the question is about; a place asked about is
        ("我在德国读完博士回国了，北京有什么创业支持？", (), ()),
        ("I studied in Japan and came back to Beijing. What start-up support is there?", (), ()),
        ("德国的数字人才政策是什么样的？", (), ("德国",)),
        ("我在美国读完博士，又在硅谷工作了四年，国家方案对海归有什么支持？", (), ()),  # the story is a whole clause
        # "when" joining a clause asks no date
        ("Will winning the competition help when I apply for a title?", (), ()),
        ("Whom should companies favour when hiring?", (), ()),
        ("When do applications close?", ("date",), ()),
        ("哪几家公司已经被认定为数字技能评价机构？", ("organisations",), ()),  # the plans name no chosen organisations
        ("Which universities have been designated as pilot schools so far?", ("organisations", "current"), ()),
        ("Which companies does the report say the programme works with?", (), ()),  # named in the report: answerable
        ("人才工作局周末能去现场咨询吗？", ("contact",), ()),
        # the present state of things is beyond dated documents; the asker's own present is not
        ("首席数据官制度目前进展如何？", ("current",), ()),
        ("方案实施到现在，培养了几名工程师？", ("count", "current"), ()),
        ("我现在在一家软件公司做开发，评工程师职称有什么路子？", (), ()),
        # pay, fees and the size of a fund are amounts; growth is a number; 几年 and "how long … last" a duration
        ("首席数据官年薪最高能给到多少？", ("amount",), ()),
        ("智库专家每年能拿多少咨询费？", ("amount",), ()),
        ("这个基金规模有多大？", ("amount",), ()),
        ("How big is the special fund going to be?", ("amount",), ()),
        ("How much did the AI workforce grow between 2021 and 2024?", ("count",), ()),
        ("这个方案打算花几年时间落实？", ("date",), ()),
        ("How long does an apprenticeship last?", ("date",), ()),
        ("How long can they be off the job?", ("date",), ()),
        ("What's the published wage level for a data engineer?", ("amount",), ()),
        ("Does the plan publish wage level information?", (), ()),
        # people, targets met, approvals: the plans say what is to be done, by which units
        ("协调小组组长是哪位市领导？", ("person",), ()),
        ("这个目标后来完成了吗？", ("current",), ()),
        ("Which districts have already been given the power to review titles?", ("current",), ()),
        ("Do they need a licence, and what is the approval process?", ("procedure",), ()),
        # a share asked with the sign; members of a panel and founders are people; opening hours are contact details
        ("What % of the budget goes to training?", ("percentage",), ()),
        ("Who sits on the expert committee?", ("person",), ()),
        ("Who set up that company?", ("person",), ()),
        ("人才服务中心几点关门？", ("contact",), ()),
        # the members of a body are named organisations; who may take part is a class the clause gives
        ("产教融合联合体有哪些高校参加？", ("organisations",), ()),
        ("Which universities are part of those consortia?", ("organisations",), ()),
        ("哪些企业可以参加培训？", (), ()),
        # what came about after a document was issued is beyond it
        ("方案出来以后，全市有多少家单位设了首席数据官？", ("count", "current"), ()),
        ("Since the plan was issued, how many engineers have been trained?", ("count", "current"), ()),
        ("Has Baidu actually signed on?", ("current",), ()),
        ("Which scientists have been picked to run them?", ("current",), ()),
        ("Which colleges are piloting it?", ("organisations",), ()),
        # whether something has happened by now; where to get a text or find an office; how anyone applies
        ("实施细则现在出台了吗？", ("current",), ()),
        ("Has the fund opened yet?", ("current",), ()),
        ("Which 30 firms have been selected so far?", ("organisations", "current"), ()),
        ("Which software companies were actually listed as partners?", ("organisations",), ()),
        ("我现在已经毕业了，能申请吗？", (), ()),  # the asker's own present
        ("方案全文在哪里可以下载？", ("contact",), ()),
        ("Where are the survey results posted?", ("contact",), ()),
        ("How does a company apply to be listed?", ("procedure",), ()),
        # the standard of pay is an amount; setting pay is not a question for one
        ("首席数据官的薪酬标准是怎么定的？", ("amount",), ()),
        ("Is there a fixed salary for chief data officers?", ("amount",), ()),
        ("We are not sure how to set pay for our engineers. What does the plan say?", (), ()),
        # a place by any of its names; an acronym only in capitals
        ("What would the rules be in the US?", (), ("美国",)),
        ("How does Britain train data engineers?", (), ("英国",)),
        ("Tell us about subsidies for AI firms", (), ()),
        # places in the asker's story, however it is told, are not what is asked about
        ("本人在日本读完硕士，北京对回国创业有什么支持？", (), ()),
        ("My hukou is in Shandong but I work in Shanghai. Which support rules apply to me?", (), ()),
        ("What does Shanghai offer digital engineers?", (), ("上海",)),
    ],
)
def test_specifics_and_other_places(catalog, question, specifics, places):
    analysis = analyse(question, catalog)
    assert analysis.specifics == specifics and analysis.places == places


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("What purpose does the Beijing plan's preamble state?", ("preamble",)),
        ("报告的结论是什么？", ("conclusion",)),
        ("北京方案的总体目标是什么？", ("goals",)),
        ("What does the abstract of the research report say?", ("abstract",)),
        ("新八级工是什么？", ()),
        ("报告的项目编号是多少？", ("acknowledgment",)),  # the project a report comes from is in its acknowledgment
        ("Which research project is the paper an outcome of?", ("acknowledgment",)),
    ],
)
def test_named_parts(catalog, question, parts):
    assert analyse(question, catalog).parts == parts


@pytest.mark.parametrize(
    ("question", "language"), [("市教委负责哪些措施？", "zh"), ("Who leads it?", "en"), ("經信局負責哪些措施？", "zh")]
)
def test_language_and_traditional_characters(catalog, question, language):
    analysis = analyse(question, catalog)
    assert analysis.language == language
    if "經信局" in question:
        assert [b.zh for b in analysis.bureaus] == ["市经济和信息化局"] and analysis.intent == "bureau_measures"


@pytest.mark.parametrize(("question", "message"), [("", "empty"), (" \n ", "empty"), ("x" * 2001, "limit is 2000"), ("a\x00b", "control")])
def test_bad_questions(question, message):
    with pytest.raises(QuestionError, match=message):
        validate_question(question)


@pytest.mark.parametrize(
    ("question", "read_as", "changed"),
    [
        ("我爱人跟着来北京了，能帮忙找工作吗？", "我配偶跟着来北京了，能帮忙找工作吗？", [("爱人", "配偶")]),
        ("Is there help for my wife to find a job?", "Is there help for my spouse to find a job?", [("wife", "spouse")]),
        ("孩子上学有什么支持？", "子女上学有什么支持？", [("孩子", "子女")]),
        ("首席数据官由谁聘任？", "首席数据官由谁聘任？", []),  # nothing everyday: the question as asked
    ],
)
def test_everyday_words_are_read_as_the_documents_words(catalog, question, read_as, changed):
    analysis = analyse(question, catalog)
    assert analysis.search_text == read_as and list(analysis.corrections) == changed


def test_the_plan_unnamed_is_flagged_only_when_no_document_is_named(catalog):
    assert analyse("方案里有哪些能帮到小企业的？", catalog).plan_unnamed
    assert analyse("What does the plan say about apprentices?", catalog).plan_unnamed
    assert not analyse("国家行动方案里有哪些能帮到小企业的？", catalog).plan_unnamed
    assert not analyse("What does the report say about apprentices?", catalog).plan_unnamed


@pytest.mark.parametrize(
    "question", ["ok, and who runs measure (6) of the Beijing plan?", "好的，那第六条由谁负责？", "Thanks! Which bureau leads it?"]
)
def test_a_word_of_conversation_before_the_question_is_not_a_part(catalog, question):
    analysis = analyse(question, catalog)
    assert not analysis.subquestions and analysis.intent == "responsible_bureau"


def test_a_statement_before_a_question_sets_it_up_rather_than_being_a_part(catalog):
    # "…，还…" cuts the text, but the first piece asks nothing: it is the second one's subject.
    analysis = analyse("参加技能大赛拿了名次的人除了荣誉，还能得到多少奖励？", catalog)
    assert not analysis.subquestions and "amount" in analysis.specifics


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("我们有十几个工程师，想评职称，该走什么渠道？", 1),  # 十几个: "a dozen or so", not a question
        ("想派几个骨干去培训，方案里有什么支持？", 1),  # 几个 before a comma: "a few"
        ("算力券有多大面额？领取要多久？", 2),  # 多大, 多久 ask
    ],
)
def test_count_words_ask_only_where_the_question_ends(catalog, question, parts):
    analysis = analyse(question, catalog)
    assert len(analysis.subquestions or [analysis]) == parts
    if parts == 1:
        assert "count" not in analysis.specifics


def test_a_word_jieba_runs_together_from_stopwords_is_not_a_topic():
    from planqa.text import content_words

    assert content_words("补贴最多能拿多少？") == {"补贴"}  # 最多能 = 最多 + 能
    assert "人才" in content_words("数字人才")  # 人 + 才 are one-character words: not a run of stopwords


def test_a_tail_asking_whether_the_plan_says_it_joins_the_question_before(catalog):
    assert not analyse("首席数据官一年能拿多少薪水，方案里写了吗？", catalog).subquestions
    assert not analyse("What is the pass rate? Does the plan say?", catalog).subquestions
    assert len(analyse("留学人员创业园是做什么的？归谁管？", catalog).subquestions) == 2


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("那具体先下放给哪个区？", "区"),
        ("Which countries, specifically?", "countries"),
        ("which 10 programs exactly?", "programs"),
        ("国家方案第九项具体有哪些内容？", ""),  # asks what the clause says
        ("平台建设那块具体有哪些措施？", ""),
        ("Is there a full list of the pilot schools?", "schools"),  # the list itself is asked for
        ("有没有实训基地的名单？", "基地"),
    ],
)
def test_a_named_kind_is_a_list_of_things_not_the_clause_itself(catalog, question, kind):
    assert analyse(question, catalog).named_kind == kind


def test_what_else_a_unit_is_on_the_hook_for_is_its_remit(catalog):
    assert analyse("What else is the E-Town social affairs bureau on the hook for?", catalog).intent == "bureau_measures"


@pytest.mark.parametrize("question", ["市教委在方案里管哪块？", "What is the Education Commission tasked with in the plan?"])
def test_a_which_word_or_a_role_verb_is_no_topic_beside_a_unit(catalog, question):
    # '哪块' asks "which part" and names nothing; "tasked with" asks the unit's role
    assert analyse(question, catalog).intent == "bureau_measures"


def test_a_metadata_question_asking_two_things_keeps_both(catalog):
    assert analyse("北京方案的文号和印发日期是什么？", catalog).facets == ("number", "date")


def test_what_a_plan_requires_of_a_unit_is_that_units_remit(catalog):
    analysis = analyse("我在区人社局工作，北京这个数字人才方案对我们区级人社部门有什么具体要求？", catalog)
    assert analysis.intent == "bureau_measures" and analysis.bureaus[0].zh == "各区人力资源和社会保障局"


@pytest.mark.parametrize(
    ("question", "interests"),
    [
        # what the asker wants, said in everyday words: sending staff to learn, getting some money, coming back, a start-up
        ("我是一家二十来人软件公司的HR，老板想送员工去学大数据，公司能不能拿到点钱？", {"training", "funding"}),
        ("I did my PhD in the UK and I'm coming back to set up a startup in Beijing. What can I get?", {"returnees", "entrepreneurship"}),
    ],
)
def test_an_askers_interests_are_read_from_everyday_words(catalog, question, interests):
    profile = analyse(question, catalog).profile
    assert {v for k, v in profile if k == "interest"} == interests


@pytest.mark.parametrize(
    ("question", "interests"),
    [
        # a story told without "I am": where the asker comes from and what they mean to do
        (
            "I moved back from Germany last year and want to start a small software business. What could help someone like me?",
            {"returnees", "entrepreneurship"},
        ),
        ("我刚从日本读完硕士回国，打算在北京开一家软件公司，有哪些政策？", {"returnees", "entrepreneurship"}),
    ],
)
def test_an_askers_story_is_a_self_description(catalog, question, interests):
    analysis = analyse(question, catalog)
    assert {v for k, v in analysis.profile if k == "interest"} == interests and analysis.about_asker


def test_asking_to_ask_is_no_story(catalog):
    assert not analyse("我想问一下首席数据官是什么？", catalog).profile


def test_a_number_word_inside_a_name_is_no_count():
    from planqa.lexicon import lexicon

    count = lexicon().evidence["count"]
    assert not count.search('the "New Eight-Level Worker" system')
    assert count.search("eight universities") and count.search("培养1万名人才")


def test_an_english_yes_no_question_is_a_part_of_a_compound_question(catalog):
    """A clause opening with an auxiliary asks something, so "…, and which …?" cuts the question in two."""
    result = analyse(
        "Two questions: does the Beijing plan say anything on forecasting talent demand, and which majors get priority?", catalog
    )
    assert len(result.subquestions) == 2 and "forecasting" in result.subquestions[0].text


def test_a_self_description_ends_at_an_english_full_stop(catalog):
    result = analyse("I am preparing a briefing on the national action plan. What is its document number?", catalog)
    assert "document number" not in result.about_asker and result.intent == "metadata"


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("报告说2024年引进了1200多名海外人才，那2025年引进了多少？", ("2025",)),
        ("2023年的技能方案每年培养多少人？", ()),  # the year names the document
        ("How many overseas AI talents were recruited in 2024?", ("2024",)),
    ],
)
def test_the_years_asked_are_those_of_the_last_clause_not_of_a_documents_name(catalog, question, asked):
    assert analyse(question, catalog).asked_years == asked


@pytest.mark.parametrize(
    "question", ["首席数据官年薪一般定在什么水平？", "这项补贴是什么标准？", "What salary level does the plan set for data officers?"]
)
def test_a_level_of_pay_or_subsidy_is_an_amount(catalog, question):
    assert "amount" in analyse(question, catalog).specifics


def test_a_tail_asking_only_for_the_detail_of_a_yes_is_no_question_of_its_own(catalog):
    result = analyse("Does the education commission have any tasks under the plan? If so, for what?", catalog)
    assert not result.subquestions and result.intent == "bureau_measures"


def test_a_story_told_in_a_sentence_of_its_own_leaves_the_question_about_the_asker(catalog):
    """The story names the profile; the sentence after it asks what applies ("someone like me"), nothing else."""
    result = analyse(
        "I studied AI in Germany and I am coming back to start a company in Beijing. What does the plan offer people like me?", catalog
    )
    assert result.profile_only and ("interest", "returnees") in result.profile
    assert not analyse("我们是一家做大模型的公司，能拿多少算力券？", catalog).profile_only  # a topic of its own


@pytest.mark.parametrize(
    ("question", "specific"),
    [
        ("报告建议的首席科学家工作室，政府最终采用了没有？", "current"),
        ("Has the report's talent fund proposal ever been implemented?", "current"),
        ("国家方案提到的专项基金，规模有多大？", "amount"),
        ("报告里说要跟哪些企业合作开发能力标准？", "organisations"),  # named partners, not a class
        ("Which universities actually joined the joint training programme?", "organisations"),
    ],
)
def test_what_became_of_a_proposal_and_the_size_of_a_fund_are_specifics(catalog, question, specific):
    assert specific in analyse(question, catalog).specifics


def test_a_year_in_the_askers_story_is_not_a_year_asked_about(catalog):
    # "2023年12月考下了证书" says when something happened to the asker; it is not the 2023 news report either.
    analysis = analyse("我在一家软件公司上班，2023年12月考下了高级工证书，现在还能申请补贴吗？", catalog)
    assert analysis.years == () and analysis.documents == ()
    assert analyse("2023年的方案讲了什么？", catalog).documents == ("bj-2023-skills",)
    assert "bj-2023-skills" not in analyse("I got my certificate in December 2023; can I still apply?", catalog).documents


@pytest.mark.parametrize("question", ["培训补贴几号截止申报？", "补贴几月几号发放？"])
def test_which_day_asks_for_a_date_not_an_amount(catalog, question):
    assert analyse(question, catalog).specifics == ("date",)


def test_a_later_part_that_only_asks_asks_for_what_the_part_before_names(catalog):
    # "能给多少" alone names no money; after "有没有资金补贴" it asks for an amount.
    later = analyse("新建工作站有没有资金补贴，能给多少？", catalog).subquestions[1]
    assert later.specifics == ("amount",)
    assert analyse("留学人员创业园是做什么的，归谁管？", catalog).subquestions[1].specifics == ()
