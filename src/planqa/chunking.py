"""Split documents into citable chunks from their structure, not from offsets.

The units are the policy's own: one numbered measure ((七) / (7)) is one chunk; the
text under a heading (a section introduction, a notice, a report subsection) is one
chunk, packed by whole paragraphs when it is long. Ids are stable and readable:

    ## 二、加强…            -> bj-2024#s2    (section introduction)
    （七）强化…。…          -> bj-2024#7     (measure: its printed number)
    ### B. Prominent…      -> ai-talent-2025#s2.B, or s2.B.1, s2.B.2 when packed in parts
    # Title {#notice}      -> bj-2024#notice (an explicit id wins)
    <!-- id: closing -->   -> bj-2024#closing (an id for text with no heading)

    第二章 总则            -> doc#c2        (chapter; also "Chapter 2 …")
    第五条 …               -> doc#5         (article; also "Article 5 …")
    1. / 1、/ （1）         -> doc#1, or doc#s2.1 when the numbering restarts in every section

Headings are Markdown headings or plain numbered lines (一、 / 第一章 / I. / A.). A document's
measures are its highest-ranking numbered paragraphs (第N条 / Article N, then （一）, then
1./1、, then （1）/(1)); lower-ranking numbers inside a measure stay part of it. A rendering
document (`renders: X`) is aligned with X by local id: bj-2024-rendering-en#7 <-> bj-2024#7.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from planqa.errors import CorpusError
from planqa.records import Chunk, Document
from planqa.text import chinese_numeral, roman_numeral, slug

# Paragraph budget for packing the text under one heading, in characters: about 350
# tokens either way, well inside the 512-token window of the embedding models.
PACK_BUDGET = {"zh": 600, "en": 1500}

MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s*\{#([\w.-]+)\})?\s*$")
ANCHOR = re.compile(r"^<!--\s*id:\s*([\w.-]+)\s*-->$")
CN_SECTION = re.compile(r"^([一二三四五六七八九十]+)、\s*(\S.*)$")
ROMAN_SECTION = re.compile(r"^([IVXL]+)\.\s+(\S.*)$")
LETTER_SECTION = re.compile(r"^([A-Z])\.\s+(\S.*)$")
CN_CHAPTER = re.compile(r"^第([一二三四五六七八九十百零〇]+)章\s*(\S.*)$")
EN_CHAPTER = re.compile(r"^Chapter\s+(\d{1,3}|[IVXL]+)[.:]?\s+(\S.*)$", re.IGNORECASE)
CN_MEASURE = re.compile(r"^（([一二三四五六七八九十百]+)）")
# Measure numbering styles, highest rank first: a document's measures are the paragraphs of the
# first style it uses; paragraphs numbered in a lower style are items inside those measures.
MEASURE_STYLES = (
    ("article", re.compile(r"^第([一二三四五六七八九十百零〇]+)条\s*"), chinese_numeral),
    ("article", re.compile(r"^Article\s+(\d{1,3})\b[.:]?\s*"), int),
    ("cn_paren", CN_MEASURE, chinese_numeral),
    ("arabic", re.compile(r"^(\d{1,2})(?:[.．](?!\d)|、)\s*"), int),
    ("paren", re.compile(r"^[（(](\d{1,3})[）)]\s*"), int),
)
STYLE_RANK = ("article", "cn_paren", "arabic", "paren")
SENTENCE_END = re.compile(r"[。！？]|\.(?=\s|$)")


@dataclass
class _Block:
    """A paragraph, heading or id anchor of a document body, with its offsets in the file."""

    kind: str
    text: str
    start: int
    end: int
    level: int = 0
    anchor: str | None = None


@dataclass
class _Unit:
    """Text gathered under one heading, anchor or measure label, before it becomes chunks."""

    local_id: str
    clause: str
    heading: str
    section: tuple[str, ...]
    measure: bool
    paragraphs: list[_Block] = field(default_factory=list)
    parent: str = ""  # local id of the heading above, to qualify numbering that restarts per section


def chunk_documents(documents: list[Document]) -> list[Chunk]:
    """Chunks of every document, with renderings aligned to their official clauses."""
    chunks = [chunk for doc in documents for chunk in chunk_document(doc)]
    return align_renderings(chunks, documents)


def chunk_document(doc: Document) -> list[Chunk]:
    """Chunks of one document in reading order; duplicate ids are a corpus error."""
    chunks: list[Chunk] = []
    for unit in _units(doc):
        chunks.extend(_unit_chunks(doc, unit))
    seen: set[str] = set()
    for chunk in chunks:
        if chunk.id in seen:
            raise CorpusError(f"{doc.path.name}: duplicate chunk id {chunk.id!r}; renumber the clause or give it an explicit {{#id}}")
        seen.add(chunk.id)
    return chunks


def align_renderings(chunks: list[Chunk], documents: list[Document]) -> list[Chunk]:
    """Set `aligned_id` both ways between each rendering chunk and the official clause it renders."""
    by_id = {chunk.id: chunk for chunk in chunks}
    pairs: dict[str, str] = {}
    for doc in documents:
        if not doc.renders:
            continue
        for chunk in chunks:
            if chunk.doc_id != doc.id:
                continue
            target = f"{doc.renders}#{chunk.local_id}"
            if target not in by_id:
                raise CorpusError(f"{doc.path.name}: clause {chunk.id} renders {target}, which does not exist")
            pairs[chunk.id] = target
            pairs[target] = chunk.id
    return [replace(chunk, aligned_id=pairs[chunk.id]) if chunk.id in pairs else chunk for chunk in chunks]


def split_blocks(doc: Document) -> list[_Block]:
    """Headings, anchors and paragraphs of the body, with offsets into the file text.

    Paragraphs are separated by blank lines; a heading or anchor line is a block of its
    own even when no blank line follows it.
    """
    blocks: list[_Block] = []
    paragraph: list[tuple[int, str]] = []  # (offset, line) of the paragraph being read

    def flush() -> None:
        if paragraph:
            start, end = paragraph[0][0], paragraph[-1][0] + len(paragraph[-1][1])
            text = doc.text[start:end]
            level = _plain_heading_level(text)
            blocks.append(_Block("heading" if level else "paragraph", text, start, end, level=level))
            paragraph.clear()

    offset = doc.body_start
    for raw in doc.body.split("\n"):
        line = raw.strip()
        start = offset + len(raw) - len(raw.lstrip())
        offset += len(raw) + 1
        if not line:
            flush()
        elif heading := MD_HEADING.match(line):
            flush()
            level, title, anchor = len(heading.group(1)), heading.group(2), heading.group(3)
            blocks.append(_Block("heading", title, start, start + len(line), level=level, anchor=anchor))
        elif anchor := ANCHOR.match(line):
            flush()
            blocks.append(_Block("anchor", "", start, start + len(line), anchor=anchor.group(1)))
        else:
            paragraph.append((start, line))
    flush()
    return blocks


def _plain_heading_level(line: str) -> int:
    """2 for a short numbered line like '二、加强…' or 'II. METHODS', 3 for 'A. Scope'; else 0."""
    if "\n" in line or len(line) > 200 or line.endswith(("。", ".", "；", "：")):
        return 0
    if CN_SECTION.match(line) or CN_CHAPTER.match(line) or (ROMAN_SECTION.match(line) and line.upper() == line):
        return 2
    return 3 if LETTER_SECTION.match(line) else 0


def _units(doc: Document) -> list[_Unit]:
    units: list[_Unit] = []
    stack: list[tuple[int, str, str]] = []  # (level, heading as printed, local id)
    current: _Unit | None = None
    blocks = split_blocks(doc)
    style = measure_style([block.text for block in blocks if block.kind == "paragraph"])
    for block in blocks:
        path = _section_path(stack)
        if block.kind == "heading":
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            local_id, clause, heading = _heading_id(block, stack, len(units))
            stack.append((block.level, block.text, local_id))
            current = _Unit(local_id, clause, heading, _section_path(stack), measure=False)
            units.append(current)
        elif block.kind == "anchor":
            current = _Unit(block.anchor or "", "", "", path, measure=False)
            units.append(current)
        elif measure := _measure_label(block.text, style):
            number, clause, heading = measure
            current = _Unit(number, clause, heading, path, measure=True, paragraphs=[block], parent=stack[-1][2] if stack else "")
            units.append(current)
        else:
            if current is None:
                current = _Unit("intro", "", "", path, measure=False)
                units.append(current)
            current.paragraphs.append(block)
    return _qualify_restarted(units)


def _qualify_restarted(units: list[_Unit]) -> list[_Unit]:
    """When measure numbers repeat (1. restarting under every 一、), prefix each with its section: s2.1."""
    numbers = [unit.local_id for unit in units if unit.measure]
    if len(numbers) == len(set(numbers)):
        return units
    return [replace(unit, local_id=f"{unit.parent}.{unit.local_id}") if unit.measure and unit.parent else unit for unit in units]


def measure_style(paragraphs: list[str]) -> str | None:
    """The highest-ranking numbering style that opens any paragraph: 'article', 'cn_paren', 'arabic' or 'paren'."""
    found = {name for text in paragraphs for name, pattern, _ in MEASURE_STYLES if pattern.match(text)}
    return next((name for name in STYLE_RANK if name in found), None)


def _section_path(stack: list[tuple[int, str, str]]) -> tuple[str, ...]:
    """Headings above a block, as printed; a level-1 heading titles the document, not a section."""
    return tuple(title for level, title, _ in stack if level > 1)


def _heading_id(block: _Block, stack: list[tuple[int, str, str]], position: int) -> tuple[str, str, str]:
    """(local id, clause label, heading text) for a heading: explicit id, numbering, or slug."""
    title = block.text
    parent = stack[-1][2] if stack else ""
    if match := CN_SECTION.match(title):
        local, clause, heading = f"s{chinese_numeral(match.group(1))}", f"{match.group(1)}、", match.group(2)
    elif match := CN_CHAPTER.match(title):
        local, clause, heading = f"c{chinese_numeral(match.group(1))}", f"第{match.group(1)}章", match.group(2)
    elif match := EN_CHAPTER.match(title):
        number = match.group(1)
        local = f"c{int(number) if number.isdigit() else roman_numeral(number.upper())}"
        clause, heading = title[: match.start(2)].strip(), match.group(2)
    elif match := ROMAN_SECTION.match(title):
        local, clause, heading = f"s{roman_numeral(match.group(1))}", f"{match.group(1)}.", match.group(2)
    elif match := LETTER_SECTION.match(title):
        local, clause, heading = f"{parent}.{match.group(1)}" if parent else match.group(1), f"{match.group(1)}.", match.group(2)
    else:
        local, clause, heading = slug(title) or f"h{position + 1}", "", title
    return block.anchor or local, clause, heading


def _measure_label(paragraph: str, style: str | None) -> tuple[str, str, str] | None:
    """(number, label, title) when a paragraph opens a measure of the document's style, e.g. ('7', '（七）', '强化…建设')."""
    for name, pattern, parse in MEASURE_STYLES:
        if name == style and (match := pattern.match(paragraph)):
            number = str(parse(match.group(1)))
            break
    else:
        return None
    rest = paragraph[match.end() :]
    end = SENTENCE_END.search(rest)
    title = rest[: end.start()] if end else rest
    return number, match.group().strip(), title.strip()


def _unit_chunks(doc: Document, unit: _Unit) -> list[Chunk]:
    if not unit.paragraphs:
        return []
    groups = [unit.paragraphs] if unit.measure else _pack(unit.paragraphs, PACK_BUDGET[doc.lang])
    chunks = []
    for number, group in enumerate(groups, start=1):
        local_id = unit.local_id if len(groups) == 1 else f"{unit.local_id}.{number}"
        start, end = group[0].start, group[-1].end
        chunks.append(
            Chunk(
                id=f"{doc.id}#{local_id}",
                doc_id=doc.id,
                lang=doc.lang,
                kind=doc.kind,
                clause=unit.clause,
                heading=unit.heading,
                section=unit.section,
                text=doc.text[start:end],
                span=(start, end),
            )
        )
    return chunks


def _pack(paragraphs: list[_Block], budget: int) -> list[list[_Block]]:
    """Consecutive whole paragraphs in groups of at most `budget` characters (a longer one stands alone)."""
    groups: list[list[_Block]] = []
    size = 0
    for paragraph in paragraphs:
        length = len(paragraph.text)
        if groups and size + length <= budget:
            groups[-1].append(paragraph)
            size += length
        else:
            groups.append([paragraph])
            size = length
    return groups
