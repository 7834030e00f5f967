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
            r"|(哪些|几项).{0,6}(措施|任务).{0,8}(负责|牵头)"
            r"|which (measures|tasks|clauses)|what measures|measures (does|is|are)|responsible for (which|what)"
            r"|(lead|leads|own|owns) which|what does .{1,80} (lead|own|oversee|handle)|measures (assigned|led|owned)|list the measures"
            r"|(is|are) .{1,80} responsible for\s*[?？]",
        ),
        (
            "metadata",
            r"文号|发文字号|印发|联合发文|发文单位|主送|发给哪些|(方案|文件|通知).{0,8}(发布|出台|哪天|日期|时间|哪一年)|(依据|落实).{0,8}(哪个|什么)文件"
            r"|document number|reference number|(plan|document|notice)\b.{0,30}\b(issued|published)|issuing date|issuers?\b|jointly"
            r"|addressed to",
        ),
        (
            "responsible_bureau",
            r"(哪个|哪些|什么|哪家|哪一个)(部门|单位|机构|局|委)|谁(来)?(负责|牵头|主管)|由谁|责任单位|牵头单位|负责部门|主管部门"
            r"|who (is|are) (responsible|in charge)|who (leads|runs|handles|oversees|implements)"
            r"|which (bureau|department|agency|unit|authority|body)"
            r"|responsible (bureau|department|unit)",
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
        r"多少钱|多少元|金额|额度|标准是多少|(补贴|奖励|资助|奖金|经费|费用|工资|薪酬|税率).{0,4}(多少|几)|(多少|几)(补贴|资助|奖金|经费)|奖金|费用是|税率"
        r"|how much|amount|how many (yuan|rmb)|in yuan|sum of|\bfees?\b|salary range|tax rate|prize money",
        re.I,
    ),
    "deadline": re.compile(
        r"截止|截至|最晚|期限|什么时候(申请|报名|截止)|何时(申请|报名)|deadline|due date|last day|when (can|do|should) (we|i) apply", re.I
    ),
    "winner": re.compile(r"谁(获得|赢|获奖|拿了)|获奖(者|名单)|冠军|who won|winner|prize winners", re.I),
    "contact": re.compile(
        r"电话|网址|网站|邮箱|地址|热线|窗口|在哪(里)?(申请|办理)|phone|website|e-?mail|address|hotline|portal|where (do|can) (we|i) apply",
        re.I,
    ),
}
SPECIFIC_EVIDENCE = {
    "amount": re.compile(r"\d[\d,.]*\s*(万|亿)?\s*(元|yuan|RMB)|[¥￥]\s*\d|\d[\d,.]*\s*(million|billion)?\s*yuan", re.I),
    "deadline": re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月\s*\d{1,2}\s*日前|before \w+ \d{1,2}|by \d{4}-\d{2}", re.I),
    "winner": re.compile(r"获(得|奖)者|荣获|won the|winners? (is|are|was)", re.I),
    "contact": re.compile(r"\d{3,4}-\d{7,8}|https?://|www\.|@\w+\.", re.I),
}
# Places the corpus is not about; naming one is a near miss unless the cited text names it too.
OTHER_PLACES = (
    "上海", "深圳", "广州", "杭州", "成都", "重庆", "南京", "武汉", "西安", "苏州", "天津市", "河北省", "香港", "澳门", "台湾",
    "Shanghai", "Shenzhen", "Guangzhou", "Hangzhou", "Chengdu", "Chongqing", "Nanjing", "Wuhan", "Xi'an", "Suzhou", "Hong Kong",
    "Macau", "Taiwan", "Singapore", "Berlin", "Silicon Valley", "硅谷", "新加坡", "柏林", "浙江", "江苏", "广东", "四川", "山东",
    "Zhejiang", "Jiangsu", "Guangdong", "Sichuan", "Shandong",
)  # fmt: skip
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
    places = tuple(p for p in OTHER_PLACES if p.lower() in simplified.lower())
    return Analysis(
        question=question,
        language=detect_language(question),
        intent=intent,
        bureaus=bureaus,
        documents=tuple(catalog.mentioned_documents(simplified)),
        places=places,
        numbers=tuple(re.findall(r"\d+(?:[.,]\d+)?%?", simplified)),
        specifics=tuple(name for name, pattern in SPECIFICS.items() if pattern.search(simplified)),
    )
