"""Shared fixtures: the real corpus, a made-up mini corpus, and a private cache/index per test run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planqa.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"
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
