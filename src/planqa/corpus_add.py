"""`planqa corpus add FILE`: a policy file (HTML, DOCX, PDF, text) becomes DIR/<id>.md, checked first.

The new document is chunked together with the rest of the corpus in a scratch copy before
anything is written, so a file that would break the corpus (a duplicate id, a broken clause)
is refused with nothing changed. The preview lists every chunk with its label and bureaus,
and warns about what a maintainer should look at: bureau names missing from bureaus.yaml
(proposed entries go to bureaus.draft.yaml for review, never into the table itself), measures
with no responsible bureau, paragraphs that look like page furniture, facts not found.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from planqa.corpus import read_data_file
from planqa.errors import IngestError
from planqa.ingest import extract
from planqa.report import write_atomic
from planqa.structure import Draft, structure
from planqa.text import slug

DRAFT_FILE = "bureaus.draft.yaml"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class AddResult:
    """What `corpus add` wrote (or would write): the document id, its path, its chunks and the warnings."""

    id: str
    path: Path
    chunks: list[dict[str, Any]]
    warnings: list[str]
    text: str
    proposed_bureaus: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "path": str(self.path), "chunks": self.chunks, "warnings": self.warnings}


def add_document(
    source: Path,
    corpus_dir: Path,
    doc_id: str | None = None,
    *,
    dry_run: bool = False,
    replace: bool = False,
    kind: str | None = None,
    renders: str | None = None,
) -> AddResult:
    """Extract, structure, check and (unless `dry_run`) write one document; IngestError leaves the corpus untouched.

    `renders` names the document this file is the other-language version of: it becomes a rendering whose
    clauses are aligned with that document's by id (Article 2 <-> 第二条, 1. under II. <-> 1. under 二、).
    """
    from planqa.catalog import Catalog
    from planqa.errors import PlanqaError

    source, corpus_dir = Path(source), Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise IngestError(f"corpus directory {corpus_dir} does not exist; pass --corpus DIR")
    extracted = extract(source)
    doc_id = doc_id or slug(source.stem)
    if not ID_PATTERN.match(doc_id or ""):
        raise IngestError(
            f"{source.name}: {doc_id or 'the file name'!r} is not a usable document id; "
            "pass --id with lower-case letters, digits, '-' or '.'"
        )
    target = corpus_dir / f"{doc_id}.md"
    if target.exists() and not replace:
        raise IngestError(f"{target} already exists; pass --replace to overwrite it, or choose another --id")
    draft = structure(extracted.paragraphs, extracted.title, extracted.date)
    text = render(doc_id, draft, source.name, extracted.source, kind, renders)
    with tempfile.TemporaryDirectory(prefix="planqa-add-") as scratch:
        trial = Path(scratch) / "corpus"
        shutil.copytree(corpus_dir, trial, ignore=shutil.ignore_patterns(".*"))
        (trial / target.name).write_text(text, encoding="utf-8")
        try:
            catalog = Catalog.load(trial)
        except PlanqaError as exc:
            raise IngestError(f"{source.name}: the new document does not fit the corpus: {exc}") from None
    chunks = [c for c in catalog.chunks if c.doc_id == doc_id]
    if not chunks:
        raise IngestError(f"{source.name}: no citable text left after cleaning; check the file has the policy's text")
    unknown = sorted({b.zh for c in chunks for b in c.bureaus if not catalog.table.known(b.zh)})
    warnings = _warnings(draft, chunks, unknown, extracted.notes)
    if not renders:
        other = {"zh": "English", "en": "Chinese"}[draft.lang]
        warnings.append(f"no {other} version yet; {other} questions are answered through one: planqa corpus add FILE --renders {doc_id}")
    if not dry_run:
        write_atomic(target, text)
        if unknown:
            _write_draft(corpus_dir / DRAFT_FILE, unknown, doc_id, chunks)
    preview = [
        {"id": c.id, "label": c.clause, "heading": c.heading, "title": c.title, "bureaus": [b.zh for b in c.bureaus], "chars": len(c.text)}
        for c in chunks
    ]
    return AddResult(doc_id, target, preview, warnings, text, unknown)


def render(doc_id: str, draft: Draft, file_name: str, url: str, kind: str | None, renders: str | None = None) -> str:
    """The corpus file: YAML front matter in the shape corpus.py reads, then the body."""
    title = {draft.lang: draft.title or file_name}
    meta: dict[str, Any] = {
        "id": doc_id,
        "title": title,
        "issuer": "、".join(draft.issuers),
        "issuers": list(draft.issuers),
        "doc_number": draft.doc_number,
        "date": draft.date,
        "lang": draft.lang,
        "kind": "rendering" if renders else kind or ("official" if draft.doc_number else "news"),
        "source": f"{file_name} ({url})" if url else file_name,
    }
    if renders:
        meta["renders"] = renders
    if not draft.issuers:
        del meta["issuers"]
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{draft.body}"


def _warnings(draft: Draft, chunks: list, unknown: list[str], notes: list[str]) -> list[str]:
    warnings = [f"bureau not in bureaus.yaml: {name} (proposed in {DRAFT_FILE}; add its English name, move it over)" for name in unknown]
    measures = [c for c in chunks if c.clause and re.search(r"(^|\.)\d+$", c.local_id)]
    if not measures:
        warnings.append("no numbered measures found (（一）/1./（1）, 第一条, (1), Article N); the text is chunked by headings only")
    elif any(c.bureaus for c in measures):
        warnings += [f"measure with no responsible bureau: {c.id} {c.clause}{c.heading[:30]}" for c in measures if not c.bureaus]
    else:
        warnings.append(f"none of the {len(measures)} measures names a responsible bureau")
    warnings += [f"looks like page furniture, kept: {p[:60]}" for p in draft.furniture]
    facts = (("document number", draft.doc_number), ("date", draft.date), ("issuer", draft.issuers), ("title", draft.title))
    for field_name, value in facts:
        if not value:
            warnings.append(f"no {field_name} found; fill it in the front matter")
    if draft.dropped:
        warnings.append(f"{draft.dropped} furniture paragraph(s) dropped (buttons, images, share bars)")
    return warnings + [f"extraction: {note}" for note in notes]


def _write_draft(path: Path, names: list[str], doc_id: str, chunks: list) -> None:
    """Add proposed bureau entries to the review file, keeping what is already proposed there."""
    data = read_data_file(path) if path.is_file() else None
    rows = list((data or {}).get("bureaus") or []) if isinstance(data, dict) else []
    have = {str(row.get("zh")) for row in rows if isinstance(row, dict)}
    for name in names:
        if name not in have:
            seen = next(c.id for c in chunks if any(b.zh == name for b in c.bureaus))
            rows.append({"zh": name, "en": "", "aliases": [], "seen_in": seen})
    header = (
        f"# Bureau names printed in documents added with 'planqa corpus add' (last: {doc_id}) but missing from bureaus.yaml.\n"
        "# Review each: fill in the official English name and the names people use, then move the entry to bureaus.yaml.\n"
    )
    write_atomic(path, header + yaml.safe_dump({"bureaus": rows}, allow_unicode=True, sort_keys=False))


def preview_text(result: AddResult, dry_run: bool) -> str:
    """The human-readable preview printed by `planqa corpus add`."""
    lines = [f"{'would write' if dry_run else 'wrote'} {result.path} ({len(result.chunks)} chunks)"]
    for chunk in result.chunks:
        bureaus = "、".join(chunk["bureaus"])
        lines.append(f"  {chunk['id']:<28} {chunk['title'][:50]}" + (f"  [{bureaus}]" if bureaus else ""))
    lines += [f"warning: {w}" for w in result.warnings]
    if not dry_run:
        lines.append("next: 'planqa corpus diff' against the live corpus, then 'planqa index' (or 'planqa corpus update DIR --apply')")
    return "\n".join(lines)
