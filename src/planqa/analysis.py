"""Question analysis: everything later steps need to know about a question, computed once.

`analyse()` returns an `Analysis` with the language, the intent, the entities named (bureaus by
any name, documents, other places, years), what kind of specific is asked for, the part or facet
of a document named, the asker's profile when the question describes one, the spelling it
corrected, and — for a question that asks two things — one sub-analysis per part. Later steps
(retrieval, answer) read these fields and never re-read the raw question.

Intents, checked in the order of planqa/data/lexicon.yaml:
    bureau_measures    "市教委负责哪些措施？" "What is the Education Commission in charge of?"
    metadata           文号, 印发日期, 联合印发部门; document number, issued, issuers
    responsible_bureau "技工院校培养由哪个部门负责？" "Who is responsible for …?"
    title_route        职称, 职业技能等级, 证书; professional title, certificate
    eligibility        补贴, 适用, 我们企业; subsidy, eligible, our company
    fact               everything else
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from planqa.catalog import Catalog
from planqa.errors import QuestionError
from planqa.lexicon import Lexicon, lexicon
from planqa.records import Analysis
from planqa.text import CJK, content_words, detect_language, to_simplified, tokenize

if TYPE_CHECKING:
    from planqa.bureaus import BureauMention
    from planqa.spelling import Vocabulary

MAX_QUESTION_CHARS = 2000
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# A measure named by its number: （六）, measure (6), 第六条 / 第6条.
MEASURE_LABEL = re.compile(r"（[一二三四五六七八九十]{1,3}）|\bmeasure \(?\d{1,2}\)?|第[一二三四五六七八九十\d]{1,3}条")
# A part of a compound question needs this many characters of its own to stand as a question.
MIN_PART_CHARS = 3


def validate_question(question: str) -> str:
    """The question, trimmed; QuestionError when empty, over-long or holding control characters."""
    if not isinstance(question, str):
        raise QuestionError(f"a question must be text, got {type(question).__name__}")
    if CONTROL.search(question):
        raise QuestionError("the question contains control characters; remove them and ask again")
    text = unicodedata.normalize("NFC", question).strip()
    if not text:
        raise QuestionError("the question is empty; ask something about the policy documents")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question is {len(text)} characters long; the limit is {MAX_QUESTION_CHARS}, so shorten it")
    return text


class Analyser:
    """Analyses questions against one catalog: its bureaus, documents and vocabulary."""

    def __init__(self, catalog: Catalog, vocabulary: Vocabulary | None = None, lex: Lexicon | None = None):
        self.catalog = catalog
        self.vocabulary = vocabulary
        self.lex = lex or lexicon()

    def __call__(self, question: str) -> Analysis:
        whole = self._single(question)
        parts = self._parts(question)
        if len(parts) < 2:
            return whole
        # Later parts are searched with the first part before them: most ask more about the same subject
        # ("…是做什么的，归谁管？", "How much? When?"), and their own words still find a new subject.
        first = self._single(parts[0], inherit=whole)
        later = tuple(
            self._carried(replace(self._single(part, inherit=whole, first=False), context=first.text), first) for part in parts[1:]
        )
        if first.intent == "responsible_bureau" and all(p.intent == "bureau_measures" and p.bureaus for p in later):
            # "…归哪个局管？人社局吗？": the later parts only name a unit to check, so it is one question.
            return replace(whole, intent="responsible_bureau")
        if all(_restates(p) for p in later):
            # "…一共参与了几条任务？分别是哪几条？": the later parts ask again what the first asked, naming nothing new.
            return whole
        return replace(whole, subquestions=(first, *later))

    def _carried(self, part: Analysis, first: Analysis) -> Analysis:
        """A later part that only asks ("有没有资金补贴，能给多少？": "能给多少") asks for what it asks with the part before:
        the amount its words alone do not name ("多少" of money)."""
        if part.specifics or content_words(part.text):
            return part
        joined = self._specifics(self._asked(f"{first.text}，{part.text}"))
        return replace(part, specifics=tuple(s for s in joined if s not in first.specifics))

    def _single(self, question: str, inherit: Analysis | None = None, first: bool = True) -> Analysis:
        simplified = to_simplified(question)
        corrections: tuple[tuple[str, str], ...] = ()
        search_text = simplified
        if self.vocabulary is not None:
            from planqa.spelling import correct

            corrected = correct(simplified, self.vocabulary)
            search_text, corrections = corrected.text, tuple(corrected.changes)
        lex = self.lex
        search_text, corrections = _documents_words(search_text, corrections, lex)
        mentions = self.catalog.table.lookup_with_reason(search_text)
        bureaus = tuple(dict.fromkeys(m.entry.bureau for m in mentions))
        intent = next((name for name, pattern in lex.intents if pattern.search(search_text)), "fact")
        if intent == "bureau_measures" and not bureaus and inherit is not None and not first and inherit.bureaus:
            bureaus = inherit.bureaus  # "X现在叫什么？负责哪些措施？": a later part asking a unit's remit, naming none
        if intent == "bureau_measures" and not bureaus:
            intent = "responsible_bureau" if dict(lex.intents)["responsible_bureau"].search(search_text) else "fact"
        elif bureaus and intent not in ("metadata", "bureau_measures") and self._only_about_bureaus(search_text, mentions):
            intent = "bureau_measures"  # nothing asked but the bureau: "X管什么？", "What does X do in the plan?"
        # Places are looked for outside the asker's own story ("我去年从英国留学回国", "我在美国读完博士…" ask nothing
        # about Britain or America), as are years.
        story = self._asker_clause(search_text)
        outside_story = search_text.replace(story, " ") if story else search_text
        topical = lex.place_background.sub(" ", outside_story)
        refers_back = bool(inherit is not None and not first and lex.referents.search(search_text.strip()))
        # "市科委管什么？方案里有它的任务吗？": "it" is the unit the question named, and nothing else is asked.
        inherits_bureau = refers_back and not bureaus and inherit is not None and inherit.bureaus
        if inherits_bureau and self._only_about_bureaus(lex.referents.sub(" ", search_text), []):
            bureaus, intent = inherit.bureaus, "bureau_measures"
        documents = tuple(self.catalog.mentioned_documents(search_text))
        if inherit is not None and not documents:
            documents = inherit.documents
        return Analysis(
            question=question,
            language=detect_language(question) if inherit is None else inherit.language,
            intent=intent,
            bureaus=bureaus,
            documents=documents,
            plan_unnamed=not documents and bool(lex.unnamed_plan.search(search_text)),
            places=tuple(zh for zh, names in lex.places.items() if names.search(topical)),
            numbers=tuple(re.findall(r"\d+(?:[.,]\d+)?%?", search_text)),
            specifics=self._specifics(self._asked(search_text)),
            parts=tuple(name for name, pattern in lex.parts.items() if pattern.search(search_text)),
            facets=tuple(name for name, facet in lex.facets.items() if facet.asks.search(search_text)) if intent == "metadata" else (),
            # A year in the asker's story ("2023年12月考下了证书") is when something happened to them, not a time asked about.
            years=tuple(YEAR.findall(outside_story)),
            asked_years=_asked_years(self.catalog.without_years_of_names(search_text)),
            search_text=search_text,
            corrections=corrections,
            profile=(profile := self._profile(search_text) if inherit is None else ()),
            profile_only=bool(profile) and self._only_about_asker(_asked_sentence(search_text, story)),
            about_asker=story,
            refers_back=refers_back,
            terms=self._terms(search_text) if intent == "mentions" else (),
            joint=bool(len(bureaus) > 1 and lex.joint.search(search_text)),
            sole=bool(len(bureaus) == 1 and intent == "bureau_measures" and lex.sole.search(search_text)),
            named_kind=next((m.group("kind") for p in lex.named_kinds if (m := p.search(search_text))), ""),
        )

    def _terms(self, text: str) -> tuple[str, ...]:
        """The terms a listing question asks about: "哪些措施提到了职称或者证书" -> ('职称', '证书')."""
        match = next((m for pattern in self.lex.listing_terms if (m := pattern.search(text))), None)
        if match is None:
            return ()
        pieces = self.lex.term_separators.split(match.group("terms"))
        return tuple(dict.fromkeys(p.strip(" \"'“”‘’") for p in pieces if len(p.strip(" \"'“”‘’")) >= 2))

    def _only_about_bureaus(self, text: str, mentions: list[BureauMention]) -> bool:
        """True when, with the bureau names and role words taken out, nothing about a topic is left; a measure named by
        its number ("北京方案（六）除了教委还有谁负责") is a topic."""
        if MEASURE_LABEL.search(text):
            return False
        rest, names = text, [m.found for m in mentions]
        for name in sorted(names, key=len, reverse=True):
            rest = re.sub(re.escape(name), " ", rest, flags=re.IGNORECASE)
        rest = self.catalog.without_mentions(rest)
        rest = self.lex.bureau_question_words.sub(" ", rest)
        # Words of a document's title ("北京…数字人才…方案") say where, not what: the documents are all about them;
        # words of a named unit's other names ("亦庄的社会事业局", "the Development Area's …") are still the unit.
        unit_words = {w for m in mentions for name in (*m.entry.names, *m.entry.former) for w in tokenize(name)}
        # General stopwords ("have to", "e.g.", "那边") name no topic either.
        return not content_words(rest) - self._title_words - unit_words

    @functools.cached_property
    def _title_words(self) -> frozenset[str]:
        return frozenset(w for d in self.catalog.documents for w in tokenize(f"{d.title_zh} {d.title_en}"))

    def _asker_clause(self, text: str) -> str:
        """Where the asker describes themselves ('我是一名刚毕业的数据分析师'), or '': the clause with the marker and
        the clauses after it that ask nothing ('…，今年32岁，主持过一个项目，…'), up to the one that asks."""
        # An English sentence ends at a full stop before a space ("I'm writing a piece on X. What is its number?");
        # a stop inside a number or an abbreviation ("2.5", "e.g.") does not end one.
        clauses = list(re.finditer(r"(?:[^，,。;；!！?？.]|\.(?!\s))+", text))
        first = next((i for i, c in enumerate(clauses) if self.lex.self_markers.search(c.group())), None)
        if first is None:
            return ""
        last = first
        if not self._asks(clauses[first].group(), closing=False):
            # the story goes on while the next clause asks nothing and is not the last one (the question itself)
            while last + 1 < len(clauses) - 1 and not self._asks(clauses[last + 1].group(), closing=False):
                last += 1
        return text[clauses[first].start() : clauses[last].end()]

    def _only_about_asker(self, text: str) -> bool:
        """True when, with the asker's self-description and benefit words taken out, no topic of its own is left.

        "我们是AI中小企业，有哪些补贴？" asks what applies to such a firm; "…能拿多少算力券？" asks about a topic.
        """
        rest = self.lex.self_markers.sub(" ", text)
        for group in self.lex.asker.values():
            for pattern in group.values():
                rest = pattern.sub(" ", rest)
        rest = self.lex.asker_asks.sub(" ", dict(self.lex.intents)["eligibility"].sub(" ", rest))
        return len(content_words(rest)) <= 1

    def _specifics(self, text: str) -> tuple[str, ...]:
        """The kinds of specific a question asks for; a share ('比例是多少') is a percentage, not an amount."""
        text = self._passing_counts_dropped(text)
        found = [name for name, pattern in self.lex.specifics.items() if pattern.search(text)]
        if "percentage" in found and "amount" in found:
            found.remove("amount")
        return tuple(found)

    def _asked(self, text: str) -> str:
        """The text without the asker's story when that asks nothing: "我…今年32岁，…" asks for nothing current."""
        story = self._asker_clause(text)
        return text.replace(story, " ") if story and not self._asks(story, closing=True) else text

    def _passing_counts_dropped(self, text: str) -> str:
        """The text without count words that a comma or a full stop follows in their sentence: "想派几个骨干去培训，…"
        and "几个技术骨干想评职称。…" say "a few"; only a sentence that asks asks for a count."""
        for found in reversed(list(self.lex.count_words.finditer(text))):
            if re.match(r"[^？?。！!；;]*[，,。]", text[found.end() :]):
                text = text[: found.start()] + text[found.end() :]
        return text

    def _profile(self, text: str) -> tuple[tuple[str, str], ...]:
        """The asker's self-description as (field, value) pairs, e.g. (('kind', 'enterprise'), ('size', 'micro_small'))."""
        if not self.lex.self_markers.search(text):
            return ()
        asker = self.lex.asker
        first: Callable[[str], str] = lambda group: next((n for n, p in asker[group].items() if p.search(text)), "")  # noqa: E731
        kind = first("kinds")
        if not kind:
            return ()
        found = [("kind", kind)]
        if kind == "enterprise":
            found += [(field, value) for field, group in (("size", "sizes"), ("sector", "sectors")) if (value := first(group))]
        found += [("interest", name) for name, pattern in asker["interests"].items() if pattern.search(text)]
        return tuple(found)

    def _parts(self, question: str) -> list[str]:
        """A compound question cut into its questions; one element when it asks one thing.

        '留学人员创业园是做什么的，归谁管？' -> ['留学人员创业园是做什么的', '归谁管']: cut at question marks,
        at linking words, and at a comma with a question on each side; a piece too short to ask
        anything joins the one before it.
        """
        text = to_simplified(question)
        pieces = [p for piece in _cut(text, self.lex.separators) for p in self._cut_commas(piece)]
        parts: list[str] = []
        lead = ""  # a statement that asks nothing, before a question: it sets that question up
        for piece, asks in ((p.strip(" ，,。."), asks) for p, asks in pieces):
            if not piece or (not parts and not lead and not content_words(piece) and not asks):
                continue  # "ok, …", "好的，…": a word of conversation before the question asks nothing
            if lead:
                piece, lead = f"{lead}，{piece}", ""
            if parts and (len(piece) < MIN_PART_CHARS or self.lex.source_only.fullmatch(piece)):  # "…，方案里写了吗"
                parts[-1] = f"{parts[-1]}，{piece}"
            elif not asks:
                lead = piece
            else:
                parts.append(piece)
        if lead:  # nothing asked after it: it belongs to the question before (or is the whole question)
            parts = [*parts[:-1], f"{parts[-1]}，{lead}"] if parts else [lead]
        return parts

    def _cut_commas(self, text: str) -> list[tuple[str, bool]]:
        """The clauses of a question cut at commas when two or more of them ask something, each with whether it asks."""
        clauses = _cut(text, self.lex.comma)
        asking = [self._asks(clause, closing=i == len(clauses) - 1) for i, clause in enumerate(clauses)]
        if len(clauses) > 1 and sum(asking) >= 2:
            return list(zip(clauses, asking, strict=True))
        return [(text, any(asking))]

    def _asks(self, clause: str, closing: bool) -> bool:
        """Whether a clause asks something: a question word, or a count word ("几个") where the question ends —
        before a comma "想派几个骨干去培训" says "a few"."""
        return bool(self.lex.question_words.search(clause) or (closing and self.lex.count_words.search(clause)))


def _cut(text: str, separator: re.Pattern[str]) -> list[str]:
    """The text between the matches of `separator` (the matches themselves dropped)."""
    pieces, start = [], 0
    for match in separator.finditer(text):
        pieces.append(text[start : match.start()])
        start = match.end()
    return [*pieces, text[start:]]


def analyse(question: str, catalog: Catalog, vocabulary: Vocabulary | None = None) -> Analysis:
    """Language, intent and entities of a validated question (one-off use; the assistant keeps an `Analyser`)."""
    return Analyser(catalog, vocabulary)(question)


def _documents_words(text: str, corrections: tuple[tuple[str, str], ...], lex: Lexicon) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Everyday words read as the documents' own ("我爱人" -> "我配偶"), each change listed like a corrected typo."""
    changes = list(corrections)
    for pattern, zh, en in lex.everyday:

        def formal(match: re.Match[str], zh: str = zh, en: str = en) -> str:
            word = zh if CJK.search(match.group()) else en
            changes.append((match.group(), word))
            return word

        text = pattern.sub(formal, text)
    return text, tuple(changes)


def _restates(part: Analysis) -> bool:
    """A later part of a compound question that names nothing and asks for nothing of its own ("分别是哪几条？", "which
    ones?"): it repeats the ask of the part before."""
    return part.intent == "fact" and not part.specifics and not part.bureaus and not content_words(part.text)


def _asked_years(text: str) -> tuple[str, ...]:
    """The years of the question's last clause, which is the one that asks: earlier clauses often state what the
    asker already knows ("报告说2024年引进了1200名，那2025年引进了多少？" asks about 2025)."""
    clauses = [c for c in re.split(r"[，,。;；!！?？]", text) if c.strip()]
    return tuple(YEAR.findall(clauses[-1])) if clauses else ()


def _asked_sentence(text: str, story: str) -> str:
    """The text without the asker's self-description `story` when it is a sentence of its own ("I did my PhD in the UK
    and am coming back to start a company. What does the plan offer someone like me?"): what the story names is the
    profile, read already, and the sentence after it says whether anything else is asked."""
    if not story:
        return text
    after = text[text.find(story) + len(story) :]
    return text.replace(story, " ", 1) if re.match(r"\s*(?:[.!]\s|[。！])", f"{after} ") else text
