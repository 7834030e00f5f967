"""`planqa corpus add`: HTML, DOCX, PDF and text files become corpus documents; bad files are one line, exit 2, nothing written."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from planqa.catalog import Catalog
from planqa.cli import main
from planqa.corpus_add import DRAFT_FILE, add_document
from planqa.errors import IngestError
from planqa.ingest import extract, pdf_paragraphs

from . import notices
from .conftest import CORPUS, SEEDS


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def listing(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- extraction, per format ---------------------------------------------------------------


def test_html_keeps_the_article_and_drops_the_site_furniture(tmp_path):
    page = tmp_path / "notice.html"
    page.write_text(notices.html_page(), encoding="utf-8")
    extracted = extract(page)
    text = "\n".join(extracted.paragraphs)
    assert extracted.paragraphs[0] == "京人社办发〔2025〕7号"
    assert "按每人4800元的标准给予培训补贴" in text and "责任单位：市人力资源社会保障局、市财政局" in text
    for furniture in ("当前位置", "请输入关键词", "分享到", "相关链接", "关于职业技能等级认定的通知", "京ICP备", "联系我们", "政务公开"):
        assert furniture not in text, furniture
    assert extracted.title == notices.HTML_TITLE  # the page title without the site's '_政策文件_首都之窗'


def test_html_document_number_printed_outside_the_article_text_is_kept(tmp_path):
    # Many pages print the number in its own element above the article's text block, which the extractor keeps alone.
    number, body = notices.HTML_PARAGRAPHS[0], "".join(f"<p>{p}</p>" for p in notices.HTML_PARAGRAPHS[1:])
    article = (
        f'<div class="article"><h1>{notices.HTML_TITLE}</h1><p class="doc-number">{number}</p>'
        f'<div class="info">发布时间：2025-03-12</div><div class="article-content">{body}</div></div>'
    )
    path = tmp_path / "notice.html"
    path.write_text(notices.html_page([]).replace('<div class="related">', f'{article}<div class="related">', 1), encoding="utf-8")
    paragraphs = extract(path).paragraphs
    assert paragraphs[0] == number and paragraphs.count(number) == 1
    assert not any("京ICP备" in p for p in paragraphs)  # the footer's registration number is no document number


def test_docx_paragraphs(tmp_path):
    extracted = extract(notices.docx_file(tmp_path / "notice.docx"))
    assert extracted.paragraphs == notices.DOCX_PARAGRAPHS


def test_pdf_text_is_normalised_joined_and_without_furniture(tmp_path):
    extracted = extract(notices.pdf_file(tmp_path / "notice.pdf"))
    text = "\n".join(extracted.paragraphs)
    assert "\u2f08" not in text and "低空经济人才集聚" in text  # Kangxi ⼈ became 人
    assert "北京市经济和信息化局文件" not in text  # the running header on every page
    assert not any(re.fullmatch(r"-\s*\d+\s*-", p) for p in extracted.paragraphs)  # page numbers
    second = next(p for p in extracted.paragraphs if p.startswith("第二条"))
    assert second.endswith("（市经济和信息化局、市财政局）")  # the lines the layout wrapped are one paragraph again


def test_pdf_paragraphs_from_page_texts():
    pages = [
        "某市人社局文件\n第一条 为加快人才\n集聚，制定本办法。\n- 1 -",
        "某市人社局文件\n第二条 补贴每人3000\n元。\n第 2 页\n",
        "某市人社局文件\n第三条 自公布之日起施行。\nPage 3 of 3",
    ]
    paragraphs, notes = pdf_paragraphs(pages)
    assert paragraphs == ["第一条 为加快人才集聚，制定本办法。", "第二条 补贴每人3000元。", "第三条 自公布之日起施行。"]
    assert notes == ["6 running header, footer or page-number line(s) dropped"]


def test_english_pdf_lines_are_joined_with_spaces_and_hyphens_mended():
    paragraphs, _ = pdf_paragraphs(["Article 1 Each trainee receives 2,600\nyuan, paid after certifi-\ncation.\nArticle 2 Deadline."])
    assert paragraphs == ["Article 1 Each trainee receives 2,600 yuan, paid after certification.", "Article 2 Deadline."]


# --- corpus add -------------------------------------------------------------------------------


def test_add_html_writes_a_document_the_corpus_loads(corpus, tmp_path):
    page = tmp_path / "ai-trainer.html"
    page.write_text(notices.html_page(), encoding="utf-8")
    result = add_document(page, corpus, "ai-trainer-2025")
    assert result.path == corpus / "ai-trainer-2025.md" and result.path.is_file()
    doc = Catalog.load(corpus).document("ai-trainer-2025")
    assert (doc.doc_number, doc.date, doc.issuer, doc.kind, doc.lang) == (
        "京人社办发〔2025〕7号", "2025-03-10", "北京市人力资源和社会保障局", "official", "zh",
    )  # fmt: skip
    assert doc.title_zh == notices.HTML_TITLE and doc.source == "ai-trainer.html"
    chunks = {c["id"]: c for c in result.chunks}
    assert [cid.split("#")[1] for cid in chunks] == ["notice", "s1.1", "s1.2", "s2.1", "signature"]
    assert chunks["ai-trainer-2025#s1.2"]["bureaus"] == ["市人力资源社会保障局", "市经济和信息化局", "市算力调度中心"]
    assert any("市算力调度中心" in w and DRAFT_FILE in w for w in result.warnings)
    draft = (corpus / DRAFT_FILE).read_text(encoding="utf-8")
    assert "zh: 市算力调度中心" in draft and "seen_in: ai-trainer-2025#s1.2" in draft
    assert "市算力调度中心" not in (corpus / "bureaus.yaml").read_text(encoding="utf-8")  # never added to the table silently


def test_add_docx_english_articles(corpus, tmp_path):
    result = add_document(notices.docx_file(tmp_path / "data-annotation.docx"), corpus)
    assert result.id == "data-annotation"
    chunks = {c["id"]: c for c in result.chunks}
    assert chunks["data-annotation#1"]["label"] == "Article 1"
    assert chunks["data-annotation#1"]["bureaus"] == ["市人力资源社会保障局", "市财政局"]
    assert chunks["data-annotation#3"]["bureaus"] == ["市经济和信息化局", "市财政局"]
    doc = Catalog.load(corpus).document("data-annotation")
    assert doc.lang == "en" and doc.date == "2025-04-20" and doc.title_en.startswith("Notice on Subsidies for Data Annotation")


def test_add_pdf_chapters_and_articles(corpus, tmp_path):
    result = add_document(notices.pdf_file(tmp_path / "low-altitude.pdf"), corpus, "low-altitude-2025")
    chunks = {c["id"].split("#")[1]: c for c in result.chunks}
    assert list(chunks) == ["preamble", "1", "2", "3", "signature"]
    assert chunks["2"]["label"] == "第二条" and chunks["2"]["bureaus"] == ["市经济和信息化局", "市财政局"]
    doc = Catalog.load(corpus).document("low-altitude-2025")
    assert (doc.title_zh, doc.doc_number, doc.date) == (notices.PDF_TITLE, "京经信发〔2025〕12号", "2025-06-01")
    assert "无人机飞控工程师" in doc.text and "\u2f08" not in doc.text


def test_dry_run_and_json_write_nothing(corpus, tmp_path, capsys):
    page = tmp_path / "ai-trainer.html"
    page.write_text(notices.html_page(), encoding="utf-8")
    before = listing(corpus)
    code, out, _ = run(capsys, "corpus", "add", str(page), "--corpus", str(corpus), "--dry-run", "--json")
    assert code == 0 and listing(corpus) == before
    data = json.loads(out)
    assert set(data) == {"id", "path", "chunks", "warnings"} and data["id"] == "ai-trainer"
    assert {"id", "label", "heading", "bureaus"} <= set(data["chunks"][1])
    code, out, _ = run(capsys, "corpus", "add", str(page), "--corpus", str(corpus))
    assert code == 0 and "wrote" in out and "ai-trainer#s1.1" in out and "warning: bureau not in bureaus.yaml: 市算力调度中心" in out


def test_an_existing_id_needs_replace(corpus, tmp_path, capsys):
    page = tmp_path / "bj-2024.html"
    page.write_text(notices.html_page(), encoding="utf-8")
    before = listing(corpus)
    code, _, err = run(capsys, "corpus", "add", str(page), "--corpus", str(corpus))
    assert code == 2 and listing(corpus) == before
    assert err.count("\n") == 1 and "bj-2024.md already exists; pass --replace" in err
    code, _, err = run(capsys, "corpus", "add", str(page), "--corpus", str(corpus), "--replace")
    assert code == 2 and listing(corpus) == before  # the English rendering's clauses would lose the clauses they render
    assert "does not fit the corpus" in err and "bj-2024-rendering-en" in err


def scanned_pdf(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 150, 200, style="F")  # a page image stands for a scan: no text layer
    pdf.output(str(path))
    return path


def encrypted_pdf(path: Path, tmp_path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(notices.pdf_file(tmp_path / "plain.pdf"))))
    writer.encrypt(user_password="secret", algorithm="AES-256")
    writer.write(str(path))
    return path


def empty_docx(path: Path) -> Path:
    import docx

    docx.Document().save(str(path))
    return path


def huge_file(path: Path) -> Path:
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB, sparse
    return path


BAD_FILES = {
    "scanned.pdf": (scanned_pdf, "no text layer"),
    "locked.pdf": (encrypted_pdf, "encrypted"),
    "empty.docx": (empty_docx, "has no text"),
    "nav-only.html": (lambda p: p.write_text(notices.html_page(paragraphs=[]), encoding="utf-8") and p, "no article text"),
    "huge.pdf": (huge_file, "more than the 20 MB limit"),
    "notice.xlsx": (lambda p: p.write_bytes(b"PK\x03\x04") and p, "unknown file type '.xlsx'"),
    "notice.txt": (lambda p: p.write_bytes(b"\xff\xfe\x00\xd8garbage\x81") and p, "neither UTF-8 nor GB18030"),
    "broken.docx": (lambda p: p.write_bytes(b"not a zip") and p, "not a readable .docx"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_are_one_line_exit_2_and_nothing_written(name, corpus, tmp_path, capsys):
    make, message = BAD_FILES[name]
    path = tmp_path / name
    make(path, tmp_path) if make is encrypted_pdf else make(path)
    before = listing(corpus)
    code, out, err = run(capsys, "corpus", "add", str(path), "--corpus", str(corpus))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err, err
    assert listing(corpus) == before


def test_missing_file_and_bad_id(corpus, tmp_path, capsys):
    code, _, err = run(capsys, "corpus", "add", str(tmp_path / "nope.pdf"), "--corpus", str(corpus))
    assert code == 2 and "no such file" in err
    page = tmp_path / "通知.html"
    page.write_text(notices.html_page(), encoding="utf-8")
    code, _, err = run(capsys, "corpus", "add", str(page), "--corpus", str(corpus))
    assert code == 2 and "pass --id" in err
    with pytest.raises(IngestError, match="not a usable document id"):
        add_document(page, corpus, "Bad Id")


def test_txt_with_markdown_and_front_matter_hints(corpus, tmp_path):
    source = tmp_path / "note.md"
    text = "---\ntitle: 某市补贴办法\nurl: https://example.gov/a\n---\n\n## **（一）每人补贴3000元。**\n\n![](x.png)\n"
    source.write_text(text, encoding="utf-8")
    result = add_document(source, corpus, "note")
    assert "（一）每人补贴3000元。" in result.text and "**" not in result.text.split("---")[-1]
    assert "source: note.md (https://example.gov/a)" in result.text


def test_seed_sources_are_read(corpus):
    result = add_document(next(SEEDS.glob("001_*.txt")), corpus, "national-again", dry_run=True)
    assert [c["id"] for c in result.chunks][1:] == [f"national-again#{n}" for n in range(1, 13)]


def test_a_version_in_the_other_language_becomes_an_aligned_rendering(corpus, tmp_path, capsys):
    page = tmp_path / "ai-trainer.html"
    page.write_text(notices.html_page(), encoding="utf-8")
    add_document(page, corpus, "ai-trainer-2025")
    english = tmp_path / "ai-trainer-en.html"
    english.write_text(notices.html_page(notices.HTML_EN_PARAGRAPHS, notices.HTML_EN_TITLE), encoding="utf-8")
    argv = ["corpus", "add", str(english), "--corpus", str(corpus), "--id", "ai-trainer-2025-en", "--renders", "ai-trainer-2025"]
    code, out, _ = run(capsys, *argv)
    assert code == 0, out
    catalog = Catalog.load(corpus)
    doc = catalog.document("ai-trainer-2025-en")
    assert doc.kind == "rendering" and doc.renders == "ai-trainer-2025"
    rendering = catalog.chunk("ai-trainer-2025-en#s1.1")
    assert rendering.aligned_id == "ai-trainer-2025#s1.1" and "4,800 yuan" in rendering.text
    assert [b.zh for b in rendering.bureaus] == ["市人力资源社会保障局", "市财政局"]  # the official clause's units


def test_a_rendering_that_does_not_align_is_refused(corpus, tmp_path, capsys):
    page = tmp_path / "ai-trainer.html"
    page.write_text(notices.html_page(), encoding="utf-8")
    add_document(page, corpus, "ai-trainer-2025")
    before = listing(corpus)
    extra = tmp_path / "extra.txt"
    extra.write_text("(9) A measure the notice does not have.\n", encoding="utf-8")
    code, _, err = run(capsys, "corpus", "add", str(extra), "--corpus", str(corpus), "--renders", "ai-trainer-2025")
    assert code == 2 and "renders ai-trainer-2025#9, which does not exist" in err and listing(corpus) == before
