""" "What applies to us": match an organisation's profile against clause tags kept as corpus data.

Who a measure is for and what it offers is read from the clause text once, by a person, and kept in
corpus/tags.yaml next to the documents, so a corpus update and its tags are reviewed together and the
app never hard-codes answers. Every tagged id, tag value and quote is checked against the loaded
corpus: a tag that points at a clause that moved or a quote that no longer appears is a CorpusError.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planqa.catalog import Catalog
from planqa.corpus import read_data_file
from planqa.errors import CorpusError
from planqa.records import Chunk

TAGS_FILE = "tags.yaml"

# Tag values with their labels (zh, en); the app's form is built from these.
AUDIENCES: dict[str, tuple[str, str]] = {
    "enterprise": ("企业", "Enterprise"),
    "public_institution": ("事业单位", "Public institution"),
    "university": ("高校、职业院校", "University or college"),
    "training_body": ("培训机构", "Training body"),
    "individual": ("个人（数字人才）", "Individual (digital professional)"),
    "government": ("政府部门", "Government department"),
}
SIZES: dict[str, tuple[str, str]] = {
    "micro_small": ("小微企业", "Small or micro"),
    "medium": ("中型企业", "Medium"),
    "large": ("大型企业", "Large"),
}
SECTORS: dict[str, tuple[str, str]] = {
    "digital": ("数字经济（人工智能、软件、数据、集成电路等）", "Digital economy (AI, software, data, chips…)"),
    "manufacturing": ("制造业及传统产业数字化转型", "Manufacturing or industry going digital"),
    "other": ("其他行业", "Other sectors"),
}
BENEFITS: dict[str, tuple[str, str]] = {
    "training": ("培训与补贴", "Training and subsidies"),
    "titles": ("职称与技能等级证书", "Professional titles and skill certificates"),
    "introduction": ("人才引进", "Talent introduction"),
    "entrepreneurship": ("创新创业", "Entrepreneurship"),
    "returnees": ("留学回国人员创业", "Returnee founders"),
    "funding": ("资金与投资", "Funding"),
    "incentives": ("薪酬、奖励与服务保障", "Pay, awards and services"),
}
VOCABULARY = {"audiences": AUDIENCES, "benefits": BENEFITS, "sizes": SIZES, "sectors": SECTORS}
TAGGED_DOCS = ("bj-2024", "national-2024")


@dataclass(frozen=True)
class Facet:
    """What one measure offers one group: tags, a one-line why in both languages, and its verbatim quote."""

    clause_id: str
    audiences: frozenset[str]
    benefits: frozenset[str]
    sizes: frozenset[str]
    sectors: frozenset[str]
    why_zh: str
    why_en: str
    quote: str

    def why(self, lang: str) -> str:
        return self.why_zh if lang == "zh" else self.why_en


@dataclass(frozen=True)
class Profile:
    """Who is asking: the kind of organisation, for enterprises size and sector, and what they are interested in."""

    kind: str
    size: str | None = None
    sector: str | None = None
    interests: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.kind not in AUDIENCES:
            raise ValueError(f"unknown profile type {self.kind!r}; known: {', '.join(AUDIENCES)}")
        for value, known in ((self.size, SIZES), (self.sector, SECTORS)):
            if value is not None and value not in known:
                raise ValueError(f"unknown profile value {value!r}; known: {', '.join(known)}")
        unknown = sorted(set(self.interests) - set(BENEFITS))
        if unknown:
            raise ValueError(f"unknown interest(s) {', '.join(unknown)}; known: {', '.join(BENEFITS)}")

    def fits(self, facet: Facet) -> bool:
        """The facet is for this kind of organisation and, for an enterprise, its size and sector (when given)."""
        if self.kind not in facet.audiences:
            return False
        if self.kind == "enterprise":
            if self.size and facet.sizes and self.size not in facet.sizes:
                return False
            if self.sector and facet.sectors and self.sector not in facet.sectors:
                return False
        return not self.interests or bool(self.interests & facet.benefits)


@dataclass(frozen=True)
class Match:
    """A measure that applies: the facets that fit (best first) and the interests they meet together."""

    chunk: Chunk
    facets: tuple[Facet, ...]
    met: tuple[str, ...]


class ClauseTags:
    """The tags of every tagged official clause, in corpus order; empty when the corpus has no tags file."""

    def __init__(self, catalog: Catalog, facets: Iterable[Facet], path: Path | None = None):
        self.catalog = catalog
        self.path = path
        self.facets: dict[str, list[Facet]] = {}
        for facet in facets:
            self.facets.setdefault(facet.clause_id, []).append(facet)

    @classmethod
    def load(cls, catalog: Catalog) -> ClauseTags:
        path = catalog.corpus_dir / TAGS_FILE
        if not path.is_file():
            return cls(catalog, [], None)
        data = read_data_file(path)
        clauses = data.get("clauses") if isinstance(data, dict) else None
        if not isinstance(clauses, dict):
            raise CorpusError(f"{TAGS_FILE}: expected a top-level 'clauses:' mapping of clause id -> list of facets")
        facets = [facet for clause_id, rows in clauses.items() for facet in _parse_clause(str(clause_id), rows, catalog)]
        return cls(catalog, facets, path)

    def __len__(self) -> int:
        return len(self.facets)

    def match(self, profile: Profile) -> list[Match]:
        """Every tagged measure with a facet that fits the profile: most interests met first, then corpus order."""
        order = {chunk_id: n for n, chunk_id in enumerate(self.catalog.chunk_map)}
        matches = []
        for clause_id, facets in self.facets.items():
            fitting = sorted((f for f in facets if profile.fits(f)), key=lambda f: -len(profile.interests & f.benefits))
            if fitting:
                offered = frozenset().union(*(f.benefits for f in fitting))
                met = tuple(b for b in BENEFITS if b in profile.interests & offered)
                matches.append(Match(self.catalog.chunk(clause_id), tuple(fitting), met))
        return sorted(matches, key=lambda m: (-len(m.met), order[m.chunk.id]))


def _parse_clause(clause_id: str, rows: Any, catalog: Catalog) -> list[Facet]:
    chunk = catalog.chunk_map.get(clause_id)
    if chunk is None or not chunk.official or chunk.doc_id not in TAGGED_DOCS or not chunk.is_measure:
        raise CorpusError(
            f"{TAGS_FILE}: {clause_id!r} is not an official measure of {' or '.join(TAGGED_DOCS)}; "
            "use ids such as bj-2024#7 or national-2024#10 (run 'planqa chunks' to list them)"
        )
    if not isinstance(rows, list) or not rows:
        raise CorpusError(f"{TAGS_FILE}: {clause_id} needs a non-empty list of facets (audiences, benefits, why, quote)")
    return [_parse_facet(clause_id, n, row, chunk) for n, row in enumerate(rows, start=1)]


def _parse_facet(clause_id: str, number: int, row: Any, chunk: Chunk) -> Facet:
    where = f"{TAGS_FILE}: {clause_id} facet {number}"
    if not isinstance(row, dict):
        raise CorpusError(f"{where}: expected a mapping with audiences, benefits, why and quote, got {row!r}")
    unknown_keys = sorted(set(row) - {*VOCABULARY, "why", "quote"})
    if unknown_keys:
        raise CorpusError(f"{where}: unknown field(s) {', '.join(unknown_keys)}")
    tags = {name: _tag_set(where, name, row.get(name), known) for name, known in VOCABULARY.items()}
    if not tags["audiences"]:
        raise CorpusError(f"{where}: audiences must name at least one of {', '.join(AUDIENCES)}")
    why = row.get("why")
    if not isinstance(why, dict) or not all(isinstance(why.get(lang), str) and why[lang].strip() for lang in ("zh", "en")):
        raise CorpusError(f"{where}: why needs one line in both 'zh' and 'en'")
    quote = row.get("quote")
    if not isinstance(quote, str) or not quote.strip() or quote not in chunk.text:
        raise CorpusError(f"{where}: quote must be copied verbatim from the clause text, got {quote!r}")
    return Facet(clause_id, **tags, why_zh=why["zh"].strip(), why_en=why["en"].strip(), quote=quote)


def _tag_set(where: str, name: str, value: Any, known: dict[str, tuple[str, str]]) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise CorpusError(f"{where}: {name} must be a list, got {value!r}")
    unknown = [str(v) for v in value if v not in known]
    if unknown:
        raise CorpusError(f"{where}: unknown {name} value(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return frozenset(map(str, value))
