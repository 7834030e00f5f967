"""What a corpus update changes, clause by clause: `planqa corpus diff OLD NEW`.

+ bj-2024#17          added
- bj-2024#7           removed
~ bj-2024#12          text changed / bureaus 市教委 -> 市科委中关村管委会
"""

from __future__ import annotations

from dataclasses import dataclass

from planqa.catalog import Catalog


@dataclass(frozen=True)
class ClauseChange:
    kind: str  # "added", "removed" or "changed"
    id: str
    details: tuple[str, ...] = ()

    def line(self) -> str:
        mark = {"added": "+", "removed": "-", "changed": "~"}[self.kind]
        return f"{mark} {self.id:<28} {self.kind}" + (f": {'; '.join(self.details)}" if self.details else "")


def diff_catalogs(old: Catalog, new: Catalog) -> list[ClauseChange]:
    """Added, removed and changed chunks (text, heading, bureaus) between two corpora, in id order."""
    before, after = old.chunk_map, new.chunk_map
    changes = [ClauseChange("added", cid) for cid in sorted(after.keys() - before.keys())]
    changes += [ClauseChange("removed", cid) for cid in sorted(before.keys() - after.keys())]
    for cid in sorted(before.keys() & after.keys()):
        a, b = before[cid], after[cid]
        details = []
        if a.text != b.text:
            details.append(f"text changed ({len(a.text)} -> {len(b.text)} chars)")
        if a.heading != b.heading:
            details.append(f"heading {a.heading!r} -> {b.heading!r}")
        if a.bureaus != b.bureaus:
            details.append(f"bureaus {'、'.join(x.zh for x in a.bureaus) or '–'} -> {'、'.join(x.zh for x in b.bureaus) or '–'}")
        if details:
            changes.append(ClauseChange("changed", cid, tuple(details)))
    return changes
