"""An optional answerer: prose from a LangChain chat model, grounded in the numbered clauses only.

It sees the clauses the extractive answerer retrieved, numbered [1]..[n]; any citation of a
number it was not given is removed and flagged, and any error falls back to the extractive answer.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from planqa.answer import TEXTS, ExtractiveAnswerer
from planqa.errors import ModelUnavailableError
from planqa.records import Analysis, Answer, Citation, Hit
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
