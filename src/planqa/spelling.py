"""Misspelling correction against the corpus vocabulary, so a typo still finds its clause.

English: a word that is neither in the corpus nor a common English word (wordfreq) becomes the
closest corpus word when the edit distance is small for its length ('compnies' -> 'companies').
Chinese: a pinyin input method keeps the sound and changes the character; a window that sounds
exactly like a corpus term ('首席数据馆' shou xi shu ju guan ~ '首席数据官') or differs from a long
one in a single character becomes that term. Nothing that is already a corpus word, a common
word, a number, an acronym (HRSS, AI) or a real dictionary word is touched:

>>> vocabulary = Vocabulary(english={"chief": 3, "data": 9, "officer": 3}, chinese={"首席数据官": 2})
>>> correct("Who appoints the cheif data oficer? 首席数据馆", vocabulary).changes
(('cheif', 'chief'), ('oficer', 'officer'), ('首席数据馆', '首席数据官'))
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planqa.text import CJK, ZH_STOPWORDS, to_simplified

if TYPE_CHECKING:
    from planqa.catalog import Catalog

EN_WORD = re.compile(r"[A-Za-z]+")  # 'officer's' is 'officer' and 's'
CONTRACTED = re.compile(r"['’]t\b", re.IGNORECASE)  # what follows the first part of "aren't", "wouldn’t"
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
RARE_ZIPF, STEM_PREFIX = 1.9, 6  # a word at least this common sharing this long a start with its candidate is a variant
COMMON_ZIPF = 3.0  # wordfreq's Zipf scale: 3 is a word used once per million words ('subsidies' 3.7); typos score < 3 ('cheif' 2.0)
MAX_TERM = 6  # the longest Chinese window looked at for a homophone
MAX_NEAR_FORM = 8  # the longest window looked at for a one-character slip
TERM_MIN_COUNT = 2  # a run of jieba words is a corpus term when it occurs at least this often


@dataclass(frozen=True)
class Correction:
    """The corrected question and each (wrong, right) change made, in order; text is the question itself when nothing changed."""

    text: str
    changes: tuple[tuple[str, str], ...] = ()


class Vocabulary:
    """The corpus's English words and Chinese terms, with indexes for fast lookup.

    english maps a lower-case word to its corpus count; chinese maps a term (2+ Han characters)
    to its count. Build it once: `Vocabulary.from_catalog(catalog)`.
    """

    def __init__(self, english: Mapping[str, int], chinese: Mapping[str, int]):
        self.english = dict(english)
        self.chinese = {term: count for term, count in chinese.items() if len(term) >= 2 and HAN_RUN.fullmatch(term)}
        self._english_by_length: dict[int, list[str]] = {}  # a word within distance d of another differs in length by <= d
        for word in sorted(w for w in self.english if len(w) >= 4):
            self._english_by_length.setdefault(len(word), []).append(word)
        self._by_sound: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = {}
        self._by_shape: dict[str, list[str]] = {}
        short = [term for term in self.chinese if len(term) <= MAX_TERM]
        for term, sound in zip(short, pinyin_keys(short), strict=True):
            self._by_sound.setdefault(sound[:2], []).append((term, sound))
            if 4 <= len(term) <= MAX_NEAR_FORM:
                for i in range(len(term)):
                    self._by_shape.setdefault(_blank(term, i), []).append(term)
        from wordfreq import zipf_frequency

        zipf_frequency("warm", "en")  # load the word list now rather than during the first question

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> Vocabulary:
        """Words of every chunk, bureau name and document alias in the catalog."""
        texts = [chunk.text for chunk in catalog.chunks]
        names = [name for entry in catalog.table.entries for name in (*entry.names, *entry.former)]
        names += [alias for doc in catalog.documents for alias in doc.aliases]
        names += [title for doc in catalog.documents for title in (doc.title_zh, doc.title_en) if title]
        return cls.from_texts(texts, names)

    @classmethod
    def from_texts(cls, texts: Iterable[str], names: Iterable[str] = ()) -> Vocabulary:
        """English words and Chinese terms of the texts; each name counts as a term however rare.

        Chinese terms are jieba's words of 2+ characters plus runs of 2-3 consecutive words
        (3-8 characters) seen at least twice, so '首席/数据/官' yields the term '首席数据官'.
        """
        import jieba

        from planqa.text import prepare_jieba

        prepare_jieba()
        english: Counter[str] = Counter()
        chinese: Counter[str] = Counter()
        runs: Counter[str] = Counter()
        names = list(names)
        for text in [*texts, *names]:
            simplified = to_simplified(text)
            english.update(w.lower() for w in EN_WORD.findall(simplified))
            for run in HAN_RUN.findall(simplified):
                words = jieba.lcut(run)
                chinese.update(w for w in words if len(w) >= 2)
                for n in (2, 3):
                    runs.update("".join(words[i : i + n]) for i in range(len(words) - n + 1) if _term_like(words[i : i + n]))
        chinese.update({run: count for run, count in runs.items() if count >= TERM_MIN_COUNT and 3 <= len(run) <= MAX_NEAR_FORM})
        chinese.update({to_simplified(n): TERM_MIN_COUNT for n in names if HAN_RUN.fullmatch(to_simplified(n))})
        return cls(english, chinese)

    def known_english(self, word: str) -> bool:
        """In the corpus (as written or as a singular) or common English ('officer', 'the')."""
        from wordfreq import zipf_frequency

        lower = word.lower()
        singular = lower[:-3] + "y" if lower.endswith("ies") else lower[:-1] if lower.endswith("s") else lower
        # A plural is as much a word as its singular, however rarely it is written ('issuers' 2.9, 'issuer' 3.1).
        return lower in self.english or singular in self.english or max(zipf_frequency(w, "en") for w in {lower, singular}) >= COMMON_ZIPF

    def english_candidate(self, word: str) -> str | None:
        """The one corpus word closest to a misspelt `word`: distance <= 1 for 4-6 letters, <= 2 for 7+."""
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        lower = word.lower()
        limit = 1 if len(lower) <= 6 else 2
        nearby = [w for n in range(len(lower) - limit, len(lower) + limit + 1) for w in self._english_by_length.get(n, ())]
        found = process.extract(lower, nearby, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=None)
        if not found:
            return None
        best = min(distance for _, distance, _ in found)
        tied = [w for w, distance, _ in found if distance == best]
        if len(tied) > 1:  # keep the ones that start alike, then take the clearly most frequent
            tied = [w for w in tied if w[0] == lower[0]] or tied
            tied.sort(key=lambda w: -self.english[w])
            if len(tied) > 1 and self.english[tied[0]] < 2 * self.english[tied[1]]:
                return None
        return tied[0]

    def sounds_like(self, window: str) -> list[str]:
        """Terms read exactly like `window` (toneless pinyin, any reading of each character)."""
        if not 2 <= len(window) <= MAX_TERM:
            return []
        starts = [(a, b) for a in readings(window[0]) for b in readings(window[1])]
        return [
            term
            for start in starts
            for term, sound in self._by_sound.get(start, ())
            if len(term) == len(window) and all(s in readings(c) for c, s in zip(window, sound, strict=True))
        ]

    def one_slip_from(self, window: str) -> list[str]:
        """Terms of 4+ characters that differ from `window` in exactly one character."""
        found = {t for i in range(len(window)) for t in self._by_shape.get(_blank(window, i), ())}
        return sorted(t for t in found if t != window)


def correct(question: str, vocabulary: Vocabulary) -> Correction:
    """The question with English typos and Chinese homophone or one-character slips corrected.

    Works on the Simplified text (Traditional characters are converted first); when nothing
    changes the question comes back exactly as given.
    """
    text = to_simplified(question)
    changes: list[tuple[int, int, str]] = []
    for match in EN_WORD.finditer(text):
        word = match.group()
        if len(word) < 4 or not word.isalpha() or any(c.isupper() for c in word[1:]) or vocabulary.known_english(word):
            continue
        if CONTRACTED.match(text, match.end()):  # 'aren' of "aren't", 'couldn' of "couldn't": no typo
            continue
        right = vocabulary.english_candidate(word)
        if right and not _rare_variant(word.lower(), right):
            changes.append((match.start(), match.end(), right.capitalize() if word[0].isupper() else right))
    for run in HAN_RUN.finditer(text):
        changes += [(run.start() + s, run.start() + e, term) for s, e, term in _chinese_changes(run.group(), vocabulary)]
    if not changes:
        return Correction(question)
    pieces, pairs, at = [], [], 0
    for start, end, right in sorted(changes):
        pieces += [text[at:start], right]
        pairs.append((text[start:end], right))
        at = end
    return Correction("".join(pieces) + text[at:], tuple(pairs))


def _rare_variant(word: str, right: str) -> bool:
    """A real but rare word built on the same stem as the candidate ('returnee' ~ 'returned'), not a typo of it.

    Typos are almost never written on the web (Zipf < RARE_ZIPF: 'compnies' 0.0); a rare word that is
    (Zipf 'returnee' 2.1, 'postdocs' 2.0) and shares a long start with the candidate is left alone.
    """
    from wordfreq import zipf_frequency

    shared = next((i for i, (a, b) in enumerate(zip(word, right, strict=False)) if a != b), min(len(word), len(right)))
    return zipf_frequency(word, "en") >= RARE_ZIPF and shared >= STEM_PREFIX


def _chinese_changes(run: str, vocabulary: Vocabulary) -> list[tuple[int, int, str]]:
    """(start, end, term) for the windows of a Han run to correct, longest first, none overlapping."""
    import jieba

    words = jieba.lcut(run)
    bounds, at = [0], 0
    for word in words:
        at += len(word)
        bounds.append(at)
    token_at = [word for word in words for _ in word]  # the question's word covering each character
    # only windows that start and end where the question's words do: a slip never splits a real word
    windows = sorted(
        ((b - a, a, b) for i, a in enumerate(bounds) for b in bounds[i + 1 :] if 2 <= b - a <= MAX_NEAR_FORM), key=lambda w: (-w[0], w[1])
    )
    found: list[tuple[int, int, str]] = []
    for length, start, end in windows:
        window = run[start:end]
        if window in vocabulary.chinese or any(s < end and start < e for s, e, _ in found):
            continue
        tokens = token_at[start:end]
        options = [t for t in vocabulary.sounds_like(window) if _plausible_slip(window, t, tokens, homophone=True)]
        if length >= 4 and not options:
            options = [t for t in vocabulary.one_slip_from(window) if _plausible_slip(window, t, tokens, homophone=False)]
        if len(set(options)) == 1:
            found.append((start, end, options[0]))
    return found


def _plausible_slip(window: str, term: str, tokens: list[str], homophone: bool) -> bool:
    """A typo changes few characters, and each changed one sits in no real word of the question.

    '学徒至' -> '学徒制' (至 stands alone), but never '事实' -> '实施' (事实 is a word) nor a changed '的'.
    A homophone of 4+ characters is trusted even when it makes a word ('数字机能' -> '数字技能'): that
    long a sound-alike of a corpus term is a typo far more often than a meant phrase.
    """
    import jieba

    changed = [i for i, (a, b) in enumerate(zip(window, term, strict=True)) if a != b]
    if not changed or len(changed) > max(1, len(window) // 3):
        return False
    if not homophone and changed[0] in (0, len(window) - 1):
        return False  # a different first or last character is as likely a different neighbouring word: 按中小企业, 算力资源
    for i in changed:
        token = tokens[i]
        real_word = len(token) >= 2 and bool(jieba.dt.FREQ.get(token)) and not (homophone and len(window) >= 4)
        if token in ZH_STOPWORDS or window[i] in ZH_STOPWORDS or real_word:
            return False
    return True


def _term_like(words: list[str]) -> bool:
    """A run of words can be a term when it starts with a real word and holds no function word.

    首席/数据/官 is a term; 对/中小企业 and 数字技术/的 are not.
    """
    return len(words[0]) >= 2 and not any(word in ZH_STOPWORDS for word in words)


def _blank(term: str, i: int) -> str:
    return term[:i] + "?" + term[i + 1 :]


@functools.cache
def readings(char: str) -> frozenset[str]:
    """Every toneless pinyin reading of one character ('行' -> {'xing', 'hang', 'heng'}); the char itself if not Han."""
    from pypinyin import Style, pinyin

    if not CJK.match(char):
        return frozenset([char])
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors=lambda c: [c])
    return frozenset(found[0]) if found and found[0] else frozenset([char])


def pinyin_keys(words: list[str]) -> list[tuple[str, ...]]:
    """pinyin_key of many Han-only words in one pass (pypinyin's phrase lookup is the slow part, not the words)."""
    from pypinyin import lazy_pinyin

    keys: list[tuple[str, ...]] = []
    current: list[str] = []
    for syllable in lazy_pinyin("|".join(words), errors=lambda run: list(run)):
        if syllable == "|":
            keys.append(tuple(current))
            current = []
        else:
            current.append(syllable)
    keys.append(tuple(current))
    if len(keys) != len(words) or any(len(k) != len(w) for k, w in zip(keys, words, strict=False)):
        return [pinyin_key(word) for word in words]
    return keys if words else []


def pinyin_key(word: str) -> tuple[str, ...]:
    """The toneless pinyin of a word, one syllable per character, read in context ('银行行长' -> ('yin', 'hang', 'hang', 'zhang'))."""
    from pypinyin import lazy_pinyin

    key = lazy_pinyin(word)
    if len(key) != len(word):  # a run of non-Han characters comes back as one item: spell it char by char
        key = [syllable for char in word for syllable in lazy_pinyin(char)]
    return tuple(key)
