"""`corpus add` on the raw source texts in tests/data/seeds/ gives the committed corpus's chunk ids and clause texts.

Every difference is listed here with its reason (and in docs/corpus-update.md); anything else — a
clause that changes, a measure that goes missing, a new chunk — fails the test.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from planqa.catalog import Catalog
from planqa.corpus_add import add_document

from .conftest import CORPUS, SEEDS

# doc id -> {local id: why it differs}; "-" = only in the committed file, "+" = only in corpus add's output, "~" = text differs.
EXPECTED = {
    "bj-2024": {
        "-goals": "the committed file names section 一、目标任务 'goals'; corpus add names sections by number (s1)",
        "+s1": "the same section 一、目标任务, numbered",
        "+title1": "the WeChat repost's own title line and subscription box before the notice (flagged as page furniture)",
        "~closing": "the repost's trailer after the closing paragraph ('（来源：首都之窗网站）', adverts) is kept and flagged",
    },
    "national-2024": {
        "~intro": "the source page starts with its (truncated) page title 'Digital Talent Training Initiativ', dropped by hand",
    },
    "ai-talent-2025": {
        "-front": "title, author and affiliation: the committed file marks the title line as a heading by hand",
        "-abstract": "the abstract has no numbering; the committed file anchors it by hand",
        "+intro.1": "title block and abstract, packed by paragraphs instead",
        "+intro.2": "(continued)",
        "~s2.B.1": "the same subsection text, packed at a different paragraph boundary",
        "~s2.B.2": "(continued)",
        "-acknowledgment": "an unnumbered all-capitals heading the committed file marks by hand",
        "~s4": "so the acknowledgment stays in the conclusion",
    },
    "bj-2024-en": {
        "-overview": "the English summary has no headings or numbering; the committed file anchors its paragraphs by hand",
        "-s2": "(anchored by hand)", "-s3": "(anchored by hand)", "-s4": "(anchored by hand)", "-s5": "(anchored by hand)",
        "+intro.1": "the same paragraphs, packed by size", "+intro.2": "", "+intro.3": "", "+intro.4": "", "+intro.5": "",
    },
    "bj-2023-skills": {
        "-tldr": "the news report's headings are unnumbered lines; the committed file marks them by hand",
        "-report": "", "-evaluation": "", "-workforce": "",
        "+intro.1": "the same paragraphs, packed by size", "+intro.2": "", "+intro.3": "", "+intro.4": "",
    },
}  # fmt: skip


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("**", ""))


@pytest.fixture(scope="module")
def live() -> Catalog:
    return Catalog.load(CORPUS)


@pytest.mark.parametrize("doc_id", list(EXPECTED))
def test_corpus_add_on_the_seed_reproduces_the_committed_document(doc_id, live, tmp_path: Path):
    doc = live.document(doc_id)
    target = tmp_path / "corpus"
    target.mkdir()
    shutil.copy(CORPUS / "bureaus.yaml", target)
    add_document(SEEDS / dict(doc.meta)["seed"], target, doc_id)
    made = {c.local_id: c for c in Catalog.load(target).chunks_of(doc_id)}
    committed = {c.local_id: c for c in live.chunks_of(doc_id)}
    differences = {f"-{k}" for k in committed.keys() - made.keys()} | {f"+{k}" for k in made.keys() - committed.keys()}
    differences |= {f"~{k}" for k in committed.keys() & made.keys() if squash(committed[k].text) != squash(made[k].text)}
    assert differences == set(EXPECTED[doc_id])
    for local_id in committed.keys() & made.keys():
        assert made[local_id].clause == committed[local_id].clause and made[local_id].heading == committed[local_id].heading
        assert made[local_id].bureaus == committed[local_id].bureaus, local_id


def test_packed_parts_hold_the_same_text_together(live, tmp_path):
    target = tmp_path / "corpus"
    target.mkdir()
    shutil.copy(CORPUS / "bureaus.yaml", target)
    add_document(SEEDS / dict(live.document("ai-talent-2025").meta)["seed"], target, "ai-talent-2025")
    made = Catalog.load(target).chunks_of("ai-talent-2025")
    whole = lambda chunks: squash("".join(c.text for c in chunks if c.local_id.startswith("s2.B")))  # noqa: E731
    assert whole(made) == whole(live.chunks_of("ai-talent-2025"))
