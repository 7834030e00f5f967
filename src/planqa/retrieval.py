"""Hybrid retrieval: dense and BM25 rankings fused by reciprocal rank, one result per clause.

`HybridRetriever` is a LangChain `BaseRetriever`; `search()` returns typed `Hit`s for
the assistant, `invoke()` returns LangChain `Document`s with the clause in `metadata`.
Questions in Traditional characters are converted to Simplified before search.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field, field_validator

from planqa.catalog import Catalog
from planqa.embeddings import BatchEmbeddings
from planqa.errors import ConfigError
from planqa.index import SearchIndex
from planqa.records import Chunk, Hit
from planqa.text import CJK, content_words, detect_language, to_simplified, tokenize

# 60 is the constant of Cormack et al. (2009): it damps the head of each ranking so one
# list's first place cannot outvote agreement between both lists further down.
RRF_K = 60
# The share of a question's words a one-language clause in the other language must translate to be ranked by them.
MIN_FOREIGN_COVER = 0.5
# How many of the question's own-language lexical matches a translated clause is compared with.
FOREIGN_RIVALS = 10
# A phrase a question puts in quotation marks: “…”, 「…」, 『…』, "…" (English single quotes are too often apostrophes).
QUOTED = re.compile(r"[“「『\"]([^“”「」『』\"\n]{2,40})[”」』\"]")
CANDIDATES = 50


def reciprocal_rank_fusion(rankings: Iterable[tuple[list[str], float]], k: int = RRF_K) -> dict[str, float]:
    """Fuse best-first id lists with weights: score(id) = Σ weight / (k + rank).

    >>> reciprocal_rank_fusion([(["a", "b"], 1.0), (["b", "c"], 1.0)], k=60)["b"] > 1 / 61
    True
    """
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, item in enumerate(ids, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores


class HybridRetriever(BaseRetriever):
    """Dense + BM25 over official clauses and their renderings, fused, filtered, one hit per clause.

    Filters (constructor or `invoke(q, doc_ids=[…])`): doc_ids, kinds, langs, bureaus (any name).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    catalog: Catalog
    index: SearchIndex
    embedder: BatchEmbeddings
    k: int = 5
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    rrf_k: int = RRF_K
    doc_boost: float = 1.0
    # With no document named, the policies themselves come before the summaries, news and research written about
    # them: every other clause gets this share of a first place in a third list (tuned on the dev split).
    official_boost: float = 0.25
    # A conversation's document, for a turn that names none: its clauses get this share of a first place, so it wins a
    # near tie but a clearly better match elsewhere (a new subject) still comes first.
    scope_boost: float = 0.5
    # The weight of the ranking by the question's translated words (tuned on the dev split).
    translated_weight: float = 0.5
    # A clause holding a phrase the question quotes ("the “new eight-level” system") gets this share of a first place.
    quote_boost: float = 1.0
    doc_ids: list[str] | None = None
    kinds: list[str] | None = None
    langs: list[str] | None = None
    bureaus: list[str] | None = None
    chunk_map: dict[str, Chunk] = Field(default_factory=dict, exclude=True)
    secondary_docs: set[str] = Field(default_factory=set, exclude=True)
    unrendered_rows: frozenset[int] = Field(default_factory=frozenset, exclude=True)
    one_language_rows: dict[int, str] = Field(default_factory=dict, exclude=True)

    @field_validator("k")
    @classmethod
    def _positive_k(cls, value: int) -> int:
        if value < 1:
            raise ValueError(f"k must be greater than 0. Currently, k is {value}")
        return value

    def model_post_init(self, context: Any) -> None:
        self.chunk_map = self.catalog.chunk_map
        # Documents that are not policies but are about one (they summarise it or are related to it), found once.
        docs = self.catalog.documents
        self.secondary_docs = {d.id for d in docs if not d.official and not d.renders and (d.summarizes or d.related)}
        # Rows of clauses with no rendering: a question in the other language cannot match them by their words.
        chunks = (self.chunk_map.get(entry.chunk_id) for entry in self.index.entries)
        self.unrendered_rows = frozenset(
            row for row, chunk in enumerate(chunks) if chunk is not None and not chunk.aligned_id and chunk.kind != "rendering"
        )
        # Rows of documents written in one language only (dictionary.py), with that language.
        glossary = self.catalog.translations.glossary
        if glossary is not None:
            found = ((row, self.chunk_map.get(entry.chunk_id)) for row, entry in enumerate(self.index.entries))
            self.one_language_rows = {row: chunk.lang for row, chunk in found if chunk is not None and chunk.doc_id in glossary.documents}
        if self.dense_weight < 0 or self.lexical_weight < 0 or self.dense_weight + self.lexical_weight == 0:
            raise ConfigError(f"weights must be non-negative and not both 0, got dense={self.dense_weight}, lexical={self.lexical_weight}")

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any) -> list[Document]:
        return [Document(page_content=hit.chunk.text, metadata=hit.metadata(), id=hit.chunk.id) for hit in self.search(query, **kwargs)]

    def search(
        self,
        query: str,
        k: int | None = None,
        doc_ids: list[str] | None = None,
        kinds: list[str] | None = None,
        langs: list[str] | None = None,
        bureaus: list[str] | None = None,
        prefer_docs: list[str] | None = None,
        quotes_in: str | None = None,
        scope_docs: Iterable[str] = (),
    ) -> list[Hit]:
        """The top `k` clauses for `query`, best first (phrases quoted in `quotes_in`, default the query, lead).

        Documents the question names ('the research report', '国家行动方案') are preferred:
        their clauses get `doc_boost` as if ranked first in a third list. Documents a conversation is about
        (`scope_docs`) get the smaller `scope_boost`.
        """
        k = self.k if k is None else k
        if k < 1:
            raise ConfigError(f"k must be greater than 0. Currently, k is {k}")
        query = to_simplified(query)
        preferred = self.catalog.mentioned_documents(query) if prefer_docs is None else prefer_docs
        topic = self.catalog.without_mentions(self.catalog.without_years_of_names(query)) if preferred else query
        vector = self.embedder.embed_array([topic], query=True)[0]
        tokens = tokenize(topic)
        dense = self.index.dense_search(vector, CANDIDATES)
        lexical = self.index.lexical_search(tokens, CANDIDATES)
        foreign = self._foreign(topic, tokens, lexical)
        foreign_dense: dict[int, float] = {}
        if foreign:
            # Ranked by their similarity with the question, which orders a document's clauses well even across
            # languages, where it runs too low to reach the first CANDIDATES; their hits show that similarity.
            foreign_dense = dict(self.index.dense_search(vector, len(self.index.entries)))
            foreign_dense = {row: foreign_dense.get(row, 0.0) for row, _, _ in foreign}
            foreign.sort(key=lambda found: -foreign_dense[found[0]])
        glossed = sorted({word for _, _, words in foreign for word in words})
        if glossed:  # the clauses' own words for the question's words join the lexical search
            lexical = self.index.lexical_search(tokens + glossed, CANDIDATES)
        if preferred and not self._ranks_any(dense + lexical, set(preferred)):
            # None of the named document's clauses is among the first CANDIDATES of either list (an English summary
            # asked about in Chinese), and the boost can only lift what was ranked: rank the whole index.
            everything = len(self.index.entries)
            dense, lexical = self.index.dense_search(vector, everything), self.index.lexical_search(tokens + glossed, everything)
        # The question's words in the other language (translation.py): a clause with no rendering in the question's
        # language is found by its own words too, not by dense similarity alone.
        # Only such clauses are ranked so: the others are found through their renderings already.
        bridged: list[tuple[int, float]] = []
        if self.translated_weight and self.unrendered_rows:
            translated = sorted(self.catalog.translations.expand(tokens) - set(tokens))
            bridged = [(row, score) for row, score in self.index.lexical_search(translated, CANDIDATES) if row in self.unrendered_rows]
        quoting = self._quoting(query if quotes_in is None else quotes_in)
        ranked = [(row, score) for row, score, _ in foreign]
        keep = self._filter(doc_ids, kinds, langs, bureaus)
        return self.fuse(dense, lexical, k, keep, preferred, bridged, quoting, ranked, list(foreign_dense.items()), set(scope_docs))

    def _foreign(self, topic: str, tokens: list[str], lexical: list[tuple[int, float]]) -> list[tuple[int, float, frozenset[str]]]:
        """Clauses of one-language documents in the other language that translate as much of the question as any clause
        in its own language holds, best first, each with the words of it that translate the question (dictionary.py).

        Similarity across languages runs lower than within one (e5 places such a clause below same-language clauses
        on the same subject), so these are also ranked, with the dense ranking's weight, by the translated words alone.
        A clause that translates only part of what a same-language clause holds outright is left to the usual rankings.
        """
        glossary = self.catalog.translations.glossary
        if glossary is None:  # every document has a counterpart in the other language: nothing to translate
            return []
        asked = content_words(topic)
        translated = glossary.expand(asked) - set(tokens)
        if not translated:
            return []
        language, rows = detect_language(topic), self.one_language_rows
        held_outright = max((len(asked & set(tokenize(self._text(row)))) / len(asked) for row, _ in lexical[:FOREIGN_RIVALS]), default=0.0)
        found = []
        for row, score in self.index.lexical_search(sorted(translated), CANDIDATES):
            text = self._text(row)
            if rows.get(row, language) != language and glossary.covers(asked, text) >= max(MIN_FOREIGN_COVER, held_outright):
                found.append((row, score, translated & set(tokenize(text))))
        return found

    def _text(self, row: int) -> str:
        return self.chunk_map[self.index.entries[row].chunk_id].text

    def _quoting(self, query: str) -> set[str]:
        """The clauses that hold, in their text or their rendering's, a phrase the question puts in quotation marks."""
        phrases = [p.strip().casefold() for p in QUOTED.findall(query)]
        phrases = [p for p in phrases if len(p) >= (2 if CJK.search(p) else 4)]
        if not phrases:
            return set()
        holding = set()
        for entry in self.index.entries:
            chunk = self.chunk_map.get(entry.chunk_id)
            if chunk is not None and any(p in chunk.text.casefold() for p in phrases):
                holding.add(entry.clause_id)
        return holding

    def _ranks_any(self, rows: list[tuple[int, float]], doc_ids: set[str]) -> bool:
        entries = self.index.entries
        return any(entries[row].clause_id.split("#")[0] in doc_ids for row, _ in rows)

    def _boosted(self, fused: dict[str, float], share: float, chosen: Callable[[str], bool]) -> dict[str, float]:
        """The fused scores with `share` of a first place in one more list added to each chosen clause."""
        bonus = share / (self.rrf_k + 1)
        return {cid: score + (bonus if chosen(cid) else 0.0) for cid, score in fused.items()}

    def fuse(
        self,
        dense: list[tuple[int, float]],
        lexical: list[tuple[int, float]],
        k: int,
        keep: Any = None,
        preferred: Iterable[str] = (),
        bridged: list[tuple[int, float]] | None = None,
        quoting: set[str] | None = None,
        foreign: list[tuple[int, float]] | None = None,
        foreign_dense: list[tuple[int, float]] | None = None,
        scope: set[str] | None = None,
    ) -> list[Hit]:
        """Collapse rows to clauses (best row per clause in each list), fuse, filter, cut to k.

        `foreign_dense` gives the similarity of clauses reached through translation, for their hits only.
        """
        entries = self.index.entries
        dense_ids, dense_scores, matched = _collapse(((entries[r].clause_id, s, entries[r].chunk_id) for r, s in dense))
        similarity = {**_collapse(((entries[r].clause_id, s, entries[r].chunk_id) for r, s in foreign_dense or []))[1], **dense_scores}
        lexical_ids, _, lexical_matched = _collapse(((entries[r].clause_id, s, entries[r].chunk_id) for r, s in lexical))
        bridged_ids = _collapse(((entries[r].clause_id, s, entries[r].chunk_id) for r, s in bridged or []))[0]
        foreign_ids = _collapse(((entries[r].clause_id, s, entries[r].chunk_id) for r, s in foreign or []))[0]
        rankings = [
            (dense_ids, self.dense_weight),
            (lexical_ids, self.lexical_weight),
            (bridged_ids, self.translated_weight),
            (foreign_ids, self.dense_weight),
        ]
        fused = reciprocal_rank_fusion(rankings, self.rrf_k)
        preferred = set(preferred)
        if preferred:
            fused = self._boosted(fused, self.doc_boost, lambda cid: cid.split("#")[0] in preferred)
        elif self.official_boost:
            # Sources about another document (a summary, news or research related to a policy) yield to the policies.
            secondary = self.secondary_docs
            fused = self._boosted(fused, self.official_boost, lambda cid: cid.split("#")[0] not in secondary)
        if scope:
            fused = self._boosted(fused, self.scope_boost, lambda cid: cid.split("#")[0] in scope)
        if quoting:
            fused = self._boosted(fused, self.quote_boost, lambda cid: cid in quoting)
        hits = []
        for clause_id, score in sorted(fused.items(), key=lambda item: -item[1]):
            chunk = self.chunk_map.get(clause_id)
            if chunk is None or (keep and not keep(chunk)):
                continue
            hits.append(
                Hit(
                    chunk=chunk,
                    score=round(score, 6),
                    dense_rank=dense_ids.index(clause_id) + 1 if clause_id in dense_scores else 0,
                    lexical_rank=lexical_ids.index(clause_id) + 1 if clause_id in lexical_matched else 0,
                    dense_score=round(similarity.get(clause_id, 0.0), 6),
                    matched_id=matched.get(clause_id) or lexical_matched.get(clause_id, clause_id),
                )
            )
            if len(hits) == k:
                break
        return hits

    def _filter(self, doc_ids: Any, kinds: Any, langs: Any, bureaus: Any) -> Any:
        doc_ids, kinds, langs, bureaus = (doc_ids or self.doc_ids, kinds or self.kinds, langs or self.langs, bureaus or self.bureaus)
        if not (doc_ids or kinds or langs or bureaus):
            return None
        if doc_ids:
            for doc_id in doc_ids:
                self.catalog.document(doc_id)  # unknown ids are an error, not an empty result
        wanted = {b.zh for name in bureaus or [] for b, _ in self.catalog.directory.lookup(name)}

        def keep(chunk: Chunk) -> bool:
            return (
                (not doc_ids or chunk.doc_id in doc_ids)
                and (not kinds or chunk.kind in kinds)
                and (not langs or chunk.lang in langs)
                and (not wanted or any(b.zh in wanted for b in chunk.bureaus))
            )

        return keep


def _collapse(rows: Iterable[tuple[str, float, str]]) -> tuple[list[str], dict[str, float], dict[str, str]]:
    """Best-first clause ids without repeats, each clause's best score, and the row that scored it."""
    order: list[str] = []
    scores: dict[str, float] = {}
    matched: dict[str, str] = {}
    for clause_id, score, chunk_id in rows:
        if clause_id not in scores:
            order.append(clause_id)
            scores[clause_id] = score
            matched[clause_id] = chunk_id
    return order, scores, matched


def load_retriever(settings: Any, rebuild: bool = True, catalog: Catalog | None = None) -> HybridRetriever:
    """The retriever for `settings`: corpus, embedder and a current index (rebuilt if allowed)."""
    from planqa.embeddings import load_embeddings
    from planqa.index import open_index

    catalog = catalog or Catalog.load(settings.corpus_dir)
    embedder = load_embeddings(settings.embedder)
    index = open_index(catalog, embedder, settings.index_dir, settings.cache_dir, rebuild=rebuild)
    return HybridRetriever(catalog=catalog, index=index, embedder=embedder, k=settings.k)
