"""Chunks: one per measure, stable ids, verbatim text, spans, alignment, and a second document."""

from __future__ import annotations

import re

import pytest

from planqa.catalog import Catalog
from planqa.chunking import chunk_document, split_blocks
from planqa.corpus import parse_document
from planqa.errors import CorpusError

from .conftest import CORPUS, seed_text

CN = "一二三四五六七八九十"


def _squash(text: str) -> str:
    """The comparison form: no whitespace, no Markdown bold."""
    return re.sub(r"\s+", "", text.replace("**", ""))


def test_sixteen_beijing_measures_and_twelve_national(catalog):
    ids = {chunk.id for chunk in catalog.chunks}
    assert {f"bj-2024#{n}" for n in range(1, 17)} <= ids
    assert {f"national-2024#{n}" for n in range(1, 13)} <= ids
    assert "bj-2024#17" not in ids and "national-2024#13" not in ids
    assert {"bj-2024#notice", "bj-2024#preamble", "bj-2024#goals", "bj-2024#closing"} <= ids
    assert {f"bj-2024#s{n}" for n in range(2, 6)} <= ids


def test_measure_fields(catalog):
    seventh = catalog.chunk("bj-2024#7")
    assert seventh.clause == "（七）"
    assert seventh.heading == "强化数字技能人才培养载体建设"
    assert seventh.section == ("三、加大数字人才培育平台建设",)
    assert seventh.lang == "zh" and seventh.doc_id == "bj-2024"
    assert seventh.aligned_id == "bj-2024-rendering-en#7"
    national = catalog.chunk("national-2024#7")
    assert national.clause == "(7)" and national.heading == "Improving training policies"
    assert national.aligned_id == "national-2024-rendering-zh#7"


@pytest.mark.parametrize("number", range(1, 17))
def test_beijing_measure_text_is_verbatim(catalog, number):
    chunk = catalog.chunk(f"bj-2024#{number}")
    label = "（" + ("十" + CN[number - 11] if number > 10 else CN[number - 1]) + "）" if number != 10 else "（十）"
    assert chunk.text.startswith(label)
    assert _squash(chunk.text) in _squash(seed_text("003"))


@pytest.mark.parametrize(
    "prefix,doc_id",
    [("003", "bj-2024"), ("001", "national-2024"), ("000", "bj-2024-en"), ("002", "bj-2023-skills"), ("004", "ai-talent-2025")],
)
def test_every_chunk_is_verbatim_source_text(catalog, prefix, doc_id):
    seed = _squash(seed_text(prefix))
    for chunk in catalog.chunks_of(doc_id):
        assert _squash(chunk.text) in seed, chunk.id


def test_text_is_the_span_of_the_file(catalog):
    for chunk in catalog.chunks:
        doc = catalog.document(chunk.doc_id)
        assert doc.text[chunk.span[0] : chunk.span[1]] == chunk.text, chunk.id
        assert (CORPUS / doc.path.name).read_text(encoding="utf-8")[slice(*chunk.span)] == chunk.text


def test_every_measure_has_a_rendering_in_the_other_language(catalog):
    for doc_id, count in (("bj-2024", 16), ("national-2024", 12)):
        for n in range(1, count + 1):
            chunk = catalog.chunk(f"{doc_id}#{n}")
            rendering = catalog.chunk(chunk.aligned_id)
            assert rendering.aligned_id == chunk.id
            assert rendering.lang != chunk.lang and rendering.kind == "rendering"
            assert rendering.clause and rendering.heading
    for local in ("notice", "preamble", "goals", "closing"):
        assert catalog.chunk(f"bj-2024#{local}").aligned_id == f"bj-2024-rendering-en#{local}"


def test_report_split_by_subsection_without_cutting_paragraphs(catalog):
    chunks = catalog.chunks_of("ai-talent-2025")
    ids = [chunk.id for chunk in chunks]
    assert "ai-talent-2025#abstract" in ids
    assert any(i.startswith("ai-talent-2025#s3.B") for i in ids)
    for chunk in chunks[1:]:  # after the title block (authors, affiliation)
        assert chunk.text[-1] in '.)”"', chunk.id  # every chunk ends where a paragraph ends
    summary = catalog.chunks_of("bj-2024-en")
    assert [c.local_id for c in summary] == ["overview", "s2", "s3", "s4", "s5"]


def test_news_report_by_section(catalog):
    ids = [chunk.local_id for chunk in catalog.chunks_of("bj-2023-skills")]
    assert ids == ["tldr", "report", "evaluation", "workforce"]


def test_ids_are_stable_on_a_rerun():
    first = Catalog.load(CORPUS)
    second = Catalog.load(CORPUS)
    assert [c.to_dict() for c in first.chunks] == [c.to_dict() for c in second.chunks]


def test_made_up_chinese_document_chunks_from_structure(mini_catalog):
    chunks = {chunk.local_id: chunk for chunk in mini_catalog.chunks_of("green-2025")}
    assert list(chunks) == ["intro", "s1", "s2", "1", "2", "s3"]
    assert chunks["s1"].clause == "一、" and chunks["s1"].heading == "总体要求"
    first = chunks["1"]
    assert first.clause == "（一）" and first.heading == "开展绿色技能培训"
    assert first.section == ("二、重点任务",)
    assert "培训合格的按规定给予职业培训补贴" in first.text  # the line break inside the measure is kept in one chunk
    second = chunks["2"]
    assert second.text.endswith("（市生态环境局、区绿色发展促进中心）")  # a continuation paragraph stays with its measure
    assert [(b.zh, b.en) for b in second.bureaus] == [
        ("市生态环境局", "Municipal Ecology and Environment Bureau"),
        ("区绿色发展促进中心", ""),
    ]
    assert chunks["s3"].text == "加强组织领导，确保各项任务落到实处。"


def test_made_up_english_document_chunks_from_structure(mini_catalog):
    chunks = {chunk.local_id: chunk for chunk in mini_catalog.chunks_of("green-2025-en")}
    assert list(chunks) == ["intro", "1", "2", "s1.B"]
    assert chunks["1"].section == ("I. MEASURES", "A. Training")
    assert chunks["1"].heading == "Fund green training"
    assert [b.en for b in chunks["1"].bureaus] == ["Beijing Municipal Human Resources and Social Security Bureau"]
    assert chunks["2"].bureaus == ()  # '(NFTs)' is not a bureau


def test_duplicate_clause_ids_are_an_error(tmp_path):
    path = tmp_path / "dup.md"
    path.write_text(
        "---\nid: dup\ntitle: {zh: 标题}\nissuer: x\ndoc_number: ''\ndate: '2024'\nlang: zh\nkind: official\nsource: s\n---\n\n"
        "（一）第一条。内容。\n\n（一）又一条。内容。\n",
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match=r"dup.md: duplicate chunk id 'dup#1'"):
        chunk_document(parse_document(path))


def test_heading_without_blank_line_is_its_own_block(catalog):
    blocks = split_blocks(catalog.document("bj-2024-en"))
    assert [b.kind for b in blocks[:2]] == ["anchor", "paragraph"]
