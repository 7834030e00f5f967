"""Turn extracted paragraphs into a corpus document: front matter fields and a body the chunker reads.

    ['关于开展…的通知', '京人社办发〔2025〕7号', '一、补贴对象', '1.…。', '责任单位：市财政局', '北京市人社局', '2025年3月10日']
    -> doc_number 京人社办发〔2025〕7号, issuers [北京市人社局], date 2025-03-10, body:

    # 关于开展…的通知 {#notice}
    京人社办发〔2025〕7号
    ## 一、补贴对象
    1.…。
    责任单位：市财政局
    <!-- id: signature -->
    北京市人社局
    2025年3月10日

The paragraphs themselves are never reworded, only marked: a numbered section line becomes a
Markdown heading, a document title a level-1 heading with an id, and page furniture is dropped
(whole-paragraph matches of furniture.yaml) or reported (partial matches).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from planqa.bureaus import UNIT_SUFFIX
from planqa.text import detect_language

DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{2,8})\s*[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*(\d{1,4})\s*号")
ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
EN_DATE = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{1,2}),\s*(\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
# Words a document title uses (关于印发…的通知, Implementation Plan …); a short unpunctuated line with one is a title.
TITLE_WORDS = re.compile(
    r"(通知|方案|办法|意见|规定|计划|细则|决定|公告|通告|条例|指引|Notice|Plan|Measures|Regulations?|Rules|Opinions|Announcement)", re.I
)
SECTION_LINE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十百零〇]+章|[IVXL]+\.\s|Chapter\s+(?:\d{1,3}|[IVXL]+)\b|[A-Z]\.\s)"
)
LETTER_LINE = re.compile(r"^[A-Z]\.\s")
ROMAN_LINE = re.compile(r"^[IVXL]+\.\s")
CJK_LINE = re.compile(r"[\u4e00-\u9fff]")
NUMBERED = re.compile(
    r"^(第[一二三四五六七八九十百零〇]+条|（[一二三四五六七八九十百]+）|\d{1,2}(?:[.．](?!\d)|、)|[（(]\d{1,3}[）)]|Article\s+\d)"
)
# The closing paragraph of a Chinese official document, or of an English one: it follows the last measure.
CLOSING = re.compile(
    r"^(各区各部门|各区、各部门|各单位|各有关单位|请各|本(通知|办法|方案|规定|细则|意见)自)"
    r"|^This (Notice|Plan|Measures?|Regulations?) (shall )?(take|come)"
)
COVERING_NOTICE = re.compile(r"关于.*的通知$|^Notice\b", re.I)
EN_UNIT = re.compile(r"\b(Bureau|Commission|Office|Government|Department|Committee|Ministry|Administration)\b")
# A short line wholly in parentheses under a signature: '（此件主动公开）', '(联系人：王某，电话：12345678)'.
PUBLICATION_NOTE = re.compile(r"^[（(][^（）()]{2,40}[）)]$")
STANDALONE_DATE = re.compile(rf"^(?:{ZH_DATE.pattern}|{EN_DATE.pattern}|{ISO_DATE.pattern})$")


@dataclass(frozen=True)
class Draft:
    """What the paragraphs say about the document, and its Markdown body."""

    lang: str
    title: str
    doc_number: str
    issuers: tuple[str, ...]
    date: str
    body: str
    dropped: int = 0
    furniture: tuple[str, ...] = field(default=())  # kept paragraphs that look like page furniture


def structure(paragraphs: list[str], title_hint: str = "", date_hint: str = "") -> Draft:
    """Front matter facts and the Markdown body for `paragraphs` (see the module docstring)."""
    drop, warn = _furniture()
    kept = [p for p in paragraphs if not any(rx.search(p) for rx in drop)]
    kept = [p for i, p in enumerate(kept) if i == 0 or p != kept[i - 1]]  # a repeated title line of a repost
    dropped = len(paragraphs) - len(kept)
    lang = detect_language("\n".join(kept))
    doc_number = next((_doc_number(m) for p in kept if (m := DOC_NUMBER.search(p))), "")
    signature = _signature(kept)
    issuers = tuple(kept[i] for i in signature[:-1]) if signature else ()
    date = iso_date(kept[signature[-1]]) if signature else ""
    if signature and not all(PUBLICATION_NOTE.match(p) for p in kept[signature[-1] + 1 :]):
        signature = []  # a signature inside the covering notice stays part of it; only '（此件主动公开）' may follow
    first_section = _first_section(kept)
    titles = [p for p in kept[:first_section] if _is_title(p)]
    title = next((t for t in titles if not re.search(r"通知|Notice", t, re.I)), "") or next(iter(titles), "") or title_hint
    if not issuers and (issuer := re.match(r"^(.{2,40}?)(?:等\d*个?部门)?关于", next(iter(titles), title))):
        issuers = (issuer.group(1),)
    date = date or iso_date(date_hint) or next((d for p in kept if (d := iso_date(p))), "")
    lines: list[str] = []
    anchors: list[str] = []
    closing = _closing(kept)
    last_letter = ""  # 'I.' after 'H.' is a letter; otherwise it is the Roman numeral one
    if title and not titles:
        lines.append(f"# {title} {{#{_title_anchor(title, anchors)}}}")  # the page's own title, kept out of the text by the extractor
    for number, paragraph in enumerate(kept):
        if signature and number == signature[0]:
            lines.append("<!-- id: signature -->")
        if number == closing:
            lines.append("<!-- id: closing -->")
        if _is_title(paragraph) and not SECTION_LINE.match(paragraph) and number < first_section:
            lines.append(f"# {paragraph} {{#{_title_anchor(paragraph, anchors)}}}")
        elif _is_heading(paragraph):
            letter = LETTER_LINE.match(paragraph) and not (ROMAN_LINE.match(paragraph) and (paragraph.isupper() or last_letter != "H"))
            last_letter = paragraph[0] if letter else last_letter
            lines.append(f"{'###' if letter else '##'} {paragraph}")
        else:
            lines.append(paragraph)
    furniture = tuple(p for p in kept if any(rx.search(p) for rx in warn))
    return Draft(lang, title, doc_number, issuers, date, "\n\n".join(lines) + "\n", dropped, furniture)


def _title_anchor(title: str, used: list[str]) -> str:
    """'notice' for the covering notice ('关于…的通知'), 'preamble' for the document's own title, else 'title1', 'title2'…"""
    if "notice" not in used and COVERING_NOTICE.search(title):
        anchor = "notice"
    elif "preamble" not in used and not re.search(r"通知|Notice", title, re.I):
        anchor = "preamble"
    else:
        anchor = f"title{len(used) + 1}"
    used.append(anchor)
    return anchor


def iso_date(text: str) -> str:
    """'2025年3月10日' / 'March 10, 2025' / '2025-3-10' -> '2025-03-10'; '' when the text has none."""
    if match := ZH_DATE.search(text):
        year, month, day = match.groups()
    elif match := EN_DATE.search(text):
        month, day, year = str(MONTHS.index(match.group(1).lower()) + 1), match.group(2), match.group(3)
    elif match := ISO_DATE.search(text):
        year, month, day = match.groups()
    else:
        return ""
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def _doc_number(match: re.Match[str]) -> str:
    """Brackets as the state standard prints them: 京人社办发[2025]7号 -> 京人社办发〔2025〕7号."""
    return f"{match.group(1)}〔{match.group(2)}〕{match.group(3)}号"


def _is_title(paragraph: str) -> bool:
    return len(paragraph) <= 120 and bool(TITLE_WORDS.search(paragraph)) and not re.search(r"[。；;：:]$|\.$", paragraph)


def _is_heading(paragraph: str) -> bool:
    """A short numbered line that does not end a sentence: '一、补贴对象', '第二章 申报', 'II. Scope'."""
    limit = 100 if CJK_LINE.search(paragraph) else 200
    return bool(SECTION_LINE.match(paragraph)) and len(paragraph) <= limit and not re.search(r"[。；;：:]$|\.$", paragraph)


def _first_section(paragraphs: list[str]) -> int:
    """Where the numbered body starts: titles are looked for only before it."""
    return next((i for i, p in enumerate(paragraphs) if _is_heading(p) or NUMBERED.match(p)), len(paragraphs))


def _is_unit(line: str) -> bool:
    """A signature line: a unit's name, '北京市财政局' or 'Beijing Municipal Bureau of Economy and Information Technology'."""
    if re.search(r"[:：。；;]|\.$", line):
        return False
    return bool(UNIT_SUFFIX.search(line) or EN_UNIT.search(line))


def _closing(paragraphs: list[str]) -> int | None:
    """The index of the closing paragraph ('各区各部门要…', 'This Notice shall take effect…') after the last numbered one."""
    numbered = [i for i, p in enumerate(paragraphs) if NUMBERED.match(p)]
    start = numbered[-1] + 1 if numbered else len(paragraphs)
    return next((i for i in range(start, len(paragraphs)) if CLOSING.match(paragraphs[i])), None)


def _signature(paragraphs: list[str]) -> list[int]:
    """Indexes of the closing issuer lines and the date line under them, or [] when the document has none.

    [..., '北京市人力资源和社会保障局', '北京市财政局', '2025年3月10日'] -> [n-3, n-2, n-1]
    """
    for end in range(len(paragraphs) - 1, -1, -1):
        if STANDALONE_DATE.match(paragraphs[end]):
            start = end
            while start > 0 and len(paragraphs[start - 1]) <= 80 and _is_unit(paragraphs[start - 1]):
                start -= 1
            if start < end or end == len(paragraphs) - 1:
                return list(range(start, end + 1))
    return []


@cache
def _furniture() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    data = yaml.safe_load(resources.files("planqa").joinpath("furniture.yaml").read_text(encoding="utf-8"))
    return [re.compile(p) for p in data["drop"]], [re.compile(p) for p in data["warn"]]
