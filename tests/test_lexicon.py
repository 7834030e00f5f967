"""The analysis vocabularies are reviewed data, and nothing in the code is keyed to an evaluation question."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from planqa.lexicon import LEXICON_FILE, lexicon
from planqa.text import normalise

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "eval"


def _pattern_entries(node: object, path: str = "") -> list[tuple[str, dict]]:
    """Every mapping with a 're' key anywhere in the lexicon, with where it sits."""
    found = []
    if isinstance(node, dict):
        if "re" in node:
            found.append((path, node))
        for key, value in node.items():
            if key != "re":
                found += _pattern_entries(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _pattern_entries(value, f"{path}[{i}]")
    return found


def test_every_lexicon_entry_says_what_it_serves():
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    entries = _pattern_entries(data)
    assert len(entries) > 40
    for path, entry in entries:
        assert isinstance(entry.get("serves"), str) and len(entry["serves"].split()) >= 2, f"{path} has no 'serves' note"
    for group in data["stopwords"]:
        assert group.get("serves") and group.get("words"), "every stopword group says which class of word it holds"
    assert data["places"].get("serves")


def test_the_lexicon_compiles_and_keeps_its_classes():
    lex = lexicon()
    intents = ["bureau_measures", "metadata", "responsible_bureau", "mentions", "title_route", "eligibility"]
    assert [name for name, _ in lex.intents] == intents
    assert set(lex.specifics) == set(lex.evidence)
    assert "的" in lex.stopwords and "the" in lex.stopwords


def _questions() -> list[str]:
    texts = []
    for path in EVAL.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                texts += [item.get("question", "")] + [turn.get("question", "") for turn in item.get("turns", [])]
    return [t for t in texts if t]


@pytest.mark.parametrize("path", sorted((ROOT / "src").rglob("*.*")), ids=lambda p: p.name)
def test_no_evaluation_question_is_written_into_the_code(path: Path):
    """A question text (or its body without the question mark) in src/ is tuning to that question."""
    if path.suffix not in (".py", ".yaml", ".toml", ".json", ".md"):
        return
    source = normalise(path.read_text(encoding="utf-8"))
    for question in _questions():
        body = normalise(re.sub(r"[？?。.!！]+$", "", question))
        if len(body) >= 8:
            assert body not in source, f"{path.name} holds the evaluation question {question!r}"
