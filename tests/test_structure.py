"""The numbering styles real policy documents use, each on a made-up document; and paragraphs -> corpus Markdown."""

from __future__ import annotations

import pytest

from planqa.bureaus import BureauTable, attach_bureaus, labelled_units
from planqa.chunking import chunk_document, measure_style
from planqa.corpus import parse_document
from planqa.structure import iso_date, structure

from .conftest import CORPUS

FRONT = (
    "---\nid: {id}\ntitle: {{{lang}: 标题}}\nissuer: x\ndoc_number: ''\ndate: '2025'\nlang: {lang}\n"
    "kind: official\nsource: made up\n---\n\n"
)


def chunks_of(tmp_path, body: str, lang: str = "zh", doc_id: str = "t"):
    path = tmp_path / f"{doc_id}.md"
    path.write_text(FRONT.format(id=doc_id, lang=lang) + body, encoding="utf-8")
    table = BureauTable.load(CORPUS)
    return {c.local_id: c for c in attach_bureaus(chunk_document(parse_document(path)), table)}


def test_sections_with_arabic_measures_restarting_in_each_section(tmp_path):
    chunks = chunks_of(
        tmp_path,
        "## 一、补贴对象\n\n1.中小企业培训补贴每人3000元。\n\n责任单位：市人力资源社会保障局、市财政局\n\n"
        "2.证书奖励2000元。\n\n（1）一级证书另加500元。\n\n（2）二级证书另加200元。\n\n"
        "牵头单位：市人力资源社会保障局；配合单位：市经济和信息化局\n\n"
        "## 二、申报时间\n\n1.截止日期为2025年6月30日。（市人力资源社会保障局）\n",
    )
    assert list(chunks) == ["s1.1", "s1.2", "s2.1"]  # '1.' restarts under 二、, so ids carry the section
    assert chunks["s1.1"].clause == "1." and chunks["s1.1"].heading == "中小企业培训补贴每人3000元"
    assert [b.zh for b in chunks["s1.1"].bureaus] == ["市人力资源社会保障局", "市财政局"]
    assert "（2）二级证书另加200元。" in chunks["s1.2"].text  # lower-ranked （1）/（2） items stay inside their measure
    assert [b.zh for b in chunks["s1.2"].bureaus] == ["市人力资源社会保障局", "市经济和信息化局"]  # lead unit first
    assert [b.zh for b in chunks["s2.1"].bureaus] == ["市人力资源社会保障局"]


def test_chapters_and_articles(tmp_path):
    chunks = chunks_of(
        tmp_path,
        "第一章 总则\n\n第一条 为规范补贴发放，制定本办法。\n\n第二章 补贴标准\n\n"
        "第二条 每人补贴8万元，分三年发放：\n\n（一）第一年3万元；\n\n（二）第二年3万元。（市财政局）\n\n"
        "第十一条 本办法自2025年7月1日起施行。\n",
    )
    assert list(chunks) == ["1", "2", "11"]  # chapter lines are headings with no text of their own
    assert chunks["1"].section == ("第一章 总则",)
    assert chunks["2"].clause == "第二条" and chunks["2"].section == ("第二章 补贴标准",)
    assert "（二）第二年3万元" in chunks["2"].text and [b.zh for b in chunks["2"].bureaus] == ["市财政局"]
    assert chunks["11"].clause == "第十一条"


def test_chapter_markdown_heading_gets_a_chapter_id(tmp_path):
    chunks = chunks_of(tmp_path, "## 第三章 监督管理\n\n对违规申领的，追回补贴。\n")
    assert chunks["c3"].clause == "第三章" and chunks["c3"].heading == "监督管理"


def test_chinese_paren_measures_with_trailing_bureaus_still_win_over_lower_styles(tmp_path):
    body = "## 二、重点任务\n\n（一）开展培训。1.线上培训；2.线下培训。（市教委）\n\n（二）建设基地。\n\n1. 第一批基地。\n"
    chunks = chunks_of(tmp_path, body)
    assert list(chunks) == ["1", "2"]
    assert [b.zh for b in chunks["1"].bureaus] == ["市教委"]
    assert "1. 第一批基地。" in chunks["2"].text


def test_english_articles_and_labelled_bureaus(tmp_path):
    chunks = chunks_of(
        tmp_path,
        "Article 1 Training subsidy. Each trainee receives 2,600 yuan.\n\n"
        "Responsible: Beijing Municipal Human Resources and Social Security Bureau; Beijing Municipal Finance Bureau\n\n"
        "Article 2 Deadline. Applications close on November 15, 2025. (NFTs)\n",
        lang="en",
    )
    assert list(chunks) == ["1", "2"]
    assert chunks["1"].clause == "Article 1" and chunks["1"].heading == "Training subsidy"
    assert [b.zh for b in chunks["1"].bureaus] == ["市人力资源社会保障局", "市财政局"]  # English names resolve through the table
    assert chunks["2"].bureaus == ()


def test_english_roman_letter_and_paren_numbering(tmp_path):
    chunks = chunks_of(tmp_path, "## I. MEASURES\n\n### A. Training\n\n(1) Fund training. Text.\n\n(2) Build bases. Text.\n", lang="en")
    assert list(chunks) == ["1", "2"] and chunks["1"].section == ("I. MEASURES", "A. Training")


def test_measure_style_ranks():
    assert measure_style(["第一条 …", "（一）…", "1.…"]) == "article"
    assert measure_style(["（一）…", "1.…", "（1）…"]) == "cn_paren"
    assert measure_style(["1.…", "（1）…"]) == "arabic"
    assert measure_style(["(1) …"]) == "paren"
    assert measure_style(["12.5%的企业…", "2024年…"]) is None  # a decimal or a year is not a number label


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("…。\n责任单位：市教委、市财政局", ["市教委", "市财政局"]),
        ("…。（责任单位：市教委，市财政局）", ["市教委", "市财政局"]),
        ("…。\n牵头单位：市人社局；配合单位：市教委、市人社局", ["市人社局", "市教委"]),
        ("…\nLead unit: A Bureau; Supporting units: B Commission", ["A Bureau", "B Commission"]),
        ("…（市教委）", []),  # the plain trailer is parse_responsible's job, checked against the table
        ("He was responsible: for nothing", []),
        ("", []),
    ],
)
def test_labelled_units(text, units):
    assert labelled_units(text) == units


def test_structure_marks_titles_sections_signature_and_closing():
    draft = structure(
        [
            "关于印发《某市补贴办法》的通知",
            "京人社办发[2025]7号",
            "各区：现印发给你们。",
            "某市补贴办法",
            "一、补贴标准",
            "（一）每人3000元。（市财政局）",
            "各区各部门要认真落实。",
            "北京市人力资源和社会保障局",
            "北京市财政局",
            "2025年3月10日",
        ]
    )
    assert draft.doc_number == "京人社办发〔2025〕7号"  # brackets as the standard prints them
    assert draft.issuers == ("北京市人力资源和社会保障局", "北京市财政局") and draft.date == "2025-03-10"
    assert draft.title == "某市补贴办法" and draft.lang == "zh"
    lines = draft.body.split("\n\n")
    assert lines[:2] == ["# 关于印发《某市补贴办法》的通知 {#notice}", "京人社办发[2025]7号"]  # the text itself is not rewritten
    assert "# 某市补贴办法 {#preamble}" in lines and "## 一、补贴标准" in lines
    assert lines[lines.index("各区各部门要认真落实。") - 1] == "<!-- id: closing -->"
    assert lines[lines.index("北京市人力资源和社会保障局") - 1] == "<!-- id: signature -->"


def test_a_publication_note_under_the_signature_keeps_it_a_signature():
    paragraphs = ["第一条 每人3000元。（市财政局）", "北京市财政局", "2025年3月10日", "（此件主动公开）"]
    draft = structure(paragraphs)
    lines = draft.body.split("\n\n")
    assert lines[lines.index("北京市财政局") - 1] == "<!-- id: signature -->" and draft.issuers == ("北京市财政局",)
    # A longer line after the date is text, not a note: the date stays inside it.
    assert "<!-- id: signature -->" not in structure([*paragraphs[:3], "各区要抓好落实，确保政策落地见效。"]).body


def test_structure_drops_and_reports_furniture():
    draft = structure(["微信扫一扫", "![](http://x/y.png)", "，", "扫码订阅《某刊》", "（一）每人3000元。"])
    assert draft.dropped == 3 and draft.furniture == ("扫码订阅《某刊》",)
    assert "微信扫一扫" not in draft.body and "扫码订阅《某刊》" in draft.body  # a partial match is kept, only reported


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2025年3月10日", "2025-03-10"), ("March 5, 2025", "2025-03-05"), ("发布时间：2025-3-9", "2025-03-09"), ("无日期", ""), ("", "")],
)
def test_iso_date(text, iso):
    assert iso_date(text) == iso
