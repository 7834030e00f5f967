"""Frozen records passed between the modules: documents, chunks, bureaus, hits, citations, answers.

Records are never mutated; a changed copy is made with `dataclasses.replace`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class Bureau:
    """A responsible unit as printed (`zh`) with its official English name (`en`, "" if unknown)."""

    zh: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Document:
    """One corpus file: its front matter and where its body starts in the file text."""

    id: str
    title_zh: str
    title_en: str
    lang: str
    kind: str
    issuer: str
    doc_number: str
    date: str
    source: str
    path: Path
    text: str
    body_start: int
    renders: str | None = None
    summarizes: str | None = None
    related: tuple[str, ...] = ()
    status: str = ""
    aliases: tuple[str, ...] = ()
    meta: tuple[tuple[str, Any], ...] = ()

    @property
    def body(self) -> str:
        return self.text[self.body_start :]

    @property
    def official(self) -> bool:
        return self.kind == "official"

    def title(self, lang: str) -> str:
        """The title in `lang`, falling back to the other language."""
        return (self.title_zh or self.title_en) if lang == "zh" else (self.title_en or self.title_zh)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": {"zh": self.title_zh, "en": self.title_en},
            "lang": self.lang,
            "kind": self.kind,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "date": self.date,
            "source": self.source,
            "path": self.path.name,
            "renders": self.renders,
            "summarizes": self.summarizes,
            "related": list(self.related),
            "status": self.status,
        }


def is_measure_id(chunk_id: str) -> bool:
    """'bj-2024#11' is a numbered measure; 'bj-2024#s3' (a section's lead-in) and 'bj-2024#notice' are not."""
    return chunk_id.partition("#")[2].isdigit()


@dataclass(frozen=True)
class Chunk:
    """One citable unit: a measure, a clause, a section introduction or a report passage.

    `text` is exactly `document.text[span[0]:span[1]]`; `aligned_id` is the same clause
    in the other language (official clause <-> unofficial rendering), when there is one.
    """

    id: str
    doc_id: str
    lang: str
    kind: str
    clause: str
    heading: str
    section: tuple[str, ...]
    text: str
    span: tuple[int, int]
    bureaus: tuple[Bureau, ...] = ()
    aligned_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def local_id(self) -> str:
        """The part after '#': '7' for 'bj-2024#7'."""
        return self.id.split("#", 1)[1]

    @property
    def official(self) -> bool:
        return self.kind == "official"

    @property
    def is_measure(self) -> bool:
        """A numbered measure ('bj-2024#11'), not a section's lead-in ('bj-2024#s3'), a notice or a goal."""
        return is_measure_id(self.id)

    @property
    def title(self) -> str:
        """Label and heading as printed, e.g. '（七）强化数字技能人才培养载体建设'."""
        return f"{self.clause}{self.heading}".strip() if self.lang == "zh" else f"{self.clause} {self.heading}".strip()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        data["section"] = list(self.section)
        data["span"] = list(self.span)
        data["bureaus"] = [b.to_dict() for b in self.bureaus]
        return data


@dataclass(frozen=True)
class Hit:
    """A retrieved clause with its fused score and where each ranking placed it (1-based, 0 = absent).

    `reason` says why a step other than ranking put it here ('named part', 'front matter'); '' when ranked.
    """

    chunk: Chunk
    score: float
    dense_rank: int
    lexical_rank: int
    dense_score: float
    matched_id: str
    reason: str = ""

    def metadata(self) -> dict[str, Any]:
        """The chunk's fields (all but its text and span, which the Document carries) and the scores."""
        fields = {k: v for k, v in self.chunk.to_dict().items() if k not in ("text", "span")}
        return {**fields, "score": self.score, "dense_score": self.dense_score, "matched_id": self.matched_id, "reason": self.reason}


@dataclass(frozen=True)
class Citation:
    """A clause an answer rests on: `quote` is verbatim from `text`, the official clause.

    When the answer is in the other language, `rendering_quote` is the matching sentence of
    the aligned unofficial rendering (`rendering_id`), shown beside the official quote.
    """

    number: int
    chunk: Chunk
    doc_title: str
    quote: str
    score: float
    rendering_id: str | None = None
    rendering_quote: str = ""

    def to_dict(self) -> dict[str, Any]:
        chunk = self.chunk
        return {
            "n": self.number,
            "id": chunk.id,
            "doc_id": chunk.doc_id,
            "doc_title": self.doc_title,
            "clause": chunk.clause,
            "heading": chunk.heading,
            "bureaus": [b.to_dict() for b in chunk.bureaus],
            "quote": self.quote,
            "text": chunk.text,
            "score": round(self.score, 6),
            "rendering_id": self.rendering_id,
            "rendering_quote": self.rendering_quote,
        }


@dataclass(frozen=True)
class Analysis:
    """What the question asks: its language, intent and the entities it names."""

    question: str
    language: str
    intent: str
    bureaus: tuple[Bureau, ...] = ()
    documents: tuple[str, ...] = ()
    plan_unnamed: bool = False  # says "方案" / "the plan" and names no document: the primary one is meant
    # a conversation's turn naming no document, after answers from one: that document is searched first (not only)
    scope: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    specifics: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()  # parts of a document named in the question: 'preamble', 'conclusion' …
    facets: tuple[str, ...] = ()  # for metadata questions, what is asked: 'number', 'date', 'issuers', 'addressees', 'basis'
    years: tuple[str, ...] = ()
    asked_years: tuple[str, ...] = ()  # the years of the clause that asks ("…2024年引进了1200名，那2025年呢？" -> 2025)
    search_text: str = ""  # the question in Simplified Chinese, misspellings corrected: what retrieval reads
    corrections: tuple[tuple[str, str], ...] = ()  # (as written, as understood)
    profile: tuple[tuple[str, str], ...] = ()  # the asker's self-description: ('kind', 'enterprise'), ('interest', 'training') …
    profile_only: bool = False  # the question asks what applies to the asker, about no topic of its own
    about_asker: str = ""  # the clause describing the asker ("我们是一家…的小微企业"): not the question's topic
    refers_back: bool = False  # a later part of a compound question about the first part's subject ("…，这条由谁负责？")
    context: str = ""  # for a later part of a compound question: the first part, searched together with it
    subquestions: tuple[Analysis, ...] = ()  # one per part of a compound question
    terms: tuple[str, ...] = ()  # what a "which measures mention X" question lists the measures for
    joint: bool = False  # "which measures do A and B share": the measures every unit named is responsible for
    sole: bool = False  # "which measures does X lead alone": the measures no other unit shares
    named_kind: str = ""  # "具体能进哪些学校" -> '学校': the kind of thing the question asks the documents to name

    @property
    def text(self) -> str:
        """What word overlap reads: the corrected, simplified question."""
        return self.search_text or self.question

    @property
    def full_text(self) -> str:
        """What retrieval reads: the question after its context, if any."""
        return f"{self.context} {self.text}".strip()

    @property
    def topic_text(self) -> str:
        """The full text without the asker's description of themselves (the abstention checks read both)."""
        return self.full_text.replace(self.about_asker, " ") if self.about_asker else self.full_text


@dataclass(frozen=True)
class Answer:
    """The typed result of `Assistant.ask()`: the same object feeds the CLI, the app and the evaluation."""

    question: str
    language: str
    intent: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...]
    retrieved: tuple[Citation, ...]
    bureaus: tuple[Bureau, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict, compare=False)
    answerer: str = "extractive"
    flags: tuple[str, ...] = ()
    corrections: tuple[tuple[str, str], ...] = ()  # misspellings corrected before answering: (as written, as understood)
    resolved_question: str = ""  # the standalone form of a follow-up ("这一条…" -> "北京方案（十三）…"); the question itself otherwise
    clarify: tuple[str, ...] = ()  # candidate clause ids when the assistant asks which one a follow-up means
    profile: tuple[tuple[str, str], ...] = ()  # the asker's self-description the answer used (the app pre-fills its form)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "language": self.language,
            "intent": self.intent,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "retrieved": [c.to_dict() for c in self.retrieved],
            "bureaus": [b.to_dict() for b in self.bureaus],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "answerer": self.answerer,
            "flags": list(self.flags),
            "corrections": [list(pair) for pair in self.corrections],
            "resolved_question": self.resolved_question or self.question,
            "clarify": list(self.clarify),
            "profile": [list(pair) for pair in self.profile],
        }


class Answerer(Protocol):
    """Anything that turns an analysed question and its retrieved clauses into an `Answer`.

    The extractive answerer and the LLM answerer both implement this one method.
    """

    name: str

    def answer(self, analysis: Analysis, hits: list[Hit]) -> Answer: ...
