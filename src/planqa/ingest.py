"""Read a policy file of any supported format into plain paragraphs: one paragraph per line.

    notice.html  -> the article only (navigation, breadcrumbs, search, share, related links, footer removed)
    notice.docx  -> the document's paragraphs and table rows
    notice.pdf   -> the text layer, NFKC-normalised ('⼈' -> '人'), lines wrapped by the layout joined,
                    running headers, footers and page numbers dropped
    notice.txt / .md -> the text (a leading '---' front matter block is read as hints, not text)

Every unreadable file is an IngestError naming the file and what to do, raised before anything is
written. Heavy parsers (trafilatura, pypdf, python-docx) are imported only for their format.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from planqa.errors import IngestError
from planqa.structure import DOC_NUMBER

MAX_BYTES = 20 * 1024 * 1024  # a policy notice is kilobytes; a bigger file is a scan, an archive or a mistake
FORMATS = {".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf", ".txt": "text", ".md": "text"}
# A paragraph ends here; a PDF line that does not end so was wrapped by the layout and is joined to the next.
PARAGRAPH_END = re.compile(r"[。！？；：:;!?）)」』”\"]$|\.$")
# A line that starts a new unit even when the line before did not end a sentence.
NEW_UNIT = re.compile(
    r"^(第[一二三四五六七八九十百零〇]+[章条节]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|[（(]\d{1,3}[）)]|\d{1,2}(?:[.．](?!\d)|、)"
    r"|[IVXL]+\.\s|[A-Z]\.\s|Article\s+\d|Chapter\s+\w|(?:责任单位|牵头单位|配合单位)[:：]|\d{4}年\d{1,2}月\d{1,2}日$"
    r"|[\u4e00-\u9fff]{2,8}[〔\[［]\d{4}[〕\]］]\d{1,4}号$)"
)
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*/?\s*共\s*\d{1,4}\s*页)?|Page\s+\d{1,4}(?:\s+of\s+\d{1,4})?"
    r"|\d{1,4}\s*/\s*\d{1,4})$",
    re.I,
)


@dataclass(frozen=True)
class Extracted:
    """The paragraphs of a file, plus what the format itself says about the document."""

    paragraphs: list[str]
    title: str = ""
    date: str = ""
    source: str = ""
    format: str = ""
    notes: list[str] = field(default_factory=list)  # what extraction removed, for the preview


def extract(path: Path) -> Extracted:
    """The paragraphs of `path`; IngestError for an unknown extension, a huge or empty file, or no text."""
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise IngestError(f"{path.name}: unknown file type {path.suffix or '(none)'!r}; give a .html, .htm, .docx, .pdf, .txt or .md file")
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        limit = MAX_BYTES // (1024 * 1024)
        raise IngestError(f"{path.name}: {size / 1e6:.0f} MB is more than the {limit} MB limit; is it really one policy notice?")
    if size == 0:
        raise IngestError(f"{path.name}: the file is empty")
    result = {"html": _html, "docx": _docx, "pdf": _pdf, "text": _text}[kind](path)
    paragraphs = [p for p in (_clean(p) for p in result.paragraphs) if p]
    if not paragraphs:
        raise IngestError(f"{path.name}: no text found in this {kind} file")
    return Extracted(paragraphs, result.title.strip(), result.date, result.source, kind, result.notes)


def _clean(paragraph: str) -> str:
    """NFKC (full-width digits and Kangxi radicals to their usual forms, keeping Chinese punctuation), no control characters."""
    chars = (ch for ch in paragraph if ch == "\t" or unicodedata.category(ch) != "Cc")
    text = "".join(ch if ch in KEEP_WIDE else unicodedata.normalize("NFKC", ch) for ch in chars)
    return re.sub(r"[ \t\u3000\xa0]+", " ", text).strip()


# NFKC would turn these full-width marks into ASCII ones; Chinese text prints them full-width.
KEEP_WIDE = frozenset("，。；：！？（）【】〔〕《》、“”‘’「」『』")


def _html(path: Path) -> Extracted:
    import trafilatura

    html = _decode(path, path.read_bytes())
    text = trafilatura.extract(html, output_format="txt", include_tables=True, include_comments=False, favor_precision=False)
    # With no article, the extractor falls back to the page's links: an article has at least one sentence.
    if not text or not any(len(line) >= 15 and re.search(r"[。！？；.!?;]$", line.strip()) for line in text.splitlines()):
        raise IngestError(f"{path.name}: no article text found in this page (only navigation or boilerplate); save the notice's own page")
    lines = text.splitlines()
    if not DOC_NUMBER.search(text) and (number := _page_doc_number(html)):
        lines.insert(0, number)  # printed under the title, outside the article's own block
    meta = trafilatura.extract_metadata(html)
    title = (meta.title if meta else "") or ""
    # 'Title_政策文件_首都之窗' / '首都之窗 | Title' -> 'Title': the site's name and section are the short parts.
    title = max(re.split(r"\s*(?:[_|｜]|\s-\s)\s*", title), key=len)
    date, url = (meta.date or "", meta.url or "") if meta else ("", "")
    return Extracted(lines, title, date, url, notes=["web-page furniture removed"])


def _page_doc_number(html: str) -> str:
    """A document number that an element of the page holds alone ('<p class="doc-number">京人社发〔2025〕3号</p>'), or ''.

    Pages often print it between the title and the article's own block, which the extractor leaves out as page
    furniture; an element holding nothing else is the number itself, not a reference to another document.
    """
    from lxml import html as lxml_html

    for element in lxml_html.fromstring(html).iter():
        text = element.text_content().strip() if isinstance(element.tag, str) else ""
        if len(text) <= 40 and DOC_NUMBER.fullmatch(text):
            return text
    return ""


def _docx(path: Path) -> Extracted:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise IngestError(f"{path.name}: not a readable .docx file ({exc}); open and save it again in Word or LibreOffice") from None
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells if cell.text.strip()))
            paragraphs.append(" ".join(cells))
    if not any(p.strip() for p in paragraphs):
        raise IngestError(f"{path.name}: the document has no text")
    return Extracted(paragraphs, document.core_properties.title or "")


def _pdf(path: Path) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(f"{path.name}: the PDF is encrypted; save an unlocked copy (print to PDF) and add that")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError) as exc:
        raise IngestError(f"{path.name}: not a readable PDF ({exc})") from None
    if sum(len(p.strip()) for p in pages) < 20:
        raise IngestError(f"{path.name}: the PDF has no text layer (a scan?); run OCR on it first, or add the text as .txt")
    title = str((reader.metadata or {}).get("/Title") or "")
    paragraphs, notes = pdf_paragraphs(pages)
    return Extracted(paragraphs, title, notes=notes)


def pdf_paragraphs(pages: list[str]) -> tuple[list[str], list[str]]:
    """Paragraphs from page texts: furniture dropped, lines wrapped by the layout joined (also across pages).

    ['头\\n第一段前半\\n后半。\\n- 1 -', '头\\n第二段。\\n- 2 -'] -> ['第一段前半后半。', '第二段。'] (with '头' repeated on every page)
    """
    pages = [[_clean(line) for line in page.splitlines()] for page in pages]
    pages = [[line for line in page if line] for page in pages]
    furniture = _running_lines(pages)
    lines: list[str] = []
    dropped = 0
    for page in pages:
        for line in page:
            if PAGE_NUMBER.match(line) or _shape(line) in furniture:
                dropped += 1
            else:
                lines.append(line)
    paragraphs: list[str] = []
    for line in lines:
        if paragraphs and not PARAGRAPH_END.search(paragraphs[-1]) and not NEW_UNIT.match(line):
            paragraphs[-1] = _join(paragraphs[-1], line)
        else:
            paragraphs.append(line)
    notes = [f"{dropped} running header, footer or page-number line(s) dropped"] if dropped else []
    return paragraphs, notes


def _shape(line: str) -> str:
    """A line with its digits masked, so 'Page 3 of 9' and 'Page 4 of 9' are the same running line."""
    return re.sub(r"\d+", "#", line)


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines among the first or last two of a page that recur on at least half the pages (and on two or more)."""
    if len(pages) < 2:
        return set()
    counts = Counter(shape for page in pages for shape in {_shape(line) for line in page[:2] + page[-2:]})
    return {shape for shape, count in counts.items() if count >= max(2, len(pages) / 2)}


def _join(left: str, right: str) -> str:
    """Join a wrapped line: Chinese directly, English with a space (a hyphen at a break is removed)."""
    if re.search(r"[A-Za-z]-$", left) and right[:1].islower():
        return left[:-1] + right
    if re.search(r"[A-Za-z0-9,]$", left) and re.match(r"[A-Za-z0-9(]", right):
        return f"{left} {right}"
    return left + right


def _text(path: Path) -> Extracted:
    text = _decode(path, path.read_bytes())
    hints: dict = {}
    if text.startswith("---\n"):
        head, sep, rest = text[4:].partition("\n---\n")
        try:
            loaded = yaml.safe_load(head) if sep else None
        except yaml.YAMLError:
            loaded = None
        if isinstance(loaded, dict):
            hints, text = loaded, rest
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        for line in (_strip_markdown(line) for line in lines):  # saved pages often come as Markdown, whatever the extension
            if paragraphs and line[:1].islower() and not PARAGRAPH_END.search(paragraphs[-1]):
                paragraphs[-1] = _join(paragraphs[-1], line)  # an English sentence cut by a page break
            elif line:
                paragraphs.append(line)
    url = str(hints.get("url") or hints.get("source") or "")
    return Extracted(paragraphs, str(hints.get("title") or ""), str(hints.get("date") or ""), url)


def _strip_markdown(line: str) -> str:
    """'## **Title**' -> 'Title': headings are found again from the numbering, so Markdown marks go (images stay for furniture.yaml)."""
    line = re.sub(r"^#{1,6}\s+", "", line)
    line = re.sub(r"\s*\{#[\w.-]+\}\s*$", "", line)
    return line.replace("**", "").strip()


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, the encodings Chinese government files come in."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(f"{path.name}: the text is neither UTF-8 nor GB18030; save it as UTF-8")
