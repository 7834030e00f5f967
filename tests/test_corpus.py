"""The corpus files: front matter, cleaning, and errors for malformed files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planqa.corpus import load_documents
from planqa.errors import CorpusError

from .conftest import CORPUS

BOILERPLATE = [
    "微信扫一扫",
    "轻触阅读原文",
    "扫码订阅",
    "PHP Code Snippets",
    "Powered By",
    "mmbiz.qpic.cn",
    "![",
    "征订热线",
    "向上滑动看下一个",
    "预览时标签不可点",
    "Digital Talent Training Initiativ\n",
]


def test_fixed_document_ids_and_kinds(catalog):
    kinds = {doc.id: doc.kind for doc in catalog.documents}
    assert kinds == {
        "bj-2024": "official",
        "bj-2024-en": "summary",
        "national-2024": "official",
        "bj-2023-skills": "news",
        "ai-talent-2025": "research",
        "bj-2024-rendering-en": "rendering",
        "national-2024-rendering-zh": "rendering",
        "ai-talent-2025-rendering-zh": "rendering",
        "bj-2023-skills-rendering-zh": "rendering",
    }


def test_front_matter_fields(catalog):
    bj = catalog.document("bj-2024")
    assert bj.doc_number == "京人社专技字〔2024〕104号"
    assert bj.date == "2024-07-05"
    assert bj.lang == "zh" and bj.title_zh.startswith("北京市加快数字人才培育") and bj.title_en
    assert catalog.document("national-2024").doc_number == "人社部发〔2024〕37号"
    assert catalog.document("bj-2024-en").summarizes == "bj-2024"
    for doc in catalog.documents:
        assert doc.title_zh and doc.title_en, doc.id
        assert doc.source, doc.id


def test_renderings_are_marked_unofficial(catalog):
    renderings = [doc for doc in catalog.documents if doc.kind == "rendering"]
    assert {doc.renders for doc in renderings} == {"bj-2024", "national-2024", "ai-talent-2025", "bj-2023-skills"}
    for doc in renderings:
        assert doc.status == "unofficial rendering"
        assert doc.lang != catalog.document(doc.renders).lang


@pytest.mark.parametrize("needle", BOILERPLATE)
def test_no_boilerplate_left(needle):
    for path in CORPUS.glob("*.md"):
        assert needle not in path.read_text(encoding="utf-8"), f"{needle!r} left in {path.name}"


def test_no_stray_punctuation_lines_or_page_breaks():
    for path in CORPUS.glob("*.md"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert line.strip() not in {"，", "。", "：", "×"}, path.name
    report = (CORPUS / "ai-talent-2025.md").read_text(encoding="utf-8")
    assert "45% holding master's degrees" in report
    # A paragraph that ends mid-sentence followed by one starting in lower case is a page break.
    assert not re.search(r"[a-z,]\n\n[a-z]", report)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


GOOD = (
    "---\nid: d1\ntitle: {zh: 标题, en: Title}\nissuer: x\ndoc_number: ''\n"
    "date: 2024-01-01\nlang: zh\nkind: official\nsource: s\n---\n\n正文。\n"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("正文。\n", "missing front matter"),
        ("---\nid: d1\n正文。\n", "front matter is not closed"),
        ("---\nid: [d1\n---\n正文。\n", "broken YAML front matter"),
        ("---\nid: d1\ntitle: {zh: 标题}\n---\n正文。\n", "missing issuer, doc_number, date, lang, kind, source"),
        (GOOD.replace("kind: official", "kind: blog"), "kind must be one of"),
        (GOOD.replace("lang: zh", "lang: fr"), "lang must be one of"),
        (GOOD.replace("kind: official", "kind: rendering"), "must name the document it renders"),
    ],
)
def test_malformed_front_matter_names_the_file(tmp_path, text, message):
    _write(tmp_path, "bad.md", text)
    with pytest.raises(CorpusError, match=message) as info:
        load_documents(tmp_path)
    assert str(info.value).startswith("bad.md: ")


def test_duplicate_document_ids(tmp_path):
    _write(tmp_path, "a.md", GOOD)
    _write(tmp_path, "b.md", GOOD)
    with pytest.raises(CorpusError, match=r"b.md: duplicate document id 'd1' \(also in a.md\)"):
        load_documents(tmp_path)


def test_unknown_reference(tmp_path):
    _write(tmp_path, "a.md", GOOD.replace("source: s", "source: s\nrelated: [nowhere]"))
    with pytest.raises(CorpusError, match="related names unknown document 'nowhere'"):
        load_documents(tmp_path)


def test_missing_or_empty_directory(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        load_documents(tmp_path / "absent")
    with pytest.raises(CorpusError, match=r"no \*\.md documents"):
        load_documents(tmp_path)


@pytest.mark.parametrize(
    ("text", "doc_id"),
    [
        ("北京2024年的方案里怎么培养工程师？", "bj-2024"),  # words between 北京 and 方案
        ("国家层面的那个行动方案提了什么？", "national-2024"),
        ("What does the national digital talent action plan say?", "national-2024"),  # words between national and plan
        ("In Beijing's 2024 digital talent plan, who leads?", "bj-2024"),
        ("那份English summary讲了什么？", "bj-2024-en"),  # an English alias right after Chinese characters
    ],
)
def test_a_document_is_found_with_words_between_its_alias_words(catalog, text, doc_id):
    assert doc_id in catalog.mentioned_documents(text)


def test_a_gap_is_short_and_never_crosses_punctuation(catalog):
    assert "bj-2024" not in catalog.mentioned_documents("北京的数字经济企业和人才都很多，国家有什么方案？")
    assert "national-2024" not in catalog.mentioned_documents("a national award for the best engineers of the year plan")
    # Only whole aliases are taken out of the text: the words in between still say what the question is about.
    assert catalog.without_mentions("Beijing's digital talent implementation plan: what period?") != "what period?"
