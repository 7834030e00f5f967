"""Question analysis: language, intent, and the entities a question names.

Intents, checked in this order:
    bureau_measures   "市教委负责哪些措施？" "Which measures does HRSS lead?"
    responsible_bureau "技工院校培养由哪个部门负责？" "Who is responsible for …?"
    metadata          文号, 印发日期, 联合印发部门; document number, issued, issuers
    title_route       职称, 职业技能等级, 证书; professional title, certificate
    eligibility       补贴, 适用, 我们企业; subsidy, eligible, our company
    fact              everything else
`specifics` names what a question wants that a text must state outright to answer it:
an amount, a deadline, a winner, contact details.
"""

from __future__ import annotations

import re
import unicodedata

from planqa.catalog import Catalog
from planqa.errors import QuestionError
from planqa.records import Analysis
from planqa.text import detect_language, to_simplified

MAX_QUESTION_CHARS = 2000

INTENT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(pattern, re.IGNORECASE))
    for intent, pattern in (
        (
            "bureau_measures",
            r"(负责|牵头|主管|承担|分管|涉及|参与).{0,6}(哪些|哪几|几项|多少项|什么).{0,4}(措施|任务|条|工作|事|内容)"
            r"|(哪些|几项).{0,6}(措施|任务).{0,8}(负责|牵头)|(负责|牵头|主管|分管)(些)?(什么|哪些)\s*(工作|事情?|内容)?\s*[?？]?\s*$"
            r"|which (measures|tasks|clauses)|what measures|measures (does|is|are)|responsible for (which|what)"
            r"|(lead|leads|own|owns) which|what does .{1,80} (lead|own|oversee|handle)|measures (assigned|led|owned)|list the measures"
            r"|(is|are) .{1,80} responsible for(\s+(under|in|within)\b.{0,40})?\s*[?？]",  # "… responsible for (in the plan)?"
        ),
        (
            "metadata",
            r"文号|发文字号|印发|联合发文|发文单位|主送|发给哪些|(方案|文件|通知).{0,8}(发布|出台|哪天|日期|哪一年)|(依据|落实).{0,8}(哪个|什么)文件"
            r"|document number|reference number|(plan|document|notice)\b.{0,30}\b(issued|published)|\bissued by\b|who issued"
            r"|which (departments|bodies|ministries|agencies|authorities)\b.{0,40}\bissued|issuing date|issuers?\b|jointly|addressed to"
            r"|implement(s|ing)? which|which national (document|plan)",
        ),
        (
            "responsible_bureau",
            r"(哪个|哪些|什么|哪家|哪一个)\s*(部门|单位|机构|局|委|bureau|department|unit|agency)|谁(来)?(负责|牵头|主管)|由谁|责任单位|牵头单位"
            r"|负责部门|主管部门|responsible (unit|bureau)"
            r"|who (is|are) (responsible|in charge)|who (leads|runs|handles|oversees|implements)"
            r"|which (bureau|department|agency|unit|authority|body)"
            r"|responsible (bureau|department|unit)"
            r"|(bureau|department|agency|unit|authority|body|office) (is |are )?(responsible|in charge)",
        ),
        (
            "title_route",
            r"职称|职业技能等级|技能等级|专业技术等级|等级证书|技师|评审|认定|晋升|证书"
            r"|professional title|title evaluation|skill level|skills? certificate|technician|certification|accreditation",
        ),
        (
            "eligibility",
            r"补贴|补助|资助|奖励|津贴|经费|资金|支持|扶持|优惠|适用|申请|享受|我们|我司|本公司|企业|中小|高校|机构|个人"
            r"|subsid|grant|fund|support|eligible|apply|benefit|incentive|our (company|firm|university|institute)|we are|i am|i'm",
        ),
    )
)

SPECIFICS = {
    "amount": re.compile(
        r"多少钱|多少元|金额|额度|标准是多少|(补贴|奖励|资助|奖金|经费|费用|工资|薪酬|税率|年薪).{0,4}(多少|几)|(多少|几)(补贴|资助|奖金|经费)|奖金|费用是|税率"
        r"|how much|amount|how many (yuan|rmb)|in yuan|sum of|\bfees?\b|salary range|minimum salary|tax rate|prize money",
        re.I,
    ),
    "count": re.compile(
        r"多少(名|个|人|家|所|项|位|次)|几(名|个|家|所|项|位|次|年)|how many|number of (people|engineers|officers|companies)", re.I
    ),
    "percentage": re.compile(r"百分之几|百分比|比例是多少|占比|占多少|what (percentage|share|proportion)|what per ?cent", re.I),
    "date": re.compile(r"截止|截至|最晚|期限|什么时候|何时|哪天|几月|deadline|due date|last day|\bwhen\b|what date", re.I),
    "procedure": re.compile(
        r"材料|流程|手续|怎么申(请|领|报)|如何申(请|领|报)|申领|去哪|在哪(里)?(申请|办理|报名)|怎么报名"
        r"|how (do|can|should) (we|i) apply|how to apply|application (process|procedure|form)|documents? (are )?(needed|required)",
        re.I,
    ),
    "winner": re.compile(
        r"谁(获得|赢|获奖|拿了)|获奖(者|名单)(是|有)|冠军是谁|who won|who (were|are|was|is) the (winners?|champion)", re.I
    ),
    "contact": re.compile(r"电话|网址|网站|邮箱|地址|热线|窗口|phone|website|e-?mail|address|hotline|portal", re.I),
    "person": re.compile(r"(局长|主任|部长|书记|市长|负责人|领导)是谁|who is the (director|head|minister|mayor|chief)", re.I),
    "penalty": re.compile(r"处罚|罚款|惩罚|法律责任|penalt|\bfined?\b|punish", re.I),
    # The documents are dated texts: "now", "today", "last year" are beyond them unless they state a date.
    "current": re.compile(
        r"今天|明天|昨天|去年|今年|最新|目前|现在|当前|today|tomorrow|yesterday|last year|this year|currently|right now", re.I
    ),
}
CN_COUNT = r"[一二三四五六七八九十百千万两]+\s*(名|个|次|年|项|所|家|人|位)"
SPECIFIC_EVIDENCE = {
    "amount": re.compile(r"\d[\d,.]*\s*(万|亿)?\s*(元|yuan|RMB)|[¥￥]\s*\d|\d[\d,.]*\s*(million|billion)?\s*yuan", re.I),
    "count": re.compile(rf"\d|{CN_COUNT}|\b(one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand)\b", re.I),
    "percentage": re.compile(r"\d+(\.\d+)?\s*%|百分之|per ?cent", re.I),
    "date": re.compile(
        r"\d{4}\s*年(\s*\d{1,2}\s*月)?|\d{1,2}\s*月\s*\d{1,2}\s*日|\b(19|20)\d{2}\b|每年|annually|each year|every year", re.I
    ),
    "procedure": re.compile(r"申请材料|申报材料|办理流程|申请流程|手续|application form|procedure", re.I),
    "winner": re.compile(r"获(得|奖)者|荣获|won the|winners? (is|are|was)", re.I),
    "contact": re.compile(r"\d{3,4}-\d{7,8}|https?://|www\.|@\w+\.", re.I),
    "person": re.compile(r"(局长|主任|部长|书记|市长)[\u4e00-\u9fff]{2,3}|(director|minister|mayor) [A-Z][a-z]+", re.I),
    "penalty": re.compile(r"处罚|罚款|追究.{0,4}责任|penalt|fined", re.I),
    "current": re.compile(r"(截至|截止)\s*\d{4}\s*年|as of (19|20)\d{2}", re.I),
}
# Places the corpus is not about; naming one is a near miss unless the cited text names it too.
# Parts of a document a question can name, by their chunk id or heading ("the plan's preamble", "报告的结论").
PARTS = {
    "preamble": re.compile(r"序言|前言|导语|preamble|foreword", re.I),
    "goals": re.compile(r"总体目标|主要目标|工作目标|\b(overall |main )?(goals|objectives)\b", re.I),
    "closing": re.compile(r"结语|结尾|最后一段|closing (paragraph|section|words)", re.I),
    "abstract": re.compile(r"摘要|\babstract\b", re.I),
    "introduction": re.compile(r"引言|导论|\bintroduction\b", re.I),
    "conclusion": re.compile(r"结论|\bconclusions?\b", re.I),
}
OTHER_PLACES = {
    "上海": "Shanghai", "深圳": "Shenzhen", "广州": "Guangzhou", "杭州": "Hangzhou", "成都": "Chengdu", "重庆": "Chongqing",
    "南京": "Nanjing", "武汉": "Wuhan", "西安": "Xi'an", "苏州": "Suzhou", "香港": "Hong Kong", "澳门": "Macau", "台湾": "Taiwan",
    "新加坡": "Singapore", "柏林": "Berlin", "硅谷": "Silicon Valley", "浙江": "Zhejiang", "江苏": "Jiangsu", "广东": "Guangdong",
    "四川": "Sichuan", "山东": "Shandong",
}  # fmt: skip
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate_question(question: str) -> str:
    """The question, trimmed; QuestionError when empty, over-long or holding control characters."""
    if not isinstance(question, str):
        raise QuestionError(f"a question must be text, got {type(question).__name__}")
    if CONTROL.search(question):
        raise QuestionError("the question contains control characters; remove them and ask again")
    text = unicodedata.normalize("NFC", question).strip()
    if not text:
        raise QuestionError("the question is empty; ask something about the policy documents")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question is {len(text)} characters long; the limit is {MAX_QUESTION_CHARS}, so shorten it")
    return text


def analyse(question: str, catalog: Catalog) -> Analysis:
    """Language, intent and entities of a validated question."""
    simplified = to_simplified(question)
    intent = next((name for name, pattern in INTENT_PATTERNS if pattern.search(simplified)), "fact")
    bureaus = tuple(entry.bureau for entry in catalog.table.mentioned_in(simplified))
    if intent == "bureau_measures" and not bureaus:
        intent = "responsible_bureau" if dict(INTENT_PATTERNS)["responsible_bureau"].search(simplified) else "fact"
    lowered = simplified.lower()
    places = tuple(zh for zh, en in OTHER_PLACES.items() if zh in simplified or en.lower() in lowered)
    return Analysis(
        question=question,
        language=detect_language(question),
        intent=intent,
        bureaus=bureaus,
        documents=tuple(catalog.mentioned_documents(simplified)),
        places=places,
        numbers=tuple(re.findall(r"\d+(?:[.,]\d+)?%?", simplified)),
        specifics=_specifics(simplified),
        parts=tuple(name for name, pattern in PARTS.items() if pattern.search(simplified)),
    )


def _specifics(question: str) -> tuple[str, ...]:
    """The kinds of specific a question asks for; a share ('比例是多少') is a percentage, not an amount."""
    found = [name for name, pattern in SPECIFICS.items() if pattern.search(question)]
    if "percentage" in found and "amount" in found:
        found.remove("amount")
    return tuple(found)
