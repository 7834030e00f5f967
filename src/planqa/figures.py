"""Amounts and dates of a quote written in the other language, stated in the question's language.

A clause of a document written in one language only is quoted as written; its figures are what the asker most
often came for, and they can be read out exactly without a translation model:

    stated("按每人4800元的标准给予培训补贴", "en")       -> ["4,800 yuan"]
    stated("给予每人一次性安家补贴8万元", "en")           -> ["80,000 yuan"]
    stated("申报截止日期为2025年9月30日", "en")           -> ["September 30, 2025"]
    stated("close on November 15, 2025", "zh")            -> ["2025年11月15日"]
    stated("apply from 1 May 2025", "zh")                 -> ["2025年5月1日"]
    stated("2,600 yuan per certified trainee", "zh")      -> ["2600元"]
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal

MONTHS = list(calendar.month_name)[1:]  # 'January' … 'December' (the C locale's names)
ZH_AMOUNT = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>万|亿)?元")
ZH_DATE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?")
EN_AMOUNT = re.compile(r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<f>\d+))?\s*(?P<unit>million|billion)?\s*(?:yuan|RMB)\b", re.I)
EN_DATE = re.compile(rf"\b(?P<m>{'|'.join(MONTHS)})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b")
EN_DAY_FIRST = re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{'|'.join(MONTHS)}),?\s+(?P<y>\d{{4}})\b")
SCALES = {"万": 10_000, "亿": 100_000_000, "million": 1_000_000, "billion": 1_000_000_000}


def stated(text: str, language: str) -> list[str]:
    """The amounts and dates of `text` (written in the other language) as `language` writes them, in order, once each."""
    found = _in_english(text) if language == "en" else _in_chinese(text)
    return list(dict.fromkeys(figure for _, figure in sorted(found)))


def _in_english(text: str) -> list[tuple[int, str]]:
    found = [(m.start(), f"{_number(Decimal(m['n']) * SCALES.get(m['unit'] or '', 1))} yuan") for m in ZH_AMOUNT.finditer(text)]
    for m in ZH_DATE.finditer(text):
        month = MONTHS[int(m["m"]) - 1] if 1 <= int(m["m"]) <= 12 else ""
        if month:
            found.append((m.start(), f"{month} {int(m['d'])}, {m['y']}" if m["d"] else f"{month} {m['y']}"))
    return found


def _in_chinese(text: str) -> list[tuple[int, str]]:
    found = []
    for m in EN_AMOUNT.finditer(text):
        value = Decimal(m["n"].replace(",", "") + (f".{m['f']}" if m["f"] else "")) * SCALES.get((m["unit"] or "").lower(), 1)
        found.append((m.start(), f"{_plain(value)}元"))
    dates = [*EN_DATE.finditer(text), *EN_DAY_FIRST.finditer(text)]  # "November 15, 2025" and "1 May 2025"
    found += [(m.start(), f"{m['y']}年{MONTHS.index(m['m']) + 1}月{int(m['d'])}日") for m in dates]
    return found


def _number(value: Decimal) -> str:
    """'4800' -> '4,800'; '1.5' stays '1.5'."""
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != value.to_integral() else f"{int(value):,}"


def _plain(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral() else str(value.normalize())
