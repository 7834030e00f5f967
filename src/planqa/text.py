"""Text helpers shared by every module: numerals, language detection, normalisation.

>>> chinese_numeral("十六")
16
>>> detect_language("Which bureau leads （七）?")
'en'
"""

from __future__ import annotations

import re
import unicodedata

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100}
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def chinese_numeral(text: str) -> int:
    """'十六' -> 16, '二十一' -> 21, '九' -> 9; raises ValueError on anything else."""
    if not text or any(c not in CN_DIGITS and c not in CN_UNITS for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total, digit = 0, 0
    for char in text:
        if char in CN_DIGITS:
            digit = CN_DIGITS[char]
        else:
            total += (digit or 1) * CN_UNITS[char]
            digit = 0
    return total + digit


def roman_numeral(text: str) -> int:
    """'IV' -> 4, 'XII' -> 12; raises ValueError on anything else."""
    if not text or any(c not in ROMAN for c in text):
        raise ValueError(f"not a Roman numeral: {text!r}")
    values = [ROMAN[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def detect_language(text: str) -> str:
    """'zh' when Chinese characters outweigh Latin words, else 'en'.

    A Chinese character carries about a word's meaning, so one Han character counts
    like one English word: "我们是AI中小企业" is Chinese, "What does （七） say?" English.
    """
    han = len(CJK.findall(text))
    words = len(LATIN_WORD.findall(text))
    return "zh" if han and han >= words else "en"


def normalise(text: str) -> str:
    """Fold width and case and drop spaces, for matching names ('ＨＲＳＳ ' -> 'hrss')."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(folded.split())


def slug(text: str) -> str:
    """A short ASCII id from a heading: 'A paradigm shift' -> 'a-paradigm-shift'."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", text).lower())
    return "-".join(words[:6])
