"""The loaded corpus in one object: documents, chunks (with bureaus and alignment), directory.

Built once per process and shared by the CLI, the index and the assistant, so nothing
is parsed twice.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from planqa.bureaus import BureauDirectory, BureauTable, attach_bureaus
from planqa.chunking import chunk_documents
from planqa.corpus import load_documents
from planqa.errors import UnknownDocumentError
from planqa.records import Bureau, Chunk, Document
from planqa.text import CJK, prepare_jieba

if TYPE_CHECKING:
    from planqa.translation import WordTable

# A year in a document's name, written in full or as people shorten it ('2024年的', '24年').
YEAR_IN_NAME = re.compile(r"(?:19|20)\d{2}\s*年?的?|(?<!\d)[12]\d\s*年的?")
# … or just before it, joined to it ('25年的那份通知', '2023年那份研究报告') or opening the sentence ('25年通知里…'): the same
# year, said first. After 到/至/在 … it is a time asked about ('到2026年北京方案要培养多少人').
_YEAR = r"(?:(?:19|20)\d{2}|(?<!\d)[12]\d)\s*年\s*"
YEAR_BEFORE_NAME = re.compile(
    rf"(?<![到至止于在从自\d]){_YEAR}(?:的|那个|那份|那篇|这个|这份|这篇)\s*$|(?:^|(?<=[\s，。？！、,.?!；;：:“”\"（(])){_YEAR}$"
)
YEAR_ALIAS = re.compile(r"(?:19|20)?\d{2}\s*年?")  # an alias that is a year alone: '2023年', '23年', '2023'
PART_BY_ID = re.compile(r"\bpart (?P<en>[\w.]+) of( the)?\b|第 ?(?P<zh>[\w.]+) ?部分", re.IGNORECASE)


@dataclass(frozen=True)
class Catalog:
    corpus_dir: Path
    documents: tuple[Document, ...]
    chunks: tuple[Chunk, ...]
    table: BureauTable
    directory: BureauDirectory

    @classmethod
    def load(cls, corpus_dir: Path) -> Catalog:
        documents = load_documents(corpus_dir)
        table = BureauTable.load(corpus_dir)
        chunks = attach_bureaus(chunk_documents(documents), table)
        return cls(Path(corpus_dir), tuple(documents), tuple(chunks), table, BureauDirectory(chunks, table))

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        known = ", ".join(d.id for d in self.documents)
        raise UnknownDocumentError(f"unknown document {doc_id!r}; known documents: {known}")

    def chunk(self, chunk_id: str) -> Chunk:
        chunk = self.chunk_map.get(chunk_id)
        if chunk is None:
            raise UnknownDocumentError(f"unknown clause {chunk_id!r}; run 'planqa chunks' to list clause ids")
        return chunk

    def clause_words(self, chunk_id: str) -> frozenset[str]:
        """The search tokens of a clause and of its rendering in the other language, computed once per clause."""
        cache = self._clause_words
        if chunk_id not in cache:
            from planqa.text import tokenize

            chunk = self.chunk(chunk_id)
            words = set(tokenize(chunk.text))
            if chunk.aligned_id:
                words |= set(tokenize(self.chunk(chunk.aligned_id).text))
            cache[chunk_id] = frozenset(words)
        return cache[chunk_id]

    @cached_property
    def _clause_words(self) -> dict[str, frozenset[str]]:
        return {}

    @cached_property
    def chunk_map(self) -> dict[str, Chunk]:
        return {chunk.id: chunk for chunk in self.chunks}

    @property
    def primary(self) -> Document | None:
        """The document marked `primary: true`: what 'the plan' means when a question names no other."""
        return next((doc for doc in self.documents if dict(doc.meta).get("primary")), None)

    def sections(self, doc_id: str) -> list[tuple[Chunk, tuple[Chunk, ...]]]:
        """A document's top-level sections in order ('四、…', 'III. …'): each lead-in and the labelled clauses under it.

        A section whose lead-in is not a chunk of its own keeps its place in the numbering but is left out.
        """
        chunks = [c for c in self.chunks if c.doc_id == doc_id and c.section]
        titles = list(dict.fromkeys(c.section[0] for c in chunks))
        found: list[tuple[Chunk, tuple[Chunk, ...]] | None] = []
        for title in titles:
            inside = [c for c in chunks if c.section[0] == title]
            lead_in = next((c for c in inside if len(c.section) == 1 and c.clause and not c.is_measure), None)
            found.append(None if lead_in is None else (lead_in, tuple(c for c in inside if c is not lead_in and c.clause)))
        return found  # type: ignore[return-value]

    def mentioned_documents(self, text: str) -> list[str]:
        """Ids of documents the text refers to by one of their `aliases` ('研究报告里…' -> ai-talent-2025).

        An alias of several words is also found with a few words between them, as people name a document:
        '北京那份2024年的方案' is '北京方案', 'the national talent action plan' is 'national plan'.
        """
        return [doc.id for doc in self.documents if any(pattern.search(text) for pattern in self._mentions[doc.id])]

    def mention_span(self, text: str, shortest: int = 3) -> tuple[int, int] | None:
        """Where the text names a document: the longest reference, a gapped one included ('国家的那份行动方案'), of
        at least `shortest` characters; None when it names none."""
        spans = [m.span() for patterns in self._mentions.values() for p in patterns for m in p.finditer(text)]
        return max((s for s in spans if s[1] - s[0] >= shortest), key=lambda s: s[1] - s[0], default=None)

    @cached_property
    def translations(self) -> WordTable:
        """Word translations learned from the aligned renderings (translation.py), once per catalog."""
        from planqa.translation import learn_from

        return learn_from(self)

    def without_mentions(self, text: str, gapped: bool = False, parts: bool = False) -> str:
        """The text with document references removed, so they do not pull in title-like passages.

        Only whole aliases go: in 'Beijing's digital talent implementation plan' the words between still say
        what the question is about (a gapped reference found by `mentioned_documents` stays in the text) —
        unless `gapped`, for asking whether anything but the reference is left.
        """
        for alias in sorted((a for doc in self.documents for a in doc.aliases), key=len, reverse=True):
            text = re.sub(re.escape(alias), " ", text, flags=re.IGNORECASE)
        if parts:  # a part named by its id, as a resolved follow-up names it ("part s3.A.2 of the report"): not a topic
            text = PART_BY_ID.sub(lambda m: " " if (m.group("en") or m.group("zh")) in self._local_ids else m.group(0), text)
        if gapped:
            for pattern in (p for patterns in self._mentions.values() for p in patterns):
                text = pattern.sub(" ", text)
        return " ".join(text.split()) or text

    def without_years_of_names(self, text: str) -> str:
        """The text without a year written inside a document's name ('北京2024年的方案', 'the 2024 Beijing plan'):
        it says which document, and as a search word it pulls in the notice and preamble, which print the year."""
        patterns = [p for found in self._mentions.values() for p in found]
        for pattern in patterns:
            text = pattern.sub(lambda m: YEAR_IN_NAME.sub(" ", m.group(0)), text)
        for start in sorted({m.start() for pattern in patterns for m in pattern.finditer(text)}, reverse=True):
            year = YEAR_BEFORE_NAME.search(text[:start])
            if year:
                text = f"{text[: year.start()]} {text[start:]}"
        return text

    def without_units(self, text: str, bureaus: Iterable[Bureau]) -> str:
        """The text with the names of these units taken out, current or former ('原来的经信委'): naming a unit is not a
        topic the documents may lack, and a former name is in no clause."""
        wanted = set(bureaus)
        names = [n for e in self.table.entries if e.bureau in wanted for n in (*e.names, *e.former) if n]
        for name in sorted(names, key=len, reverse=True):
            text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
        return text

    @cached_property
    def _local_ids(self) -> frozenset[str]:
        return frozenset(chunk.local_id for chunk in self.chunks)

    @cached_property
    def _mentions(self) -> dict[str, tuple[re.Pattern[str], ...]]:
        # A document's id is a name too: answers cite it ("national-2024#9"), so users copy it into questions.
        by_id = {doc.id: re.compile(rf"(?<![\w-]){re.escape(doc.id)}(?![\w-])", re.IGNORECASE) for doc in self.documents}
        return {doc.id: (by_id[doc.id], *(alias_pattern(alias) for alias in doc.aliases)) for doc in self.documents}

    def named_part(self, doc_id: str, names: Iterable[str]) -> Chunk | None:
        """The chunk of a document that is one of the named parts, by id or heading ('preamble' -> bj-2024#preamble)."""
        wanted = set(names)
        return next((c for c in self.chunks_of(doc_id) if c.local_id in wanted or (c.heading or "").strip().lower() in wanted), None)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        self.document(doc_id)
        return [chunk for chunk in self.chunks if chunk.doc_id == doc_id]


# Between the words of a document's alias: a few characters of a Chinese phrase, or up to three English words.
_CJK_GAP = r"(?:(?:19|20)?\d{2}\s*年)?[^，。？！、,.?!；;：:“”\"（）()]{0,6}?"  # a year may sit between ('国家2024年那份行动方案')
_EN_GAP = r"(?:\s+[A-Za-z0-9'’-]+){0,3}?\s+"


def _word_pattern(word: str) -> str:
    """A word of an alias; a year names its document, but not inside a date ('2023年12月考下了证书', 'in December
    2023' say when something happened, not which document)."""
    if not YEAR_ALIAS.fullmatch(word):
        return re.escape(word)
    months = "".join(f"(?<!{month} )" for month in calendar.month_name[1:])
    return rf"(?<!\d){months}{re.escape(word)}(?!\d|\s*年?\s*\d{{1,2}}\s*月)"


def alias_pattern(alias: str) -> re.Pattern[str]:
    """A case-insensitive pattern for a document alias that allows a short gap between its words."""
    folded = unicodedata.normalize("NFKC", alias).strip()
    if CJK.search(folded):
        import jieba

        prepare_jieba()
        words = [w for w in jieba.lcut(folded) if w.strip()]
        gap = _CJK_GAP
    else:
        words, gap = folded.split(), _EN_GAP
    if len(words) < 2:
        return re.compile(_word_pattern(folded), re.IGNORECASE)
    body = gap.join(_word_pattern(w) for w in words)
    return re.compile(body if gap == _CJK_GAP else rf"(?<![A-Za-z0-9-]){body}(?![A-Za-z0-9-])", re.IGNORECASE)
