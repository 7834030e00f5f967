"""What a corpus update changes, clause by clause, with the changed text itself: `planqa corpus diff OLD NEW`.

+ bj-2024#17          added
- bj-2024#7           removed
~ bj-2024#12          text changed / bureaus 市教委 -> 市科委中关村管委会
    …给予[-3000-]{+5000+}元补贴…                 (Chinese compared by character, English by word)
! bj-2024#12 changed but its rendering bj-2024-rendering-en#12 did not

On a terminal the removed text is red and the added text green instead of [-…-] / {+…+}.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from planqa.catalog import Catalog

CONTEXT = {"zh": 12, "en": 6}  # unchanged characters (zh) or words (en) shown around each change
WORD = re.compile(r"\s+|\w+|[^\w\s]")
RED, GREEN, RESET = "\x1b[31m", "\x1b[32m", "\x1b[0m"


@dataclass(frozen=True)
class ClauseChange:
    kind: str  # "added", "removed" or "changed"
    id: str
    details: tuple[str, ...] = ()
    ops: tuple[tuple[str, str], ...] = field(default=())  # ("=", same) / ("-", removed) / ("+", added) pieces of the text
    lang: str = "zh"

    def line(self) -> str:
        mark = {"added": "+", "removed": "-", "changed": "~"}[self.kind]
        return f"{mark} {self.id:<28} {self.kind}" + (f": {'; '.join(self.details)}" if self.details else "")

    def to_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "details": list(self.details), "text_diff": [list(op) for op in self.ops]}


@dataclass(frozen=True)
class CorpusDiff:
    changes: list[ClauseChange]
    warnings: list[str]

    def counts(self) -> dict[str, int]:
        return {kind: sum(c.kind == kind for c in self.changes) for kind in ("added", "removed", "changed")}

    def to_dict(self) -> dict:
        return {"changes": [c.to_dict() for c in self.changes], "warnings": self.warnings, "counts": self.counts()}

    def render(self, color: bool = False) -> str:
        lines = []
        for change in self.changes:
            lines.append(change.line())
            if change.ops:
                lines.append("    " + render_ops(change.ops, change.lang, color))
        lines += [f"! {w}" for w in self.warnings]
        counts = self.counts()
        lines.append(f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed")
        return "\n".join(lines)


def diff_catalogs(old: Catalog, new: Catalog) -> list[ClauseChange]:
    """Added, removed and changed chunks (text, heading, bureaus) between two corpora, in id order."""
    return diff_corpora(old, new).changes


def diff_corpora(old: Catalog, new: Catalog) -> CorpusDiff:
    """The changes, each changed text as a character (zh) or word (en) diff, and renderings left behind."""
    before, after = old.chunk_map, new.chunk_map
    added = sorted(after.keys() - before.keys())
    changes = [ClauseChange("added", cid, (_preview(after[cid].text),), lang=after[cid].lang) for cid in added]
    changes += [ClauseChange("removed", cid, lang=before[cid].lang) for cid in sorted(before.keys() - after.keys())]
    warnings = []
    for cid in sorted(before.keys() & after.keys()):
        a, b = before[cid], after[cid]
        details, ops = [], ()
        if a.text != b.text:
            details.append(f"text changed ({len(a.text)} -> {len(b.text)} chars)")
            ops = text_diff(a.text, b.text, b.lang)
            partner = b.aligned_id
            if b.official and partner and partner in before and partner in after and before[partner].text == after[partner].text:
                warnings.append(f"{cid} changed but its rendering {partner} did not; update the rendering to match")
        if a.heading != b.heading:
            details.append(f"heading {a.heading!r} -> {b.heading!r}")
        if a.bureaus != b.bureaus:
            details.append(f"bureaus {'、'.join(x.zh for x in a.bureaus) or '–'} -> {'、'.join(x.zh for x in b.bureaus) or '–'}")
        if details:
            changes.append(ClauseChange("changed", cid, tuple(details), ops, b.lang))
    return CorpusDiff(changes, warnings)


def text_diff(old: str, new: str, lang: str) -> tuple[tuple[str, str], ...]:
    """Pieces of the two texts: '给予3000元' -> '给予5000元' gives (('=', '给予'), ('-', '3'), ('+', '5'), ('=', '000元')).

    Chinese is compared character by character, English word by word (whitespace kept).
    """
    split = list if lang == "zh" else WORD.findall
    a, b = split(old), split(new)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            ops.append(("+", "".join(b[j1:j2])))
    return tuple(ops)


def render_ops(ops: tuple[tuple[str, str], ...], lang: str, color: bool) -> str:
    """The changes in context: unchanged stretches longer than the context are cut to '…'."""
    keep = CONTEXT.get(lang, 6)
    split = list if lang == "zh" else WORD.findall
    out = []
    for number, (tag, piece) in enumerate(ops):
        if tag == "=":
            units = split(piece)
            first, last = number == 0, number == len(ops) - 1
            if len(units) <= (keep if first or last else 2 * keep):
                out.append(piece)
            elif first:
                out.append("…" + "".join(units[-keep:]))
            elif last:
                out.append("".join(units[:keep]) + "…")
            else:
                out.append("".join(units[:keep]) + "…" + "".join(units[-keep:]))
        elif color:
            out.append(f"{RED if tag == '-' else GREEN}{piece}{RESET}")
        else:
            out.append(f"[-{piece}-]" if tag == "-" else f"{{+{piece}+}}")
    return "".join(out).replace("\n", " ")


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"
