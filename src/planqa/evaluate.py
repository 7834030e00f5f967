"""Evaluate the assistant on the labelled questions and compare a run with a baseline.

Each item of eval/questions.jsonl names its gold clause ids (and acceptable alternates),
the key facts an answer must state (each fact a list of acceptable strings), the
responsible bureaus where relevant, and whether it is answerable at all. `run_evaluation`
asks every question through `Assistant.ask()`, judges each answer (`Verdict`) and computes
the metrics; `compare` lists every question that got worse against a baseline.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from planqa.catalog import Catalog
from planqa.errors import PlanqaError
from planqa.records import Answer

FIELDS = ("id", "question", "lang", "category", "gold", "alternates", "facts", "bureaus", "answerable")
LANGS = ("zh", "en", "mixed", "zh-hant")
CATEGORIES = (
    "fact", "bureau", "bureau_list", "eligibility", "title_route", "numbers", "metadata", "cross_lingual", "unanswerable",
    "compound", "misspelled", "bureau_alias", "self_described", "off_topic",
)  # fmt: skip
EVAL_K = 10
# Reported, never gated: latency depends on the machine and its load (bench/ask.py measures it).
UNGATED = {"questions", "latency_p50_ms", "latency_p95_ms"}
LOWER_IS_BETTER = {"false_abstention", "latency_p50_ms", "latency_p95_ms"}


def load_questions(path: Path) -> list[dict[str, Any]]:
    """The question set, one JSON object per line; a broken line is an error naming it."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise PlanqaError(f"cannot read question set {path}: {exc.strerror}") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise PlanqaError(f"{Path(path).name} line {number}: not JSON ({exc.msg})") from None
    return items


def check_set(items: list[dict[str, Any]], catalog: Catalog) -> list[str]:
    """Problems with the question set: missing fields, unknown ids, facts absent from their gold clauses."""
    problems: list[str] = []
    chunks = catalog.chunk_map
    seen: set[str] = set()
    for item in items:
        qid = item.get("id", "?")
        missing = [f for f in FIELDS if f not in item]
        if missing:
            problems.append(f"{qid}: missing field(s) {', '.join(missing)}")
            continue
        if qid in seen:
            problems.append(f"{qid}: duplicate id")
        seen.add(qid)
        if item["lang"] not in LANGS:
            problems.append(f"{qid}: lang {item['lang']!r} is not one of {', '.join(LANGS)}")
        if item["category"] not in CATEGORIES:
            problems.append(f"{qid}: category {item['category']!r} is not one of {', '.join(CATEGORIES)}")
        for cid in [*item["gold"], *item["alternates"]]:
            if cid not in chunks:
                problems.append(f"{qid}: clause {cid} does not exist")
        if item["answerable"] and not item["gold"]:
            problems.append(f"{qid}: answerable but no gold clause")
        if not item["answerable"] and (item["gold"] or item["facts"]):
            problems.append(f"{qid}: unanswerable items take no gold clauses or facts")
        texts = []
        for cid in item["gold"]:
            if cid in chunks:
                texts.append(chunks[cid].text)
                if chunks[cid].aligned_id:
                    texts.append(chunks[chunks[cid].aligned_id].text)
        pool = " ".join(texts).casefold()
        for fact in item["facts"]:
            if not any(alt.casefold() in pool for alt in fact):
                problems.append(f"{qid}: fact {fact} is not in its gold clauses {item['gold']}")
        for name in item["bureaus"]:
            if not any(name == b.zh for cid in item["gold"] if cid in chunks for b in chunks[cid].bureaus):
                problems.append(f"{qid}: bureau {name} is not printed for its gold clauses")
    return problems


@dataclass(frozen=True)
class Verdict:
    """How one answer fared: abstention, citations against gold, facts stated, bureaus matched."""

    id: str
    question: str
    category: str
    lang: str
    answerable: bool
    abstained: bool
    gold_cited: bool
    citation_precision: float
    citation_recall: float
    cited_ids: tuple[str, ...]
    retrieved_ids: tuple[str, ...]
    facts_found: tuple[int, ...]
    facts_total: int
    bureaus_match: bool | None
    latency_ms: float
    split: str = ""

    @property
    def passed(self) -> bool:
        if not self.answerable:
            return self.abstained
        return not self.abstained and self.gold_cited and len(self.facts_found) == self.facts_total and self.bureaus_match is not False


def judge(item: dict[str, Any], answer: Answer, split: str = "") -> Verdict:
    """Compare an answer with its labelled item (facts are matched case-insensitively)."""
    cited = tuple(c.chunk.id for c in answer.citations)
    gold = set(item.get("gold", []))
    acceptable = gold | set(item.get("alternates", []))
    text = answer.answer.casefold()
    facts = item.get("facts", [])
    found = tuple(i for i, fact in enumerate(facts) if any(alt.casefold() in text for alt in fact))
    wanted = item.get("bureaus") or []
    hits = len(acceptable & set(cited))
    return Verdict(
        id=item["id"],
        question=item["question"],
        category=item.get("category", ""),
        lang=item.get("lang", ""),
        answerable=bool(item["answerable"]),
        abstained=answer.abstained,
        gold_cited=hits > 0,
        citation_precision=hits / len(cited) if cited else 0.0,
        citation_recall=min(1.0, hits / len(gold)) if gold else 0.0,
        cited_ids=cited,
        retrieved_ids=tuple(c.chunk.id for c in answer.retrieved),
        facts_found=found,
        facts_total=len(facts),
        bureaus_match=None if not wanted else set(wanted) == {b.zh for b in answer.bureaus},
        latency_ms=round(answer.timings_ms.get("total", 0.0), 2),
        split=split,
    )


def metrics(verdicts: list[Verdict], items: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    """Every headline metric over a group of verdicts (see README, 'Evaluation')."""
    answerable = [v for v in verdicts if v.answerable]
    answered = [v for v in answerable if not v.abstained]
    unanswerable = [v for v in verdicts if not v.answerable]
    abstained = [v for v in verdicts if v.abstained]
    with_bureaus = [v for v in answerable if v.bureaus_match is not None]
    facts_total = sum(v.facts_total for v in answerable)
    latencies = [v.latency_ms for v in verdicts]
    result = {
        "questions": len(verdicts),
        **retrieval_metrics([v for v in answerable if v.category != "bureau_list"], items),
        "citation_precision": _mean(v.citation_precision for v in answered),
        "citation_recall": _mean(v.citation_recall for v in answerable),
        "key_fact_accuracy": _rate(sum(len(v.facts_found) for v in answerable), facts_total),
        "bureau_exact_match": _rate(sum(bool(v.bureaus_match) for v in with_bureaus), len(with_bureaus)),
        "abstention_precision": _rate(sum(not v.answerable for v in abstained), len(abstained)),
        "abstention_recall": _rate(sum(v.abstained for v in unanswerable), len(unanswerable)),
        "false_abstention": _rate(sum(v.abstained for v in answerable), len(answerable)),
        "passed": _rate(sum(v.passed for v in verdicts), len(verdicts)),
        "latency_p50_ms": round(statistics.median(latencies), 1) if latencies else 0.0,
        "latency_p95_ms": round(_p95(latencies), 1) if latencies else 0.0,
    }
    return result


def retrieval_metrics(verdicts: list[Verdict], items: dict[str, dict[str, Any]]) -> dict[str, float]:
    """recall@1/5/10 (any acceptable clause retrieved), MRR and nDCG@10, computed by ranx.

    Bureau-list questions are left out: their answers come from the bureau directory, not retrieval.
    """
    if not verdicts:
        return {}
    from ranx import Qrels, Run, evaluate

    qrels = Qrels({v.id: {cid: 1 for cid in [*items[v.id]["gold"], *items[v.id]["alternates"]]} for v in verdicts})
    run = Run({v.id: {cid: 1.0 / rank for rank, cid in enumerate(v.retrieved_ids, start=1)} or {"-": 0.0} for v in verdicts})
    names = {"hit_rate@1": "recall@1", "hit_rate@5": "recall@5", "hit_rate@10": "recall@10", "mrr": "mrr", "ndcg@10": "ndcg@10"}
    scores = evaluate(qrels, run, list(names), make_comparable=True)
    return {names[k]: round(float(v), 4) for k, v in scores.items()}


def breakdown(verdicts: list[Verdict], items: dict[str, dict[str, Any]], key: Callable[[Verdict], str]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        groups.setdefault(key(verdict), []).append(verdict)
    return {name: metrics(group, items) for name, group in sorted(groups.items())}


def run_evaluation(
    assistant: Any, items: list[dict[str, Any]], progress: Callable[[int], None] | None = None, split: dict[str, str] | None = None
) -> dict[str, Any]:
    """Ask every question, judge every answer; the result is what reports and baselines store.

    `split` maps question ids to 'dev' or 'test'; each side gets its own metrics under "splits".
    """
    split = split or {}
    verdicts = []
    for item in items:
        verdicts.append(judge(item, assistant.ask(item["question"], k=EVAL_K), split.get(item["id"], "")))
        if progress:
            progress(1)
    by_id = {item["id"]: item for item in items}
    sides = {side: [v for v in verdicts if v.split == side] for side in ("dev", "test")}
    return {
        "metrics": metrics(verdicts, by_id),
        "splits": {side: metrics(group, by_id) for side, group in sides.items() if group},
        "by_category": breakdown(verdicts, by_id, lambda v: v.category),
        "by_language": breakdown(verdicts, by_id, lambda v: v.lang),
        "verdicts": [_verdict_dict(v) for v in verdicts],
    }


def evaluate_corpus(
    settings: Any,
    items: list[dict[str, Any]],
    corpus_dir: Path | None = None,
    stages: Any = None,
    split: dict[str, str] | None = None,
    extra: Callable[[Any], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Evaluate the live corpus, or a candidate `corpus_dir` in a temporary index the live one never sees.

    `extra(assistant)` adds sections measured with the same assistant (the conversations).
    """
    import tempfile

    from planqa.chain import Assistant
    from planqa.progress import Progress

    stages = stages or Progress(enabled=False)
    with tempfile.TemporaryDirectory(prefix="planqa-candidate-") as scratch:
        run_settings = settings.with_(corpus_dir=corpus_dir, index_dir=Path(scratch) / "index") if corpus_dir else settings
        stages.done(f"loading the model and the index of {run_settings.corpus_dir}" + (" (a temporary index)" if corpus_dir else ""))
        assistant = Assistant.load(run_settings)
        with stages.bar(len(items), "asking", unit="question") as tick:
            result = run_evaluation(assistant, items, progress=tick, split=split)
        if extra is not None:
            stages.done("asking the conversations")
            result.update(extra(assistant))
        return result


def improvements(current: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Questions that now pass and did not in the baseline: shown to maintainers, never a failure."""
    before = {v["id"]: v for v in baseline.get("verdicts", [])}
    newly = [v for v in current["verdicts"] if v["passed"] and not before.get(v["id"], v)["passed"]]
    return [_label(v) for v in newly]


def compare(current: dict[str, Any], baseline: dict[str, Any], tolerances: dict[str, float]) -> list[str]:
    """Every question that got worse, then every metric that fell by more than its tolerance.

    A question got worse when it lost its gold clause, lost a fact, started abstaining although
    answerable or stopped abstaining although unanswerable, or lost its bureau match.
    Tolerances: {"metric drop": 0.01, …}; a metric not listed may not drop.
    """
    before = {v["id"]: v for v in baseline.get("verdicts", [])}
    problems = []
    for now in current["verdicts"]:
        old = before.get(now["id"])
        if old is None:
            continue
        reasons = []
        if old["gold_cited"] and not now["gold_cited"]:
            reasons.append(f"lost its gold clause (cited {now['cited_ids'] or 'nothing'}, before {old['cited_ids']})")
        lost = sorted(set(old["facts_found"]) - set(now["facts_found"]))
        if lost:
            reasons.append(f"lost fact(s) {lost}")
        if old["abstained"] != now["abstained"] and now["abstained"] == now.get("answerable", True):
            # Worse only one way: declining an answerable question, or answering an unanswerable one.
            reasons.append("started abstaining" if now["abstained"] else "stopped abstaining")
        if old["bureaus_match"] and not now["bureaus_match"]:
            reasons.append("lost its bureau match")
        if reasons:
            problems.append(f"{_label(now)}: {'; '.join(reasons)}")
    groups = [("", baseline.get("metrics", {}), current["metrics"])]
    groups += [(f"{side} ", old, current.get("splits", {}).get(side, {})) for side, old in baseline.get("splits", {}).items()]
    for prefix, old_metrics, new_metrics in groups:
        for name, old_value in old_metrics.items():
            new_value = new_metrics.get(name)
            if new_value is None or old_value is None or name in UNGATED:
                continue
            drop = (new_value - old_value) if name in LOWER_IS_BETTER else (old_value - new_value)
            if drop > tolerances.get(name, 0.0) + 1e-9:
                problems.append(f"{prefix}metric {name}: {old_value} -> {new_value} (tolerance {tolerances.get(name, 0.0)})")
    return problems


def split_gaps(result: dict[str, Any]) -> dict[str, float]:
    """|dev − test| for every metric both sides measure: a large gap means rules fit dev phrasings."""
    splits = result.get("splits", {})
    dev, test = splits.get("dev", {}), splits.get("test", {})
    return {
        name: round(abs(dev[name] - test[name]), 4)
        for name in dev
        if name not in UNGATED and isinstance(dev.get(name), float) and isinstance(test.get(name), float)
    }


def _label(verdict: dict[str, Any]) -> str:
    """'q012 (fact, zh) “首席数据官由谁聘任？”' — the id alone means nothing to a maintainer."""
    question = verdict.get("question", "")
    question = question if len(question) <= 70 else question[:69] + "…"
    return f"{verdict['id']} ({verdict['category']}, {verdict['lang']}) “{question}”"


def _verdict_dict(verdict: Verdict) -> dict[str, Any]:
    data = asdict(verdict)
    data["passed"] = verdict.passed
    return data


def _mean(values: Iterable[float]) -> float | None:
    """The mean, or None when a group has nothing to measure (shown as '–')."""
    values = list(values)
    return round(sum(values) / len(values), 4) if values else None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
