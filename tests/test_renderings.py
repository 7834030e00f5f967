"""The unofficial Chinese renderings of the English-only research report and news report.

A rendering lets a Chinese question be answered from an English document, so it must match
its original chunk for chunk (same local id, `aligned_id` both ways), sentence for sentence
(the answerer pairs a quote with the rendering's sentence at the same index) and figure for
figure (a number lost or invented in translation would be cited wrongly).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from planqa.text import detect_language, sentence_spans

RENDERED = {
    "ai-talent-2025": "ai-talent-2025-rendering-zh",
    "bj-2023-skills": "bj-2023-skills-rendering-zh",
}

# A figure with its scale word: "300 billion", "20-million-level", "420,000", "8.3%".
EN_FIGURE = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)(?:[\s-]+(thousand|million|billion)\b)?")
EN_SCALE = {"thousand": 1000, "million": 10**6, "billion": 10**9}
# The same in Chinese: "3000亿", "42万", "8.3%".
ZH_FIGURE = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万|亿)?")
ZH_SCALE = {"万": 10**4, "亿": 10**8}
# Ordinals the Chinese text writes in words by convention: "14th Five-Year Plan" is “十四五”.
ZH_ORDINAL_NAMES = {"十四五": 14, "十五五": 15}


def figures(text: str, lang: str) -> set[Decimal]:
    """Every number printed in `text`, as a value: '300 billion' and '3000亿' are both 3E+11."""
    pattern, scales = (ZH_FIGURE, ZH_SCALE) if lang == "zh" else (EN_FIGURE, EN_SCALE)
    values = {Decimal(m.group(1).replace(",", "")) * scales.get(m.group(2) or "", 1) for m in pattern.finditer(text)}
    if lang == "zh":
        values |= {Decimal(value) for name, value in ZH_ORDINAL_NAMES.items() if name in text}
    return values


def test_figures_reads_scales_separators_and_plan_names():
    assert figures("exceeded 300 billion yuan, 420,000 (21%), a 20-million-level database, 8.3%", "en") == {
        Decimal(300 * 10**9),
        Decimal(420000),
        Decimal(21),
        Decimal(20 * 10**6),
        Decimal("8.3"),
    }
    assert figures("突破3000亿元，达42万人（占21%），2000万级数据库，8.3%，“十四五”", "zh") == figures(
        "exceeded 300 billion yuan, 420,000 (21%), a 20-million-level database, 8.3%, the 14th Five-Year Plan", "en"
    )
    assert figures("1.5万人", "zh") == {Decimal(15000)} and figures("1,200 talents", "en") == {Decimal(1200)}


def _pairs(catalog, original_id: str):
    rendering_id = RENDERED[original_id]
    originals = catalog.chunks_of(original_id)
    renderings = {chunk.local_id: chunk for chunk in catalog.chunks_of(rendering_id)}
    return originals, renderings


@pytest.mark.parametrize("original_id", sorted(RENDERED))
def test_front_matter_marks_the_rendering_unofficial(catalog, original_id):
    original, doc = catalog.document(original_id), catalog.document(RENDERED[original_id])
    assert doc.kind == "rendering" and doc.renders == original_id
    assert doc.lang == "zh" != original.lang
    assert doc.status == "unofficial rendering"
    assert "planqa" in doc.source and "非官方" in doc.source
    assert "非官方" in doc.title_zh and "unofficial" in doc.title_en
    assert doc.date == original.date and doc.doc_number == original.doc_number
    assert not doc.aliases  # the original's aliases already name the document


@pytest.mark.parametrize("original_id", sorted(RENDERED))
def test_every_chunk_has_one_aligned_rendering(catalog, original_id):
    originals, renderings = _pairs(catalog, original_id)
    assert [chunk.local_id for chunk in originals] == list(renderings)  # same ids, same order, nothing extra
    for chunk in originals:
        rendering = renderings[chunk.local_id]
        assert chunk.aligned_id == rendering.id and rendering.aligned_id == chunk.id
        assert rendering.lang == "zh" and detect_language(rendering.text) == "zh", rendering.id


@pytest.mark.parametrize("original_id", sorted(RENDERED))
def test_rendering_keeps_sentence_count(catalog, original_id):
    originals, renderings = _pairs(catalog, original_id)
    for chunk in originals:
        rendering = renderings[chunk.local_id]
        english = [chunk.text[a:b] for a, b in sentence_spans(chunk.text, "en")]
        chinese = [rendering.text[a:b] for a, b in sentence_spans(rendering.text, "zh")]
        assert len(english) == len(chinese), (chunk.id, list(zip(english, chinese, strict=False)))


@pytest.mark.parametrize("original_id", sorted(RENDERED))
def test_rendering_keeps_every_figure_in_its_sentence(catalog, original_id):
    """Each sentence prints the same figures as the original sentence at its index: none lost, none added."""
    originals, renderings = _pairs(catalog, original_id)
    checked = 0
    for chunk in originals:
        rendering = renderings[chunk.local_id]
        pairs = zip(sentence_spans(chunk.text, "en"), sentence_spans(rendering.text, "zh"), strict=True)
        for index, ((a, b), (c, d)) in enumerate(pairs):
            expected, got = figures(chunk.text[a:b], "en"), figures(rendering.text[c:d], "zh")
            assert not expected - got, f"{chunk.id} sentence {index}: lost in the rendering: {sorted(expected - got)}"
            assert not got - expected, f"{chunk.id} sentence {index}: not in the original: {sorted(got - expected)}"
            checked += len(expected)
    assert checked  # the documents do print figures; finding none would mean the parsing broke
