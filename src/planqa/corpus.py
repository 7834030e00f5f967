"""Load the corpus: one Markdown file per document, with YAML front matter.

A corpus directory holds `*.md` documents and `bureaus.yaml` (the bilingual table of
responsible units). Every problem is reported with the file's name and what to fix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import yaml

from planqa.errors import CorpusError
from planqa.records import Document

KINDS = ("official", "summary", "news", "research", "rendering")
LANGS = ("zh", "en")
REQUIRED = ("id", "title", "issuer", "doc_number", "date", "lang", "kind", "source")
FENCE = "---"
# A policy document is tens of kilobytes (the largest here is 26 KB); a file 40 times that is almost
# certainly not one, and indexing it would take hours. Split a genuinely long document into parts.
MAX_FILE_BYTES = 1_000_000


def load_documents(corpus_dir: Path) -> list[Document]:
    """Every document under `corpus_dir`, sorted by file name, with cross-references checked."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus directory {corpus_dir} does not exist; set PLANQA_CORPUS or pass --corpus DIR")
    paths = sorted(corpus_dir.glob("*.md"))
    for path in paths:
        _check_readable(path)
    if not paths:
        raise CorpusError(f"corpus directory {corpus_dir} has no *.md documents")
    documents = [parse_document(path) for path in paths]
    _check_references(documents)
    return documents


def _check_readable(path: Path) -> None:
    """A corpus file must be a regular file (not a directory or a broken link) of at most MAX_FILE_BYTES."""
    try:
        info = path.stat()
    except OSError as exc:
        raise CorpusError(f"{path.name}: cannot be read ({exc.strerror}); fix or remove it") from None
    if path.is_dir():
        raise CorpusError(f"{path.name} is a directory, not a document; rename or move it out of the corpus directory")
    if info.st_size > MAX_FILE_BYTES:
        raise CorpusError(
            f"{path.name} is {info.st_size / 1e6:.1f} MB; a corpus file may be at most {MAX_FILE_BYTES / 1e6:g} MB "
            "(check it is the right file, or split the document into several)"
        )


def corpus_files(corpus_dir: Path) -> dict[str, str]:
    """File name -> SHA-256 of every file that makes up the corpus (documents and data); unreadable entries are skipped."""
    found = {}
    for path in sorted(Path(corpus_dir).iterdir()):
        if path.suffix in (".md", ".yaml", ".yml") and path.is_file():
            try:
                found[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                continue
    return found


def read_data_file(path: Path) -> Any:
    """The parsed YAML of a corpus data file (bureaus.yaml, tags.yaml); unreadable text or broken YAML is a CorpusError."""
    _check_readable(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CorpusError(f"{path.name}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path.name}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        raise CorpusError(f"{path.name}: broken YAML{line}: {getattr(exc, 'problem', exc)}") from None
    except ValueError as exc:  # a YAML date or number out of range, e.g. 2024-13-45
        raise CorpusError(f"{path.name}: invalid value: {exc}") from None


def parse_document(path: Path) -> Document:
    """Parse one corpus file; the body keeps its exact characters so spans index the file text."""
    _check_readable(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path.name}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise CorpusError(f"{path.name}: cannot be read ({exc.strerror}); fix or remove it") from None
    meta, body_start = _split_front_matter(path, text)
    missing = [key for key in REQUIRED if key not in meta]
    if missing:
        raise CorpusError(f"{path.name}: front matter is missing {', '.join(missing)} (required: {', '.join(REQUIRED)})")
    title = meta["title"]
    if not isinstance(title, dict) or not (title.get("zh") or title.get("en")):
        raise CorpusError(f"{path.name}: title must be a mapping with 'zh' and/or 'en', got {title!r}")
    if meta["lang"] not in LANGS:
        raise CorpusError(f"{path.name}: lang must be one of {', '.join(LANGS)}, got {meta['lang']!r}")
    if meta["kind"] not in KINDS:
        raise CorpusError(f"{path.name}: kind must be one of {', '.join(KINDS)}, got {meta['kind']!r}")
    doc_id = str(meta["id"])
    if not doc_id or "#" in doc_id or any(c.isspace() for c in doc_id):
        raise CorpusError(f"{path.name}: id must be non-empty without spaces or '#', got {doc_id!r}")
    if meta["kind"] == "rendering" and not meta.get("renders"):
        raise CorpusError(f"{path.name}: a document of kind 'rendering' must name the document it renders in 'renders'")
    aliases = meta.get("aliases") or []
    if not isinstance(aliases, list):
        raise CorpusError(f"{path.name}: aliases must be a list of names users call the document by, got {aliases!r}")
    related = meta.get("related") or []
    if not isinstance(related, list):
        raise CorpusError(f"{path.name}: related must be a list of document ids, got {related!r}")
    return Document(
        id=doc_id,
        title_zh=str(title.get("zh") or ""),
        title_en=str(title.get("en") or ""),
        lang=meta["lang"],
        kind=meta["kind"],
        issuer=_text(meta["issuer"]),
        doc_number=_text(meta["doc_number"]),
        date=_text(meta["date"]),
        source=_text(meta["source"]),
        path=path,
        text=text,
        body_start=body_start,
        renders=meta.get("renders"),
        summarizes=meta.get("summarizes"),
        related=tuple(str(r) for r in related),
        status=_text(meta.get("status", "")),
        aliases=tuple(str(a) for a in aliases),
        meta=tuple((k, v) for k, v in meta.items() if k not in REQUIRED),
    )


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], int]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise CorpusError(f"{path.name}: missing front matter; the file must start with a '---' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise CorpusError(f"{path.name}: front matter is not closed; add a '---' line after it") from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 2})" if where else ""
        raise CorpusError(f"{path.name}: broken YAML front matter{line}: {getattr(exc, 'problem', exc)}") from None
    except ValueError as exc:  # YAML reads 2024-13-45 as a date and fails
        raise CorpusError(f"{path.name}: invalid value in the front matter ({exc}); dates are YYYY-MM-DD, e.g. 2024-05-31") from None
    if not isinstance(meta, dict):
        raise CorpusError(f"{path.name}: front matter must be a YAML mapping of fields")
    body_start = sum(len(line) + 1 for line in lines[: end + 1])
    return meta, min(body_start, len(text))


def _text(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def _check_references(documents: list[Document]) -> None:
    seen: dict[str, Path] = {}
    for doc in documents:
        if doc.id in seen:
            raise CorpusError(f"{doc.path.name}: duplicate document id {doc.id!r} (also in {seen[doc.id].name})")
        seen[doc.id] = doc.path
    for doc in documents:
        for key, target in (("renders", doc.renders), ("summarizes", doc.summarizes)):
            if target and target not in seen:
                raise CorpusError(f"{doc.path.name}: {key} names unknown document {target!r}")
        for target in doc.related:
            if target not in seen:
                raise CorpusError(f"{doc.path.name}: related names unknown document {target!r}")
