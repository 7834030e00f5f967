"""Word translations learned from the corpus's own aligned renderings, so a clause can ground a question
asked in the other language when it has no rendering in that language.

    table = catalog.translations                         # learn_from(catalog), once per catalog
    table = WordTable.learn([(zh_words, en_words), …])   # one pair per aligned sentence
    table.expand({"evaluation", "reform"})               # -> {"评价", "改革", …}

The official clauses and their unofficial renderings are aligned sentence by sentence (the renderings tests
check it), so a Chinese word and an English word that keep turning up in the same sentence pairs translate
each other: 评价 ↔ evaluation, 职称 ↔ title. A pair of words is kept when it co-occurs in at least MIN_PAIRS
sentence pairs and its Dice coefficient is at least MIN_DICE; each word keeps its TOP best partners. The
answerer uses the table only for clauses with no rendering (an English summary asked about in Chinese, a new
Chinese-only notice asked about in English): such a clause shares no word with the question otherwise, so it
could never ground an answer, whatever it says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from planqa.dictionary import Glossary
from planqa.text import sentence_spans, tokenize

if TYPE_CHECKING:
    from planqa.catalog import Catalog

# A pair seen once is as likely chance as translation (a sentence pair holds ~20 x 20 word pairs).
MIN_PAIRS = 2
# 2·both / (zh + en): 1.0 when the two words always appear together; chance pairs of common words stay low.
MIN_DICE = 0.5
TOP = 3


@dataclass(frozen=True)
class WordTable:
    """Each word's translations (Chinese -> English and English -> Chinese), best first."""

    translations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # CC-CEDICT for the documents written in one language only (dictionary.py), when there are any.
    glossary: Glossary | None = None

    @classmethod
    def learn(cls, pairs: Iterable[tuple[Iterable[str], Iterable[str]]]) -> WordTable:
        """Learn from (Chinese words, English words) pairs of aligned sentences."""
        import numpy as np
        from scipy.sparse import csr_matrix

        zh_ids: dict[str, int] = {}
        en_ids: dict[str, int] = {}
        zh_rows: list[list[int]] = []
        en_rows: list[list[int]] = []
        for zh, en in pairs:
            zh_rows.append([zh_ids.setdefault(w, len(zh_ids)) for w in set(zh)])
            en_rows.append([en_ids.setdefault(w, len(en_ids)) for w in set(en)])
        if not zh_ids or not en_ids:
            return cls()
        zh_matrix, en_matrix = _incidence(zh_rows, len(zh_ids), csr_matrix), _incidence(en_rows, len(en_ids), csr_matrix)
        both = (zh_matrix.T @ en_matrix).tocoo()  # sentence pairs holding both words
        zh_count = np.asarray(zh_matrix.sum(axis=0)).ravel()
        en_count = np.asarray(en_matrix.sum(axis=0)).ravel()
        dice = 2 * both.data / (zh_count[both.row] + en_count[both.col])
        keep = (both.data >= MIN_PAIRS) & (dice >= MIN_DICE)
        zh_words, en_words = list(zh_ids), list(en_ids)
        scored: dict[str, list[tuple[float, str]]] = {}
        for row, col, score in zip(both.row[keep], both.col[keep], dice[keep], strict=True):
            scored.setdefault(zh_words[row], []).append((float(score), en_words[col]))
            scored.setdefault(en_words[col], []).append((float(score), zh_words[row]))
        return cls({word: tuple(w for _, w in sorted(found, key=lambda s: (-s[0], s[1]))[:TOP]) for word, found in scored.items()})

    def expand(self, words: Iterable[str]) -> frozenset[str]:
        """The translations of `words` (not the words themselves)."""
        words = list(words)
        learned = frozenset(t for w in words for t in self.translations.get(w, ()))
        return learned | self.glossary.expand(words) if self.glossary is not None else learned

    def __len__(self) -> int:
        return len(self.translations)


def learn_from(catalog: Catalog) -> WordTable:
    """The table of a corpus: every clause against its rendering, sentence by sentence where they align."""
    pairs = []
    for chunk in catalog.chunks:
        rendering = catalog.chunk_map.get(chunk.aligned_id) if chunk.aligned_id and chunk.kind != "rendering" else None
        if rendering is None or rendering.lang == chunk.lang:
            continue
        official, rendered = _sentence_words(chunk.text, chunk.lang), _sentence_words(rendering.text, rendering.lang)
        if len(official) != len(rendered):  # not aligned sentence by sentence: the clauses as wholes
            official, rendered = [frozenset().union(*official)], [frozenset().union(*rendered)]
        pairs += [(o, r) if chunk.lang == "zh" else (r, o) for o, r in zip(official, rendered, strict=True)]
    return replace(WordTable.learn(pairs), glossary=Glossary.of(catalog))


def _sentence_words(text: str, lang: str) -> list[frozenset[str]]:
    return [frozenset(tokenize(text[start:end])) for start, end in sentence_spans(text, lang)]


def _incidence(rows: list[list[int]], width: int, csr_matrix: type) -> object:
    """A 0/1 matrix: one row per sentence, a 1 for each word it holds."""
    import numpy as np

    indptr = np.cumsum([0, *map(len, rows)])
    indices = np.fromiter((i for row in rows for i in row), dtype=np.int32, count=int(indptr[-1]))
    return csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(rows), width))
