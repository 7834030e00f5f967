"""The assistant: one `ask()` path for the CLI, the app and the evaluation.

A LangChain Runnable pipeline, each step timed:

    question -> analyse (language, intent, entities) -> retrieve (hybrid, k clauses) -> answer (+ citations)

The answer step is the extractive answerer unless a chat model is configured
(`answerer = "openai:<model>"` or `"ollama:<model>"`), in which case `LLMAnswerer` writes
the prose from the numbered clauses only and falls back to the extractive answer on any error.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from planqa.abstention import Thresholds
from planqa.analysis import Analyser, validate_question
from planqa.answer import ExtractiveAnswerer, combine, combine_parts, with_understanding
from planqa.catalog import Catalog
from planqa.conversation import (
    Resolution,
    candidate_resolution,
    clarification,
    memos,
    proposal_clauses,
    resolve,
    responsible_question,
    section_answer,
    unresolved,
    whole_clause_answer,
)
from planqa.llm import LLMAnswerer, load_chat_model
from planqa.records import Analysis, Answer, Answerer, Chunk, Hit
from planqa.retrieval import RRF_K, HybridRetriever, load_retriever, reciprocal_rank_fusion
from planqa.settings import Settings
from planqa.text import content_words

# Candidates looked through for the clauses of a document the question names.
WIDE_K = 50


class Assistant:
    """Question in, typed `Answer` out, through one Runnable pipeline."""

    def __init__(self, settings: Settings, retriever: HybridRetriever, answerer: Answerer):
        self.settings = settings
        self.retriever = retriever
        self.catalog: Catalog = retriever.catalog
        self.answerer = answerer
        self.analyser = Analyser(self.catalog, _vocabulary(self.catalog))
        self.pipeline: Runnable = RunnableLambda(self._analyse) | RunnableLambda(self._retrieve) | RunnableLambda(self._answer)
        self.limits = Thresholds.for_embedder(settings.embedder)

    @classmethod
    def load(cls, settings: Settings | None = None, rebuild: bool = True, chat_model: Any = None) -> Assistant:
        """Load corpus, model and index (rebuilding a stale index unless `rebuild=False`)."""
        settings = settings or Settings.load()
        retriever = load_retriever(settings, rebuild=rebuild)
        extractive = ExtractiveAnswerer(retriever.catalog, Thresholds.for_embedder(settings.embedder))
        if chat_model is None and settings.answerer != "extractive":
            chat_model = load_chat_model(settings.answerer, settings)
        answerer: Answerer = extractive
        if chat_model is not None:
            answerer = LLMAnswerer(chat_model, extractive, name=settings.answerer, timeout=settings.llm_timeout)
        return cls(settings, retriever, answerer)

    def warm(self) -> Assistant:
        """Prepare what the first questions would otherwise prepare (for a server; the CLI answers one and exits)."""
        extractive = getattr(self.answerer, "fallback", self.answerer)
        if isinstance(extractive, ExtractiveAnswerer):
            extractive.warm()
        return self

    def ask(self, question: str, k: int | None = None, history: Sequence[Answer | Mapping[str, Any]] | None = None) -> Answer:
        """Answer one question; QuestionError for empty, over-long or control-character input.

        With `history` (the earlier turns' answers, or their `to_dict()` forms, oldest first) the question is a
        turn of a conversation: a follow-up is resolved to a standalone question first (`conversation.resolve`),
        and an ambiguous one is answered with a clarifying question listing the candidate clauses.
        """
        started = time.perf_counter()
        text = validate_question(question)
        # A question on its own is a first turn: resolved the same way ("measure 4 of the national plan" leads with it).
        resolution = resolve(text, memos(history or [], self.catalog), self.catalog)
        timings = {"resolve": (time.perf_counter() - started) * 1000}
        if resolution.kind == "unresolved":
            return replace(unresolved(text, resolution), timings_ms={**timings, "total": sum(timings.values())})
        if resolution.clarify:
            # Asking which clause is meant helps only if one of them could answer: when every candidate is declined, decline.
            tried = [
                self._run(text, candidate_resolution(text, cid, resolution, self.catalog), k, dict(timings)) for cid in resolution.clarify
            ]
            if all(answer.abstained for answer in tried):
                return replace(tried[0], resolved_question=text, flags=(*tried[0].flags, "every clause the follow-up may mean"))
            total = (time.perf_counter() - started) * 1000
            return replace(clarification(text, resolution, self.catalog), timings_ms={**timings, "total": total})
        if resolution.each:  # "第五条和第八条由谁负责？", "这两条…": each clause answered, under its own number
            parts = [self._run(text, part, k, dict(timings)) for part in resolution.each]
            intents = {part.intent for part in parts}
            combined = combine_parts(
                text, resolution.language, intents.pop() if len(intents) == 1 else "compound", [p.question for p in resolution.each], parts
            )
            total = (time.perf_counter() - started) * 1000
            return replace(combined, resolved_question=resolution.question, timings_ms={**timings, "total": total})
        return self._run(text, resolution, k, timings)

    def _run(self, text: str, resolution: Resolution, k: int | None, timings: dict[str, float]) -> Answer:
        if resolution.response:  # "报告针对这个问题提了什么建议？": the document's closest proposal, quoted whole
            source, topic = resolution.response
            match = self._closest_proposal(source, topic)
            if match is not None:
                answer = whole_clause_answer(text, replace(resolution, lead=(match.id,)), self.catalog, answering=source)
                return replace(answer, timings_ms={**timings, "total": sum(timings.values())})
        if resolution.counterpart:  # "北京方案里与它对应的措施呢？": the closest measure of the other document, quoted whole
            source, target, topic = resolution.counterpart
            match = self._closest_measure(source, target, topic)
            if match is not None:
                found = replace(resolution, lead=(match.id,))
                asks_units = (
                    self.analyser(text).intent == "responsible_bureau" or self.analyser(resolution.question).intent == "responsible_bureau"
                )
                if not asks_units:
                    answer = whole_clause_answer(text, found, self.catalog, matching=source)
                    return replace(answer, timings_ms={**timings, "total": sum(timings.values())})
                # "Who runs it in Beijing?": the units of the counterpart found
                asked = responsible_question(match.id, resolution.language, self.catalog)
                resolution = replace(found, question=asked, kind="measure", counterpart=())
        if resolution.section and resolution.whole:  # "第二部分包括什么？": the section's clauses, listed
            return replace(section_answer(text, resolution, self.catalog), timings_ms={**timings, "total": sum(timings.values())})
        if resolution.whole:  # "第十四条讲什么？": the clause itself is the answer
            return replace(whole_clause_answer(text, resolution, self.catalog), timings_ms={**timings, "total": sum(timings.values())})
        state = {"question": resolution.question, "k": k or self.settings.k, "timings": timings, "resolution": resolution}
        answer = self.pipeline.invoke(state)["answer"]
        return replace(answer, question=text, resolved_question=resolution.question)

    def _closest_proposal(self, source_id: str, topic: str = "") -> Chunk | None:
        """The clause of the source's section of proposals most like the source, ranked by its similarity to the
        source's own text and to what was asked of the source (a passage often names several problems); none if
        even the closest is not similar enough."""
        source = self.catalog.chunk(source_id)
        proposals = {c.id for c in proposal_clauses(source.doc_id, self.catalog)}
        doc_ids = [self.catalog.document(source.doc_id).renders or source.doc_id]
        rankings = []
        for query in (source.text, topic) if topic.strip() else (source.text,):
            hits = self.retriever.search(query, k=WIDE_K, doc_ids=doc_ids, prefer_docs=[])
            rankings.append([h for h in hits if h.chunk.id in proposals])
        if not rankings[0] or rankings[0][0].dense_score < self.limits.min_dense:
            return None
        scores = reciprocal_rank_fusion((([h.chunk.id for h in ranked], 1.0) for ranked in rankings), RRF_K)
        # On a tie the narrower signal wins: the sentence quoted, when there is one, else the passage.
        narrow = [h.chunk.id for h in rankings[-1]]
        best = max(scores, key=lambda cid: (scores[cid], -narrow.index(cid) if cid in narrow else -len(narrow)))
        return self.catalog.chunk(best)

    def _closest_measure(self, source_id: str, target: str, topic: str = "") -> Chunk | None:
        """The measure of `target` most like a clause of another document, searched with that clause's own text
        (its rendering in the target's language when it has one) after the `topic` asked about, if any; none if even
        the closest is not similar enough."""
        source = self.catalog.chunk(source_id)
        language = self.catalog.document(target).lang
        rendering = self.catalog.chunk(source.aligned_id) if source.aligned_id else None
        query = rendering.text if rendering is not None and rendering.lang == language else source.text
        query = f"{topic} {query}" if topic else query
        hits = self.retriever.search(query, k=WIDE_K, doc_ids=[target], prefer_docs=[])
        measures = [h for h in hits if h.chunk.is_measure]
        if not measures or measures[0].dense_score < self.limits.min_dense:
            return None
        return measures[0].chunk

    def _analyse(self, state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        resolution: Resolution | None = state.get("resolution")
        if resolution is None:
            analysis = self.analyser(validate_question(state["question"]))
        else:  # a resolved follow-up: the turn was validated; the answer is in the turn's language
            analysis = replace(self.analyser(resolution.question), language=resolution.language)
            if resolution.context and not analysis.subquestions:
                analysis = replace(analysis, context=resolution.context)
            if resolution.scope and not analysis.documents and not analysis.plan_unnamed:
                parts = tuple(part if part.documents else replace(part, scope=resolution.scope) for part in analysis.subquestions)
                analysis = replace(analysis, scope=resolution.scope, subquestions=parts)
        state["timings"]["analyse"] = (time.perf_counter() - started) * 1000
        return {**state, "analysis": analysis}

    def _retrieve(self, state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        analysis: Analysis = state["analysis"]
        # A compound question is answered part by part from each part's own clauses: the whole is not searched.
        hits = [] if analysis.subquestions else self._hits(analysis, state["k"])
        if state.get("resolution") is not None and state["resolution"].lead and hits:
            hits = _lead_with([self.catalog.chunk(cid) for cid in state["resolution"].lead], hits, "follow-up")
        part_hits = [self._hits(part, state["k"]) for part in analysis.subquestions]
        state["timings"]["retrieve"] = (time.perf_counter() - started) * 1000
        return {**state, "hits": hits, "part_hits": part_hits}

    def _hits(self, analysis: Analysis, k: int) -> list[Hit]:
        """The clauses for one question (or one part of a compound question, searched after its context)."""
        # A part of a named document ("国家方案的总体目标") is looked for in that document (and its renderings) alone.
        family = self._family(analysis.documents) if analysis.documents else set()
        # A later part of a compound question is searched after the first, but only its own quoted phrases lead.
        # "方案里…" / "the plan" naming none: the primary document is preferred (not required).
        preferred = list(analysis.documents) or ([self.catalog.primary.id] if analysis.plan_unnamed and self.catalog.primary else [])
        scope = self._family(analysis.scope) if analysis.scope and not preferred else set()
        hits = self.retriever.search(
            analysis.full_text, k=max(k, WIDE_K) if family else k, prefer_docs=preferred, quotes_in=analysis.text, scope_docs=scope
        )
        if family:
            hits = ([h for h in hits if h.chunk.doc_id in family] or hits)[:k]
        # A part named ("报告的致谢", a report's project no. in its acknowledgment) leads, even for a metadata question.
        named = self._with_named_part(hits, analysis) if analysis.parts and hits else hits
        if named and named[0].reason == "named part":
            return named
        if analysis.intent == "metadata" and hits:
            return self._with_front_matter(hits, analysis)
        return hits

    def _answer(self, state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        analysis: Analysis = state["analysis"]
        if analysis.subquestions:
            parts = [self.answerer.answer(part, hits) for part, hits in zip(analysis.subquestions, state["part_hits"], strict=True)]
            answer = combine(analysis, _with_dependent_parts_declined(analysis, parts))
        else:
            answer = self.answerer.answer(analysis, state["hits"])
        answer = with_understanding(answer, analysis)
        timings = {**state["timings"], "answer": (time.perf_counter() - started) * 1000}
        timings["total"] = sum(timings.values())
        return {**state, "answer": replace(answer, timings_ms=timings)}

    def _family(self, doc_ids: tuple[str, ...]) -> set[str]:
        """The documents named, with every document that renders or summarises one of them, or that one renders."""
        named = set(doc_ids)
        named |= {d.renders for d in self.catalog.documents if d.id in named and d.renders}
        return named | {d.id for d in self.catalog.documents if d.renders in named or d.summarizes in named}

    def _with_front_matter(self, hits: list[Hit], analysis: Analysis) -> list[Hit]:
        """Put the notice and preamble of the document asked about first, for metadata questions."""
        named = [self.catalog.document(d) for d in analysis.documents]
        doc_id = next((d.id for d in named if d.official), None) or next((d.id for d in named if not d.renders), None)
        if doc_id is None and self.catalog.primary is not None:
            doc_id = self.catalog.primary.id
        if doc_id is None:
            doc = self.catalog.document(hits[0].chunk.doc_id)
            doc_id = doc.renders or doc.summarizes or doc.id
        front = [c for c in self.catalog.chunks_of(doc_id) if not c.clause and not c.section]
        number = self.catalog.document(doc_id).doc_number
        if "number" in analysis.facets and number and not any(number in c.text for c in front):
            # A text that does not print its own number (the national plan's English page) is cited by another that
            # does ("…行动方案》（人社部发〔2024〕37号）"): the number is answered from where it is printed.
            printing = [c for c in self.catalog.chunks if number in c.text and c.kind != "rendering"]
            if printing:
                return _lead_with(printing[:1], hits, "front matter")
        return _lead_with(_notice_first(front, analysis)[:1], hits, "front matter")

    def _with_named_part(self, hits: list[Hit], analysis: Analysis) -> list[Hit]:
        """Put the part the question names ('the plan's preamble', '报告的结论') first.

        The part comes from the documents the question names; when it names none, from the primary
        document, else from the one original (not a rendering) that has such a part at all.
        """
        primary = [self.catalog.primary.id] if self.catalog.primary is not None else []
        for doc_id in analysis.documents or primary:
            part = self.catalog.named_part(doc_id, analysis.parts)
            if part is not None:
                return _lead_with([part], hits, "named part")
        if analysis.documents:
            return hits
        originals = [d.id for d in self.catalog.documents if not d.renders]
        found = [p for d in originals if (p := self.catalog.named_part(d, analysis.parts)) is not None]
        return _lead_with(found, hits, "named part") if len(found) == 1 else hits


def _lead_with(chunks: list[Chunk], hits: list[Hit], reason: str) -> list[Hit]:
    """The hits with these chunks first, each saying why (`reason`), keeping the list's length.

    A chunk that was also ranked keeps its own scores; one that was not has none (0.0).
    """
    ranked = {h.chunk.id: h for h in hits}
    lead = [replace(ranked[c.id], reason=reason) if c.id in ranked else Hit(c, 0.0, 0, 0, 0.0, c.id, reason) for c in chunks]
    rest = [h for h in hits if h.chunk.id not in {c.id for c in chunks}]
    return (lead + rest)[: len(hits)]


def _notice_first(front: list[Chunk], analysis: Analysis) -> list[Chunk]:
    """The front chunk that holds what a metadata question asks: the preamble for a plan's basis, else the notice."""
    if "basis" in analysis.facets:
        front = sorted(front, key=lambda c: c.local_id != "preamble")
    return front


def _vocabulary(catalog: Catalog) -> Any:
    """The corpus vocabulary that misspellings are corrected against."""
    from planqa.spelling import Vocabulary

    return Vocabulary.from_catalog(catalog)


def _with_dependent_parts_declined(analysis: Analysis, parts: list[Answer]) -> list[Answer]:
    """A later part with no subject of its own ("…一年工资多少？有标准吗？") asks more of what the first part asked:
    when the documents do not give that, they do not give this either. A part that asks something else of the
    same subject ("…由谁负责？") is answered on its own."""
    if not parts or not parts[0].abstained:
        return parts
    first = parts[0]
    return [
        first if n and part.intent == "fact" and not part.bureaus and len(content_words(part.text)) <= 1 else answer
        for n, (part, answer) in enumerate(zip(analysis.subquestions, parts, strict=True))
    ]
