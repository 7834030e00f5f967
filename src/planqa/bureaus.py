"""Responsible bureaus: parse them from each measure, name them in English, look them up.

A Beijing measure ends with its responsible units in parentheses, e.g.
'…（市教委、市人力资源社会保障局）' -> [市教委, 市人力资源社会保障局]; other documents put them
on a labelled last line, '责任单位：市财政局' or '牵头单位：市人社局；配合单位：市教委、市财政局'
(lead units first), or 'Responsible: A; B' / 'Lead unit: A; Supporting units: B'. The bilingual
table (corpus/bureaus.yaml) gives each unit's official English name and the other names
people use for it (人社局, HRSS, "education commission"), and the names of the bodies it
replaced (市经信委 -> 市经济和信息化局), so lookups accept any of them. A question may also name a
unit partly or with a typo; `BureauTable.lookup_with_reason` finds those and says how:

    "Which measures does the Educaton Comission lead?" -> 市教委 (fuzzy, "educaton comission")
    "市经信委负责什么" -> 市经济和信息化局 (former, "市经信委")
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from planqa.corpus import read_data_file
from planqa.errors import CorpusError, UnknownBureauError
from planqa.records import Bureau, Chunk
from planqa.text import CJK, EN_STOPWORDS, normalise

BUREAU_FILE = "bureaus.yaml"
CJK_TEXT = re.compile(r"[\u4e00-\u9fff]")
ZH_TRAILER = re.compile(r"（([^（）]+)）\s*$")
EN_TRAILER = re.compile(r"\(([^()]+)\)\s*$")
# An unknown Chinese name is still taken as a unit when it ends like one (…局, …委, …单位).
UNIT_SUFFIX = re.compile(r"(局|办|委|会|部|厅|单位|小组|政府|中心|院)$")
UNIT_START = re.compile(r"局|办|委|会|部|厅|单位|小组|政府|中心|院|司|处|署")
# A Chinese name that ends in a unit word is a whole unit's name (人社局, 教委); one that does not is a stem (人社).
UNIT_END = re.compile(r"(局|办|委|会|部|厅|单位|小组|政府|中心|院|司|处|署|员)$")
# A labelled list of units on the last line of a measure, optionally in parentheses.
ZH_LABEL = r"(?:责任单位|牵头单位|主责单位|配合单位|参与单位|责任部门|牵头部门|配合部门)"
EN_LABEL = r"(?:(?:Responsible|Lead|Leading|Supporting|Cooperating)(?:\s+(?:units?|departments?|bureaus?|agencies))?)"
LABELLED_LINE = re.compile(rf"^\s*[（(]?\s*((?:{ZH_LABEL}|{EN_LABEL})\s*[:：].+?)[）)]?\s*$", re.IGNORECASE)
LABELLED_TRAILER = re.compile(rf"[（(]\s*((?:{ZH_LABEL}|{EN_LABEL})\s*[:：][^（）()]+)[）)]\s*$", re.IGNORECASE)
LABEL_PREFIX = re.compile(rf"^\s*(?:{ZH_LABEL}|{EN_LABEL})\s*[:：]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class BureauEntry:
    """One row of the bilingual table: printed name, full name, English name, other names, former names."""

    zh: str
    full_zh: str
    en: str
    aliases: tuple[str, ...]
    former: tuple[str, ...] = field(default=())

    @property
    def bureau(self) -> Bureau:
        return Bureau(self.zh, self.en)

    @property
    def names(self) -> tuple[str, ...]:
        """Current names only; `former` holds the names of the bodies this unit replaced."""
        return (self.zh, self.full_zh, self.en, *self.aliases)


@dataclass(frozen=True)
class BureauMention:
    """A unit named in a text, and how it was found.

    how: 'exact' (a current name or alias), 'former' (a predecessor's name), 'partial' (the distinctive
    part of a name, such as 'Finance Bureau' or '数据管理局'), 'fuzzy' (a name with a typo or a homophone).
    name is the table name matched, found the text as written, score 0-100 how close the two are.
    """

    entry: BureauEntry
    how: str
    name: str
    found: str
    score: float


class BureauTable:
    """The bilingual table of responsible units, loaded from the corpus directory."""

    def __init__(self, entries: Iterable[BureauEntry]):
        self.entries = tuple(entries)
        self._by_name = {normalise(name): entry for entry in self.entries for name in (*entry.former, entry.zh, entry.full_zh, entry.en)}

    @classmethod
    def load(cls, corpus_dir: Path) -> BureauTable:
        path = Path(corpus_dir) / BUREAU_FILE
        if not path.is_file():
            raise CorpusError(f"{path} is missing; the corpus needs its bilingual bureau table ({BUREAU_FILE})")
        data = read_data_file(path)
        rows = data.get("bureaus") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            raise CorpusError(f"{BUREAU_FILE}: expected a top-level 'bureaus:' list")
        entries = []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or not row.get("zh") or not row.get("en"):
                raise CorpusError(f"{BUREAU_FILE}: entry {number} needs both 'zh' and 'en', got {row!r}")
            aliases, former = row.get("aliases") or [], row.get("former") or []
            if not isinstance(aliases, list) or not isinstance(former, list):
                raise CorpusError(f"{BUREAU_FILE}: entry {number} ({row['zh']}): 'aliases' and 'former' must be lists of names")
            full_zh = str(row.get("full_zh") or row["zh"])
            entries.append(BureauEntry(str(row["zh"]), full_zh, str(row["en"]), tuple(map(str, aliases)), tuple(map(str, former))))
        return cls(entries)

    def resolve(self, printed: str) -> Bureau:
        """The table's Bureau for a name as printed (Chinese or English); en is "" if unknown."""
        entry = self._by_name.get(normalise(printed))
        return entry.bureau if entry else Bureau(printed, "")

    def known(self, printed: str) -> bool:
        return normalise(printed) in self._by_name

    def search(self, query: str) -> list[BureauEntry]:
        """Entries matching `query`: an exact name or alias wins; otherwise any partial match.

        '人社局' -> [市人力资源社会保障局]; '人社' -> the municipal and the district bureaus;
        'education commission' -> [市教委]; a former name: '市经信委' -> [市经济和信息化局].
        """
        wanted = normalise(query)
        if not wanted:
            return []
        exact = [e for e in self.entries if any(normalise(n) == wanted for n in (*e.names, *e.former))]
        if exact:
            return exact
        return [e for e in self.entries if any(wanted in normalise(n) for n in (*e.names, *e.former))]

    def mentioned_in(self, text: str) -> list[BureauEntry]:
        """Entries named anywhere in `text`, by any name, partly or with a typo; longest mention first."""
        return [mention.entry for mention in self.lookup_with_reason(text)]

    def lookup_with_reason(self, text: str) -> list[BureauMention]:
        """Every unit named in `text` with how it was found, longest mention first.

        "the Finance Bureau and 市经信委" -> [市财政局 (exact), 市经济和信息化局 (former)]. Ordinary words
        never name a unit ('data', '人才', 'science and technology'): see BureauMatcher.
        """
        return self._matcher.find(text)

    @cached_property
    def _matcher(self) -> BureauMatcher:
        return BureauMatcher(self.entries)


# --- finding units named in free text -------------------------------------------------------

EN_WORD = re.compile(r"[a-z0-9]+")
CONJUNCTION = re.compile(r"[和与及、]")
WORD_CUTOFF = 85  # rapidfuzz ratio for one misspelt word ('educaton' ~ 'education' scores 94, 'manage' ~ 'image' 73)
RANK = {"exact": 0, "former": 1, "partial": 2, "fuzzy": 3}


@dataclass(frozen=True)
class _Hit:
    mention: BureauMention
    start: int
    end: int
    coverage: float  # the share of the matched table name the text covers


class BureauMatcher:
    """Finds units in a question: by any name, by the distinctive part of a name, or despite a typo.

    What is generic is learnt from the table, not listed: an English word in the names of a quarter of
    the units or more ('Beijing', 'Municipal', 'Bureau') is generic; one that also ends the names of two
    units is a unit noun ('Bureau', 'Commission'). A partial English name needs a distinctive word and a
    unit noun ('Finance Bureau'), so 'data', 'science and technology' or 'Beijing municipal talent' name
    nothing. Chinese names lose their generic prefix and suffix the same way (北京市…局), and a piece
    between conjunctions plus the suffix is a partial name: 北京市政务服务和数据管理局 -> 数据管理局.
    """

    def __init__(self, entries: tuple[BureauEntry, ...]):
        self.entries = entries
        self._en_names = [
            (e, n, n in e.former, tuple(EN_WORD.findall(_fold(n)))) for e in entries for n in (*e.names, *e.former) if n.isascii()
        ]
        document_frequency = Counter(w for e in entries for w in {w for entry, _, _, words in self._en_names if entry is e for w in words})
        share = len(entries) / 4
        self.generic = {w for w, count in document_frequency.items() if count >= share} | set(EN_STOPWORDS)
        endings = Counter(w for e in entries for w in {words[-1] for entry, _, _, words in self._en_names if entry is e and words})
        self.unit_nouns = {w for w, count in endings.items() if count >= 2 and w in self.generic and w not in EN_STOPWORDS}
        self.name_endings = {w for w, count in endings.items() if count >= 2 and w not in EN_STOPWORDS}  # also 'committee'
        self._name_words = sorted({w for *_, words in self._en_names for w in words})
        self._zh_keys = self._chinese_keys()
        self._zh_by_first: dict[str, list[tuple[str, tuple[str, ...], BureauEntry, str, float]]] = {}
        from planqa.spelling import pinyin_key

        for key, (entry, name, _, coverage) in self._zh_keys.items():
            if len(key) >= 4:  # a 3-character homophone is too often a real phrase: 人才聚(集) ~ 人才局
                spelled = pinyin_key(key)
                self._zh_by_first.setdefault(spelled[0], []).append((key, spelled, entry, name, coverage))

    def find(self, text: str) -> list[BureauMention]:
        folded = _fold(text)
        hits = self._chinese(folded) + self._english(folded)
        return [hit.mention for hit in self._resolve(hits)]

    # Chinese ---------------------------------------------------------------------------------

    def _chinese_keys(self) -> dict[str, tuple[BureauEntry, str, str, float]]:
        """Every Chinese string that names a unit -> (entry, table name, how, coverage); exact names win."""
        names = [(e, n, "former" if n in e.former else "exact") for e in self.entries for n in (*e.names, *e.former) if CJK.search(n)]
        names = [(e, part, how) for e, n, how in names for part in _fold(n).split("、")]
        prefixes = _affixes(names, len(self.entries), lambda n, k: n[:k])
        suffixes = _affixes(names, len(self.entries), lambda n, k: n[-k:])
        keys: dict[str, tuple[BureauEntry, str, str, float]] = {}
        for entry, name, how in names:
            if len(name) >= 2:
                keys[name] = (entry, name, how, 1.0)
        partial: dict[str, list[tuple[BureauEntry, str, float]]] = {}
        for entry, name, _ in names:
            prefix = next((p for p in prefixes if name.startswith(p) and len(name) > len(p) + 1), "")
            suffix = next((x for x in suffixes if name.endswith(x) and len(name) > len(prefix) + len(x) + 1), "")
            core = name[len(prefix) : len(name) - len(suffix)]
            pieces = {core, *(p for p in CONJUNCTION.split(core) if len(p) >= 4)} if suffix else {core}
            for piece in pieces:
                candidate = piece + suffix if len(piece) >= 2 else ""
                if len(candidate) >= 4:
                    partial.setdefault(candidate, []).append((entry, name, len(candidate) / len(name)))
            if len(core) >= 6:  # a long core names the unit even without its suffix: 人力资源和社会保障
                partial.setdefault(core, []).append((entry, name, len(core) / len(name)))
        for candidate, sources in partial.items():
            best = max(coverage for _, _, coverage in sources)
            winners = [(entry, name) for entry, name, coverage in sources if coverage == best]
            if candidate not in keys and len({id(entry) for entry, _ in winners}) == 1:  # two units alike: it names neither
                keys[candidate] = (winners[0][0], winners[0][1], "partial", best)
        return keys

    def _chinese(self, folded: str) -> list[_Hit]:
        hits = []
        for key, (entry, name, how, coverage) in self._zh_keys.items():
            start = folded.find(key)
            while start >= 0:
                end = start + len(key)
                # Any name is a different unit when a unit word follows it (人社|部 is the ministry), unless it is a
                # whole unit name already (人社局|等部门).
                whole = how in ("exact", "former") and UNIT_END.search(key) is not None
                if whole or not _another_unit(folded, end):
                    hits.append(_Hit(BureauMention(entry, how, name, key, 100.0), start, end, coverage))
                start = folded.find(key, start + 1)
        return hits + [hit for hit in self._homophones(folded) if not _another_unit(folded, hit.end)]

    def _homophones(self, folded: str) -> list[_Hit]:
        """Windows that sound exactly like a name of 4+ characters and share most of its characters ('人才工作剧')."""
        from planqa.spelling import readings

        hits = []
        for start, char in enumerate(folded):
            if not CJK.match(char):
                continue
            for sound in readings(char):
                for key, spelled, entry, name, coverage in self._zh_by_first.get(sound, ()):
                    window = folded[start : start + len(key)]
                    if len(window) != len(key) or window == key:
                        continue
                    differing = sum(a != b for a, b in zip(window, key, strict=True))
                    if differing <= max(1, len(key) // 3) and all(s in readings(c) for c, s in zip(window, spelled, strict=True)):
                        score = 100.0 * (len(key) - differing) / len(key)
                        hits.append(_Hit(BureauMention(entry, "fuzzy", name, window, score), start, start + len(key), coverage))
        return hits

    # English ---------------------------------------------------------------------------------

    def _english(self, folded: str) -> list[_Hit]:
        """Runs of text words that match a run of a name's words, each word exactly or with a small typo."""
        from rapidfuzz import fuzz, process

        tokens = [(m.group(), m.start(), m.end()) for m in EN_WORD.finditer(folded)]
        if not tokens:
            return []
        similar: list[dict[str, float]] = []
        for word, _, _ in tokens:
            near = {word: 100.0} if word in self._name_words else {}
            if len(word) >= 5 and not word.isdigit():
                found = process.extract(word, self._name_words, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, limit=3)
                near.update({w: score for w, score, _ in found if len(w) >= 5 and w not in near})
            similar.append(near)
        hits = []
        for entry, name, former, words in self._en_names:
            for i in range(len(tokens)):
                for j in range(len(words)):
                    if words[j] not in similar[i] or (i and j and words[j - 1] in similar[i - 1]):
                        continue  # not a match, or not the start of a maximal run
                    length = 0
                    while i + length < len(tokens) and j + length < len(words) and words[j + length] in similar[i + length]:
                        length += 1
                    hit = self._english_hit(entry, name, former, words, j, length, similar[i : i + length], tokens[i : i + length], folded)
                    if hit:
                        hits.append(hit)
            hits.extend(self._shortened(entry, name, words, tokens, similar))
        return hits

    def _shortened(
        self, entry: BureauEntry, name: str, words: tuple[str, ...], tokens: list[tuple[str, int, int]], similar: list[dict[str, float]]
    ) -> list[_Hit]:
        """A name cut to a distinctive word and its unit noun: 'the Zhongguancun committee' for the Zhongguancun
        Science Park Administrative Committee, 'the Talent bureau'. The words the name has between them are skipped
        (with none skipped it is an ordinary partial name, found above)."""
        if len(words) < 3 or words[-1] not in self.name_endings:
            return []
        hits = []
        for i in range(len(tokens) - 1):
            if words[-1] not in similar[i + 1]:
                continue
            for word in words[:-2]:
                if word in similar[i] and word not in self.generic:
                    score = (similar[i][word] + similar[i + 1][words[-1]]) / 2
                    how = "partial" if score == 100.0 else "fuzzy"
                    mention = BureauMention(entry, how, name, tokens[i][0] + " " + tokens[i + 1][0], score)
                    hits.append(_Hit(mention, tokens[i][1], tokens[i + 1][2], 2 / len(words)))
                    break
        return hits

    def _english_hit(
        self,
        entry: BureauEntry,
        name: str,
        former: bool,
        words: tuple[str, ...],
        j: int,
        length: int,
        similar: list[dict[str, float]],
        tokens: list[tuple[str, int, int]],
        folded: str,
    ) -> _Hit | None:
        """The hit for text words matching words[j : j + length] of a name, if they are a whole name or a partial one."""
        matched = words[j : j + length]
        scores = [near[w] for w, near in zip(matched, similar, strict=True)]
        exact = min(scores) == 100.0
        whole = length == len(words)
        if whole and (exact or len(words) >= 2) and sum(map(len, matched)) >= 3:
            how = ("former" if former else "exact") if exact else "fuzzy"
        elif length >= 2 and self.unit_nouns & set(matched) and any(w not in self.generic for w in matched):
            how = "partial" if exact else "fuzzy"
        else:
            return None
        start, end = tokens[0][1], tokens[-1][2]
        return _Hit(BureauMention(entry, how, name, folded[start:end], sum(scores) / len(scores)), start, end, length / len(words))

    # choosing among overlapping hits ---------------------------------------------------------

    @staticmethod
    def _resolve(hits: list[_Hit]) -> list[_Hit]:
        """One hit per unit, longest first; the longest hit wins its span, and on an identical span the best
        (coverage, score, how) wins, with ties all kept.

        'District Human Resources and Social Security Bureaus' names the district bureaus only, although
        its tail also matches the municipal bureau's name.
        """
        ordered = sorted(hits, key=lambda h: (-(h.end - h.start), -h.coverage, -h.mention.score, RANK[h.mention.how]))
        kept: list[_Hit] = []
        for hit in ordered:
            clashes = [k for k in kept if k.start < hit.end and hit.start < k.end]
            if any(k.mention.entry is hit.mention.entry for k in clashes):
                continue
            rivals = [k for k in clashes if (k.start, k.end) == (hit.start, hit.end)]
            if clashes and not (len(rivals) == len(clashes) and all(_tie(k, hit) for k in rivals)):
                continue
            kept.append(hit)
        first: dict[int, _Hit] = {}  # a unit named twice is reported once, by its longest mention
        for hit in sorted(kept, key=lambda h: (-(h.end - h.start), h.start)):
            first.setdefault(id(hit.mention.entry), hit)
        return list(first.values())


def _tie(a: _Hit, b: _Hit) -> bool:
    return (a.coverage, a.mention.score, a.mention.how) == (b.coverage, b.mention.score, b.mention.how)


def _another_unit(folded: str, end: int) -> bool:
    """A partial name followed by a unit word names another unit: 人力资源社会保障|部 is the national ministry."""
    return bool(UNIT_START.match(folded, end))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _affixes(rows: list[tuple[BureauEntry, str, str]], unit_count: int, cut: Callable[[str, int], str]) -> list[str]:
    """Prefixes (or suffixes) shared by the names of a quarter of the units or more, longest first: 北京市, 市; 委员会, 局."""
    owners: dict[str, set[int]] = {}
    for entry, name, _ in rows:
        for k in range(1, min(4, len(name) - 1) + 1):
            owners.setdefault(cut(name, k), set()).add(id(entry))
    share = unit_count / 4
    return sorted((a for a, who in owners.items() if len(who) >= share and CJK.search(a)), key=len, reverse=True)


def parse_responsible(text: str, lang: str, table: BureauTable) -> tuple[Bureau, ...]:
    """The units in the parentheses that close a measure, or () when it has none.

    Chinese units are separated by '、', English ones by '; '. An English parenthesis is
    taken only when every part is a known unit, so '(NFTs)' is never a bureau. A labelled
    line ('责任单位：…') is taken whole: its label says these are units.
    """
    labelled = labelled_units(text)
    if labelled:
        return tuple(table.resolve(p) for p in labelled)
    if lang == "zh":
        match = ZH_TRAILER.search(text)
        parts = [p.strip() for p in match.group(1).split("、")] if match else []
        if not parts or not all(table.known(p) or UNIT_SUFFIX.search(p) for p in parts):
            return ()
    else:
        match = EN_TRAILER.search(text)
        parts = [p.strip() for p in match.group(1).split(";")] if match else []
        if not parts or not all(table.known(p) for p in parts):
            return ()
    return tuple(table.resolve(p) for p in parts)


def labelled_units(text: str) -> list[str]:
    """Units named on a labelled last line, lead units first, each once.

    '牵头单位：市人社局；配合单位：市教委、市财政局' -> [市人社局, 市教委, 市财政局]
    """
    last = text.rstrip().rsplit("\n", 1)[-1]
    match = LABELLED_LINE.match(last) or LABELLED_TRAILER.search(last)
    if not match:
        return []
    units: list[str] = []
    for segment in re.split(r"[；;]", match.group(1)):
        names = LABEL_PREFIX.sub("", segment).strip().rstrip("。.")
        for name in re.split(r"[、，,]" if CJK_TEXT.search(names) else r"(?!)", names):
            if name.strip() and name.strip() not in units:
                units.append(name.strip())
    return units


def attach_bureaus(chunks: list[Chunk], table: BureauTable) -> list[Chunk]:
    """Measures get their parsed units; a rendering shares the units of the clause it renders."""
    parsed = {chunk.id: parse_responsible(chunk.text, chunk.lang, table) if chunk.clause and chunk.heading else () for chunk in chunks}
    result = []
    for chunk in chunks:
        bureaus = parsed[chunk.id]
        if not chunk.official and chunk.aligned_id and parsed.get(chunk.aligned_id):
            bureaus = parsed[chunk.aligned_id]
        result.append(replace(chunk, bureaus=bureaus) if bureaus else chunk)
    return result


class BureauDirectory:
    """Bureau -> the official clauses it is responsible for, in document order."""

    def __init__(self, chunks: list[Chunk], table: BureauTable):
        self.table = table
        self._clauses: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            if chunk.official:
                for bureau in chunk.bureaus:
                    self._clauses.setdefault(bureau.zh, []).append(chunk)

    def bureaus(self) -> list[Bureau]:
        """Every unit in the table, then any unit printed in a measure but missing from it."""
        known = [entry.bureau for entry in self.table.entries]
        extra = [Bureau(zh, "") for zh in self._clauses if not self.table.known(zh)]
        return known + extra

    def clauses(self, bureau: Bureau) -> list[Chunk]:
        return list(self._clauses.get(bureau.zh, []))

    def lookup(self, name: str) -> list[tuple[Bureau, list[Chunk]]]:
        """Every bureau matching `name` (by any name, else partly or despite a typo) with its clauses; UnknownBureauError when none does."""
        matches = [entry.bureau for entry in self.table.search(name)]
        wanted = normalise(name)
        matches += [b for b in self.bureaus() if not b.en and wanted and wanted in normalise(b.zh)]
        if not matches:  # a partial name or a typo: 'Educaton Comission', '人才工作剧'
            matches = [entry.bureau for entry in self.table.mentioned_in(name)]
        if not matches:
            raise UnknownBureauError(
                f"no bureau matches {name!r}; try a Chinese or English name or an abbreviation such as 人社局, 教委 or HRSS "
                "(run 'planqa bureaus' for the full list)"
            )
        return [(bureau, self.clauses(bureau)) for bureau in matches]
