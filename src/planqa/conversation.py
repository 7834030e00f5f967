"""Follow-up resolution: a turn of a conversation becomes a standalone question before retrieval.

What earlier turns leave behind (`Memo`: the question as resolved, the clauses cited, the documents and
bureaus talked about, the language, a pending clarification) is enough to resolve the next turn:

    Q1 首席数据官由谁负责？            -> cites bj-2024#2
    Q2 这条归哪个部门负责？            -> "北京方案（二）支持数字领军人才加快成长由哪个部门负责？", lead bj-2024#2
    Q3 第十三条呢？                     -> "北京方案（十三）健全数字人才工作体系…", lead bj-2024#13
    Q4 What about returnees?            -> "What support is there for returnees?" (the last question's frame, in English)

A referent that is ambiguous (the last answer cited several clauses) is not guessed: the resolution
carries `clarify`, the candidate clause ids, and the assistant asks which one is meant. A turn with no
follow-up marker stands on its own and ignores the history (a topic shift). The vocabularies are data
(`data/followups.yaml`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from planqa.catalog import Catalog
from planqa.lexicon import lexicon
from planqa.records import Answer, Chunk, Citation, is_measure_id
from planqa.text import CJK, chinese_numeral, content_words, detect_language, to_simplified, tokenize

# Only the last few turns matter for resolution; a 1,000-turn conversation costs the same as a short one.
MEMORY = 6
MAX_CLARIFY = 5
# Unnumbered parts of a document, said by what they are in a resolved question ("北京方案的印发通知").
FRONT_PARTS = {"notice": ("印发通知", "covering notice"), "preamble": ("序言", "preamble"), "closing": ("结尾部分", "closing paragraph")}
# A section named by words of its heading: at least this share of the words before 'part'/'部分' are in it.
SECTION_HEADING_SHARE = 0.6
# A turn with no pointer continues the clause in context when that clause holds at least this share of its words.
CONTINUATION_SHARE = 0.5
RARE_WORD_CLAUSES = 2  # a turn's own word picks one of the clauses offered only if at most this many measures use it
# A preposition opening an English elliptical topic ("at technical colleges"), unless a document follows ("in the plan").
LEADING_PREPOSITION = re.compile(r"^(at|in|on|for|about|to|with|from|under|among)\s+(?!the (\w+ )?(plan|report|document)s?\b)", re.I)
# Answers that list clauses ("X负责哪些措施", "哪些措施提到了Y"): a later "this one" could mean any of them.
LISTING_INTENTS = ("bureau_measures", "mentions")


@dataclass(frozen=True)
class Memo:
    """What one earlier turn leaves for the next: built from an `Answer` or its `to_dict()` form."""

    question: str
    resolved: str
    language: str
    intent: str
    cited: tuple[str, ...]  # official clause ids cited, in order
    documents: tuple[str, ...]  # documents of the cited clauses, official ones
    bureaus: tuple[str, ...]  # bureaus (printed names) the answer was about
    clarify: tuple[str, ...]
    abstained: bool
    quoted: str = ""  # the sentence quoted from the first clause cited: what the turn looked at in it

    @classmethod
    def of(cls, turn: Answer | Mapping[str, Any], catalog: Catalog) -> Memo:
        data = turn.to_dict() if isinstance(turn, Answer) else turn
        cited = tuple(dict.fromkeys(_official(c["id"], catalog) for c in data.get("citations", []) if c.get("id") in catalog.chunk_map))
        documents = tuple(dict.fromkeys(cid.split("#", 1)[0] for cid in cited))
        return cls(
            question=str(data.get("question", "")),
            resolved=str(data.get("resolved_question") or data.get("question", "")),
            language=str(data.get("language", "zh")),
            intent=str(data.get("intent", "fact")),
            cited=cited,
            documents=documents,
            bureaus=tuple(b["zh"] for b in data.get("bureaus", []) if isinstance(b, Mapping) and b.get("zh")),
            clarify=tuple(c for c in data.get("clarify", []) if c in catalog.chunk_map),
            abstained=bool(data.get("abstained", False)),
            quoted=next((str(c.get("quote", "")) for c in data.get("citations", []) if isinstance(c, Mapping)), ""),
        )


@dataclass(frozen=True)
class Resolution:
    """A turn made standalone: the question to show and retrieve with, what retrieval must put first, or what to ask back.

    `kind` is '' when the turn stands on its own, else the class of follow-up ('clause', 'measure', 'list',
    'bureau', 'document', 'ellipsis', 'language', 'choice'), or 'unresolved' when it points at a clause and none
    was cited before.
    """

    question: str
    language: str
    kind: str = ""
    lead: tuple[str, ...] = ()
    clarify: tuple[str, ...] = ()
    whole: bool = False  # the turn asks what the one clause in `lead` says, and names nothing else: quote it whole
    section: str = ""  # the turn asks what a section (its lead-in's id) holds; `lead` has the section's clauses
    # the turn asks the same of several clauses ("第五条和第八条由谁负责？", "这两条…"): one resolution per clause
    each: tuple[Resolution, ...] = ()
    # (clause id, document id, topic): the turn asks for that clause's match in that document (about that topic)
    counterpart: tuple[str, ...] = ()
    # (clause id, topic): the turn asks what the clause's document proposes about it, from its section of proposals
    response: tuple[str, ...] = ()
    context: str = ""  # what the turn is searched after: the question an ellipsis swaps the topic of
    # the document the conversation is about, when the turn stands on its own and names none: searched first
    scope: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Vocabulary:
    clause: tuple[re.Pattern[str], ...]
    weak: tuple[re.Pattern[str], ...]
    bureau: tuple[re.Pattern[str], ...]
    document: tuple[re.Pattern[str], ...]
    measure: tuple[re.Pattern[str], ...]
    position: tuple[re.Pattern[str], ...]
    within: tuple[re.Pattern[str], ...]  # a position said to be in the list just given ("其中第三条")
    language: tuple[re.Pattern[str], ...]
    language_prefix: tuple[re.Pattern[str], ...]
    ellipsis: tuple[re.Pattern[str], ...]
    short: dict[str, int]
    frame_words: frozenset[str]
    frames: dict[str, dict[str, str]]
    document_noun: re.Pattern[str]
    lists: tuple[re.Pattern[str], ...]
    content: tuple[re.Pattern[str], ...]
    contractions: dict[str, str]
    choice: tuple[re.Pattern[str], ...]
    counterpart: tuple[re.Pattern[str], ...]
    response: tuple[re.Pattern[str], ...]
    response_sections: re.Pattern[str]
    document_kinds: tuple[tuple[re.Pattern[str], frozenset[str]], ...]
    place_sides: re.Pattern[str]
    bare_pronoun: re.Pattern[str]
    people_pronoun: re.Pattern[str]
    relative: tuple[re.Pattern[str], ...]
    document_clause: tuple[re.Pattern[str], ...]
    section: tuple[re.Pattern[str], ...]
    numbers: dict[str, int]
    joins: tuple[re.Pattern[str], ...]
    pairs: tuple[re.Pattern[str], ...]
    roles: tuple[re.Pattern[str], ...]  # an elliptical topic that asks who is responsible ("那牵头单位呢？")
    section_names: tuple[re.Pattern[str], ...]  # a section named by its heading's words; group 'name'
    unit_nouns: re.Pattern[str]  # words for a unit ('部门', 'department'), which also occur in documents' names


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    """The follow-up vocabularies from data/followups.yaml, compiled once."""
    data = yaml.safe_load(resources.files("planqa").joinpath("data/followups.yaml").read_text(encoding="utf-8"))
    compiled = lambda key: tuple(re.compile(p, re.IGNORECASE) for p in data[key])  # noqa: E731
    return _Vocabulary(
        clause=compiled("clause_refs"),
        weak=compiled("weak_clause_refs"),
        bureau=compiled("bureau_refs"),
        document=compiled("document_refs"),
        measure=compiled("measure_refs"),
        position=(*compiled("list_within_refs"), *compiled("list_refs")),
        within=compiled("list_within_refs"),
        language=compiled("language_switch"),
        language_prefix=compiled("language_prefix"),
        ellipsis=compiled("ellipsis"),
        short={k: int(v) for k, v in data["short_turn"].items()},
        frame_words=frozenset(w.lower() for lang in data["frame_words"].values() for w in lang),
        frames=data["frames"],
        document_noun=re.compile(data["document_nouns"], re.IGNORECASE),
        lists=compiled("list_questions"),
        content=compiled("content_asks"),
        contractions={k.lower(): v for k, v in data["contractions"].items()},
        choice=compiled("choice_refs"),
        counterpart=compiled("counterpart_refs"),
        response=compiled("response_refs"),
        response_sections=re.compile(data["response_sections"]),
        document_kinds=tuple((re.compile(e["nouns"], re.IGNORECASE), frozenset(e["kinds"])) for e in data["document_ref_kinds"]),
        place_sides=re.compile(data["place_sides"], re.IGNORECASE),
        bare_pronoun=re.compile(data["bare_pronoun"], re.IGNORECASE),
        people_pronoun=re.compile(data["people_pronoun"], re.IGNORECASE),
        relative=compiled("relative_refs"),
        document_clause=compiled("document_clause_refs"),
        section=compiled("section_refs"),
        numbers={str(k).lower(): int(v) for k, v in data["number_words"].items()},
        joins=compiled("measure_joins"),
        pairs=compiled("pair_refs"),
        roles=compiled("role_topics"),
        section_names=compiled("section_name_refs"),
        unit_nouns=re.compile(data["unit_nouns"], re.IGNORECASE),
    )


def memos(history: Sequence[Answer | Mapping[str, Any]], catalog: Catalog) -> list[Memo]:
    """The last few turns of a history (Answers or their dicts) as memos."""
    return [Memo.of(turn, catalog) for turn in list(history)[-MEMORY:]]


def resolve(question: str, history: Sequence[Memo], catalog: Catalog) -> Resolution:
    """The standalone form of a validated turn, given the memos of the turns before it (oldest first)."""
    resolution = _resolve(question, history, catalog)
    if resolution.each and not resolution.section:
        return replace(resolution, each=tuple(_made_whole(question, part, catalog) for part in resolution.each))
    return _made_whole(question, resolution, catalog)


def _made_whole(question: str, resolution: Resolution, catalog: Catalog) -> Resolution:
    """Contractions written out, and `whole` set when the turn asks only what its one clause says."""
    if resolution.kind and resolution.language == "en":
        resolution = replace(resolution, question=_expanded(resolution.question))
    if resolution.section:  # what a section holds is its clauses, listed; anything else is asked of each of them
        if _asks_content(question, replace(resolution, lead=(resolution.section,)), catalog):
            return replace(resolution, whole=True, each=())
        return replace(resolution, each=tuple(_made_whole(question, part, catalog) for part in resolution.each))
    if len(resolution.lead) == 1 and not resolution.clarify and _asks_content(question, resolution, catalog):
        return replace(resolution, whole=True)
    return resolution


def _expanded(question: str) -> str:
    """English contractions written out: "Who's in charge of …" -> "Who is in charge of …"."""
    table = vocabulary().contractions
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in table) + r")\b", re.IGNORECASE)
    return pattern.sub(lambda m: _same_case(m.group(0), table[m.group(0).lower().replace("’", "'")]), question.replace("’", "'"))


def _same_case(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def _asks_content(question: str, resolution: Resolution, catalog: Catalog) -> bool:
    """Whether the turn asks only what the clause says: a content ask, and no words beyond references and asking."""
    vocab = vocabulary()
    text = to_simplified(_expanded(question))  # "What's measure 6?" asks like "What is measure 6?"
    asks = (*vocab.content, *vocab.lists) if resolution.section else vocab.content  # a section is also asked for its list
    if not any(p.search(text) for p in asks) and not (
        resolution.kind in ("ellipsis", "document") and any(p.search(resolution.question) for p in vocab.content)
    ):
        return False
    for group in (vocab.section, vocab.measure, vocab.position, vocab.clause, vocab.weak, asks):
        for pattern in group:
            text = pattern.sub(" ", text)
    text = catalog.without_mentions(text, gapped=True)
    for pattern in vocab.ellipsis:
        found = pattern.search(text.strip())
        if found:
            text = text.replace(found.group("topic"), " ")
    # Words of asking ("主要", "can you") are general stopwords: only a word naming a topic makes it a narrower question.
    return not any(content_words(word) for word in _content_words(text, resolution.language, vocab))


def _resolve(question: str, history: Sequence[Memo], catalog: Catalog) -> Resolution:
    asked = _language_prefix(question, vocabulary())
    if asked is not None:  # "Please reply in English: who runs it?": the rest is the turn, answered in that language
        language, rest = asked
        return replace(_resolve(rest, history, catalog), language=language)
    language = detect_language(question)
    if not history:  # a first turn: only measures named by their numbers in a named (else the primary) document
        simplified = to_simplified(question)
        named = _measures(simplified, vocabulary(), catalog.mentioned_documents(simplified), catalog)
        section = _section(question, simplified, vocabulary(), catalog.mentioned_documents(simplified), language, catalog)
        if section is not None and not named:
            return section
        if len(named) > 1:
            return _several(question, named, language, "measure", catalog)
        if named:
            return Resolution(question, language, "measure", lead=(named[0][0].id,))
        span = _clause_ref(simplified, language, vocabulary()) if section is None else None
        if span is not None and not _own_words(simplified, span, language):  # "这条由谁负责？" with nothing said before
            return Resolution(question, language, "unresolved")
        return Resolution(question, language)
    last = history[-1]
    text = to_simplified(question)
    if len(text) != len(question):  # spans are found on the Simplified text; keep replacing in the same string
        question = text
    vocab = vocabulary()
    if last.clarify:
        chosen = _choice(text, last.clarify, catalog) or _measure_only(text, last.clarify, language, catalog, vocab)
        if chosen is not None:
            base = next((m for m in reversed(history) if m.clarify), last)
            picked = _about_clause(base.question, chosen, catalog, base.language, "choice")
            # "这条讲的是什么？" -> "首席数据官那条。": the clarified question asked what the clause says.
            return replace(picked, whole=_asks_content(base.question, replace(picked, kind=""), catalog))
    if last.abstained and any(p.search(text) for p in vocab.choice):
        # "我说的是住房那条。" after a follow-up declined for the clauses it may have meant: the reply picks one.
        earlier = next((m for m in reversed(history[:-1]) if len(m.cited) > 1 and not m.abstained), None)
        chosen = _described(text, earlier.cited, catalog) if earlier is not None else None
        if chosen is not None:
            picked = _about_clause(last.question, chosen, catalog, last.language, "choice")
            return replace(picked, whole=_asks_content(last.question, replace(picked, kind=""), catalog))
    switch = _language_switch(text, vocab)
    if switch:
        return Resolution(last.resolved, switch, "language", lead=last.cited[:1] if len(last.cited) == 1 else ())
    # What "it", "这条", "the Beijing plan's measure 3" refer to: the last turn that answered with citations. A turn
    # declined since ("要交什么材料？" -> not stated) does not change what the conversation is about.
    context = next((m for m in reversed(history) if m.cited and not m.abstained and not m.clarify), last)
    explicit = [cid for cid in re.findall(r"[a-z0-9-]+#[a-z0-9.]+", question) if cid in catalog.chunk_map]
    if explicit:
        return Resolution(question, language, "clause", lead=tuple(_official(c, catalog) for c in explicit))
    docs_named = catalog.mentioned_documents(text)
    earlier = _document_clause(text, history, vocab, catalog)
    if earlier is not None:
        chunk, span = earlier
        return Resolution(_replace(question, span, _label(chunk, language, catalog)), language, "clause", lead=(chunk.id,))
    counterpart = _counterpart(text, docs_named, context, language, catalog, vocab)
    if counterpart is not None:
        return counterpart
    response = _response(text, docs_named, context, language, catalog, vocab)
    if response is not None:
        return response
    ellipsis = _ellipsis(text, vocab)
    if ellipsis is not None:
        return _elliptical(ellipsis, history, context, language, catalog, vocab)
    # "其中第三条" is the third of the clauses just listed, not the document's measure (3)
    within = any(p.search(text) for p in vocab.within)
    named = [] if within else _measures(text, vocab, docs_named or context.documents, catalog)
    section = _section(question, text, vocab, docs_named or context.documents, language, catalog)
    if section is not None and not named:
        return section
    if len(named) > 1:
        return _several(question, named, language, "measure", catalog)
    if len(named) == 1 and not docs_named:
        placed = _placed_in_list(text, named[0], _listed(last.clarify or context.cited, catalog), vocab, catalog)
        if placed is not None:
            return Resolution(_replace(question, named[0][1], _label(placed, language, catalog)), language, "list", lead=(placed.id,))
    pair = _pair(text, history, context, vocab, catalog)
    if pair is not None:
        return _several(question, pair, language, "clause", catalog)
    measure = named[0] if named else _relative(text, context, vocab, catalog)
    if measure is not None:
        chunk, span = measure
        return Resolution(_replace(question, span, _label(chunk, language, catalog)), language, "measure", lead=(chunk.id,))
    position = _position(text, vocab)
    if position is not None:
        n, span = position
        listed = _walked(n, _listed(last.clarify or context.cited, catalog), history, context)
        ordinal = _ordinal_measure(n, listed, context, catalog)
        if ordinal is not None:
            return Resolution(_replace(question, span, _label(ordinal, language, catalog)), language, "measure", lead=(ordinal.id,))
        if 1 <= n <= len(listed) or (n == -1 and listed):
            chunk = catalog.chunk(listed[n - 1] if n > 0 else listed[-1])
            return Resolution(_replace(question, span, _label(chunk, language, catalog)), language, "list", lead=(chunk.id,))
    span = _clause_ref(text, language, vocab)
    if span is not None:
        said = [catalog.document(d).renders or d for d in catalog.mentioned_documents(text[: span[0]])]
        if said and vocab.bare_pronoun.fullmatch(question[span[0] : span[1]].strip()) and not set(said) & set(context.documents):
            # "回到那篇新闻，它说…": "it" is the document the turn has just named, not the clause talked about before
            # ("它讲的…和北京方案比呢？" names the plan after "it": the plan is what it is compared with)
            return Resolution(_replace(question, span, _doc_name(said[0], language, catalog)), language, "document")
        return _about_referent(question, span, context, language, catalog)
    for pattern in vocab.bureau:
        found = pattern.search(text)
        if found and len(context.bureaus) == 1:
            return Resolution(_replace(question, found.span(), context.bureaus[0]), language, "bureau")
    # "那个方案" is the document the last turn named, even when it was declined; else the one in context.
    said = [catalog.document(d).renders or d for d in catalog.mentioned_documents(to_simplified(last.resolved))]
    documents = said or list(context.documents)
    for pattern in vocab.document:
        found = pattern.search(text)
        if found and not docs_named and documents:
            meant = _document_of_kind(found.group(0), documents, history, vocab, catalog)
            return Resolution(_replace(question, found.span(), _doc_name(meant, language, catalog)), language, "document")
    if _frame_only(text, language, vocab):
        return _about_referent(question, (len(question), len(question)), context, language, catalog)
    if not docs_named and _continues(text, context, catalog):
        return Resolution(question, language, "continuation", lead=(context.cited[0],))
    # A new question in a conversation about one document ("补贴按什么标准给？" after the report's proposals for small
    # firms) is most likely about that document still: it is searched first, and a better match elsewhere still wins.
    scoped = not docs_named and not context.abstained and len(context.documents) == 1
    return Resolution(question, language, scope=context.documents if scoped else ())


def _continues(text: str, context: Memo, catalog: Catalog) -> bool:
    """A turn that asks more about the clause in context without pointing at it ("能拿多少钱？" after the
    report's shared spaces): that clause holds at least half of the turn's words, and no other clause holds more.

    A new subject is held better by its own clause, so it stands on its own (a topic shift).
    """
    if not context.cited or context.abstained:
        return False
    words = content_words(text)
    if not words:
        return False
    own = _held(words, context.cited[0], catalog)
    if own < CONTINUATION_SHARE:
        return False
    family = {context.cited[0], catalog.chunk(context.cited[0]).aligned_id}
    return all(_held(words, c.id, catalog) <= own for c in catalog.chunks if c.id not in family and c.kind != "rendering")


# --- referents --------------------------------------------------------------------------


def _about_referent(question: str, span: tuple[int, int], last: Memo, language: str, catalog: Catalog) -> Resolution:
    """The turn about the clause the last answer cited; several cited for a question that asked for several mean asking which one."""
    words = _own_words(question, span, language)
    people = vocabulary().people_pronoun.fullmatch(question[span[0] : span[1]].strip())
    document = "" if people else _document_meant(words, last, catalog)
    if document:  # "它对青年人才怎么支持？" after a clause of a plan: "it" is the plan, the topic is the turn's own
        return Resolution(_replace(question, span, _doc_name(document, language, catalog)), language, "document")
    if _ambiguous(last, catalog):
        # "How often does it meet?" after two clauses, one of which alone speaks of meetings: that one is meant.
        # (Words asking who carries it out — "归哪些单位去落实" — name no topic, so they pick no clause.)
        rest = lexicon().bureau_question_words.sub(" ", f"{question[: span[0]]} {question[span[1] :]}")
        own = set(content_words(rest)) & set(_content_words(rest, language, vocabulary()))
        asks_units = dict(lexicon().intents)["responsible_bureau"].search(to_simplified(question))
        holding = [cid for cid in last.cited[:MAX_CLARIFY] if own and not asks_units and _holds_every(own, cid, catalog)]
        # … and only a word few clauses use picks one ("落实", carried out, is said of most measures).
        if len(holding) == 1:
            doc_id = holding[0].split("#", 1)[0]
            using = [c for c in catalog.chunks_of(doc_id) if c.is_measure and _holds_every(own, c.id, catalog)]
            holding = holding if len(using) <= RARE_WORD_CLAUSES else []
        if len(holding) != 1:
            return Resolution(question, language, "clause", clarify=last.cited[:MAX_CLARIFY])
        return Resolution(
            _replace(question, span, _label(catalog.chunk(holding[0]), language, catalog)), language, "clause", lead=(holding[0],)
        )
    if not last.cited:  # nothing to refer to: a turn with a topic of its own is asked as it is; one without, declined
        return Resolution(question, language, "clause" if words else "unresolved")
    # Of several clauses cited side by side, the one holding more of the turn's own words is the one it asks about.
    # With no words of its own, "这一项" means a measure cited rather than the notice or preamble cited before it.
    first = last.cited[0] if is_measure_id(last.cited[0]) else next((c for c in last.cited if is_measure_id(c)), last.cited[0])
    chunk = catalog.chunk(
        max(last.cited, key=lambda cid: (_held(words, cid, catalog), _said(words, cid, catalog), cid == first)) if words else first
    )
    if not chunk.clause and not chunk.section and span[0] != span[1]:
        # The front matter of a document (its covering notice, preamble, introduction) answered a question about the
        # document: "它是依据哪个文件定的？", "What's its issue date?" ask about the document itself.
        official = catalog.document(chunk.doc_id).renders or chunk.doc_id
        name = _doc_name(official, language, catalog)
        possessive = question[span[0] : span[1]].lower() in ("its", "它的")
        named = (f"{name}的" if language == "zh" else f"the {name}'s") if possessive else (name if language == "zh" else f"the {name}")
        return Resolution(_replace(question, span, named), language, "document")
    if span[0] == span[1] == len(question):  # a frame with no topic: the clause goes in front
        label = _label(chunk, language, catalog)
        return Resolution(f"{label}：{question}" if language == "zh" else f"{label}: {question}", language, "clause", lead=(chunk.id,))
    return Resolution(_replace(question, span, _label(chunk, language, catalog)), language, "clause", lead=(chunk.id,))


def _document_meant(words: set[str], last: Memo, catalog: Catalog) -> str:
    """The document a pronoun means when the turn's own topic `words` are in none of the clauses cited (not one of
    them) and another clause of their document holds half of them at least; '' for a clause."""
    if not last.cited or not words:  # "它由哪些部门负责？", "它的补贴标准呢？": asked of the clause
        return ""
    document = last.cited[0].split("#", 1)[0]
    here = max(_held(words, cid, catalog) for cid in last.cited)
    elsewhere = max((_held(words, c.id, catalog) for c in catalog.chunks_of(document) if c.id not in last.cited), default=0.0)
    return document if here == 0 and elsewhere >= CONTINUATION_SHARE else ""


def _own_words(question: str, span: tuple[int, int], language: str) -> set[str]:
    """The topic words a turn adds around its reference, when it adds at least two (else none)."""
    rest = f"{question[: span[0]]} {question[span[1] :]}"
    words = set(content_words(rest)) & set(_content_words(rest, language, vocabulary()))
    return words if len(words) >= 2 else set()


def _about_clause(question: str, chunk_id: str, catalog: Catalog, language: str, kind: str) -> Resolution:
    """A clarified question asked again about the clause chosen."""
    text = to_simplified(question)
    span = _clause_ref(text, language, vocabulary()) or (len(question), len(question))
    chunk = catalog.chunk(chunk_id)
    label = _label(chunk, language, catalog)
    if span[0] == span[1]:
        resolved = f"{label}：{question}" if language == "zh" else f"{label}: {question}"
    else:
        resolved = _replace(question, span, label)
    return Resolution(resolved, language, kind, lead=(chunk.id,))


def candidate_resolution(question: str, chunk_id: str, ambiguous: Resolution, catalog: Catalog) -> Resolution:
    """An ambiguous turn resolved as if it meant this candidate clause (to see whether any candidate could answer it)."""
    return replace(_about_clause(question, chunk_id, catalog, ambiguous.language, ambiguous.kind), clarify=())


def _ambiguous(last: Memo, catalog: Catalog) -> bool:
    """Whether "this one" could mean several of the clauses the last answer cited.

    It could after a question that asked for several ('哪些措施…', 'which measures…'), and after any answer that
    cited several measures of one document side by side (a broad question: "北京方案对青年人才有什么支持？").
    A clause of another document, or a part that is not a measure (a notice, a report's finding), cited after the
    first is support for it: the first is the referent.
    """
    if len(last.cited) < 2:
        return False
    if last.intent in LISTING_INTENTS or any(p.search(to_simplified(last.resolved)) for p in vocabulary().lists):
        return True
    document = last.cited[0].split("#", 1)[0]
    if not catalog.document(document).official:
        return False
    side_by_side = [cid for cid in last.cited if cid.split("#", 1)[0] == document and is_measure_id(cid)]
    if len(side_by_side) < 2:
        return False
    # The first cited holds what the last question asked about and the others hold under half of it: it is the one
    # talked about ("技能大师工作室" cited with a measure that only mentions masters), not one of several answers.
    words = content_words(catalog.without_mentions(to_simplified(last.resolved)))
    held = [_held(words, cid, catalog) for cid in side_by_side] if words else []
    return not (held and side_by_side[0] == last.cited[0] and held[0] >= CONTINUATION_SHARE > max(held[1:]))


def _choice(text: str, candidates: tuple[str, ...], catalog: Catalog) -> str | None:
    """Which offered clause a reply to a clarification picks: by id, position, measure number or heading."""
    for cid in candidates:
        if cid in text:
            return cid
    position = _position(text, vocabulary())
    if position is not None:
        n = position[0]
        if 1 <= n <= len(candidates):
            return candidates[n - 1]
        if n == -1:
            return candidates[-1]
    for pattern in vocabulary().measure:
        found = pattern.search(text)
        if found:
            number = _number(found.group("n"))
            picked = [c for c in candidates if c.split("#", 1)[1] == str(number)]
            if len(picked) == 1:
                return picked[0]
    for cid in candidates:
        chunk = catalog.chunk(cid)
        names = [chunk.heading, chunk.title]
        if chunk.aligned_id:
            names += [catalog.chunk(chunk.aligned_id).heading, catalog.chunk(chunk.aligned_id).title]
        if any(name and len(name) >= 4 and name.lower() in text.lower() for name in names):
            return cid
    return _described(text, candidates, catalog)


def _measure_only(text: str, candidates: tuple[str, ...], language: str, catalog: Catalog, vocab: _Vocabulary) -> str | None:
    """A reply to a clarification that names a measure by number and nothing else ("第六条。"), offered or not."""
    documents = list(dict.fromkeys(cid.split("#", 1)[0] for cid in candidates))
    found = _measure(text, vocab, documents, catalog)
    if found is None:
        return None
    rest = text[: found[1][0]] + text[found[1][1] :]
    for pattern in vocab.choice:
        rest = pattern.sub(" ", rest)
    return found[0].id if not _content_words(rest, language, vocab) else None


def _described(text: str, candidates: tuple[str, ...], catalog: Catalog) -> str | None:
    """The clause a reply describes by its content ("我说的是留学人员创业园那条", "the one on housing").

    Among the clauses offered, the one holding more of the reply's words than any other; when the reply says it
    describes a clause and none offered holds at least half its words, the measure of the same documents that holds
    most of them (at least half).
    """
    words = content_words(text)
    marked = any(p.search(text) for p in vocabulary().choice)
    if not words or not (marked or not re.search(r"[?？]", text)):  # a new question ("住房方面给多少补贴？") is not a reply
        return None
    ranked = sorted((((_held(words, cid, catalog), _said(words, cid, catalog)), cid) for cid in candidates), reverse=True)
    if ranked and ranked[0][0] > (ranked[1][0] if len(ranked) > 1 else (0.0, 0)) and ranked[0][0][0] >= 0.5:
        return ranked[0][1]
    if not marked:
        return None
    documents = {cid.split("#", 1)[0] for cid in candidates}
    measures = [c.id for c in catalog.chunks if c.doc_id in documents and c.clause]
    ranked = sorted(((_held(words, cid, catalog), cid) for cid in measures), reverse=True)
    if ranked and ranked[0][0] >= 0.5 and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
        return ranked[0][1]
    return None


def _held(words: set[str], chunk_id: str, catalog: Catalog) -> float:
    """The share of `words` that a clause (or its rendering in the other language) holds."""
    return len(words & catalog.clause_words(chunk_id)) / len(words)


def _holds_every(words: set[str], chunk_id: str, catalog: Catalog) -> bool:
    """Whether a clause (or its rendering) holds every one of `words`, English words compared by stem ('meet' is in
    'hold meetings')."""
    held = catalog.clause_words(chunk_id)
    missing = {w for w in words if w not in held}
    if not missing or not all(w.isascii() for w in missing):
        return not missing
    from planqa.dictionary import stem

    stems = {stem(w) for w in held if w.isascii()}
    return all(stem(w) in stems for w in missing)


def _said(words: set[str], chunk_id: str, catalog: Catalog) -> int:
    """How often a clause (with its rendering) says `words`: of two clauses holding them, the one about them says them more."""
    chunk = catalog.chunk(chunk_id)
    texts = [chunk.text, catalog.chunk(chunk.aligned_id).text if chunk.aligned_id else ""]
    return sum(text.lower().count(word) for word in words for text in texts)


def _clause_ref(text: str, language: str, vocab: _Vocabulary) -> tuple[int, int] | None:
    """Where the turn points at a clause: a demonstrative anywhere, a bare pronoun only in a short turn."""
    for pattern in vocab.clause:
        found = pattern.search(text)
        if found:  # a pattern with a group 'ref' replaces only that ("in it" -> "in measure (9)")
            return found.span("ref") if "ref" in pattern.groupindex else found.span()
    if _short(text, language, vocab):
        for pattern in vocab.weak:
            found = pattern.search(text)
            if found:
                return found.span()
    return None


def _measure(text: str, vocab: _Vocabulary, documents: Sequence[str], catalog: Catalog) -> tuple[Chunk, tuple[int, int]] | None:
    """A measure named by its number, looked up in the document in context (else the primary document)."""
    primary = [catalog.primary.id] if catalog.primary is not None else []
    for pattern in vocab.measure:
        found = pattern.search(text)
        if not found:
            continue
        number = _number(found.group("n"))
        for doc_id in [*documents, *primary]:
            doc = catalog.document(doc_id)
            target = doc.renders or doc.id
            if number == -1:  # "最后一条", "the last measure": the highest-numbered measure of the document
                chunk = max((c for c in catalog.chunks if c.doc_id == target and c.is_measure), key=lambda c: int(c.local_id), default=None)
            else:
                chunk = catalog.chunk_map.get(f"{target}#{number}")
            if chunk is not None:
                return chunk, found.span()
    return None


def _measures(text: str, vocab: _Vocabulary, documents: Sequence[str], catalog: Catalog) -> list[tuple[Chunk, tuple[int, int]]]:
    """The measure named first and those joined to it ("第五条和第八条"), each with the span of the whole list."""
    first = _measure(text, vocab, documents, catalog)
    if first is None:
        return []
    chunks, (start, end) = [first[0]], first[1]
    while True:
        found = next((m for m in (p.match(text[end:]) for p in vocab.joins) if m), None)
        chunk = catalog.chunk_map.get(f"{first[0].doc_id}#{_number(found.group('n'))}") if found else None
        if chunk is None:
            break
        chunks.append(chunk)
        end += found.end()
    return [(chunk, (start, end)) for chunk in dict.fromkeys(chunks)]


def _section(question: str, text: str, vocab: _Vocabulary, documents: Sequence[str], language: str, catalog: Catalog) -> Resolution | None:
    """'第二部分包括什么？', '“重点人才队伍建设”那部分讲什么？': the clauses of that top-level section of the document
    in context (else the primary), named by its number or by words of its heading."""
    # A document named (or in context) is the only one looked in: its missing part is not the primary document's part.
    # Of a summary (or a rendering) named with the plan it is of ("北京方案的英文摘要版"), only the summary is meant.
    documents = [
        d for d in documents if not any(catalog.document(o).summarizes == d or catalog.document(o).renders == d for o in documents)
    ]
    primary = [catalog.primary.id] if catalog.primary is not None and not documents else []
    candidates = [*documents, *primary]
    found = next((m for m in (p.search(text) for p in vocab.section) if m), None)
    if found is not None:
        n, span = _number(found.group("n")), found.span()
    else:
        by_heading = _section_named(text, vocab, candidates, catalog)
        if by_heading is None:
            return None
        doc_id, n, span = by_heading
        candidates = [doc_id]
    for doc_id in candidates:
        doc = catalog.document(doc_id)
        sections = catalog.sections(doc.renders or doc.id)
        if 1 <= n <= len(sections) and sections[n - 1] is not None:
            lead_in, clauses = sections[n - 1]
            named = bool(catalog.mentioned_documents(text))
            label = _section_label(lead_in, n, language, catalog, with_document=not named)
            resolved = _replace(question, span, label)
            if not clauses:  # a section with no clauses of its own ("一、目标任务") is its lead-in
                return Resolution(resolved, language, "measure", lead=(lead_in.id,))
            # Asked what it holds, the section is listed; asked anything else ("谁来落实？"), each clause is asked it.
            each = tuple(
                Resolution(
                    _replace(question, span, _label(c, language, catalog, with_document=not named)),
                    language,
                    "measure",
                    lead=(c.id,),
                )
                for c in clauses
            )
            return Resolution(resolved, language, "section", lead=tuple(c.id for c in clauses), section=lead_in.id, each=each)
    return None


def _section_named(text: str, vocab: _Vocabulary, documents: Sequence[str], catalog: Catalog) -> tuple[str, int, tuple[int, int]] | None:
    """(document, section number, span) for a section named by its heading's words ('“重点人才队伍建设”那部分', 'the
    organizational support section'): the one top-level section with clauses whose heading, in either language, holds
    at least SECTION_HEADING_SHARE of the words put before 'part'/'部分', more of them than any other section's."""
    named = next((m for m in (p.search(text) for p in vocab.section_names) if m), None)
    if named is None:
        return None
    words = content_words(catalog.without_mentions(named.group("name"))) - vocab.frame_words
    if not words:
        return None
    for doc_id in documents:
        doc = catalog.document(doc_id)
        held = []
        for entry in catalog.sections(doc.renders or doc.id):
            rendering = catalog.chunk_map.get(entry[0].aligned_id or "") if entry is not None else None
            heading = set(tokenize(f"{entry[0].heading} {rendering.heading if rendering else ''}")) if entry and entry[1] else set()
            held.append(len(words & heading) / len(words))
        best = max(range(len(held)), key=lambda i: held[i], default=None)
        if best is not None and held[best] >= SECTION_HEADING_SHARE and held.count(held[best]) == 1:
            return doc_id, best + 1, named.span()
    return None


def _pair(
    text: str, history: Sequence[Memo], context: Memo, vocab: _Vocabulary, catalog: Catalog
) -> list[tuple[Chunk, tuple[int, int]]] | None:
    """'这两条' / 'these two': the two measures the last answer cited side by side, else the last two talked about."""
    found = next((m for m in (p.search(text) for p in vocab.pairs) if m), None)
    if found is None:
        return None
    measures = [cid for cid in context.cited if is_measure_id(cid)]
    if len(measures) < 2:
        talked = [m.cited[0] for m in history if m.cited and not m.abstained and not m.clarify and is_measure_id(m.cited[0])]
        measures = list(dict.fromkeys(talked))[-2:]
    if len(measures) < 2:
        return None
    return [(catalog.chunk(cid), found.span()) for cid in measures[:2]]


def _several(question: str, named: list[tuple[Chunk, tuple[int, int]]], language: str, kind: str, catalog: Catalog) -> Resolution:
    """One turn about several clauses: the question with all of them, and one question per clause to answer each."""
    span = named[0][1]
    # "北京方案第五条和第八条" names the document already: the clauses go by their numbers alone.
    short = bool(catalog.mentioned_documents(to_simplified(question)))
    labels = [_label(chunk, language, catalog, with_document=not short) for chunk, _ in named]
    comma, conjunction = ("、", "和") if language == "zh" else (", ", " and ")
    joined = f"{comma.join(labels[:-1])}{conjunction}{labels[-1]}"
    each = tuple(
        Resolution(_replace(question, span, label), language, kind, lead=(chunk.id,))
        for (chunk, _), label in zip(named, labels, strict=True)
    )
    return Resolution(_replace(question, span, joined), language, kind, lead=tuple(chunk.id for chunk, _ in named), each=each)


def _position(text: str, vocab: _Vocabulary) -> tuple[int, tuple[int, int]] | None:
    """A position in a list ('第二个' -> 2, 'the latter' -> -1 (the last), 'the former' -> 1)."""
    for pattern in vocab.position:
        found = pattern.search(text)
        if found:
            named = found.groupdict()
            n = 1 if named.get("first") else -1 if named.get("last") else _number(found.group("n").lower())
            return n, found.span()
    return None


def _number(text: str) -> int:
    """'12' -> 12, '十二' -> 12, 'twelfth' / 'twelve' -> 12."""
    if text.isdigit():
        return int(text)
    return vocabulary().numbers.get(text.lower()) or chinese_numeral(text)


def _relative(text: str, context: Memo, vocab: _Vocabulary, catalog: Catalog) -> tuple[Chunk, tuple[int, int]] | None:
    """The measure after (or before) the one the conversation is about: '下一条呢？' after 北京方案（十） -> （十一）."""
    if not context.cited or not is_measure_id(context.cited[0]):
        return None
    for pattern in vocab.relative:
        found = pattern.search(text)
        if found:
            step = -1 if (found.groupdict().get("d") or "").lower() in ("上", "前", "before") else 1
            doc_id, number = context.cited[0].split("#", 1)
            chunk = catalog.chunk_map.get(f"{doc_id}#{int(number) + step}")
            return (chunk, found.span()) if chunk is not None else None
    return None


def _listed(cited: Sequence[str], catalog: Catalog) -> Sequence[str]:
    """The clauses a position counts in: those cited, or, when one section was cited, the measures it lists."""
    if len(cited) != 1 or is_measure_id(cited[0]):
        return cited
    doc_id = catalog.chunk(cited[0]).doc_id
    inside = next((entry[1] for entry in catalog.sections(doc_id) if entry is not None and entry[0].id == cited[0]), ())
    return [c.id for c in inside] or cited


def _placed_in_list(
    text: str, named: tuple[Chunk, tuple[int, int]], listed: Sequence[str], vocab: _Vocabulary, catalog: Catalog
) -> Chunk | None:
    """'第三条' or '最后一条' just after an answer that listed several clauses, none of them measure (三): the third
    (the last) of that list. What was just listed is what a number points into; a number that names one of the
    listed measures ("第九条那个" after 7, 9 and 11) or lies beyond the list ("第十六条") is the measure itself."""
    chunk, span = named
    if len(listed) < 2 or chunk.id in listed:
        return None
    found = next((m for m in (p.search(text) for p in vocab.measure) if m is not None and m.span() == span), None)
    if found is None:
        return None
    n = _number(found.group("n"))
    if n == -1:
        return catalog.chunk(listed[-1])
    return catalog.chunk(listed[n - 1]) if 1 <= n <= len(listed) else None


def _walked(n: int, listed: Sequence[str], history: Sequence[Memo], context: Memo) -> Sequence[str]:
    """What position n counts in: the clauses just cited or, when one clause is in context and an earlier answer
    listed it among others, that list ("the second one?" picked it from the list, "and the first?" walks the same
    list on), as long as the list is that long; otherwise what was just cited."""
    if len(listed) > 1 or len(context.cited) != 1:
        return listed
    walked = next((m.cited for m in reversed(history) if len(m.cited) > 1 and not m.abstained and context.cited[0] in m.cited), ())
    return walked if walked and (1 <= n <= len(walked) or n == -1) else listed


def _ordinal_measure(n: int, listed: Sequence[str], context: Memo, catalog: Catalog) -> Chunk | None:
    """'and then the fifth?' after one measure was talked about: the fifth measure of that document, not a list position."""
    if len(listed) > 1 or n < 1 or not context.cited or not is_measure_id(context.cited[0]):
        return None
    return catalog.chunk_map.get(f"{context.cited[0].split('#', 1)[0]}#{n}")


def _language_prefix(text: str, vocab: _Vocabulary) -> tuple[str, str] | None:
    """(language, the rest) for a turn that opens by asking for a language and then asks something of its own."""
    for pattern in vocab.language_prefix:
        found = pattern.match(text.strip())
        rest = text.strip()[found.end() :].strip() if found else ""
        if found and rest:
            named = {k for k, v in found.groupdict().items() if v}
            return ("zh" if any(k.startswith("zh") for k in named) else "en"), rest
    return None


def _language_switch(text: str, vocab: _Vocabulary) -> str:
    for pattern in vocab.language:
        found = pattern.search(text.strip())
        if found:
            named = {k: v for k, v in found.groupdict().items() if v}
            return "zh" if any(k.startswith("zh") for k in named) else "en"
    return ""


# --- counterparts ------------------------------------------------------------------------


def _document_of_kind(reference: str, documents: Sequence[str], history: Sequence[Memo], vocab: _Vocabulary, catalog: Catalog) -> str:
    """The document '这个方案' / 'that report' means: the first in context whose kind its noun allows, else the latest
    such one the conversation talked about, else the first in context."""
    kinds = next((allowed for nouns, allowed in vocab.document_kinds if nouns.search(reference)), None)
    if kinds is None:
        return documents[0]
    talked = [d for memo in reversed(history) for d in (*memo.documents, *catalog.mentioned_documents(to_simplified(memo.resolved)))]
    for doc_id in (*documents, *talked):
        doc = catalog.document(catalog.document(doc_id).renders or doc_id)
        if doc.kind in kinds:
            return doc.id
    return documents[0]


def proposal_clauses(doc_id: str, catalog: Catalog) -> list[Chunk]:
    """The clauses of a document (or its official text, for a rendering) under a section whose heading, in either
    language, says it holds proposals ('POLICY RECOMMENDATIONS', '对策建议')."""
    marks = vocabulary().response_sections
    doc_id = catalog.document(doc_id).renders or doc_id
    found = []
    for chunk in (c for c in catalog.chunks if c.doc_id == doc_id and c.section):
        rendering = catalog.chunk_map.get(chunk.aligned_id or "")
        if marks.search(chunk.section[0]) or (rendering is not None and rendering.section and marks.search(rendering.section[0])):
            found.append(chunk)
    return found


def _response(text: str, docs_named: list[str], context: Memo, language: str, catalog: Catalog, vocab: _Vocabulary) -> Resolution | None:
    """'报告针对这个问题提了什么建议？' after a passage on a problem: what the same document proposes about it.

    Only for a document with a section of proposals, and a passage outside it (a proposal asked about again is
    answered as any follow-up is); the proposal itself is found by the chain, by the passage's own text.
    """
    if not context.cited or not any(p.search(text) for p in vocab.response):
        return None
    source = catalog.chunk(context.cited[0])
    own = catalog.document(source.doc_id).renders or source.doc_id
    if any((catalog.document(d).renders or d) != own for d in docs_named):
        return None
    proposals = proposal_clauses(own, catalog)
    if not proposals or source.id in {c.id for c in proposals} or source.aligned_id in {c.id for c in proposals}:
        return None
    shown = catalog.chunk(source.aligned_id) if source.lang != language and source.aligned_id else source
    heading = shown.section[-1] if shown.section else source.heading
    label = f"“{heading}”" if heading else _label(source, language, catalog)
    name = _doc_name(own, language, catalog)
    question = f"{name}针对{label}提出了什么建议？" if language == "zh" else f"What does the {name} recommend on {label}?"
    # The sentence the last answer quoted from that passage ("国际学校学位缺口达1.2万个") says which of the problems
    # it names is meant.
    topic = context.quoted if context.cited[0] == source.id else ""
    return Resolution(question, language, "response", response=(source.id, topic))


def _counterpart(text: str, docs_named: list[str], context: Memo, language: str, catalog: Catalog, vocab: _Vocabulary) -> Resolution | None:
    """'北京方案里与它对应的措施呢？' after a national measure: that measure's match in the Beijing plan (found by the chain).

    The clause is one the turn names by number, else the one the conversation is about; the document is the one the
    turn names that is not the clause's own (nor a rendering or summary of it).
    """
    if not any(p.search(text) for p in vocab.counterpart) and not _points_elsewhere(text, docs_named, language, vocab, catalog):
        return None
    named = _measure(text, vocab, context.documents, catalog)
    # The clause the conversation is about is its first numbered measure (a plan's introduction cited with it is support).
    measures = [cid for cid in context.cited if is_measure_id(cid)]
    source = named[0].id if named else (measures or list(context.cited) or [None])[0]
    if source is None:
        return None
    own = _family_of(source.split("#", 1)[0], catalog)
    targets = [catalog.document(d).renders or d for d in docs_named or _official_named_by_a_word(text, catalog)]
    target = next((d for d in targets if d not in own and catalog.document(d).official), None)
    if target is None:
        return None
    label, name = _label(catalog.chunk(source), language, catalog), _doc_name(target, language, catalog)
    # A topic the turn names itself ("北京方案里和人才评价对应的是哪条？") is what to match; else what the conversation
    # asked about that clause narrows the search when the clause covers several things.
    own = catalog.without_mentions(text, gapped=True)
    for pattern in (*vocab.counterpart, *vocab.measure, *vocab.clause, *vocab.weak):
        own = pattern.sub(" ", own)
    # the word that named the target ("… for it in Beijing?") is not a topic to match
    naming = set(tokenize(" ".join((*catalog.document(target).aliases, _doc_name(target, language, catalog)))))
    own_words = [w for w in _content_words(own, language, vocab) if content_words(w) and w.lower() not in naming]
    if own_words:
        topic = " ".join(own_words)
        zh, en = f"{name}里与{label}对应的、关于{topic}的是哪一条？", f"Which measure of the {name} on {topic} matches {label}?"
        question = zh if language == "zh" else en
        return Resolution(question, language, "counterpart", counterpart=(source, target, topic))
    topic = "" if named else catalog.without_mentions(to_simplified(context.resolved))
    for pattern in (*vocab.measure, *vocab.content):  # "What does measure (11) say?" names no topic
        topic = pattern.sub(" ", topic)
    topic = topic if _content_words(topic, detect_language(topic), vocab) else ""
    return _asked_of_counterpart(catalog.chunk(source), target, language, "fact", catalog, topic)


def _points_elsewhere(text: str, docs_named: list[str], language: str, vocab: _Vocabulary, catalog: Catalog) -> bool:
    """'Who runs it in Beijing?', '国家方案里这条由谁负责？': a turn that points at the clause in context,
    names a document (by a name, or by a word such as 'Beijing') and adds no topic of its own asks about that
    document's counterpart. Words asking about units ('部门', 'department') name no document here."""
    span = _clause_ref(text, language, vocab)
    if span is None:
        return False
    unit_words = vocab.unit_nouns
    rest = lexicon().bureau_question_words.sub(" ", catalog.without_mentions(text[: span[0]] + " " + text[span[1] :]))
    if docs_named:
        return not _own_words(rest, (0, 0), language)
    named = _official_named_by_a_word(unit_words.sub(" ", text), catalog)
    if not named:
        return False
    naming = set(tokenize(" ".join(catalog.document(named[0]).aliases)))
    return not {w for w in _own_words(rest, (0, 0), language) if w.lower() not in naming}


def _document_clause(text: str, history: Sequence[Memo], vocab: _Vocabulary, catalog: Catalog) -> tuple[Chunk, tuple[int, int]] | None:
    """'the national one' / '国家的那条': the clause of that document the conversation last talked about."""
    for pattern in vocab.document_clause:
        found = pattern.search(text)
        if not found:
            continue
        word = found.group("doc").removesuffix("'s")
        documents = catalog.mentioned_documents(word) or _documents_by_word(word, catalog)
        if not documents:
            return None
        # "Beijing" names the plan and the news alike: the one the conversation cited is meant.
        family = {d for doc in documents for d in _family_of(doc, catalog)}
        for memo in reversed(history):
            cited = [cid for cid in memo.cited if cid.split("#", 1)[0] in family]
            if cited and not memo.abstained:
                return catalog.chunk(_official(cited[0], catalog)), found.span()
        return None
    return None


def _family_of(doc_id: str, catalog: Catalog) -> set[str]:
    """A document with the one it renders or summarises and those that render or summarise it."""
    doc = catalog.document(doc_id)
    root = doc.renders or doc.summarizes or doc.id
    return {root} | {d.id for d in catalog.documents if d.renders == root or d.summarizes == root}


# --- ellipsis -----------------------------------------------------------------------------


def _ellipsis(text: str, vocab: _Vocabulary) -> str | None:
    """The new topic of an elliptical turn ('住房呢？' -> '住房'), or None."""
    for pattern in vocab.ellipsis:
        found = pattern.search(text.strip())
        if found and found.group("topic").strip():
            return found.group("topic").strip()
    return None


def _elliptical(topic: str, history: Sequence[Memo], context: Memo, language: str, catalog: Catalog, vocab: _Vocabulary) -> Resolution:
    """The last question's frame with the new topic: another document, a clause, another bureau, or another subject.

    The frame is the last turn's; the clauses and documents referred to are those of `context`, the last turn that
    answered with citations.
    """
    last = history[-1]
    documents = catalog.mentioned_documents(topic) or _document_by_word(topic, catalog)
    if documents:  # the same question about another document: the last question that stood on its own, renamed
        # A declined question found nothing to ask again elsewhere: the last one answered is what the turn goes on with.
        standalone = next(
            (m for m in reversed(history) if m.resolved == m.question and not m.clarify and not m.abstained),
            next((m for m in reversed(history) if m.resolved == m.question and not m.clarify), last),
        )
        asked = to_simplified(standalone.resolved)
        # A measure named by its number ("国家方案第十一条讲什么？") has another number in another plan: its counterpart.
        numbered = _measure(asked, vocab, catalog.mentioned_documents(asked), catalog) if catalog.mentioned_documents(asked) else None
        target = catalog.document(documents[0]).renders or documents[0]
        own_number = any(p.search(topic) for p in vocab.measure)  # "北京方案第八条呢？" names the measure itself
        if numbered and not own_number and catalog.document(target).official and target not in _family_of(numbered[0].doc_id, catalog):
            intent = standalone.intent if standalone.intent in vocab.frames else "fact"
            return _asked_of_counterpart(numbered[0], target, language, intent, catalog)
        renamed = _renamed(asked, documents[0], catalog)
        measure = _measure(topic, vocab, documents, catalog) or _measure(renamed, vocab, documents, catalog)
        lead = (measure[0].id,) if measure and measure[0].doc_id == (catalog.document(documents[0]).renders or documents[0]) else ()
        return Resolution(renamed, language, "document", lead=lead)
    frame_intent = last.intent if last.intent in vocab.frames else "fact"
    switched = _place_switch(topic, _measure_talked_about(last, context, vocab, catalog), language, frame_intent, catalog, vocab)
    if switched is not None:
        return switched
    listed = last.clarify or context.cited
    if context.cited and any(p.fullmatch(topic) for p in vocab.roles):
        # "那牵头单位呢？", "and the lead agency?": who is responsible for the clause in context, not a new subject
        if _ambiguous(context, catalog):
            return Resolution(topic, language, "ellipsis", clarify=context.cited[:MAX_CLARIFY])
        chunk = catalog.chunk(context.cited[0])
        frame = vocab.frames["responsible_bureau"][language]
        return Resolution(frame.format(topic=_label(chunk, language, catalog)), language, "ellipsis", lead=(chunk.id,))
    measure = _measure(topic, vocab, context.documents, catalog)
    placed = _placed_in_list(topic, measure, _listed(listed, catalog), vocab, catalog) if measure else None
    clause = ((placed, measure[1]) if placed else measure) or _relative(topic, context, vocab, catalog)
    chunk = clause[0] if clause else None
    position = _position(topic, vocab) if chunk is None else None
    if position is not None:
        listed = _walked(position[0], listed, history, context)
        chunk = _ordinal_measure(position[0], listed, context, catalog)
    if chunk is None and position is not None and (1 <= position[0] <= len(listed) or (position[0] == -1 and listed)):
        chunk = catalog.chunk(listed[position[0] - 1] if position[0] > 0 else listed[-1])
    if chunk is None and _clause_ref(topic, language, vocab) is not None:
        if _ambiguous(context, catalog):
            return Resolution(topic, language, "ellipsis", clarify=context.cited[:MAX_CLARIFY])
        chunk = catalog.chunk(context.cited[0]) if context.cited else None
    if chunk is not None:
        frame = vocab.frames[frame_intent if frame_intent == "responsible_bureau" else "clause"]
        return Resolution(frame[language].format(topic=_label(chunk, language, catalog)), language, "ellipsis", lead=(chunk.id,))
    if language == "en":  # "and at technical colleges?": the topic is what follows the preposition
        topic = LEADING_PREPOSITION.sub("", topic.strip())
    if not catalog.table.mentioned_in(topic) and _continues(topic, context, catalog):
        # "what about private firms?" after a clause on pay in public institutions that also speaks of firms: asked
        # of that clause, which holds the new topic as well as any other clause does.
        chunk = catalog.chunk(context.cited[0])
        where = _label(chunk, language, catalog)
        topic = f"{where}中{topic}" if language == "zh" else f"{topic} in {where}"
        return Resolution(vocab.frames["fact"][language].format(topic=topic), language, "ellipsis", lead=(chunk.id,))
    if catalog.table.mentioned_in(topic):
        frame_intent = "bureau_measures"
    elif frame_intent in ("bureau_measures", "clause"):
        frame_intent = "fact"
    # The document the conversation last named, if any turn did ("and the data export issue?" stays in the report).
    named = next((found for m in reversed(history) if (found := catalog.mentioned_documents(to_simplified(m.resolved)))), [])
    if named and frame_intent != "bureau_measures":
        name = _doc_name(named[0], language, catalog)
        topic = f"{name}中{topic}" if language == "zh" else f"{topic} in the {name}"
    # "And for colleges of that kind?" after a question on specialties: the new topic is searched after the
    # question it swaps into, as a later part of a compound question is (its own words must still be in the documents).
    swapped = catalog.without_mentions(to_simplified(context.resolved)) if frame_intent == "fact" and context.cited else ""
    return Resolution(vocab.frames[frame_intent][language].format(topic=topic), language, "ellipsis", context=swapped)


# --- helpers ------------------------------------------------------------------------------


def _measure_talked_about(last: Memo, context: Memo, vocab: _Vocabulary, catalog: Catalog) -> Chunk | None:
    """The measure the conversation is about: the one the last turn named by number (even when declined: "国家方案
    第六条由谁负责？" names no units, yet is about that measure), else the first the context cited."""
    docs = catalog.mentioned_documents(to_simplified(last.resolved))
    named = _measure(to_simplified(last.resolved), vocab, docs, catalog) if docs else None
    if named is not None:
        return named[0]
    return catalog.chunk(context.cited[0]) if context.cited and is_measure_id(context.cited[0]) else None


def _place_switch(topic: str, source: Chunk | None, language: str, intent: str, catalog: Catalog, vocab: _Vocabulary) -> Resolution | None:
    """'北京这边呢？', 'and in Beijing?' after a measure of another plan: a word that names one policy document alone
    (the place it is for) asks for that document's counterpart of the measure, the same thing asked of it."""
    if source is None:
        return None
    word = vocab.place_sides.sub("", LEADING_PREPOSITION.sub("", topic.strip())).strip()
    # the whole topic is the place ("北京", "Beijing"), not a subject that holds a word of a name ("人才服务产业园区")
    targets = [d for d in _documents_by_word(word, catalog) if catalog.document(d).official]
    if len(targets) != 1 or targets[0] in _family_of(source.doc_id, catalog):
        return None
    return _asked_of_counterpart(source, targets[0], language, intent, catalog)


def _asked_of_counterpart(source: Chunk, target: str, language: str, intent: str, catalog: Catalog, topic: str = "") -> Resolution:
    """The same question asked of the measure of `target` matching `source` (who is responsible, or what it says);
    `topic`, what the conversation asked of the source, narrows the search for the match."""
    label, name = _label(source, language, catalog), _doc_name(target, language, catalog)
    if intent == "responsible_bureau":
        question = (
            f"{name}里与{label}对应的措施由哪个部门负责？"
            if language == "zh"
            else f"Who is responsible for the measure of the {name} matching {label}?"
        )
    else:
        question = f"{name}里与{label}对应的是哪一条？" if language == "zh" else f"Which measure of the {name} matches {label}?"
    return Resolution(question, language, "counterpart", counterpart=(source.id, target, topic))


def _document_by_word(topic: str, catalog: Catalog) -> list[str]:
    """The one original document whose names contain this short topic as a word ('Beijing' -> the Beijing plan)."""
    found = _documents_by_word(topic, catalog)
    return found if len(found) == 1 else []


def _documents_by_word(topic: str, catalog: Catalog) -> list[str]:
    """Every original document whose names contain this short topic as a word ('Beijing' -> the plan and the news)."""
    word = topic.strip().lower()
    if not word or len(word.split()) > 2 or len(word) > 20:
        return []
    pattern = re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])", re.IGNORECASE)
    return [d.id for d in catalog.documents if not d.renders and not d.summarizes and any(pattern.search(a) for a in d.aliases)]


def _official_named_by_a_word(text: str, catalog: Catalog) -> list[str]:
    """The policy documents a word of the turn names when no alias does ('Which Beijing measure…' -> the Beijing plan)."""
    words = re.findall(r"[A-Za-z]{4,}", text) + [w for w in tokenize(text) if len(w) >= 2 and CJK.match(w)]
    found = {d for w in words for d in _documents_by_word(w, catalog) if catalog.document(d).official}
    return sorted(found) if len(found) == 1 else []


def _renamed(question: str, doc_id: str, catalog: Catalog) -> str:
    """The question about another document: the document it names replaced in place, else the new one added.

    'What does the national plan offer returnees?' -> 'What does the Beijing plan offer returnees?'
    """
    lang = detect_language(question)
    name = _doc_name(doc_id, lang, catalog)
    span = catalog.mention_span(question)  # the whole reference, words between included ("国家的那份行动方案")
    if span is not None:
        return f"{question[: span[0]]}{name}{question[span[1] :]}"
    base = question.rstrip("？?。. ")
    return f"{name}中，{base}？" if lang == "zh" else f"{base} in the {name}?"


def _short(text: str, language: str, vocab: _Vocabulary) -> bool:
    if language == "zh":
        return len(CJK.findall(text)) <= vocab.short["zh"]
    return len(re.findall(r"[A-Za-z0-9]+", text)) <= vocab.short["en"]


def _frame_only(text: str, language: str, vocab: _Vocabulary) -> bool:
    """A short turn with an asking frame and no topic of its own ('由哪个部门负责？', 'Who leads?')."""
    if not _short(text, language, vocab):
        return False
    words = re.findall(r"[A-Za-z]+", text.lower()) if language == "en" else tokenize(text)
    return bool(words) and not _content_words(text, language, vocab)


def _content_words(text: str, language: str, vocab: _Vocabulary) -> list[str]:
    """The words of a turn that name a topic: not stopwords, not words of asking."""
    words = re.findall(r"[A-Za-z]+", text.lower()) if language == "en" else tokenize(text)
    return [w for w in words if w not in vocab.frame_words and not all(ch in vocab.frame_words for ch in w)]


def responsible_question(chunk_id: str, language: str, catalog: Catalog) -> str:
    """'北京方案（十二）由哪个部门负责？' / 'Who is responsible for measure (12) of the Beijing plan?'."""
    return vocabulary().frames["responsible_bureau"][language].format(topic=_label(catalog.chunk(chunk_id), language, catalog))


def whole_clause_answer(question: str, resolution: Resolution, catalog: Catalog, matching: str = "", answering: str = "") -> Answer:
    """'第十四条讲什么？' answered with the whole clause: its text quoted verbatim, its rendering beside it across languages.

    With `matching` (a clause id), the clause is given as the closest match to that one, in another document; with
    `answering`, as what its document proposes about that one.
    """
    chunk = catalog.chunk(resolution.lead[0])
    lang = resolution.language
    rendering = catalog.chunk(chunk.aligned_id) if chunk.aligned_id and chunk.lang != lang else None
    doc = catalog.document(chunk.doc_id)
    citation = Citation(
        1, chunk, doc.title(lang), chunk.text, 1.0, rendering.id if rendering else None, rendering.text if rendering else ""
    )
    label = _label(chunk, lang, catalog)
    shown = rendering.text if rendering else chunk.text
    text = f"{label}：{shown} [1]" if lang == "zh" else f"{label}: {shown} [1]"
    if matching:
        source = _label(catalog.chunk(matching), lang, catalog)
        text = f"与{source}内容最接近的是{text}" if lang == "zh" else f"The closest match to {source} is {text}"
    elif answering:
        source = _label(catalog.chunk(answering), lang, catalog)
        text = f"针对{source}，最相关的建议是{text}" if lang == "zh" else f"On {source}, the closest proposal is {text}"
    return Answer(question, lang, "fact", text, False, (citation,), (citation,), chunk.bureaus, resolved_question=resolution.question)


def _section_label(lead_in: Chunk, n: int, language: str, catalog: Catalog, with_document: bool = True) -> str:
    """'北京方案第二部分（加强数字领域重点人才队伍建设）' / 'part II (…) of the Beijing plan'."""
    shown = catalog.chunk(lead_in.aligned_id) if lead_in.lang != language and lead_in.aligned_id else lead_in
    name = _doc_name(catalog.document(lead_in.doc_id).renders or lead_in.doc_id, language, catalog) if with_document else ""
    number = shown.clause.strip().rstrip("、.") or str(n)
    if language == "zh":
        return f"{name}第{number}部分（{shown.heading}）"
    part = f"part {number} ({shown.heading})"
    return f"{part} of the {name}" if name else part


def section_answer(question: str, resolution: Resolution, catalog: Catalog) -> Answer:
    """'第二部分包括什么？' answered with the section's clauses, one line each: its title and its first sentence."""
    lang = resolution.language
    lines, citations = [], []
    for number, chunk_id in enumerate(resolution.lead, start=1):
        chunk = catalog.chunk(chunk_id)
        shown = catalog.chunk(chunk.aligned_id) if chunk.aligned_id and chunk.lang != lang else chunk
        first = re.split(
            r"(?<=[。！？])|(?<=[.!?])\s+", shown.text.removeprefix(f"{shown.title}。").removeprefix(f"{shown.title}.").strip()
        )[0]
        citations.append(
            Citation(
                number,
                chunk,
                catalog.document(chunk.doc_id).title(lang),
                chunk.text,
                1.0,
                shown.id if shown is not chunk else None,
                shown.text if shown is not chunk else "",
            )
        )
        lines.append(f"- {shown.title}：{first} [{number}]" if lang == "zh" else f"- {shown.title}: {first} [{number}]")
    section = _section_label(catalog.chunk(resolution.section), 0, lang, catalog)
    head = f"{section}包括以下{len(lines)}条：" if lang == "zh" else f"{section} holds {len(lines)} clauses:"
    bureaus = tuple(dict.fromkeys(b for c in citations for b in c.chunk.bureaus))
    cited = tuple(citations)
    return Answer(question, lang, "fact", "\n".join([head, *lines]), False, cited, cited, bureaus, resolved_question=resolution.question)


def _replace(question: str, span: tuple[int, int], label: str) -> str:
    """The turn with the referring words replaced (spans are found on the Simplified text, which has the same length)."""
    start, end = span
    return f"{question[:start]}{label}{question[end:]}"


def _official(chunk_id: str, catalog: Catalog) -> str:
    """A rendering's clause id mapped to the original it renders (bj-2024-rendering-en#7 -> bj-2024#7); others unchanged."""
    chunk = catalog.chunk_map.get(chunk_id)
    if chunk is not None and catalog.document(chunk.doc_id).renders and chunk.aligned_id in catalog.chunk_map:
        return chunk.aligned_id
    return chunk_id


def _doc_name(doc_id: str, language: str, catalog: Catalog) -> str:
    """The short name people use for a document in a language: its first alias in that language, else its title."""
    doc = catalog.document(doc_id)
    fitting = [a for a in doc.aliases if (language == "zh") == bool(CJK.search(a)) and len(a) >= 4 and not a.isdigit()]
    named = [a for a in fitting if vocabulary().document_noun.search(a)]
    return (named or fitting or [doc.title(language)])[0]


def _label(chunk: Chunk, language: str, catalog: Catalog, with_document: bool = True) -> str:
    """'北京方案（十三）' / 'measure (13) of the Beijing plan': a clause by its number, so its heading's words do not
    change what the question seems to ask ('Address Shortages' is not a request for an address). A part of a report
    goes by its id ('part s3.A.3 of the research report'), a short unnumbered part by its heading.
    """
    shown = catalog.chunk(chunk.aligned_id) if chunk.lang != language and chunk.aligned_id else chunk
    doc = catalog.document(chunk.doc_id)
    official = catalog.document(doc.renders or doc.id)
    name = _doc_name(official.id, language, catalog)
    if shown.clause and official.official:
        if not with_document:
            return shown.clause if language == "zh" else f"measure {shown.clause}"
        return f"{name}{shown.clause}" if language == "zh" else f"measure {shown.clause} of the {name}"
    front = FRONT_PARTS.get(chunk.local_id)
    if front:  # the covering notice, the preamble, the closing: by what they are, not by an id
        return f"{name}的{front[0]}" if language == "zh" else f"the {front[1]} of the {name}"
    heading = shown.heading if shown.heading and len(shown.heading) <= 24 and not shown.clause else ""
    if heading:
        return f"{name}“{heading}”" if language == "zh" else f"“{heading}” in the {name}"
    if not shown.clause:  # an unnumbered passage of a report or a news story: the document it is in
        return name if language == "zh" else f"the {name}"
    return f"{name}第 {chunk.local_id} 部分" if language == "zh" else f"part {chunk.local_id} of the {name}"


CLARIFY_TEXTS = {
    "zh": ("您指的是哪一条？上一个回答引用了以下条款：", "请选择一条，或在问题中写明措施。"),
    "en": ("Which clause do you mean? The last answer cited:", "Pick one, or name the measure in your question."),
}


def _offered(chunk: Chunk, language: str, catalog: Catalog) -> str:
    """A clause offered to choose from: its label and, so the asker can tell them apart, its heading."""
    label = _label(chunk, language, catalog)
    shown = catalog.chunk(chunk.aligned_id) if chunk.lang != language and chunk.aligned_id else chunk
    heading = (shown.heading or "").strip()
    if not heading or heading in label:
        return label
    return f"{label}：{heading}" if language == "zh" else f"{label}: {heading}"


UNRESOLVED_TEXTS = {
    "zh": "“{ref}”指的是哪一条？前面没有回答引用过条款，文件中无从确定。请写明措施的名称或编号，例如“北京方案第五条由谁负责？”。",
    "en": "Which clause does “{ref}” mean? No earlier answer cited one, so the documents cannot tell. Name the measure or its number, "
    "e.g. “Who is responsible for measure 5 of the Beijing plan?”.",
}


def unresolved(question: str, resolution: Resolution) -> Answer:
    """A turn that points at a clause ("这条", "that measure") when no answer has cited one: declined, saying what to
    name, never answered about whatever clause the bare words happen to match."""
    text = to_simplified(question)
    span = _clause_ref(text, resolution.language, vocabulary()) or (0, 0)
    return Answer(
        question=question,
        language=resolution.language,
        intent="clarify",
        answer=UNRESOLVED_TEXTS[resolution.language].format(ref=question[span[0] : span[1]] or question),
        abstained=True,
        citations=(),
        retrieved=(),
        flags=("no clause to refer to",),
        resolved_question=question,
    )


def clarification(question: str, resolution: Resolution, catalog: Catalog) -> Answer:
    """The assistant's question back when a follow-up's referent is ambiguous: the candidate clauses, numbered."""
    lang = resolution.language
    head, tail = CLARIFY_TEXTS[lang]
    lines = [head] + [f"{i}. {_offered(catalog.chunk(cid), lang, catalog)} ({cid})" for i, cid in enumerate(resolution.clarify, start=1)]
    return Answer(
        question=question,
        language=lang,
        intent="clarify",
        answer="\n".join([*lines, tail]),
        abstained=False,
        citations=(),
        retrieved=(),
        flags=("ambiguous referent",),
        resolved_question=question,
        clarify=resolution.clarify,
    )
