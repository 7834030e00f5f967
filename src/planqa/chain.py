"""The assistant: one `ask()` path for the CLI, the app and the evaluation.

A LangChain Runnable pipeline, each step timed:

    question -> analyse (language, intent, entities) -> retrieve (hybrid, k clauses) -> answer (+ citations)

The answer step is the extractive answerer unless a chat model is configured
(`answerer = "openai:<model>"` or `"ollama:<model>"`), in which case `LLMAnswerer` writes
the prose from the numbered clauses only and falls back to the extractive answer on any error.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from planqa.analysis import analyse, validate_question
from planqa.answer import TEXTS, ExtractiveAnswerer
from planqa.catalog import Catalog
from planqa.errors import ModelUnavailableError
from planqa.records import Analysis, Answer, Chunk, Citation
from planqa.retrieval import Hit, HybridRetriever, load_retriever
from planqa.settings import Settings

CITATION_MARK = re.compile(r"\[(\d{1,3})\]")
ABSTAIN_MARK = re.compile(r"documents do not say|文件中没有说明|文件未说明", re.I)


class LLMAnswerer:
    """Prose from a LangChain chat model, cited by number; citations it was not given are removed and flagged."""

    def __init__(self, model: Any, fallback: ExtractiveAnswerer, name: str = "llm"):
        self.model = model
        self.fallback = fallback
        self.name = name

    def answer(self, analysis: Analysis, hits: list[Hit]) -> Answer:
        base = self.fallback.answer(analysis, hits)
        if base.abstained or analysis.intent == "bureau_measures" or not hits:
            return base  # abstentions and complete bureau lists stay exact
        given = {c.number: c for c in base.retrieved}
        try:
            reply = self.model.invoke(self._messages(analysis, base.retrieved))
        except Exception as exc:
            return replace(base, flags=(*base.flags, f"llm failed ({type(exc).__name__}); extractive answer shown"))
        text = str(getattr(reply, "content", reply)).strip()
        cited = [int(n) for n in CITATION_MARK.findall(text)]
        invented = sorted({n for n in cited if n not in given})
        for n in invented:
            text = text.replace(f"[{n}]", "")
        flags = tuple(f"removed citation [{n}]: not among the clauses given" for n in invented)
        if ABSTAIN_MARK.search(text) and not [n for n in cited if n in given]:
            return replace(base, answer=text, abstained=True, citations=(), answerer=self.name, flags=flags)
        kept = [given[n] for n in dict.fromkeys(cited) if n in given]
        if not kept:
            return replace(base, flags=(*flags, "llm answer cited no clause; extractive answer shown"))
        return replace(base, answer=text, citations=tuple(kept), answerer=self.name, flags=flags)

    @staticmethod
    def _messages(analysis: Analysis, clauses: tuple[Citation, ...]) -> list[tuple[str, str]]:
        language = "Chinese" if analysis.language == "zh" else "English"
        numbered = "\n\n".join(
            f"[{c.number}] {c.doc_title} {c.chunk.title} ({c.chunk.id})\n{c.chunk.text}"
            + (f"\n(rendering) {c.rendering_quote}" if c.rendering_quote else "")
            for c in clauses
        )
        system = (
            f"Answer in {language} using only the numbered clauses. Cite every statement with its clause number in "
            f"square brackets, like [1]. Cite no other numbers. If the clauses do not answer the question, reply exactly: "
            f"{TEXTS[analysis.language]['abstain']}"
        )
        return [("system", system), ("human", f"Clauses:\n{numbered}\n\nQuestion: {analysis.question}")]


def load_chat_model(name: str, settings: Settings) -> Any:
    """'openai:<model>' (base URL from settings or OPENAI_BASE_URL) or 'ollama:<model>', via LangChain."""
    from langchain.chat_models import init_chat_model

    provider, _, model = name.partition(":")
    options: dict[str, Any] = {"timeout": settings.llm_timeout}
    if settings.llm_base_url:
        options["base_url"] = settings.llm_base_url
    try:
        return init_chat_model(model, model_provider=provider, **options)
    except Exception as exc:
        raise ModelUnavailableError(
            f"chat model {name!r} cannot be loaded ({str(exc).splitlines()[0][:160]}); install its LangChain integration "
            "(pip install langchain-openai or langchain-ollama) and set its key, or use answerer = 'extractive'"
        ) from None


class Assistant:
    """Question in, typed `Answer` out, through one Runnable pipeline."""

    def __init__(self, settings: Settings, retriever: HybridRetriever, answerer: Any):
        self.settings = settings
        self.retriever = retriever
        self.catalog: Catalog = retriever.catalog
        self.answerer = answerer
        self.pipeline: Runnable = RunnableLambda(self._analyse) | RunnableLambda(self._retrieve) | RunnableLambda(self._answer)

    @classmethod
    def load(cls, settings: Settings | None = None, rebuild: bool = True, chat_model: Any = None) -> Assistant:
        """Load corpus, model and index (rebuilding a stale index unless `rebuild=False`)."""
        settings = settings or Settings.load()
        retriever = load_retriever(settings, rebuild=rebuild)
        extractive = ExtractiveAnswerer(retriever.catalog)
        if chat_model is None and settings.answerer != "extractive":
            chat_model = load_chat_model(settings.answerer, settings)
        answerer = LLMAnswerer(chat_model, extractive, name=settings.answerer) if chat_model is not None else extractive
        return cls(settings, retriever, answerer)

    def ask(self, question: str, k: int | None = None) -> Answer:
        """Answer one question; QuestionError for empty, over-long or control-character input."""
        state = self.pipeline.invoke({"question": question, "k": k or self.settings.k, "timings": {}})
        return state["answer"]

    def _analyse(self, state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        analysis = analyse(validate_question(state["question"]), self.catalog)
        state["timings"]["analyse"] = (time.perf_counter() - started) * 1000
        return {**state, "analysis": analysis}

    def _retrieve(self, state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        analysis: Analysis = state["analysis"]
        hits = self.retriever.search(analysis.question, k=state["k"], prefer_docs=list(analysis.documents))
        if analysis.intent == "metadata" and hits:
            hits = self._with_front_matter(hits, analysis)
        elif analysis.parts and hits:
            hits = self._with_named_part(hits, analysis)
        state["timings"]["retrieve"] = (time.perf_counter() - started) * 1000
        return {**state, "hits": hits}

    def _answer(self, state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        answer = self.answerer.answer(state["analysis"], state["hits"])
        timings = {**state["timings"], "answer": (time.perf_counter() - started) * 1000}
        timings["total"] = sum(timings.values())
        return {**state, "answer": replace(answer, timings_ms=timings)}

    def _with_front_matter(self, hits: list[Hit], analysis: Analysis) -> list[Hit]:
        """Put the notice and preamble of the document asked about first, for metadata questions."""
        doc_id = next((d for d in analysis.documents if self.catalog.document(d).official), None)
        if doc_id is None and self.catalog.primary is not None:
            doc_id = self.catalog.primary.id
        if doc_id is None:
            doc = self.catalog.document(hits[0].chunk.doc_id)
            doc_id = doc.renders or doc.summarizes or doc.id
        front = [c for c in self.catalog.chunks_of(doc_id) if not c.clause and not c.section]
        return _lead_with(_notice_first(front, analysis)[:1], hits)

    def _with_named_part(self, hits: list[Hit], analysis: Analysis) -> list[Hit]:
        """Put the part the question names ('the plan's preamble', '报告的结论') first.

        The part comes from the documents the question names; when it names none, from the primary
        document, else from the one original (not a rendering) that has such a part at all.
        """
        primary = [self.catalog.primary.id] if self.catalog.primary is not None else []
        for doc_id in analysis.documents or primary:
            part = self.catalog.named_part(doc_id, analysis.parts)
            if part is not None:
                return _lead_with([part], hits)
        if analysis.documents:
            return hits
        originals = [d.id for d in self.catalog.documents if not d.renders]
        found = [p for d in originals if (p := self.catalog.named_part(d, analysis.parts)) is not None]
        return _lead_with(found, hits) if len(found) == 1 else hits


def _lead_with(chunks: list[Chunk], hits: list[Hit]) -> list[Hit]:
    """The hits with these chunks first (scored like the top hit), keeping the list's length."""
    lead = [Hit(c, hits[0].score, 0, 0, hits[0].dense_score, c.id) for c in chunks]
    rest = [h for h in hits if h.chunk.id not in {c.id for c in chunks}]
    return (lead + rest)[: len(hits)]


def _notice_first(front: list[Chunk], analysis: Analysis) -> list[Chunk]:
    """The front chunk that holds what a metadata question asks: the preamble for a plan's basis, else the notice."""
    if re.search(r"依据|落实|贯彻|根据|implement|basis|national plan|行动方案|37号", analysis.question, re.I):
        front = sorted(front, key=lambda c: c.local_id != "preamble")
    return front
