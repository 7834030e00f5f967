"""Responsible bureaus: parse them from each measure, name them in English, look them up.

A Beijing measure ends with its responsible units in parentheses, e.g.
'…（市教委、市人力资源社会保障局）' -> [市教委, 市人力资源社会保障局]; other documents put them
on a labelled last line, '责任单位：市财政局' or '牵头单位：市人社局；配合单位：市教委、市财政局'
(lead units first), or 'Responsible: A; B' / 'Lead unit: A; Supporting units: B'. The bilingual
table (corpus/bureaus.yaml) gives each unit's official English name and the other names
people use for it (人社局, HRSS, "education commission"), so lookups accept any of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from planqa.corpus import read_data_file
from planqa.errors import CorpusError, UnknownBureauError
from planqa.records import Bureau, Chunk
from planqa.text import normalise

BUREAU_FILE = "bureaus.yaml"
CJK_TEXT = re.compile(r"[\u4e00-\u9fff]")
ZH_TRAILER = re.compile(r"（([^（）]+)）\s*$")
EN_TRAILER = re.compile(r"\(([^()]+)\)\s*$")
# An unknown Chinese name is still taken as a unit when it ends like one (…局, …委, …单位).
UNIT_SUFFIX = re.compile(r"(局|办|委|会|部|厅|单位|小组|政府|中心|院)$")
# A labelled list of units on the last line of a measure, optionally in parentheses.
ZH_LABEL = r"(?:责任单位|牵头单位|主责单位|配合单位|参与单位|责任部门|牵头部门|配合部门)"
EN_LABEL = r"(?:(?:Responsible|Lead|Leading|Supporting|Cooperating)(?:\s+(?:units?|departments?|bureaus?|agencies))?)"
LABELLED_LINE = re.compile(rf"^\s*[（(]?\s*((?:{ZH_LABEL}|{EN_LABEL})\s*[:：].+?)[）)]?\s*$", re.IGNORECASE)
LABELLED_TRAILER = re.compile(rf"[（(]\s*((?:{ZH_LABEL}|{EN_LABEL})\s*[:：][^（）()]+)[）)]\s*$", re.IGNORECASE)
LABEL_PREFIX = re.compile(rf"^\s*(?:{ZH_LABEL}|{EN_LABEL})\s*[:：]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class BureauEntry:
    """One row of the bilingual table: printed name, full name, English name, other names."""

    zh: str
    full_zh: str
    en: str
    aliases: tuple[str, ...]

    @property
    def bureau(self) -> Bureau:
        return Bureau(self.zh, self.en)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.zh, self.full_zh, self.en, *self.aliases)


class BureauTable:
    """The bilingual table of responsible units, loaded from the corpus directory."""

    def __init__(self, entries: Iterable[BureauEntry]):
        self.entries = tuple(entries)
        self._by_name = {normalise(name): entry for entry in self.entries for name in (entry.zh, entry.full_zh, entry.en)}

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
            aliases = row.get("aliases") or []
            entries.append(BureauEntry(str(row["zh"]), str(row.get("full_zh") or row["zh"]), str(row["en"]), tuple(map(str, aliases))))
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
        'education commission' -> [市教委].
        """
        wanted = normalise(query)
        if not wanted:
            return []
        exact = [e for e in self.entries if any(normalise(n) == wanted for n in e.names)]
        if exact:
            return exact
        return [e for e in self.entries if any(wanted in normalise(n) for n in e.names)]

    def mentioned_in(self, text: str) -> list[BureauEntry]:
        """Entries named anywhere in `text` (by a name or alias of 3+ characters), longest match first."""
        folded = normalise(text)
        hits: list[tuple[int, BureauEntry]] = []
        for entry in self.entries:
            lengths = [len(normalise(n)) for n in entry.names if len(normalise(n)) >= 3 and normalise(n) in folded]
            if lengths:
                hits.append((max(lengths), entry))
        return [entry for _, entry in sorted(hits, key=lambda hit: -hit[0])]


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
        """Every bureau matching `name` with its clauses; UnknownBureauError when none does."""
        matches = [entry.bureau for entry in self.table.search(name)]
        wanted = normalise(name)
        matches += [b for b in self.bureaus() if not b.en and wanted and wanted in normalise(b.zh)]
        if not matches:
            raise UnknownBureauError(
                f"no bureau matches {name!r}; try a Chinese or English name or an abbreviation such as 人社局, 教委 or HRSS "
                "(run 'planqa bureaus' for the full list)"
            )
        return [(bureau, self.clauses(bureau)) for bureau in matches]
