"""A stand-in embedder for fast tests: deterministic unit vectors from a text hash (no model)."""

from __future__ import annotations

import hashlib

import numpy as np

from planqa.embeddings import BatchEmbeddings


class HashEmbeddings(BatchEmbeddings):
    """Same text -> same vector; `fail_after` batches, it raises (a build killed mid-way)."""

    name = "stub-hash"

    def __init__(self, dim: int = 16, fail_after: int | None = None):
        self._dim, self.fail_after, self.batches, self.embedded = dim, fail_after, 0, 0

    @property
    def dim(self) -> int:
        return self._dim

    def embed_batch(self, texts: list[str], *, query: bool) -> np.ndarray:
        if self.fail_after is not None and self.batches >= self.fail_after:
            raise KeyboardInterrupt("killed")
        self.batches += 1
        self.embedded += len(texts)
        seeds = [int.from_bytes(hashlib.sha256(t.encode("utf-8", "surrogatepass")).digest()[:4], "little") for t in texts]
        return np.vstack([np.random.default_rng(s).standard_normal(self._dim) for s in seeds]).astype(np.float32)


def stub_assistant(catalog, base, settings=None):
    """An Assistant over `catalog` with a hash-embedding index in `base` (no model loaded): fast app and CLI tests."""
    from planqa.answer import ExtractiveAnswerer
    from planqa.chain import Assistant
    from planqa.index import build_index
    from planqa.retrieval import HybridRetriever
    from planqa.settings import Settings

    embedder = HashEmbeddings()
    index = build_index(catalog, embedder, base / "index", base / "cache", show_progress=False)
    retriever = HybridRetriever(catalog=catalog, index=index, embedder=embedder, k=5)
    settings = settings or Settings.load(corpus_dir=str(catalog.corpus_dir), index_dir=str(base / "index"), cache_dir=str(base / "cache"))
    return Assistant(settings, retriever, ExtractiveAnswerer(catalog))
