"""Grounded answers on the real corpus and model: citations, facts, bureaus, abstention, quotes."""

from __future__ import annotations

import json
import re

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from planqa.answer import ExtractiveAnswerer
from planqa.chain import Assistant
from planqa.cli import main
from planqa.errors import QuestionError
from planqa.evaluate import judge, metrics
from planqa.llm import LLMAnswerer
from planqa.settings import Settings
from planqa.split import load_split

from .conftest import CORPUS, ROOT, load_questions

QUESTIONS = load_questions()


@pytest.fixture(scope="module")
def assistant(real_retriever) -> Assistant:
    return Assistant(Settings.load(corpus_dir=str(CORPUS)), real_retriever, ExtractiveAnswerer(real_retriever.catalog))


@pytest.fixture(scope="module")
def answers(assistant) -> dict[str, object]:
    return {q["id"]: assistant.ask(q["question"]) for q in QUESTIONS}


def test_question_set_shape():
    categories = {q["category"] for q in QUESTIONS}
    assert len(QUESTIONS) >= 60 and sum(not q["answerable"] for q in QUESTIONS) >= 12
    assert {"fact", "bureau", "bureau_list", "eligibility", "title_route", "unanswerable"} <= categories
    assert {"zh", "en", "mixed", "zh-hant"} <= {q["lang"] for q in QUESTIONS}


# Floors just under today's measured level on each side of the split: a regression fails and lists every failing question.
FLOORS = {
    "dev": {"citation_recall": 0.95, "key_fact_accuracy": 0.93, "abstention_recall": 0.90, "false_abstention": 0.02},
    # test holds 209 questions written apart and never tuned on (added when dev outgrew it): lower than dev, honestly
    "test": {"citation_recall": 0.88, "key_fact_accuracy": 0.88, "abstention_recall": 0.83, "false_abstention": 0.06},
}


@pytest.mark.parametrize("side", ["dev", "test"])
def test_quality_on_the_labelled_questions(answers, side):
    split = load_split(ROOT / "eval" / "split.json")["questions"]
    items = [q for q in QUESTIONS if split.get(q["id"]) == side]
    verdicts = [judge(q, answers[q["id"]]) for q in items]
    summary = metrics(verdicts, {q["id"]: q for q in items})
    failures = "\n".join(f"{v.id} cited={v.cited_ids} facts={len(v.facts_found)}/{v.facts_total}" for v in verdicts if not v.passed)
    floors = FLOORS[side]
    assert summary["citation_recall"] >= floors["citation_recall"], failures
    assert summary["key_fact_accuracy"] >= floors["key_fact_accuracy"], failures
    assert summary["false_abstention"] <= floors["false_abstention"], failures
    assert summary["abstention_recall"] >= floors["abstention_recall"], failures


@pytest.mark.parametrize("category", ["bureau", "bureau_list"])
def test_bureau_answers_name_the_printed_units(answers, category):
    items = [q for q in QUESTIONS if q["category"] == category]
    matched = [q["id"] for q in items if judge(q, answers[q["id"]]).bureaus_match]
    assert len(matched) >= 0.8 * len(items), sorted(set(q["id"] for q in items) - set(matched))


def test_quotes_are_verbatim_and_texts_are_the_corpus(answers, catalog):
    for answer in answers.values():
        for citation in (*answer.citations, *answer.retrieved):
            assert citation.quote and citation.quote in citation.chunk.text
            document = catalog.document(citation.chunk.doc_id)
            assert citation.chunk.text in document.text
            if citation.rendering_id:
                assert citation.rendering_quote in catalog.chunk(citation.rendering_id).text


def test_answer_in_the_question_language_with_official_citation(assistant):
    answer = assistant.ask("Who is responsible for appointing chief data officers?")
    assert answer.language == "en" and not answer.abstained
    (citation,) = answer.citations
    assert citation.chunk.id == "bj-2024#2" and citation.rendering_id == "bj-2024-rendering-en#2"
    assert "Beijing Municipal Human Resources and Social Security Bureau" in answer.answer
    assert [b.zh for b in answer.bureaus] == ["市人力资源社会保障局", "市经济和信息化局", "市政务服务和数据管理局"]


def test_who_is_responsible_says_for_what_in_the_clauses_words(assistant, catalog):
    answer = assistant.ask("Which bureaus look after postdoctoral workstations in the digital field?")
    (citation,) = answer.citations
    assert citation.chunk.id == "bj-2024#6" and answer.intent == "responsible_bureau"
    # The quote runs verbatim from the sentence about postdoctoral stations to the units at the clause's end …
    assert citation.quote in citation.chunk.text and citation.quote.startswith("加强数字领域博士后科研流动站")
    assert citation.quote.endswith("（市教委、市人力资源社会保障局、市政务服务和数据管理局）")
    # … and the answer says what the units are responsible for, in the question's language, without the list again.
    assert "postdoctoral research mobile stations" in answer.answer and answer.answer.count("Education Commission") == 1


def test_the_sentence_giving_the_figure_asked_for_joins_the_quote(assistant):
    # The programme is named in one sentence and its yearly number in the next: both are quoted.
    answer = assistant.ask("研究报告里“百万数字工匠”计划每年培训多少人？")
    assert answer.citations[0].chunk.id == "ai-talent-2025#s3.B.3" and "12万人" in answer.answer


def test_bureau_list_is_complete(assistant, catalog):
    answer = assistant.ask("市人社局负责哪些措施？")
    expected = [c.id for c in catalog.directory.lookup("市人力资源社会保障局")[0][1]]
    assert [c.chunk.id for c in answer.citations] == expected and len(expected) == 12


@pytest.mark.parametrize(
    ("question", "cited"),
    [
        ("北京方案的序言说了什么？", "bj-2024#preamble"),
        ("What does the research report's conclusion say?", "ai-talent-2025#s4"),
        ("What are the overall goals of the Beijing plan?", "bj-2024#goals"),
    ],
)
def test_a_named_part_of_a_document_is_quoted(assistant, question, cited):
    answer = assistant.ask(question)
    assert not answer.abstained and answer.citations[0].chunk.id == cited


def test_a_part_is_only_taken_from_the_document_named(assistant, catalog):
    """The national plan has no 'goals' section: the Beijing plan's must not answer for it."""
    assert catalog.named_part("national-2024", ["goals"]) is None
    answer = assistant.ask("国家方案的总体目标是什么？")
    assert all(c.chunk.doc_id.startswith("national-2024") for c in answer.citations)


def test_the_clause_that_answers_is_cited_first(assistant):
    """Near-tied retrieval scores do not decide the order: the clause sharing most words with the question does."""
    answer = assistant.ask("Which subsidies does the national plan offer for vocational training?")
    first = answer.citations[0]
    assert first.chunk.id == "national-2024#10" and "subsidies" in first.quote
    assert answer.answer.splitlines()[0].endswith("[1]") and "subsidies" in answer.answer.splitlines()[0]


def test_a_self_described_asker_gets_the_matcher_measures_beijing_first(assistant):
    """The profile read from the question is stated; Beijing measures come first; national ones say they instruct governments."""
    answer = assistant.ask("我们是一家做软件的小微企业，能用上哪些政策？")
    assert not answer.abstained and answer.answer.startswith("按您的描述（企业、小微企业")
    docs = [c.chunk.doc_id for c in answer.citations]
    assert docs and docs[0] == "bj-2024" and docs == sorted(docs, key=lambda d: d != "bj-2024")
    for line, citation in zip(answer.answer.splitlines()[1:], answer.citations, strict=True):
        assert ("国家方案对各地的部署" in line) == (citation.chunk.doc_id == "national-2024")


@pytest.mark.parametrize(
    ("question", "clause", "said"),
    [
        ("市财政局负责首席数据官这条吗？", "bj-2024#2", "市财政局不在所列责任单位中"),
        (
            "Is the Science Park committee involved in the measure on personnel-file services?",
            "bj-2024#12",
            "Zhongguancun Science Park Administrative Committee is one of them",
        ),
        ("数字人才配偶就业这件事，是人才工作局还是财政局牵头？", "bj-2024#16", "市人才工作局是责任单位之一。市财政局不在所列责任单位中"),
        ("Who runs the skills master studios, HRSS or the education commission?", "bj-2024#7", "Education Commission is not among them"),
    ],
)
def test_whether_a_named_unit_is_responsible_is_answered_yes_or_no(assistant, question, clause, said):
    answer = assistant.ask(question)
    assert answer.intent == "responsible_bureau" and answer.citations[0].chunk.id == clause
    assert said in answer.answer


def test_which_measures_mention_a_term_lists_every_measure_of_the_plan_that_does(assistant, catalog):
    answer = assistant.ask("北京方案里哪些措施提到了职称或者证书？")
    expected = [c.id for c in catalog.chunks if c.doc_id == "bj-2024" and c.local_id.isdigit() and ("职称" in c.text or "证书" in c.text)]
    assert len(expected) >= 3 and [c.chunk.id for c in answer.citations] == expected
    assert all("职称" in c.quote or "证书" in c.quote for c in answer.citations)


def test_which_measures_mention_an_english_term_reads_the_rendering(assistant):
    answer = assistant.ask("Which clauses of the national plan mention subsidies or post-doctoral talents?")
    assert len(answer.citations) >= 2 and all(c.chunk.doc_id == "national-2024" for c in answer.citations)
    assert all(re.search("subsid|post-doctoral", c.quote, re.IGNORECASE) for c in answer.citations)


def test_a_mentioned_term_is_found_hyphens_aside(assistant, catalog):
    answer = assistant.ask("which measures of the national plan mention postdocs?")  # the plan writes "post-doctoral"
    expected = [c.id for c in catalog.chunks if c.doc_id == "national-2024" and c.is_measure and "post-doctoral" in c.text.lower()]
    assert answer.intent == "mentions" and len(expected) >= 2 and [c.chunk.id for c in answer.citations] == expected


def test_a_listing_names_the_measures_that_write_a_term(assistant):
    answer = assistant.ask("写了人工智能的措施有哪些？")
    assert answer.intent == "mentions" and len(answer.citations) >= 2
    assert all("人工智能" in c.quote for c in answer.citations)


@pytest.mark.parametrize("question", ["北京方案哪里提到了职称？", "where does the Beijing plan mention professional titles?"])
def test_where_a_plan_mentions_a_term_lists_every_place_it_does(assistant, catalog, question):
    """Asked *where* a term is mentioned, every measure that mentions it is the answer, not the closest one."""
    answer = assistant.ask(question)
    expected = [c.id for c in catalog.chunks if c.doc_id == "bj-2024" and c.local_id.isdigit() and "职称" in c.text]
    assert answer.intent == "mentions" and len(expected) >= 3 and [c.chunk.id for c in answer.citations] == expected


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("市教委被列为责任单位的有哪几项？", "市教委"),
        ("北京方案里哪几项措施写了市教委是责任单位？", "市教委"),
        ("市经济和信息化局在方案里一共牵涉到哪几条措施？", "市经济和信息化局"),
    ],
)
def test_which_measures_name_a_unit_as_responsible_is_that_units_remit(assistant, catalog, question, name):
    """'责任单位' in a question that asks *which measures* asks a unit's remit, not who is responsible for one measure."""
    remit = [c.id for c in catalog.directory.lookup(name)[0][1]]
    answer = assistant.ask(question)
    assert answer.intent == "bureau_measures" and len(remit) > 2 and [c.chunk.id for c in answer.citations] == remit


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("哪些措施只由市人力资源社会保障局负责？", "市人力资源社会保障局"),
        ("Which measures name the Human Resources and Social Security Bureau as the sole responsible unit?", "市人力资源社会保障局"),
    ],
)
def test_measures_a_unit_leads_alone_are_those_naming_no_other_unit(assistant, catalog, question, name):
    remit = catalog.directory.lookup(name)[0][1]
    alone = [c.id for c in remit if [b.zh for b in c.bureaus] == [name]]
    answer = assistant.ask(question)
    assert 0 < len(alone) < len(remit) and [c.chunk.id for c in answer.citations] == alone


@pytest.mark.parametrize("question", ["国家行动方案的文号是多少？", "What is the document number of the national action plan?"])
def test_a_document_number_printed_only_elsewhere_is_cited_where_it_is_printed(assistant, catalog, question):
    """The national plan's own text does not print its number; the Beijing plan's preamble, which cites it, does."""
    number = catalog.document("national-2024").doc_number
    answer = assistant.ask(question)
    assert not answer.abstained and number in answer.citations[0].quote


def test_a_figure_for_another_year_does_not_answer_the_year_asked(assistant):
    """The report gives 2024's number of overseas AI talents brought in; asked for 2025's, it does not say."""
    later = assistant.ask("报告说2024年引进了1200多名海外高层次人工智能人才，那2025年引进了多少？")
    assert later.abstained and later.flags[0] == "no count is given for 2025" and "2025年的具体数量" in later.answer
    same = assistant.ask("研究报告说2024年引进了多少海外高层次人工智能人才？")
    assert not same.abstained and "1200" in same.answer


@pytest.mark.parametrize(
    ("question", "names", "opening"),
    [
        ("人社局和经信局一起负责哪几项措施？", ("市人力资源社会保障局", "市经济和信息化局"), "共同负责以下"),
        ("哪些措施是财政局和人社局一起负责的？", ("市财政局", "市人力资源社会保障局"), "没有共同负责的措施"),
    ],
)
def test_what_two_units_share_is_the_intersection_of_their_measures(assistant, catalog, question, names, opening):
    first, second = (catalog.directory.lookup(name)[0][1] for name in names)
    shared = [c.id for c in first if c in second]
    answer = assistant.ask(question)
    assert answer.answer.startswith("、".join(names) + opening) and [c.chunk.id for c in answer.citations] == shared


def test_a_self_described_asker_who_asks_something_gets_that_answered_first(assistant):
    """The asker's own question leads the matcher's measures; a research report's proposal is not offered as a policy."""
    answer = assistant.ask("我们是一家小型AI企业，算力券最多能补贴多少？")
    assert answer.answer.startswith("按您的描述")
    first_line, first = answer.answer.splitlines()[1], answer.citations[0]
    assert first.chunk.doc_id.startswith("ai-talent-2025") and "500万元" in first_line
    assert "研究报告中的内容，不是可申请的政策" in first_line


def test_a_self_described_asker_naming_a_plan_gets_that_plans_measures(assistant):
    answer = assistant.ask("We are a training company. Under the national plan, can our courses get vocational training subsidies?")
    assert answer.citations[0].chunk.id == "national-2024#10"
    assert {c.chunk.doc_id for c in answer.citations} == {"national-2024"}


@pytest.mark.parametrize(
    ("question", "first", "second"),
    [
        ("留学人员创业园要怎么建设，由哪些部门牵头？", "bj-2024#8", "市经济和信息化局"),
        ("What does the Beijing plan say about postdoctoral workstations, and which bureaus run it?", "bj-2024#6", "Education Commission"),
    ],
)
def test_every_part_of_a_compound_question_is_answered(assistant, question, first, second):
    answer = assistant.ask(question)
    assert not answer.abstained and answer.citations[0].chunk.id == first
    assert answer.answer.startswith("1. ") and "\n2. " in answer.answer and second in answer.answer.split("\n2. ", 1)[1]


@pytest.mark.parametrize(
    ("question", "understood", "cited"),
    [
        ("Does the Beijing plan suport enterprise aprenticeships?", "apprenticeship", "bj-2024#7"),
        ("首席数据馆由谁来当？", "首席数据官", "bj-2024#2"),
    ],
)
def test_a_misspelling_is_corrected_and_said(assistant, question, understood, cited):
    answer = assistant.ask(question)
    assert understood in answer.answer.splitlines()[0] and any(right == understood for _, right in answer.corrections)
    assert cited in [c.chunk.id for c in answer.citations]


@pytest.mark.parametrize("question", ["市科委管什么？", "What is the Data Management Bureau in charge of?", "北京市政务服务管理局负责什么"])
def test_a_bureau_by_any_name_gets_its_complete_list(assistant, catalog, question):
    answer = assistant.ask(question)
    (bureau,) = answer.bureaus
    assert [c.chunk.id for c in answer.citations] == [c.id for c in catalog.directory.clauses(bureau)]


@pytest.mark.parametrize(
    ("question", "why"), [("明天北京会下雨吗？带伞吗？", "不在其中"), ("Which hotel near the Bird's Nest is cheapest?", "do not cover")]
)
def test_off_topic_questions_are_declined_in_plain_words(assistant, question, why):
    answer = assistant.ask(question)
    assert answer.abstained and why in answer.answer.splitlines()[0]


@pytest.mark.parametrize(
    "question",
    ["上海对数字人才有什么补贴？", "How much is the subsidy for a chief data officer?", "北京市数字工程师创新创业大赛的奖金是多少？"],
)
def test_abstains_on_near_misses(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained and not answer.citations and answer.retrieved
    assert answer.answer.startswith(("文件中没有说明", "The documents do not say"))


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "empty"), ("   \n", "empty"), ("x" * 2001, "limit is 2000"), ("数字\x00人才", "control characters")],
)
def test_bad_questions(assistant, question, message):
    with pytest.raises(QuestionError, match=message):
        assistant.ask(question)


def test_llm_answerer_keeps_only_given_citations(assistant):
    model = FakeListChatModel(responses=["设立首席数据官 [1]，另见 [9]。"])
    llm = Assistant(assistant.settings, assistant.retriever, LLMAnswerer(model, assistant.answerer, name="fake"))
    answer = llm.ask("首席数据官是怎么规定的？")
    assert answer.answerer == "fake" and "[9]" not in answer.answer and "[1]" in answer.answer
    assert [c.number for c in answer.citations] == [1]
    assert any("removed citation [9]" in flag for flag in answer.flags)


def test_llm_answerer_falls_back_on_error(assistant):
    class Broken(FakeListChatModel):
        def invoke(self, *args, **kwargs):
            raise TimeoutError("no answer in time")

    llm = Assistant(assistant.settings, assistant.retriever, LLMAnswerer(Broken(responses=["x"]), assistant.answerer))
    answer = llm.ask("首席数据官是怎么规定的？")
    assert answer.answerer == "extractive" and answer.citations and "llm failed (TimeoutError)" in answer.flags[-1]


def test_ask_json_and_batch(capsys, tmp_path, monkeypatch, built_index_dir):
    monkeypatch.setenv("PLANQA_INDEX", str(built_index_dir))
    assert main(["--corpus", str(CORPUS), "ask", "新八级工是什么？", "--json", "--no-rebuild"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"question", "language", "intent", "answer", "abstained", "citations", "retrieved", "bureaus", "timings_ms"} <= set(data)
    assert data["citations"][0]["id"] == "bj-2024#10"
    assert {"id", "doc_id", "doc_title", "clause", "heading", "bureaus", "quote", "text", "score"} <= set(data["citations"][0])
    batch = tmp_path / "questions.txt"
    batch.write_text("首席数据官\nWhat is the New Eight-Level Worker system?\n", encoding="utf-8")
    assert main(["--corpus", str(CORPUS), "ask", "--batch", str(batch), "--json", "--no-rebuild"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["question"] for line in lines] == ["首席数据官", "What is the New Eight-Level Worker system?"]


def test_ask_rejects_empty_question_before_loading(capsys):
    assert main(["--corpus", str(CORPUS), "ask", "  "]) == 2
    assert "question is empty" in capsys.readouterr().err


def test_the_plan_said_without_naming_it_means_the_primary_document(assistant: Assistant):
    """'the plan' with no document named leans to the Beijing plan; a document named still decides."""
    answer = assistant.ask("Does the plan help the spouses of digital talents find work?")
    assert answer.citations[0].chunk.doc_id == "bj-2024"
    named = assistant.ask("Does the national action plan help the spouses of digital talents find work?")
    assert named.citations[0].chunk.doc_id.startswith("national-2024")


def test_a_later_part_with_no_subject_of_its_own_is_declined_with_the_first(assistant: Assistant):
    """'…工资多少？有标准吗？' asks more of a figure the plans do not give; '…由谁负责？' asks something they do."""
    more = assistant.ask("首席数据官一年工资多少？有标准吗？")
    assert more.abstained and not more.citations
    other = assistant.ask("首席数据官一年工资多少？由谁负责？")
    assert not other.abstained and "市人力资源社会保障局" in other.answer


def test_a_measure_is_quoted_by_its_body_not_its_title_alone(assistant):
    answer = assistant.ask("国家行动方案对开展数字人才国际交流活动有什么安排？")
    first = answer.citations[0]
    assert first.chunk.id == "national-2024#3"
    assert first.chunk.heading not in first.quote and "海外高层次数字人才" in first.rendering_quote + first.quote


def test_an_individual_describing_themselves_is_not_declined_for_words_about_themselves(assistant):
    # The asker's own story (a master with apprentices) is not the topic; the studio they want is.
    answer = assistant.ask("我是一名老技师，带过不少徒弟，北京方案对建大师工作室有支持吗？")
    assert not answer.abstained and "bj-2024#7" in [c.chunk.id for c in answer.citations]


def test_a_unit_named_by_a_former_name_is_not_an_unknown_topic(assistant):
    # 经信委 is the economy bureau's name before the 2018 reform: no clause prints it.
    answer = assistant.ask("以前的经信委在北京方案里管不管首席数据官那条？这条还有谁负责？")
    assert not answer.abstained and [c.chunk.id for c in answer.citations] == ["bj-2024#2"]


def test_a_later_part_is_grounded_by_its_own_words_not_the_first_parts(assistant):
    # The first part's words (the programme) ground any second part searched with them; reimbursement is nowhere.
    answer = assistant.ask("数字技术工程师培育项目的培训费用是多少？个人可以报销吗？")
    assert answer.abstained


def test_who_runs_a_proposal_that_lists_no_units_is_declined(assistant):
    # The research report proposes; it assigns no responsible unit, so "which bureau" is not answered there.
    answer = assistant.ask("研究报告里的算力券由哪个部门负责发放？")
    assert answer.abstained and "no responsible unit is named" in answer.flags and "没有写明责任单位" in answer.answer


def test_a_year_inside_a_documents_name_is_not_searched_for(catalog):
    assert "2024" not in catalog.without_years_of_names("北京2024年的方案里，数字技术工程师怎么培养？")
    assert "2026" in catalog.without_years_of_names("到2026年北京方案要培养多少人？")  # not inside the name: a topic


@pytest.mark.parametrize(
    "question",
    ["高层次数字人才的子女上学具体可以进哪些学校？", "Which specific universities will pilot the chief data officer scheme in Beijing?"],
)
def test_a_question_for_named_things_of_a_kind_the_clause_never_speaks_of_is_declined(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained and any(flag.startswith("no list of") for flag in answer.flags)


@pytest.mark.parametrize(
    "question",
    [
        "北京加快数字人才培育的实施方案2026年到期后，下一期什么时候发布？",
        "What will replace the Beijing digital talent implementation plan after it expires in 2026?",
    ],
)
def test_what_comes_after_the_documents_period_is_declined(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained and "no future is given" in answer.flags


def test_which_bureau_is_answered_from_a_close_clause_that_lists_units(assistant: Assistant):
    # The national plan lists no units; when its clause ranks first by a little and no document is named, the
    # Beijing measure just behind it that lists units is the one asked about.
    answer = assistant.ask("国际交流那块归哪个局管？")
    assert not answer.abstained and [c.chunk.id for c in answer.citations] == ["bj-2024#12"]
    named = assistant.ask("国家行动方案里国际交流那块归哪个局管？")  # a document named is kept to
    assert named.abstained or all(c.chunk.doc_id.startswith("national-2024") for c in named.citations)


@pytest.mark.parametrize(
    ("question", "cited"),
    [
        ("北京方案“人才培育平台”那部分有哪些措施？", ["bj-2024#5", "bj-2024#6", "bj-2024#7", "bj-2024#8"]),
        ("What is in the development mechanisms section of the Beijing plan?", ["bj-2024#9", "bj-2024#10", "bj-2024#11", "bj-2024#12"]),
    ],
)
def test_a_section_named_by_its_heading_is_listed(assistant: Assistant, question, cited):
    assert [c.chunk.id for c in assistant.ask(question).citations] == cited


def test_a_document_number_is_given_only_where_one_is_printed(assistant: Assistant):
    beijing = assistant.ask("北京数字人才实施方案的发文字号是什么？")
    assert not beijing.abstained and "京人社专技字〔2024〕104号" in beijing.answer
    news = assistant.ask("2023年那篇新闻里说的技能人才培养方案，文号是多少？")  # the news report gives none
    assert news.abstained and "no doc_number is given" in news.flags


def test_a_unit_named_on_measures_lists_them_all(assistant: Assistant, catalog):
    answer = assistant.ask("市教委在北京方案里被点名的条目有哪些？")
    expected = [c.id for c in catalog.chunks if c.doc_id == "bj-2024" and "市教委" in {b.zh for b in c.bureaus}]
    assert answer.intent == "bureau_measures" and [c.chunk.id for c in answer.citations] == expected


def test_colloquial_asking_words_do_not_make_a_question_off_topic(assistant: Assistant):
    answer = assistant.ask("算力券到底能拿来干嘛？")
    assert not answer.abstained and answer.citations[0].chunk.id == "ai-talent-2025#s3.D.2"


@pytest.mark.parametrize("question", ["AI人才报告的作者是谁？", "Who wrote the AI talent report?"])
def test_the_report_by_its_everyday_name(assistant: Assistant, question):
    assert assistant.ask(question).citations[0].chunk.id == "ai-talent-2025#front"


def test_a_document_named_by_its_id_is_the_one_read(assistant: Assistant):
    answer = assistant.ask("national-2024 第(9)条主要讲了什么？")
    assert [c.chunk.id for c in answer.citations] == ["national-2024#9"]


def test_a_term_quoted_in_the_other_script_is_held_by_the_rendering(assistant: Assistant):
    answer = assistant.ask("Section B.2 of the report speaks of “AI人才共享空间”. What venue subsidy do tenant teams get?")
    assert not answer.abstained and answer.citations[0].chunk.id == "ai-talent-2025#s3.B.2" and "500,000" in answer.answer


@pytest.mark.parametrize(
    ("question", "said"),
    [("谁负责推动数字人才在京津冀之间流动？", "京津冀"), ("Which bureaus handle talent flows across Beijing, Tianjin and Hebei?", "Hebei")],
)
def test_a_units_answer_quotes_the_sentence_asked_about_far_from_the_units(assistant, question, said):
    # Measure (12) speaks of Beijing-Tianjin-Hebei several sentences before its list of units.
    answer = assistant.ask(question)
    assert [c.chunk.id for c in answer.citations] == ["bj-2024#12"] and len(answer.bureaus) == 3
    assert said in answer.answer and said in (answer.citations[0].rendering_quote or answer.citations[0].quote)


@pytest.mark.parametrize("question", ["研究报告里哪些部分提到了百度？", "which of the AI report's recommendations mention Baidu?"])
def test_the_passages_of_a_report_that_mention_a_term_are_listed(assistant, catalog, question):
    answer = assistant.ask(question)
    expected = [c.id for c in catalog.chunks if c.doc_id == "ai-talent-2025" and c.clause and "Baidu" in c.text]
    assert answer.intent == "mentions" and len(expected) >= 3 and [c.chunk.id for c in answer.citations] == expected
    assert f"{len(expected)} passages" in answer.answer or f"{len(expected)} 处" in answer.answer  # not "measures" of a plan


@pytest.mark.parametrize("question", ["社科院这份报告出自哪个课题？", "Which research project funded the AI talent report?"])
def test_the_project_a_report_comes_from_is_read_from_its_acknowledgment(assistant, question):
    # a metadata question naming a part of a report is answered from that part, not the report's byline
    answer = assistant.ask(question)
    assert answer.citations and answer.citations[0].chunk.id == "ai-talent-2025#acknowledgment" and "01253600001" in answer.answer


def test_who_wrote_a_report_quotes_its_byline_name_and_institute(assistant):
    answer = assistant.ask("社科院那份AI报告的作者是谁？")
    assert answer.citations[0].chunk.id == "ai-talent-2025#front"
    assert "Shengwen Yan" in answer.answer and "管理研究所" in answer.answer
