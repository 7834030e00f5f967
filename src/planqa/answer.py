"""The default answerer: compose an answer from the sentences of the retrieved clauses.

No language model: for each clause that supports the answer it picks the sentences that
share the most informative words with the question (IDF-weighted), says which document
and measure they come from, and numbers them [n]. A question in the other language gets
the aligned rendering's sentence, while the citation quotes the official clause verbatim:

    Q: Who appoints chief data officers?
    A: Beijing plan, (2) Support the accelerated growth…: "…chief data officers…" [1]
       [1] bj-2024#2 quote: 鼓励各单位设立首席数据官，…

Bureau questions are answered from the parsed bureau data, "which measures does X lead"
from the directory (complete lists). It abstains — "the documents do not say" — when the
best clause is too weak, when a named place is not in the cited text, or when the question
wants a specific (an amount, a deadline, a winner, contact details) that the text lacks.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from planqa.abstention import Thresholds, plain_reason
from planqa.catalog import Catalog
from planqa.figures import stated
from planqa.lexicon import lexicon
from planqa.records import Analysis, Answer, Bureau, Chunk, Citation, Hit
from planqa.text import CJK, content_words, sentence_spans, tokenize

# The responsible units are read from a second or third clause when its fused score is this close to the first.
SUPPORT_RATIO = 0.97
# The specifics whose question words only say when ("最晚到哪一天"), never what about, and how long such a phrase is
# at most ("deadline"; a longer match, "how long does the programme last", holds the topic).
TIME_SPECIFICS, WHEN_PHRASE = ("date",), 8
# … and for a responsible-unit question whose best clause lists no units, the score share a clause listing units needs.
UNITS_SUPPORT_RATIO = 0.9
# A clause among the first CITE_DEPTH may be cited when its fused score is this close to the first (tuned on dev).
CITE_RATIO = 0.9
CITE_DEPTH = 3
# Among clauses that close, fused ranks say little: the ones whose best sentence shares at least this share
# of the best overlap with the question are cited, most overlap first (tuned on dev with CITE_RATIO: a wider
# net with this bar raised keeps citation precision where it was).
LEXICAL_SUPPORT = 0.5
# A self-described asker gets at most this many measures, and only for these intents.
ASKER_MEASURES = 3
ASKER_INTENTS = ("eligibility", "fact", "title_route")
UNIT_INTENTS = ("responsible_bureau", "bureau_measures")  # questions that ask for units, answered from clauses' lists
CITATION = re.compile(r"\[(\d{1,3})\]")
BUREAU_TRAILER = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")
# Sentences within NEAR of the best one join the quote when they score this share of it (this lower share when they
# give the specific the question asks for).
NEAR, SUPPORTING_SENTENCE, SPECIFIC_SUPPORT = 2, 0.6, 0.3
# A heading's number: "（三）", "(3)", "3."
# A sentence holding other words of the question joins the quote when they weigh this much of the best sentence's.
COVER_SUPPORT, COVER_MAX = 0.2, 2
TITLE_NUMBER = re.compile(r"^\s*[(（]?(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3}|[IVXivx]{1,5}|[A-Za-z])[)）.、]\s*")
# A "who is responsible" quote runs from the sentence about what was asked to the units at the clause's end when
# that sentence is at most this many sentences before them (else the units alone, to keep the quote short).
RESPONSIBLE_SPAN = 3

TEXTS = {
    "zh": {
        "abstain": "文件中没有说明这一点。",
        "nearest": "最接近的相关条款：",
        "according": "根据《{title}》{label}：",
        "responsible": "《{title}》{label}的责任单位：{names}。",
        "is_listed": "{name}是责任单位之一。",
        "not_listed": "{name}不在所列责任单位中。",
        "reads": "该条写道：“{quote}”",
        "leads": "{name}（{en}）负责以下 {count} 项措施：",
        "leads_none": "{name}（{en}）没有被列为任何一项措施的责任单位。",
        "shared": "{names}共同负责以下 {count} 项措施：",
        "shared_none": "{names}没有共同负责的措施。",
        "leads_alone": "{name}（{en}）单独负责以下 {count} 项措施（没有其他责任单位）：",
        "leads_alone_none": "没有一项措施只由{name}（{en}）单独负责。",
        "mention": "《{title}》中提到{terms}的措施有以下 {count} 项：",
        "mention_passages": "《{title}》中提到{terms}的内容有以下 {count} 处：",
        "rendering": "（引自非官方英文译本）",
        "original": "（原文：“{quote}”）",
        "named_rendering": "（{lang}译本：“{quote}”）",
        "langs": {"zh": "中文", "en": "英文"},
        "only_in": "（该文件只有{lang}版本，以上为原文）",
        "only_in_figures": "（该文件只有{lang}版本，以上为原文；其中：{figures}）",
        "units": "（责任单位：{names}）",
        "understood": "以下按“{terms}”回答。",
        "part": "{n}. {question}",
        "asker": "按您的描述（{profile}），以下措施可能适用（可在“适用措施”页修改描述）：",
        "asker_line": "- {label}：{why}“{quote}” [{n}]",
        "instructs": "（国家方案对各地的部署，不是企业或个人直接申请的项目）",
        "asked": "与您所问的内容最相关{note}：",
        "not_policy": "（{kind}中的内容，不是可申请的政策）",
        "kinds": {"research": "研究报告", "news": "新闻报道", "summary": "摘要"},
        "sep": "、",
    },
    "en": {
        "abstain": "The documents do not say.",
        "nearest": "Nearest related clauses:",
        "according": "According to the {title}, {label}:",
        "responsible": "Responsible for {label} of the {title}: {names}.",
        "is_listed": " {name} is one of them.",
        "not_listed": " {name} is not among them.",
        "reads": " It reads: “{quote}”",
        "leads": "{en} ({name}) is responsible for {count} {measures}:",
        "leads_none": "{en} ({name}) is not named as responsible for any measure.",
        "shared": "{names} share {count} {measures}:",
        "shared_none": "{names} share no measure.",
        "leads_alone": "{en} ({name}) is the only responsible unit of {count} {measures}:",
        "leads_alone_none": "No measure names {en} ({name}) as its only responsible unit.",
        "mention": "{count} {measures} of the {title} mention {terms}:",
        "mention_passages": "{count} {measures} of the {title} mention {terms}:",
        "rendering": "(unofficial English rendering of the official clause)",
        "original": ' (original: "{quote}")',
        "named_rendering": ' ({lang} rendering: "{quote}")',
        "langs": {"zh": "Chinese", "en": "English"},
        "only_in": " (this document exists in {lang} only; quoted as written)",
        "only_in_figures": " (this document exists in {lang} only; quoted as written. In it: {figures})",
        "units": " (responsible: {names})",
        "understood": "Showing results for {terms}.",
        "part": "{n}. {question}",
        "asker": "From your description ({profile}), these measures may apply (correct the description in the 'What applies to us' tab):",
        "asker_line": '- {label}: {why} "{quote}" [{n}]',
        "instructs": " (the national plan instructs local governments; it is not something an organisation applies for)",
        "asked": "closest to what you asked{note}: ",
        "not_policy": " (from a {kind}, not a policy one applies for)",
        "kinds": {"research": "research report", "news": "news report", "summary": "summary"},
        "sep": "; ",
    },
}


@dataclass(frozen=True)
class _Pick:
    """Chosen sentences of one clause: the official quote and, across languages, the rendering's."""

    quote: str
    shown: str
    rendering_id: str | None
    rendering_quote: str
    overlap: float


class ExtractiveAnswerer:
    """Composes grounded answers from retrieved clauses; holds the corpus IDF table."""

    name = "extractive"

    def __init__(self, catalog: Catalog, thresholds: Thresholds | None = None):
        self.catalog = catalog
        self.limits = thresholds or Thresholds.for_embedder("default")
        from planqa.profile import ClauseTags

        self.tags = ClauseTags.load(catalog)
        self.chunks = catalog.chunk_map
        frequencies = Counter(token for chunk in catalog.chunks for token in set(tokenize(chunk.text)))
        total = len(catalog.chunks)
        self.idf = {token: math.log(1 + total / count) for token, count in frequencies.items()}
        self.default_idf = math.log(1 + total)
        self._sentence_cache: dict[str, tuple[list[tuple[int, int]], list[frozenset[str]]]] = {}
        self._bridged_cache: dict[str, list[frozenset[str]]] = {}

    def warm(self) -> None:
        """Split and tokenise every clause now, not while a user waits: a server's first questions otherwise pay
        for pysbd and jieba on each clause they meet (measured: a sixth of the server's time over its first 200)."""
        for chunk in self.chunks.values():
            self._words(chunk)

    def _words(self, chunk: Chunk) -> list[frozenset[str]]:
        """Each sentence's words; for a clause with no rendering, with their translations too (see translation.py)."""
        words = self._sentences(chunk)[1]
        if chunk.aligned_id:
            return words
        if chunk.id not in self._bridged_cache:
            self._bridged_cache[chunk.id] = [w | self.catalog.translations.expand(w) for w in words]
        return self._bridged_cache[chunk.id]

    # --- entry point ---------------------------------------------------------------

    def answer(self, analysis: Analysis, hits: list[Hit]) -> Answer:
        retrieved = tuple(self._citation(i, hit.chunk, analysis, hit.score) for i, hit in enumerate(hits, start=1))
        if analysis.intent == "bureau_measures" and analysis.bureaus:
            return self._bureau_measures(analysis, retrieved)
        if analysis.intent == "mentions" and analysis.terms:
            listed = self._mentions(analysis, retrieved)
            if listed is not None:
                return listed
        reason = self._abstain_reason(analysis, hits)
        if reason:
            return self._abstain(analysis, retrieved, reason)
        if analysis.intent == "responsible_bureau":
            return self._responsible(analysis, hits, retrieved)
        if analysis.profile and analysis.intent in ASKER_INTENTS:
            answer = self._for_asker(analysis, hits, retrieved)
            if answer is not None:
                return answer
        return self._compose(analysis, hits, retrieved)

    # --- abstention ----------------------------------------------------------------

    def _abstain_reason(self, analysis: Analysis, hits: list[Hit]) -> str:
        if not hits:
            return "nothing retrieved"
        top, ranked = hits[0], _best_ranked(hits)
        limits = self.limits
        pick = self._pick(top.chunk, analysis)  # the sentence(s) the answer would quote
        overlap = pick.overlap
        facet_found = bool(_facet_lines(top.chunk.text, self._sentences(top.chunk)[0], analysis))
        # The question named this part, or (a later part of a compound question saying "it", "这条") its first part did.
        asked_for = top.reason in ("named part", "front matter") or facet_found or analysis.refers_back
        # Neither a document's name nor the asker's description of themselves is the topic: of the question with
        # and without that description, the one that reads more like the documents is judged.
        named = [self.catalog.without_mentions(t, parts=True) for t in dict.fromkeys((analysis.full_text, analysis.topic_text))]
        texts = [self.catalog.without_units(t, analysis.bureaus) for t in named]
        unknown, text = min((self.unknown_share(t), t) for t in texts)
        # A clause with no rendering in the question's language is compared across languages, where similarity runs lower.
        across = not ranked.chunk.aligned_id and ranked.chunk.lang != analysis.language
        similarity = ranked.dense_score + (limits.cross_language_margin if across else 0.0)
        weak = unknown >= limits.weak_off_topic_share and similarity < limits.weak_dense
        referred = top.reason == "follow-up"  # a follow-up referred to this clause: matched by reference, not similarity
        # A follow-up about the clause it referred to ("这条归谁管？", "can a startup apply for it?") has that clause
        # as its topic, whatever its own words; whether it gives what was asked (an amount, a date) is still checked.
        if (unknown >= limits.off_topic_share or weak) and not asked_for and not referred:
            return f"off-topic: {unknown:.0%} of the question's words are not in the documents"
        if similarity < limits.min_dense and overlap < limits.min_overlap and not asked_for and not referred:
            return f"weak match: similarity {ranked.dense_score:.2f}{' across languages' if across else ''}, overlap {overlap:.1f}"
        grounding = self.grounding(text, hits[:3])
        quotes = f"{pick.quote} {pick.rendering_quote}"  # the sentence(s) the answer would quote, in both languages
        # A question sharing enough rare words with the sentence the answer would quote (a unit's name among them, not
        # the document's) is about that sentence, whatever filler surrounds them ("我核对一下分工：…"): thresholds.yaml.
        # (Not a reason to take an off-topic question as asked: two common words can add up as much, "深度"+"学习".)
        ungrounded = (
            grounding < limits.min_grounding
            and unknown >= limits.ungrounded_unknown_share
            and self._quoted_weight(named, quotes) < limits.grounded_overlap
        )
        # A self-described asker's words about themselves are not the topic; the matcher handles those.
        if ungrounded and not asked_for and not (analysis.profile or analysis.about_asker) and not referred:
            return f"ungrounded: the best clause holds {grounding:.0%} of the question's words, {unknown:.0%} are not in the documents"
        # A later part of a compound question is searched with the first part's words, which ground anything: its own
        # words must be in the documents too ("…要交多少钱？个人能报销吗？": nothing on reimbursement).
        own = self.catalog.without_units(self.catalog.without_mentions(analysis.text, parts=True), analysis.bureaus)
        if analysis.context and not analysis.refers_back and not asked_for and content_words(own):
            own_unknown, own_grounding = self.unknown_share(own), self.grounding(own, hits[:3])
            if own_grounding < limits.min_grounding and own_unknown >= limits.ungrounded_unknown_share:
                return f"ungrounded: this part's own words are {own_unknown:.0%} not in the documents"
        support = " ".join(self._support_texts(hits[:3]))
        docs = [self.catalog.document(h.chunk.doc_id) for h in hits[:3]]
        titles = " ".join(f"{d.title_zh} {d.title_en} {d.date}" for d in docs)
        places = lexicon().places
        missing = [p for p in analysis.places if not places[p].search(support)]
        missing += [year for year in analysis.years if year not in support + titles]
        if missing:
            return f"the documents do not cover {', '.join(missing)}"
        # The specific must be in the sentence the answer would quote.
        # The rest of a list the question names ("除了A、B，其余的是谁？") is given only by a unit it does not name yet.
        if "rest" in analysis.specifics and not self._names_others(quotes, analysis):
            return "no rest is given"
        specifics = [s for s in analysis.specifics if s != "rest"]  # the others are given by a figure, a date, a name …
        for specific in specifics:
            if not lexicon().evidence[specific].search(quotes):
                return f"no {specific} is given"
        # "…2024年引进了1200名，那2025年引进了多少？": a figure for another year does not answer.
        # (A year inside a document's name, "2023年那份方案", says which document and is not among these.)
        if specifics and analysis.asked_years and not any(y in quotes for y in analysis.asked_years):
            return f"no {specifics[0]} is given for {', '.join(analysis.asked_years)}"
        # "具体能进哪些学校？" asks the documents to name schools: a clause that never speaks of schools names none.
        units = analysis.intent in UNIT_INTENTS  # units are named by the clause's list
        if analysis.named_kind and not units and not asked_for and not self._names(top.chunk, analysis.named_kind):
            return f"no list of {analysis.named_kind} is given"
        # … and that sentence must be about what the question is about, not a figure on another subject.
        subject = content_words(_without_when(text, analysis))
        held = set(tokenize(quotes))
        if top.chunk.aligned_id and not pick.rendering_quote:
            # a word of the question in the other script ("the report's “算力券” — who may use them?") is held by the rendering
            other_script = {w for w in subject if bool(CJK.search(w)) != (top.chunk.lang == "zh")}
            held.update(other_script & set(tokenize(self.chunks[top.chunk.aligned_id].text)))
        if not top.chunk.aligned_id:  # a clause in one language only: a subject word is there when a translation of it is
            held.update(w for w in subject if self.catalog.translations.expand([w]) & held)
        if specifics and len(subject) > 1 and not asked_for and self._share(subject, held) < limits.min_specific_grounding:
            return f"no {specifics[0]} is given for this subject"
        return ""

    def _quoted_weight(self, texts: list[str], quotes: str) -> float:
        """The IDF weight of the content words that the quoted sentences hold, for the best of the question's `texts`."""
        quoted = set(tokenize(quotes))
        return max(sum(self.idf.get(w, self.default_idf) for w in content_words(t) & quoted) for t in texts)

    def _names_others(self, quotes: str, analysis: Analysis) -> bool:
        """Whether the quoted sentences name a unit the question does not: the rest of a list it asks for."""
        return bool({m.entry.bureau for m in self.catalog.table.lookup_with_reason(quotes)} - set(analysis.bureaus))

    def _names(self, chunk: Chunk, kind: str) -> bool:
        """Whether a clause (or its rendering) names things of this kind, not only speaks of them: the kind word next
        to a list ("清华大学、北航等15所高校", "海淀区、朝阳区", "培训基地和工作室", "countries such as …", "Tsinghua, Beihang
        and other universities", "… Bureau; Beijing Municipal …"). "逐步向相关产业高度聚集区下放" speaks of districts and names none."""
        texts = [chunk.text, self.chunks[chunk.aligned_id].text if chunk.aligned_id else ""]
        for word in {kind.lower(), _singular(kind.lower())}:
            w = re.escape(word)
            listed = (
                rf"[、和及与][^，。；：、,.;]{{0,16}}{w}|{w}[^，。；：,.;]{{0,2}}[、和及与]"
                rf"|{w}\w*,?\s+(such as|including|like|namely|e\.g\.|for example)\b|{w}\w*\)?[,;] [A-Z]"
                rf"|\b[A-Z][\w-]*(?: [A-Z][\w-]*)*, [A-Z][\w-]*(?: [A-Z][\w-]*)*,? (and|or) (other )?[^,.;]{{0,30}}{w}"
            )
            if any(re.search(listed, text, re.IGNORECASE if not CJK.search(word) else 0) for text in texts):
                return True
        return False

    def grounding(self, question: str, hits: list[Hit]) -> float:
        """IDF-weighted share of the question's content words that one of the clauses (or its rendering) holds, at best."""
        return max((self._held_share(content_words(question), hit) for hit in hits), default=0.0)

    def _words_share(self, words: set[str], text: str) -> float:
        """IDF-weighted share of `words` that occur among the tokens of `text`."""
        return self._share(words, set(tokenize(text)))

    def _held_share(self, words: set[str], hit: Hit) -> float:
        """IDF-weighted share of `words` that the clause or its aligned rendering holds."""
        held: set[str] = set()
        for cid in (hit.chunk.id, hit.chunk.aligned_id):
            if cid:
                held.update(*self._words(self.chunks[cid]))
        if not hit.chunk.aligned_id:  # a clause in one language only: a question word is held when a translation of it is
            held.update(w for w in words if self.catalog.translations.expand([w]) & held)
        return self._share(words, held)

    def _share(self, words: set[str], held: set[str]) -> float:
        total = sum(self.idf.get(w, self.default_idf) for w in words)
        return sum(self.idf.get(w, self.default_idf) for w in words if w in held) / total if total else 0.0

    def unknown_share(self, question: str) -> float:
        """IDF-weighted share of the question's content words that occur nowhere in the corpus (0 = all known).

        A word the corpus holds only in translation (a Chinese-only notice asked about in English) is known.
        """
        words = content_words(question)
        total = sum(self.idf.get(w, self.default_idf) for w in words)
        unknown = [w for w in words if w not in self.idf and not self.catalog.translations.expand([w])]
        return len(unknown) * self.default_idf / total if total else 1.0

    def _support_texts(self, hits: list[Hit]) -> list[str]:
        texts = []
        for hit in hits:
            texts.append(hit.chunk.text)
            if hit.chunk.aligned_id:
                texts.append(self.chunks[hit.chunk.aligned_id].text)
        return texts

    def _abstain(self, analysis: Analysis, retrieved: tuple[Citation, ...], reason: str) -> Answer:
        t = TEXTS[analysis.language]
        why = plain_reason(reason, analysis.language)
        space = "" if analysis.language == "zh" else " "
        lines = [t["abstain"] + (f"{space}{why}" if why else ""), t["nearest"]]
        lines += [f"- {self._label(c.chunk, analysis.language, with_doc=True)}" for c in retrieved[:3]]
        return Answer(analysis.question, analysis.language, analysis.intent, "\n".join(lines), True, (), retrieved, flags=(reason,))

    # --- bureau answers ------------------------------------------------------------

    def _bureau_measures(self, analysis: Analysis, retrieved: tuple[Citation, ...]) -> Answer:
        t = TEXTS[analysis.language]
        lines: list[str] = []
        citations: list[Citation] = []
        if analysis.joint:  # "哪些措施是A和B一起负责的": the measures every unit named is responsible for
            sets = [self.catalog.directory.clauses(b) for b in analysis.bureaus]
            shared = [c for c in sets[0] if all(c in others for others in sets[1:])]
            names = t["sep"].join(b.zh if analysis.language == "zh" else b.en or b.zh for b in analysis.bureaus)
            key = "shared" if shared else "shared_none"
            lines.append(t[key].format(names=names, count=len(shared), measures="measure" if len(shared) == 1 else "measures"))
            self._list_measures(shared, analysis, lines, citations)
            return Answer(
                analysis.question,
                analysis.language,
                analysis.intent,
                "\n".join(lines),
                False,
                tuple(citations),
                retrieved,
                analysis.bureaus,
            )
        for bureau in analysis.bureaus:
            clauses = self.catalog.directory.clauses(bureau)
            en = bureau.en or bureau.zh
            key = "leads" if clauses else "leads_none"
            if analysis.sole:  # "哪些措施只由X负责": the measures naming no other unit
                clauses = [c for c in clauses if {b.zh for b in c.bureaus} == {bureau.zh}]
                key = "leads_alone" if clauses else "leads_alone_none"
            lines.append(t[key].format(name=bureau.zh, en=en, count=len(clauses), measures="measure" if len(clauses) == 1 else "measures"))
            self._list_measures(clauses, analysis, lines, citations)
        return Answer(
            analysis.question, analysis.language, analysis.intent, "\n".join(lines), False, tuple(citations), retrieved, analysis.bureaus
        )

    def _list_measures(self, clauses: list[Chunk], analysis: Analysis, lines: list[str], citations: list[Citation]) -> None:
        """One line per measure, its gist and a citation of its first sentence (appended to `lines`, `citations`)."""
        for chunk in clauses:
            number = len(citations) + 1
            citations.append(self._citation(number, chunk, analysis, 1.0, quote_first=True))
            label, gist = self._label(chunk, analysis.language), self._gist(chunk, analysis.language)
            lines.append(f"- {label}：{gist} [{number}]" if analysis.language == "zh" else f"- {label}: {gist} [{number}]")

    def _mentions(self, analysis: Analysis, retrieved: tuple[Citation, ...]) -> Answer | None:
        """Every measure of the document named (the plan, when none is) that mentions one of the terms, with the
        sentence that does — every passage, for a report, news story or summary named; None when none does (the
        question is then answered, or declined, as asked)."""
        named = [self.catalog.document(d).renders or d for d in analysis.documents]
        docs = list(dict.fromkeys(named)) or [getattr(self.catalog.primary, "id", "")]
        t = TEXTS[analysis.language]
        lines: list[str] = []
        citations: list[Citation] = []
        for doc_id in docs:
            found = []
            official = self.catalog.document(doc_id).official
            for chunk in (c for c in self.catalog.chunks if c.doc_id == doc_id and (c.is_measure if official else c.clause)):
                sentence = self._mentioning(chunk, analysis.terms)
                if sentence is not None:
                    found.append((chunk, sentence))
            if not found:
                continue
            terms = t["sep"].join(f"“{term}”" if analysis.language == "zh" else f'"{term}"' for term in analysis.terms)
            title = self._doc_title(found[0][0], analysis.language)
            lines.append(
                t["mention" if official else "mention_passages"].format(
                    title=title, terms=terms, count=len(found), measures=_plural("measure" if official else "passage", len(found))
                )
            )
            for chunk, (quote, rendering_id, rendering_quote) in found:
                number = len(citations) + 1
                citations.append(Citation(number, chunk, title, quote, 1.0, rendering_id, rendering_quote))
                shown = rendering_quote if rendering_quote and self.chunks[rendering_id].lang == analysis.language else quote
                label = self._label(chunk, analysis.language)
                lines.append(f"- {label}：{shown} [{number}]" if analysis.language == "zh" else f"- {label}: {shown} [{number}]")
        if not citations:
            return None
        return Answer(analysis.question, analysis.language, analysis.intent, "\n".join(lines), False, tuple(citations), retrieved)

    def _mentioning(self, chunk: Chunk, terms: tuple[str, ...]) -> tuple[str, str | None, str] | None:
        """The sentence of a clause (or of its aligned rendering) that holds one of `terms`, case aside:
        (official sentence, rendering id, rendering sentence); None when the clause does not hold one.

        The first such sentence, but not the measure's numbered title when a later sentence holds the term too.
        A term of several words is also held by a clause that has all its words, apart ("基地建设": 基地 … 建设);
        its sentence is then the first with one of them.
        """
        rendering = self.chunks.get(chunk.aligned_id) if chunk.aligned_id else None
        official, official_words = self._sentences(chunk)
        other, other_words = self._sentences(rendering) if rendering else ([], [])
        aligned = rendering is not None and len(other) == len(official)
        sentences = [
            (
                [chunk.text[s:e]] + ([rendering.text[other[i][0] : other[i][1]]] if aligned else []),
                official_words[i] | (other_words[i] if aligned else frozenset()),
            )
            for i, (s, e) in enumerate(official)
        ]
        # An English term matches its singular too ("apprentices" -> "apprentice", so "apprenticeship" counts), and
        # hyphens aside ("postdoctoral" is "post-doctoral").
        folded = [w.replace("-", "") for term in terms for w in {term.lower(), _singular(term.lower())}]
        literal = [
            i for i, (texts, _) in enumerate(sentences) if any(term in text.lower().replace("-", "") for text in texts for term in folded)
        ]
        held = frozenset().union(*(words for _, words in sentences))
        worded = [w for term in terms if len(w := frozenset(tokenize(term))) > 1 and w <= held]
        apart = [i for i, (_, words) in enumerate(sentences) if any(w & words for w in worded)]
        if not literal and not apart:
            return None
        content = [i for i in literal or apart if not _is_title(sentences[i][0][0], chunk.heading or "")]
        content = content or [i for i in apart if not _is_title(sentences[i][0][0], chunk.heading or "")]
        texts = sentences[(content or literal or apart)[0]][0]
        rendered = texts[1] if len(texts) > 1 else ""
        return texts[0], rendering.id if rendered and rendering else None, rendered

    def _responsible(self, analysis: Analysis, hits: list[Hit], retrieved: tuple[Citation, ...]) -> Answer:
        t = TEXTS[analysis.language]
        top, ranked = hits[0], _best_ranked(hits)
        # "Which bureau" asks of a clause that lists units: when the best match lists none and the question names no
        # document, a clause close behind it that does list units is the one meant.
        ratio = SUPPORT_RATIO if top.chunk.bureaus or analysis.documents else UNITS_SUPPORT_RATIO
        candidates = [h for h in hits[:3] if h.chunk.bureaus and (h.reason or h.score >= ranked.score * ratio)]
        # Units named in the question ("是人才局还是人社局负责？") pick, among the first three clauses, one they are
        # responsible for: a clause no named unit is listed on is rarely the one meant.
        named = {b.zh for b in analysis.bureaus}
        measure = next((h for h in hits[:3] if named & {b.zh for b in h.chunk.bureaus}), None) if named else None
        measure = measure or (candidates[0] if candidates else None) or (top if top.chunk.bureaus else None)
        if measure is None:  # a report's proposal or a news item lists no units: "who runs it" is not answered there
            return self._abstain(analysis, retrieved, "no responsible unit is named")
        chunk = measure.chunk
        names = t["sep"].join(_bureau_name(b, analysis.language) for b in chunk.bureaus)
        text = t["responsible"].format(
            title=self._doc_title(chunk, analysis.language), label=self._label(chunk, analysis.language), names=names
        )
        if named:  # "Is X involved?": say for each unit the question named whether it is listed
            listed = {b.zh for b in chunk.bureaus}
            for bureau in analysis.bureaus:
                name = bureau.zh if analysis.language == "zh" else bureau.en or bureau.zh
                text += t["is_listed" if bureau.zh in listed else "not_listed"].format(name=name)
        citation = self._citation(1, chunk, analysis, measure.score, quote_last=True)
        # What the units are responsible for, in the words of the clause (the quote without its list of units).
        shown = citation.rendering_quote if citation.rendering_quote and chunk.lang != analysis.language else citation.quote
        topic = BUREAU_TRAILER.sub("", shown).strip()
        if topic:
            text += t["reads"].format(quote=topic)
        return Answer(analysis.question, analysis.language, analysis.intent, f"{text} [1]", False, (citation,), retrieved, chunk.bureaus)

    # --- self-described askers ------------------------------------------------------

    def _for_asker(self, analysis: Analysis, hits: list[Hit], retrieved: tuple[Citation, ...]) -> Answer | None:
        """Measures for an asker who described themselves, through the "What applies to us" matcher.

        The clause the question's topic retrieved best comes first, then the measures that fit the profile best
        (of the documents the question names, if it names any); Beijing measures before national ones, which are
        labelled as instructions to local governments.
        """
        from planqa.profile import TAGGED_DOCS, Profile

        fields = dict(p for p in analysis.profile if p[0] != "interest")
        interests = frozenset(v for k, v in analysis.profile if k == "interest")
        try:
            profile = Profile(fields["kind"], fields.get("size"), fields.get("sector"), interests)
        except (KeyError, ValueError):
            return None
        matches = {m.chunk.id: m for m in self.tags.match(profile)}
        if analysis.documents:  # "…under the national plan": that plan's measures only
            matches = {cid: m for cid, m in matches.items() if m.chunk.doc_id in analysis.documents}
        if not matches:
            return None
        rank = {h.chunk.id: i for i, h in enumerate(hits)}
        if not rank.keys() & matches.keys() and not analysis.profile_only:
            return None  # the question's topic matched no measure for this asker: answer the question as asked
        primary = getattr(self.catalog.primary, "id", None)
        order = {cid: n for n, cid in enumerate(matches)}  # the matcher's order: most interests met first
        # The clause the question's own topic found best is offered too, tagged for this profile or not. It leads
        # when the asker asked about something ("…想申请算力券，能拿多少？"); when they only described themselves,
        # it leads only if it is a Beijing measure. Beijing first; within it, what the topic retrieved, then what fits best.
        top = hits[0] if hits else None
        # A document's front matter (its notice, preamble) found by the words "the plan" offers the asker nothing.
        leads = (
            top is not None
            and (not analysis.profile_only or top.chunk.doc_id == primary)
            and bool(top.chunk.clause or top.chunk.id in matches)
        )
        others = [m for m in matches.values() if not leads or m.chunk.id != top.chunk.id]
        chosen = sorted(others, key=lambda m: (m.chunk.doc_id != primary, rank.get(m.chunk.id, len(rank)), order[m.chunk.id]))
        t = TEXTS[analysis.language]
        lines = [t["asker"].format(profile=t["sep"].join(_profile_words(analysis.profile, analysis.language)))]
        citations: list[Citation] = []
        if leads:
            citation = self._citation(1, top.chunk, analysis, top.score)
            citations.append(citation)
            match = matches.get(top.chunk.id)
            doc = self.catalog.document(top.chunk.doc_id)
            kind = self.catalog.document(doc.renders).kind if doc.renders else doc.kind
            note = t["instructs"] if top.chunk.doc_id in TAGGED_DOCS and top.chunk.doc_id != primary else ""
            note += t["not_policy"].format(kind=t["kinds"][kind]) if kind in t["kinds"] else ""
            why = match.facets[0].why(analysis.language) + note if match else t["asked"].format(note=note)
            label = self._label(top.chunk, analysis.language, with_doc=True)
            lines.append(t["asker_line"].format(label=label, why=why, quote=citation.rendering_quote or citation.quote, n=1))
        for number, match in enumerate(chosen[: ASKER_MEASURES - len(citations)], start=len(citations) + 1):
            facet = match.facets[0]
            if match.chunk.id in rank:  # retrieved for the question's topic: quote what it says about that
                citation = self._citation(number, match.chunk, analysis, hits[rank[match.chunk.id]].score)
            else:  # offered for the profile: quote why it applies
                citation = Citation(number, match.chunk, self._doc_title(match.chunk, analysis.language), facet.quote, 0.0)
            citations.append(citation)
            why = facet.why(analysis.language) + ("" if match.chunk.doc_id == primary else t["instructs"])
            label = self._label(match.chunk, analysis.language, with_doc=True)
            quote = citation.rendering_quote or citation.quote
            lines.append(t["asker_line"].format(label=label, why=why, quote=quote, n=number))
        bureaus = tuple(dict.fromkeys(b for c in citations for b in c.chunk.bureaus))
        return Answer(
            analysis.question, analysis.language, analysis.intent, "\n".join(lines), False, tuple(citations), retrieved, bureaus,
            profile=analysis.profile,
        )  # fmt: skip

    # --- composed answers ----------------------------------------------------------

    def _compose(self, analysis: Analysis, hits: list[Hit], retrieved: tuple[Citation, ...]) -> Answer:
        t = TEXTS[analysis.language]
        chosen = self._supporting(analysis, hits)
        lines, citations = [], []
        for number, hit in enumerate(chosen, start=1):
            citation = self._citation(number, hit.chunk, analysis, hit.score)
            citations.append(citation)
            lead = t["according"].format(
                title=self._doc_title(hit.chunk, analysis.language), label=self._label(hit.chunk, analysis.language)
            )
            shown = citation.rendering_quote or citation.quote
            note = f" {t['rendering']}" if citation.rendering_quote and analysis.language == "en" else ""
            if citation.rendering_quote and analysis.language == "zh":
                note = t["original"].format(quote=citation.quote)  # the rendering is unofficial: show what the source says
            rendering = self.chunks.get(citation.rendering_id) if citation.rendering_id else None
            if rendering is not None and rendering.lang != analysis.language:  # the question asked for that version
                shown, note = citation.quote, t["named_rendering"].format(lang=t["langs"][rendering.lang], quote=citation.rendering_quote)
            elif hit.chunk.lang != analysis.language and not hit.chunk.aligned_id:
                # Quoted as written (no rendering exists), with its amounts and dates in the question's language.
                figures = stated(shown, analysis.language)
                key = "only_in_figures" if figures else "only_in"
                note = t[key].format(lang=t["langs"][hit.chunk.lang], figures=t["sep"].join(figures))
            if hit.chunk.bureaus and (analysis.bureaus or analysis.intent == "responsible_bureau"):
                note += t["units"].format(names=t["sep"].join(_bureau_name(b, analysis.language) for b in hit.chunk.bureaus))
            lines.append(f"{lead}{shown}{note} [{number}]" if analysis.language == "zh" else f"{lead} {shown}{note} [{number}]")
        # A question about a bureau's part in a measure is about the first clause cited; otherwise all of them.
        about = citations[:1]
        bureaus = tuple(dict.fromkeys(b for c in about for b in c.chunk.bureaus))
        return Answer(analysis.question, analysis.language, analysis.intent, "\n".join(lines), False, tuple(citations), retrieved, bureaus)

    def _supporting(self, analysis: Analysis, hits: list[Hit]) -> list[Hit]:
        """The clauses an answer cites: the near-tied top hits that share most words with the question, best first.

        Fused scores of the top hits often differ in the third decimal (0.0325 vs 0.0320), so their order
        says little; the overlap of each clause's best sentence with the question decides which are cited.
        """
        top, ranked = hits[0], _best_ranked(hits)
        # A follow-up referred to this clause, or the question named this part ("the conclusion"): it alone is meant.
        if analysis.intent == "metadata" or top.reason in ("follow-up", "named part"):
            return [top]
        close = [top, *(h for h in hits[1:CITE_DEPTH] if h.score >= ranked.score * CITE_RATIO)]
        overlap = {h.chunk.id: self._pick(h.chunk, analysis).overlap for h in close}
        best = max(overlap.values())
        if best <= 0:
            return [top]
        return sorted((h for h in close if overlap[h.chunk.id] >= best * LEXICAL_SUPPORT), key=lambda h: -overlap[h.chunk.id])

    # --- citations and sentence choice ---------------------------------------------

    def _citation(
        self, number: int, chunk: Chunk, analysis: Analysis, score: float, quote_first: bool = False, quote_last: bool = False
    ) -> Citation:
        pick = self._pick(chunk, analysis, quote_first=quote_first, quote_last=quote_last)
        return Citation(
            number, chunk, self._doc_title(chunk, analysis.language), pick.quote, score, pick.rendering_id, pick.rendering_quote
        )

    def _pick(self, chunk: Chunk, analysis: Analysis, quote_first: bool = False, quote_last: bool = False) -> _Pick:
        """The best sentence(s) of a clause for the question, aligned with its rendering when that helps.

        The quote is one contiguous stretch of the official text (so it is verbatim): the best
        sentence, joined by a neighbour that scores nearly as well, or the run of lines a
        metadata question asks for (the document number, the date, the issuers).
        """
        official, official_words = self._sentences(chunk)[0], self._words(chunk)
        rendering = self.chunks.get(chunk.aligned_id) if chunk.aligned_id else None
        other, other_words = self._sentences(rendering) if rendering else ([], [])
        aligned = len(other) == len(official)
        question = set(tokenize(analysis.text))
        # Sentences of a rendering that does not align one-to-one still lend all their words to every sentence.
        everything = frozenset().union(*other_words) if other_words and not aligned else frozenset()
        scores = []
        for i, words in enumerate(official_words):
            words = words | (other_words[i] if aligned else everything)
            scores.append(sum(self.idf.get(w, self.default_idf) for w in question & words))
        facet = _facet_lines(chunk.text, official, analysis)
        if quote_first:
            first, last = 0, 0
        elif quote_last:
            # The clause's units are in its last sentence; the sentence about what was asked comes with it, so the
            # quote shows what the units are responsible for (a stretch up to the end of the clause, verbatim). When
            # that sentence is far from the end, it alone is quoted: the units are named in the answer all the same.
            end = len(official) - 1
            topical = [i for i in range(end) if scores[i] > 0]
            best = max(topical, key=lambda i: (scores[i], -i)) if topical else end
            first, last = (best, end) if end - best <= RESPONSIBLE_SPAN else (best, best)
        elif facet:
            first, last = facet[0], facet[-1]
        else:
            # A measure's first sentence is its title, already shown as the citation's label: the quote is the body,
            # which says what is done ("国际交流有什么安排？" wants the arrangements, not the heading again).
            body = 1 if len(official) > 1 and _is_title(chunk.text[official[0][0] : official[0][1]], chunk.heading) else 0
            best = max(range(body, len(official)), key=lambda i: (scores[i], -i))
            near = [i for i in range(best - NEAR, best + NEAR + 1) if body <= i < len(official) and scores[i] > 0]
            # A neighbour that gives what the question asks for (a number, an amount, a date) joins on a lower bar:
            # "每年培训多少人？" wants the sentence with the figure next to the one that names the programme.
            gives = [i for i in near if self._gives(analysis, chunk, official[i], rendering, other[i] if aligned else None)]
            strong = [i for i in near if scores[i] >= (SPECIFIC_SUPPORT if i in gives else SUPPORTING_SENTENCE) * scores[best]]
            first, last = min(strong, default=best), max(strong, default=best)
            first, last = self._covering(official_words, other_words if aligned else [], analysis, (first, last), body, scores[best])
        quote = chunk.text[official[first][0] : official[last][1]]
        # The rendering is quoted across languages, and when the question names it ("非官方英文译本里…怎么翻译的？").
        wants_rendering = rendering is not None and (analysis.language != chunk.lang or rendering.doc_id in analysis.documents)
        rendering_quote = ""
        if wants_rendering and rendering:
            rendering_quote = rendering.text[other[first][0] : other[last][1]] if aligned else rendering.text
        return _Pick(
            quote,
            rendering_quote or quote,
            rendering.id if wants_rendering and rendering else None,
            rendering_quote,
            max(scores, default=0.0),
        )

    def _covering(
        self, words: list[frozenset[str]], other: list[frozenset[str]], analysis: Analysis, span: tuple[int, int], start: int, best: float
    ) -> tuple[int, int]:
        """The quoted span grown to a sentence of the clause that holds what else the question asks about.

        "What does it say about A, and about B?" is answered by two sentences of one clause: a sentence outside
        the span joins (with those between, so the quote stays verbatim) when the question's words it alone
        holds weigh at least COVER_SUPPORT of the best sentence's, at most COVER_MAX times.
        """
        asked = content_words(analysis.text)
        held = lambda i: words[i] | (other[i] if other else frozenset())  # noqa: E731
        first, last = span
        for _ in range(COVER_MAX):
            covered = frozenset().union(*(held(i) for i in range(first, last + 1)))
            gains = {
                i: sum(self.idf.get(w, self.default_idf) for w in (asked & held(i)) - covered)
                for i in range(start, len(words))
                if not first <= i <= last
            }
            pick = max(gains, key=lambda i: (gains[i], -abs(i - first)), default=None)
            # With no sentence sharing a word with the question (best 0), the nearest ones join: the quote shows more
            # of the clause rather than one sentence picked for nothing (measured on dev: three more follow-ups right).
            if pick is None or gains[pick] < COVER_SUPPORT * best:
                break
            first, last = min(first, pick), max(last, pick)
        return first, last

    @staticmethod
    def _gives(analysis: Analysis, chunk: Chunk, span: tuple[int, int], rendering: Chunk | None, other: tuple[int, int] | None) -> bool:
        """Whether a sentence (or its aligned rendering) holds what the question asks for: its amount, count, date …"""
        text = chunk.text[span[0] : span[1]] + (rendering.text[other[0] : other[1]] if rendering is not None and other else "")
        return any(lexicon().evidence[specific].search(text) for specific in analysis.specifics)

    def _gist(self, chunk: Chunk, lang: str) -> str:
        """What a measure does, in the answer's language: its body after the title, without the units' parenthesis."""
        shown = self.chunks[chunk.aligned_id] if lang != chunk.lang and chunk.aligned_id else chunk
        spans = self._sentences(shown)[0]
        body = spans[1:] or spans
        text = shown.text[body[0][0] : body[-1][1]]
        return BUREAU_TRAILER.sub("", text).strip()

    def _sentences(self, chunk: Chunk) -> tuple[list[tuple[int, int]], list[frozenset[str]]]:
        """Sentence spans of a clause and the search tokens of each, computed once per clause."""
        if chunk.id not in self._sentence_cache:
            spans = sentence_spans(chunk.text, chunk.lang)
            self._sentence_cache[chunk.id] = (spans, [frozenset(tokenize(chunk.text[s:e])) for s, e in spans])
        return self._sentence_cache[chunk.id]

    def _doc_title(self, chunk: Chunk, lang: str) -> str:
        return self.catalog.document(chunk.doc_id).title(lang)

    def _label(self, chunk: Chunk, lang: str, with_doc: bool = False) -> str:
        """'（七）强化…建设' for a Chinese clause asked in Chinese; its rendering's title in English."""
        shown = chunk
        if lang != chunk.lang and chunk.aligned_id:
            shown = self.chunks[chunk.aligned_id]
        label = shown.title or shown.heading or (shown.section[-1] if shown.section else shown.local_id)
        if with_doc:
            title = self._doc_title(chunk, lang)
            return f"《{title}》{label} ({chunk.id})" if lang == "zh" else f"{title}, {label} ({chunk.id})"
        return label


def _facet_lines(text: str, spans: list[tuple[int, int]], analysis: Analysis) -> list[int]:
    """Indexes of the lines a metadata question asks for, e.g. every issuer line of a notice, or its number and date."""
    lines = [facet.line for name in analysis.facets if (facet := lexicon().facets[name]).line is not None]
    return [i for i, (start, end) in enumerate(spans) if any(line.search(text[start:end]) for line in lines)]


def _profile_words(profile: tuple[tuple[str, str], ...], lang: str) -> list[str]:
    """The profile's values in words: (('kind', 'enterprise'), ('size', 'micro_small')) -> ['企业', '小微企业']."""
    from planqa.profile import AUDIENCES, BENEFITS, SECTORS, SIZES

    tables = {"kind": AUDIENCES, "size": SIZES, "sector": SECTORS, "interest": BENEFITS}
    return [tables[field][value][0 if lang == "zh" else 1] for field, value in profile if value in tables.get(field, {})]


def combine(analysis: Analysis, parts: list[Answer]) -> Answer:
    """One answer to a compound question: each part's answer under its own number, citations renumbered."""
    return combine_parts(analysis.question, analysis.language, analysis.intent, [p.question for p in analysis.subquestions], parts)


def combine_parts(question: str, language: str, intent: str, asked: list[str], parts: list[Answer]) -> Answer:
    """One answer to several questions asked at once (`asked`, answered by `parts`): each answer under its own
    number, citations renumbered. A clause cited by two parts keeps one number. The whole abstains only when every
    part does.
    """
    if all(answer.abstained for answer in parts):  # one "the documents do not say", not one per part
        return replace(parts[0], question=question, intent=intent)
    t = TEXTS[language]
    lines: list[str] = []
    citations: dict[str, Citation] = {}
    for n, (part, answer) in enumerate(zip(asked, parts, strict=True), start=1):
        renumber: dict[int, int] = {}
        for citation in answer.citations:
            if citation.chunk.id not in citations:
                citations[citation.chunk.id] = replace(citation, number=len(citations) + 1)
            renumber[citation.number] = citations[citation.chunk.id].number
        text = CITATION.sub(lambda m: f"[{renumber.get(int(m.group(1)), int(m.group(1)))}]", answer.answer)  # noqa: B023
        lines += [t["part"].format(n=n, question=part), text, ""]
    retrieved = tuple(dict((c.chunk.id, c) for answer in parts for c in answer.retrieved).values())
    # The units are those of the parts that ask for them: a part asking what a clause says shows its clause's units
    # too, but "…怎么说？另外，X那一条归哪些单位管？" asks only the second part's.
    asking = [answer for answer in parts if answer.intent in UNIT_INTENTS]
    bureaus = tuple(dict.fromkeys(b for answer in asking or parts for b in answer.bureaus))
    return Answer(
        question,
        language,
        intent,
        "\n".join(lines).strip(),
        all(answer.abstained for answer in parts),
        tuple(citations.values()),
        retrieved,
        bureaus,
        flags=tuple(flag for answer in parts for flag in answer.flags),
    )


def with_understanding(answer: Answer, analysis: Analysis) -> Answer:
    """The answer opened by what was understood when a misspelling was corrected ('以下按“首席数据官”回答。')."""
    if not analysis.corrections:
        return answer
    t = TEXTS[analysis.language]
    terms = t["sep"].join(f"“{right}”" if analysis.language == "zh" else f'"{right}"' for _, right in analysis.corrections)
    if analysis.language == "zh":
        terms = terms.replace("“", "").replace("”", "")  # the template quotes the terms itself
    return replace(answer, answer=f"{t['understood'].format(terms=terms)}\n{answer.answer}", corrections=analysis.corrections)


def _without_when(text: str, analysis: Analysis) -> str:
    """The text without the short phrases that ask for a date ("最晚", "哪一天", "deadline"): a measure is never about
    a time word, so the sentence giving the date need not hold them. (Words asking for other specifics often are the
    topic: "哪些材料", "how big is the fund"; a long match such as "how long does … last" holds it too.) They still
    count as the question's words elsewhere: "会是哪个月开？" asked of a clause with no such date is declined."""
    for specific in analysis.specifics:
        if specific in TIME_SPECIFICS:
            text = lexicon().specifics[specific].sub(lambda m: " " if len(m.group(0)) <= WHEN_PHRASE else m.group(0), text)
    return text


def _plural(noun: str, count: int) -> str:
    return noun if count == 1 else f"{noun}s"


def _best_ranked(hits: list[Hit]) -> Hit:
    """The hit ranking scored best; a chunk put first for a `reason` may have no score of its own (0.0)."""
    return max(hits, key=lambda h: h.score)


def _bureau_name(bureau: Bureau, lang: str) -> str:
    if not bureau.en:
        return bureau.zh
    return f"{bureau.zh}（{bureau.en}）" if lang == "zh" else f"{bureau.en} ({bureau.zh})"


def _is_title(sentence: str, heading: str) -> bool:
    """Whether a clause's sentence is its numbered heading alone: '（三）开展数字人才国际交流活动。', '(3) Carry out … talents.'"""
    if not heading:
        return False
    bare = TITLE_NUMBER.sub("", sentence).strip().rstrip("。.;；:：").strip()
    # A clause without a heading of its own is labelled by its first sentence, which is then content, not a title:
    # a title is short and one phrase ("1.在本市注册的中小企业…的，按每人…元" is a provision).
    phrase = not re.search(r"[，,；;：:]", bare) and len(bare) <= (30 if CJK.search(bare) else 160)
    return phrase and bare.casefold() == heading.strip().rstrip("。.").casefold()


def _singular(word: str) -> str:
    """'districts' -> 'district', 'universities' -> 'universit' (a prefix that still finds 'university')."""
    return word[:-3] if word.endswith("ies") else word[:-1] if word.endswith("s") else word
