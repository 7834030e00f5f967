"""Text helpers shared by every module: numerals, language detection, normalisation.

>>> chinese_numeral("十六")
16
>>> detect_language("Which bureau leads （七）?")
'en'
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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


# --- tokenising for lexical search ------------------------------------------------------


def _stopwords() -> tuple[frozenset[str], frozenset[str]]:
    """English and Chinese stopwords from the analysis lexicon (planqa/data/lexicon.yaml)."""
    from planqa.lexicon import lexicon

    words = lexicon().stopwords
    return frozenset(w for w in words if w.isascii()), frozenset(w for w in words if not w.isascii())


EN_STOPWORDS, ZH_STOPWORDS = _stopwords()
TOKEN = re.compile(r"[\w\u3400-\u9fff]+")
_jieba_ready = False


def to_simplified(text: str) -> str:
    """Traditional Chinese characters to Simplified ('數字技術' -> '数字技术'); other text unchanged."""
    import zhconv

    return zhconv.convert(text, "zh-cn")


def prepare_jieba(cache_dir: Path | None = None, words: Iterable[str] = ()) -> None:
    """Load jieba's dictionary once, caching it in planqa's cache dir (not /tmp), plus domain words."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        jieba.setLogLevel(logging.WARNING)
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            jieba.dt.tmp_dir = str(cache_dir)
        jieba.initialize()
        _jieba_ready = True
    for word in words:
        if CJK.search(word) and len(word) >= 2:
            jieba.add_word(word, freq=2000)
            _tokens.cache_clear()  # a new dictionary word changes how text is cut
            content_words.cache_clear()


def tokenize(text: str) -> list[str]:
    """Search tokens: Simplified Chinese words (jieba, search mode) and folded English words.

    '市教委负责哪些 measures?' -> ['市', '教委', '负责', 'measure']
    """
    return list(_tokens(text))


@functools.lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    """tokenize(), remembered: one answer reads the same question and clause sentences many times."""
    import jieba

    if not _jieba_ready:
        prepare_jieba()
    tokens = []
    for token in jieba.lcut_for_search(to_simplified(unicodedata.normalize("NFKC", text)).lower()):
        if not TOKEN.fullmatch(token) or token in EN_STOPWORDS or token in ZH_STOPWORDS:
            continue
        tokens.append(_fold_plural(token) if token.isascii() else token)
    return tuple(tokens)


ACRONYM = re.compile(r"\b[A-Z]{2,}\b")


@functools.cache
def _general_stopwords() -> frozenset[str]:
    """stopwords-iso's English and Chinese lists: words any question may use whatever its topic."""
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords(["en", "zh"]))


@functools.lru_cache(maxsize=8192)
def content_words(text: str) -> frozenset[str]:
    """The search tokens that carry a topic: general stopwords (stopwords-iso) left out.

    Used to judge whether a question is about the documents at all, where 'anywhere', 'tell' or
    '具体' say nothing; search itself keeps them (a stopword list that long would drop 'research').
    """
    # stopwords-iso's English list holds the two-letter country codes ('ai', 'hr', 'it'): written in capitals they
    # are acronyms, and topics ('AI trainers', 'an HR office').
    general = _general_stopwords() - {w.lower() for w in ACRONYM.findall(text)}
    # A lone Chinese character is mostly a fragment of jieba's segmentation ('总述说' -> '总', '述说'), not a topic;
    # a word that opens with 哪 asks "which" ('哪块', '哪方面', '哪类') and names nothing.
    return frozenset(
        token
        for token in tokenize(text)
        if token not in general and not (CJK.match(token) and (len(token) == 1 or token.startswith("哪") or _made_of_stopwords(token)))
    )


@functools.cache
def _made_of_stopwords(token: str) -> bool:
    """A jieba word that is stopwords run together ('最多能' = 最多 + 能) carries no topic either.

    Pieces are multi-character stopwords of either list, or the lexicon's own one-character function words, and
    one piece at least is longer than a character: '人才' (人 + 才) and '才能' stay topics.
    """
    longer = {w for w in _general_stopwords() | ZH_STOPWORDS if len(w) > 1}
    # reach[i]: the first i characters split into stopword pieces (None: they do not; True: with a longer piece)
    reach: list[bool | None] = [False] + [None] * len(token)
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - 4), end):
            piece, before = token[start:end], reach[start]
            if before is not None and (piece in longer or (len(piece) == 1 and piece in ZH_STOPWORDS)):
                reach[end] = bool(reach[end]) or before or piece in longer
    return bool(reach[-1])


def _fold_plural(word: str) -> str:
    """'subsidies' -> 'subsidy', 'measures' -> 'measure', 'business' stays."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# --- sentences ---------------------------------------------------------------------------

ZH_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")


@functools.lru_cache(maxsize=8192)
def sentence_spans(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence or line, whitespace trimmed: '甲。乙。' -> ((0, 2), (2, 4)).

    Remembered: every answer splits the same clause texts again.

    Chinese ends a sentence at 。！？ (and a line break); English text goes line by line through
    pysbd, which knows that "[2024] No. 37", "e.g." and "3.5%" do not end a sentence.
    """
    spans: list[tuple[int, int]] = []
    if lang == "zh":
        pieces = [(m.start(), m.group()) for m in ZH_SENTENCE.finditer(text)]
    else:
        pieces = [(start + offset, sentence) for start, line in _lines(text) for offset, sentence in _english(line)]
    for start, raw in pieces:
        begin = start + len(raw) - len(raw.lstrip())
        end = start + len(raw.rstrip())
        if end > begin:
            spans.append((begin, end))
    return tuple(spans) or ((0, len(text)),)


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for every line of the text."""
    return [(m.start(), m.group()) for m in re.finditer(r"[^\n]*", text)]


NUMBERING_LABEL = re.compile(r"^\s*[(（]?([0-9]{1,3}|[IVXivx]{1,5}|[A-Za-z])[.)）]\s*$")


def _english(line: str) -> list[tuple[int, str]]:
    """pysbd's sentences of one line; a bare numbering label ('(13)', 'IV.', 'A.') stays with what it numbers."""
    if not line.strip():
        return []
    pieces: list[tuple[int, str]] = []
    for span in _segmenter().segment(line):
        if pieces and NUMBERING_LABEL.match(pieces[-1][1]):
            start = pieces.pop()[0]
            pieces.append((start, line[start : span.start + len(span.sent)]))
        else:
            pieces.append((span.start, span.sent))
    return pieces


@functools.cache
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)
