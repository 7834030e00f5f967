"""'What applies to us': clause tags load from corpus/tags.yaml, are checked against the corpus, and match profiles."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from planqa.catalog import Catalog
from planqa.corpus import corpus_files
from planqa.errors import CorpusError
from planqa.profile import AUDIENCES, BENEFITS, ClauseTags, Profile

from .conftest import CORPUS, MINI


@pytest.fixture(scope="module")
def tags(catalog) -> ClauseTags:
    return ClauseTags.load(catalog)


def ids(tags: ClauseTags, *args, **kwargs) -> list[str]:
    return [m.chunk.id for m in tags.match(Profile(*args, **kwargs))]


def test_every_official_measure_is_tagged(tags, catalog):
    measures = {c.id for c in catalog.chunks if c.doc_id in ("bj-2024", "national-2024") and c.local_id.isdigit()}
    assert set(tags.facets) == measures and len(measures) == 28
    for facets in tags.facets.values():
        for facet in facets:
            assert facet.quote in catalog.chunk(facet.clause_id).text
            assert facet.why_zh and facet.why_en and facet.audiences <= set(AUDIENCES) and facet.benefits <= set(BENEFITS)


def test_tags_are_part_of_the_index_manifest():
    assert "tags.yaml" in corpus_files(CORPUS)  # editing the tags makes the index stale, like any corpus file


def test_small_digital_firm_looking_for_funding(tags):
    found = ids(tags, "enterprise", "micro_small", "digital", frozenset({"funding"}))
    assert {"bj-2024#15", "national-2024#4"} <= set(found)
    assert "bj-2024#15" not in ids(tags, "enterprise", "large", "digital", frozenset({"funding"}))  # "little giants" are SMEs


def test_sector_filters_enterprise_facets(tags):
    assert "bj-2024#10" in ids(tags, "enterprise", "micro_small", "digital", frozenset({"titles"}))
    assert "bj-2024#10" not in ids(tags, "enterprise", "micro_small", "manufacturing", frozenset({"titles"}))


def test_returnee_founder_gets_the_returnee_measures_first(tags):
    matches = tags.match(Profile("individual", interests=frozenset({"returnees", "entrepreneurship"})))
    top = [m.chunk.id for m in matches if m.met == ("entrepreneurship", "returnees")]
    assert top == ["bj-2024#1", "bj-2024#8", "national-2024#3"]
    assert [m.chunk.id for m in matches[:3]] == top


def test_public_institution_pay_and_matches_carry_why_and_quote(tags, catalog):
    (match,) = [m for m in tags.match(Profile("public_institution", interests=frozenset({"incentives"}))) if m.chunk.id == "bj-2024#11"]
    assert match.met == ("incentives",)
    assert "不受本单位绩效工资总量限制" in match.facets[0].quote and "performance-pay cap" in match.facets[0].why_en


def test_no_interests_lists_everything_for_the_type(tags):
    assert ids(tags, "government") == ["bj-2024#13", "bj-2024#14", "bj-2024#16"]
    training = ids(tags, "training_body")
    assert "bj-2024#7" in training and "bj-2024#11" not in training


def test_profile_rejects_unknown_values():
    with pytest.raises(ValueError, match="unknown profile type"):
        Profile("alien")
    with pytest.raises(ValueError, match="unknown interest"):
        Profile("enterprise", interests=frozenset({"free lunch"}))


def test_corpus_without_tags_has_none():
    assert len(ClauseTags.load(Catalog.load(MINI))) == 0


def _damage(corpus: Path, change) -> None:
    path = corpus / "tags.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["clauses"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.update({"bj-2024#99": c["bj-2024#1"]}), "'bj-2024#99' is not an official measure"),
        (lambda c: c.update({"bj-2024-rendering-en#7": c["bj-2024#7"]}), "'bj-2024-rendering-en#7' is not an official measure"),
        (lambda c: c.update({"bj-2024#s2": c["bj-2024#7"]}), "'bj-2024#s2' is not an official measure"),
        (lambda c: c["bj-2024#7"][0]["audiences"].append("aliens"), "unknown audiences value(s) aliens"),
        (lambda c: c["bj-2024#7"][0].update(benefits=["free lunch"]), "unknown benefits value(s) free lunch"),
        (lambda c: c["bj-2024#7"][0].update(sizes=["huge"]), "unknown sizes value(s) huge"),
        (lambda c: c["bj-2024#7"][0].update(quote="不在条款里的句子"), "quote must be copied verbatim"),
        (lambda c: c["bj-2024#7"][0].pop("why"), "why needs one line"),
        (lambda c: c["bj-2024#7"][0].update(audience=["enterprise"]), "unknown field(s) audience"),
    ],
)
def test_bad_tags_are_a_corpus_error_naming_the_file(corpus_copy, change, message):
    _damage(corpus_copy, change)
    with pytest.raises(CorpusError, match=r"tags\.yaml") as error:
        ClauseTags.load(Catalog.load(corpus_copy))
    assert message in str(error.value)


def test_broken_tags_yaml(corpus_copy):
    (corpus_copy / "tags.yaml").write_text("clauses: [unclosed\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"tags\.yaml: broken YAML"):
        ClauseTags.load(Catalog.load(corpus_copy))
