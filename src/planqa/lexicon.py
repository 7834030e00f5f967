"""The analysis vocabularies, read once from `planqa/data/lexicon.yaml`.

Every pattern there carries a `serves` note saying which class of question it is for; this module
only compiles them. A list of entries becomes one alternation:

    [{re: 'a|b', serves: …}, {re: 'c', serves: …}]  ->  re.compile('(?:a|b)|(?:c)', re.IGNORECASE)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from planqa.errors import ConfigError
from planqa.text import CJK

LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.yaml"
ASKER_GROUPS = ("kinds", "sizes", "sectors", "interests")


@dataclass(frozen=True)
class Facet:
    """A part of a document's front matter a question asks for, and the line pattern that holds it."""

    asks: re.Pattern[str]
    line: re.Pattern[str] | None


@dataclass(frozen=True)
class Lexicon:
    intents: tuple[tuple[str, re.Pattern[str]], ...]
    bureau_question_words: re.Pattern[str]
    specifics: dict[str, re.Pattern[str]]
    named_kinds: tuple[re.Pattern[str], ...]
    evidence: dict[str, re.Pattern[str]]
    facets: dict[str, Facet]
    parts: dict[str, re.Pattern[str]]
    places: dict[str, re.Pattern[str]]  # a place's Chinese name -> any of its names
    place_background: re.Pattern[str]
    separators: re.Pattern[str]
    comma: re.Pattern[str]
    question_words: re.Pattern[str]
    count_words: re.Pattern[str]
    referents: re.Pattern[str]
    self_markers: re.Pattern[str]
    unnamed_plan: re.Pattern[str]
    asker_asks: re.Pattern[str]
    asker: dict[str, dict[str, re.Pattern[str]]]
    stopwords: frozenset[str]
    everyday: tuple[tuple[re.Pattern[str], str, str], ...] = ()  # (the everyday words, the documents' zh and en word)
    listing_terms: tuple[re.Pattern[str], ...] = ()  # each with a group named `terms`
    term_separators: re.Pattern[str] = re.compile("(?!)")
    joint: re.Pattern[str] = re.compile("(?!)")
    sole: re.Pattern[str] = re.compile("(?!)")
    source_only: re.Pattern[str] = re.compile("(?!)")  # a part asking only whether the documents say it


def _word_pattern(words: list[str]) -> re.Pattern[str]:
    """Any of the words: Chinese ones anywhere, English ones as whole words."""
    alternatives = [re.escape(w) if CJK.search(w) else rf"\b{re.escape(w)}\b" for w in words]
    return re.compile("|".join(sorted(alternatives, key=len, reverse=True)), re.IGNORECASE)


def _place_pattern(zh: str, names: str | list[str]) -> re.Pattern[str]:
    """A place by any of its names: the Chinese one anywhere, English ones as whole words, case aside, except an acronym
    ('US', 'UK'), which only in capitals is the place ('us' is a word)."""
    english = [names] if isinstance(names, str) else list(names)
    return re.compile("|".join([re.escape(zh), *map(_english_name, english)]), re.IGNORECASE)


def _english_name(name: str) -> str:
    """A whole English word or phrase ("U.S." ends in a stop, after which there is no word boundary to ask for); an
    acronym in capitals only."""
    bounded = rf"\b{re.escape(name)}" + (r"\b" if name[-1].isalnum() else "")
    return f"(?-i:{bounded})" if name.isupper() else bounded


def entries(node: Any) -> list[dict[str, Any]]:
    """The pattern entries under a node: a single {re, serves} mapping or a list of them."""
    return [node] if isinstance(node, dict) and "re" in node else list(node)


def compile_entries(node: Any) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{entry['re']})" for entry in entries(node)), re.IGNORECASE)


@functools.cache
def lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """The compiled lexicon; a broken file is a ConfigError naming it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        specifics = data["specifics"]
        asker = data["self_description"]
        return Lexicon(
            intents=tuple((name, compile_entries(node)) for name, node in data["intents"].items()),
            bureau_question_words=compile_entries(data["bureau_question_words"]),
            specifics={name: compile_entries(node["asks"]) for name, node in specifics.items()},
            named_kinds=tuple(re.compile(entry["re"], re.IGNORECASE) for entry in entries(data["named_kinds"])),
            evidence={name: compile_entries(node["evidence"]) for name, node in specifics.items()},
            facets={
                name: Facet(compile_entries(node["asks"]), re.compile(node["line"]) if node["line"] else None)
                for name, node in data["facets"].items()
            },
            parts={name: compile_entries(node) for name, node in data["parts"].items()},
            places={zh: _place_pattern(zh, names) for zh, names in data["places"]["names"].items()},
            place_background=compile_entries(data["places"]["background"]),
            separators=compile_entries(data["compound"]["separators"]),
            comma=compile_entries(data["compound"]["comma"]),
            question_words=compile_entries(data["compound"]["question_words"]),
            count_words=compile_entries(data["compound"]["count_words"]),
            referents=compile_entries(data["compound"]["referents"]),
            source_only=compile_entries(data["compound"]["source_only"]),
            self_markers=compile_entries(asker["markers"]),
            unnamed_plan=compile_entries(data["unnamed_plan"]),
            asker_asks=compile_entries(asker["asks"]),
            asker={group: {name: compile_entries(node) for name, node in asker[group].items()} for group in ASKER_GROUPS},
            stopwords=frozenset(str(word) for group in data["stopwords"] for word in group["words"]),
            everyday=tuple(
                (_word_pattern(group["words"]), str(group["as"]["zh"]), str(group["as"]["en"])) for group in data.get("everyday_words", [])
            ),
            listing_terms=tuple(re.compile(entry["re"], re.IGNORECASE) for entry in entries(data["listing"]["terms"])),
            term_separators=compile_entries(data["listing"]["separators"]),
            joint=compile_entries(data["listing"]["joint"]),
            sole=compile_entries(data["listing"]["sole"]),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"{path}: broken analysis lexicon ({type(exc).__name__}: {exc})") from None
