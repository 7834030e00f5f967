"""The dev/test split of the evaluation sets, fixed in a committed file (eval/split.json).

Rules and thresholds are tuned on `dev` only; `test` is held out and judged. Items are
stratified by (category, language), so each group sends at least `TEST_SHARE` of its items to test.
An item keeps its side forever once written; new items are placed by a hash of their id,
so the same set always gives the same split:

    >>> assign([{"id": "a", "category": "fact", "lang": "zh"}, {"id": "b", "category": "fact", "lang": "zh"}], {})
    {'a': 'test', 'b': 'dev'}
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from planqa.errors import PlanqaError

SIDES = ("dev", "test")
TEST_SHARE = 0.4


def load_split(path: Path) -> dict[str, dict[str, str]]:
    """{"questions": {id: side}, "conversations": {id: side}} from the committed file ({} parts when absent)."""
    path = Path(path)
    if not path.is_file():
        return {"questions": {}, "conversations": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            part: {item: side for side in SIDES for item in data.get(part, {}).get(side, [])} for part in ("questions", "conversations")
        }
    except (OSError, json.JSONDecodeError, AttributeError, TypeError) as exc:
        raise PlanqaError(f"{path} is not a readable split file ({exc}); rewrite it with 'planqa eval --update-split'") from None


def dump_split(split: dict[str, dict[str, str]]) -> str:
    """The file form: each part's ids listed by side, sorted, so a diff shows exactly what moved."""
    data = {part: {side: sorted(i for i, s in sides.items() if s == side) for side in SIDES} for part, sides in split.items()}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def assign(items: Iterable[dict[str, Any]], existing: dict[str, str]) -> dict[str, str]:
    """Sides for every item: existing ones kept, new ones filling each stratum towards TEST_SHARE."""
    strata: dict[tuple[str, str], list[str]] = {}
    for item in items:
        key = (str(item.get("category") or (item.get("kinds") or [""])[0]), str(item.get("lang", "")))
        strata.setdefault(key, []).append(item["id"])
    sides: dict[str, str] = {}
    for ids in strata.values():
        test = sum(existing.get(i) == "test" for i in ids)
        placed = sum(i in existing for i in ids)
        for item_id in sorted(ids, key=_stable_hash):
            if item_id in existing:
                sides[item_id] = existing[item_id]
                continue
            placed += 1
            side = "test" if test < math.ceil(TEST_SHARE * placed) else "dev"  # ceil: never under the share
            test += side == "test"
            sides[item_id] = side
    return sides


def _stable_hash(item_id: str) -> str:
    return hashlib.sha1(item_id.encode("utf-8")).hexdigest()
