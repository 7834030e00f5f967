"""An optional answerer: prose from a LangChain chat model, grounded in the numbered clauses only.

It sees the clauses the extractive answerer retrieved, numbered [1]..[n], and its reply is checked
sentence by sentence before anyone sees it:

    "设立首席数据官 [1]。另见 [9]。"  ->  "设立首席数据官 [1]。"   ([9] was not given: that sentence is dropped)
    "Every firm gets 5 million yuan [1]."    ->  the extractive answer (clause [1] says nothing of the kind)

- a citation of a number it was not given is removed, and a sentence left with no citation is dropped;
- every cited sentence must share content words, and every number it states, with the clauses it cites
  (or their aligned renderings), else the whole reply is replaced by the extractive answer;
- the reply is capped at MAX_ANSWER_CHARS, and the call at one total time limit (`llm_timeout`), with
  no retries unless `llm_retries` asks for them; any failure falls back to the extractive answer.

Every such decision is recorded in `Answer.flags`, which the app and the CLI show.
The call holds no lock: other questions are answered while one waits for the model.
"""

from __future__ import annotations

import math
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from planqa.answer import TEXTS, ExtractiveAnswerer
from planqa.errors import ModelUnavailableError
from planqa.records import Analysis, Answer, Citation, Hit
from planqa.settings import Settings
from planqa.text import tokenize

CITATION_MARK = re.compile(r"\s*\[(\d{1,3})\]")
ABSTAIN_MARK = re.compile(r"documents do not say|文件中没有说明|文件未说明", re.I)
# A sentence ends at Chinese or Western end punctuation (and the citation marks right after it), or a line break.
SENTENCE = re.compile(r"[^\n]+?(?:[。！？!?；;]+|\.(?=\s|$)|$)(?:\s*\[\d{1,3}\])*[ \t]*", re.M)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A reply longer than this is not an answer to one question about a few clauses (the longest clause is ~1,500 characters).
MAX_ANSWER_CHARS = 4000
# At least this share of a cited sentence's content words must appear in the clauses it cites.
MIN_SHARED = 0.3
# Calls waiting on a model run here, so the caller can stop waiting at the time limit.
_CALLS = ThreadPoolExecutor(max_workers=16, thread_name_prefix="planqa-llm")


class LLMAnswerer:
    """Prose from a LangChain chat model, cited by number, checked against the clauses it cites."""

    def __init__(self, model: Any, fallback: ExtractiveAnswerer, name: str = "llm", timeout: float = 30.0):
        self.model = model
        self.fallback = fallback
        self.name = name
        self.timeout = timeout

    def answer(self, analysis: Analysis, hits: list[Hit]) -> Answer:
        base = self.fallback.answer(analysis, hits)
        if base.abstained or analysis.intent == "bureau_measures" or not hits:
            return base  # abstentions and complete bureau lists stay exact
        given = {c.number: c for c in base.retrieved}
        call = _CALLS.submit(self.model.invoke, self._messages(analysis, base.retrieved))
        try:
            reply = call.result(timeout=self.timeout)
        except Exception as exc:
            if not call.done():  # still waiting (a model's own TimeoutError is a failure, below)
                call.cancel()
                return _fallback(base, f"llm gave no answer within {self.timeout:g} s")
            return _fallback(base, f"llm failed ({type(exc).__name__})")
        text = getattr(reply, "content", reply)
        if not isinstance(text, str):
            return _fallback(base, "llm reply is not text")
        if len(text) > MAX_ANSWER_CHARS:
            return _fallback(base, f"llm answer is {len(text)} characters, over the {MAX_ANSWER_CHARS} limit")
        return self._checked(text.strip(), base, given)

    def _checked(self, text: str, base: Answer, given: dict[int, Citation]) -> Answer:
        flags: list[str] = []
        kept: list[str] = []
        cited: list[int] = []
        for sentence in SENTENCE.findall(text):
            numbers = [int(n) for n in CITATION_MARK.findall(sentence)]
            invented = sorted({n for n in numbers if n not in given})
            flags += [f"removed citation [{n}]: not among the clauses given" for n in invented]
            valid = [n for n in numbers if n in given]
            prose = CITATION_MARK.sub("", sentence).strip()
            if not prose:
                continue
            if not valid:
                if ABSTAIN_MARK.search(prose) and not numbers:
                    kept.append(prose)
                else:
                    flags.append(f"dropped a sentence with no valid citation: {_short(prose)}")
                continue
            problem = self._ungrounded(prose, [given[n] for n in dict.fromkeys(valid)])
            if problem:
                return _fallback(replace(base, flags=(*base.flags, *flags)), f"llm sentence citing [{valid[0]}] {problem}")
            kept.append(CITATION_MARK.sub(lambda m: m.group(0) if int(m.group(1)) in given else "", sentence).strip())
            cited += valid
        answer = "".join(_joined(kept)).strip()
        if ABSTAIN_MARK.search(answer) and not cited:
            return replace(base, answer=answer, abstained=True, citations=(), answerer=self.name, flags=(*base.flags, *flags))
        if not cited:
            return _fallback(replace(base, flags=(*base.flags, *flags)), "llm answer cited no clause")
        kept_citations = tuple(given[n] for n in dict.fromkeys(cited))
        return replace(base, answer=answer, citations=kept_citations, answerer=self.name, flags=(*base.flags, *flags))

    def _ungrounded(self, prose: str, citations: list[Citation]) -> str | None:
        """Why the sentence is not supported by the cited clauses (None when it is)."""
        catalog = self.fallback.catalog
        sources = []
        for c in citations:
            aligned = catalog.chunk_map.get(c.chunk.aligned_id) if c.chunk.aligned_id else None
            sources += [c.chunk.text, c.chunk.title, c.doc_title, c.rendering_quote, aligned.text if aligned else ""]
        reference = " ".join(sources)
        missing_numbers = [n for n in NUMBER.findall(prose) if n not in reference]
        if missing_numbers:
            return f"states {', '.join(missing_numbers)}, which the clause does not"
        words = {t for t in tokenize(prose) if not t.isdigit()}
        if not words:
            return None
        shared = words & set(tokenize(reference))
        if len(shared) < max(1, math.ceil(MIN_SHARED * len(words))):
            return "shares too little with that clause to be drawn from it"
        return None

    @staticmethod
    def _messages(analysis: Analysis, clauses: tuple[Citation, ...]) -> list[tuple[str, str]]:
        language = "Chinese" if analysis.language == "zh" else "English"
        numbered = "\n\n".join(
            f"[{c.number}] {c.doc_title} {c.chunk.title} ({c.chunk.id})\n{c.chunk.text}"
            + (f"\n(rendering) {c.rendering_quote}" if c.rendering_quote else "")
            for c in clauses
        )
        system = (
            f"Answer in {language} using only the numbered clauses, in at most a few sentences. End every sentence with "
            f"the number of the clause it comes from in square brackets, like [1]. Cite no other numbers. If the clauses do "
            f"not answer the question, reply exactly: {TEXTS[analysis.language]['abstain']}"
        )
        return [("system", system), ("human", f"Clauses:\n{numbered}\n\nQuestion: {analysis.question}")]


def _fallback(base: Answer, why: str) -> Answer:
    return replace(base, flags=(*base.flags, f"{why}; extractive answer shown"))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _joined(sentences: list[str]) -> list[str]:
    """Sentences back into prose: Chinese ones run on, Western ones get a space."""
    out = []
    for sentence in sentences:
        if out and out[-1][-1:].isascii() and sentence[:1].isascii():
            out.append(" ")
        out.append(sentence)
    return out


def load_chat_model(name: str, settings: Settings) -> Any:
    """'openai:<model>' (base URL from settings or OPENAI_BASE_URL) or 'ollama:<model>', via LangChain.

    The client's own timeout is the total limit too, and it does not retry unless `llm_retries` says so.
    """
    from langchain.chat_models import init_chat_model

    provider, _, model = name.partition(":")
    options: dict[str, Any] = {"timeout": settings.llm_timeout}
    if provider == "openai":
        options["max_retries"] = settings.llm_retries
    if settings.llm_base_url:
        options["base_url"] = settings.llm_base_url
    try:
        return init_chat_model(model, model_provider=provider, **options)
    except Exception as exc:
        raise ModelUnavailableError(
            f"chat model {name!r} cannot be loaded ({str(exc).splitlines()[0][:160]}); install its LangChain integration "
            "(pip install langchain-openai or langchain-ollama) and set its key, or use answerer = 'extractive'"
        ) from None
