"""Evaluation reports for maintainers: JSON for machines, Markdown and a PNG chart for people.

eval/reports/2026-11-23T12-30-00.json   metrics, breakdowns, every verdict, the gate's findings
eval/reports/2026-11-23T12-30-00.md     what got worse, headline table, by category and language
eval/reports/2026-11-23T12-30-00.png    pass rate and citation recall by category, against the baseline
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

HEADLINE = (
    ("recall@5", "Retrieval: a gold clause in the top 5"),
    ("mrr", "Retrieval: mean reciprocal rank"),
    ("ndcg@10", "Retrieval: nDCG@10"),
    ("citation_recall", "Citations: gold clauses cited"),
    ("citation_precision", "Citations: cited clauses that are gold"),
    ("key_fact_accuracy", "Answers: key facts stated"),
    ("bureau_exact_match", "Answers: responsible bureaus exactly right"),
    ("abstention_recall", "Abstention: unanswerable questions declined"),
    ("abstention_precision", "Abstention: declines that were right"),
    ("false_abstention", "Abstention: answerable questions declined (lower is better)"),
    ("passed", "Questions fully right"),
    ("latency_p50_ms", "Latency p50, ms"),
    ("latency_p95_ms", "Latency p95, ms"),
)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temp file beside `path`, then rename: readers never see half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(tmp, path)


def write_reports(
    result: dict[str, Any], baseline: dict[str, Any] | None, problems: list[str], directory: Path, improved: list[str] | None = None
) -> dict[str, Path]:
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    paths = {ext: directory / f"{stamp}.{ext}" for ext in ("json", "md", "png")}
    write_atomic(paths["json"], json.dumps({**result, "gate_findings": problems}, ensure_ascii=False, indent=1))
    write_atomic(paths["md"], markdown(result, baseline, problems, paths["png"].name, improved or []))
    write_atomic(paths["png"], chart(result, baseline))
    return paths


def _fmt(value: Any, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def summary_line(result: dict[str, Any]) -> str:
    """All questions in one line, then one line per side of the dev/test split."""
    lines = [_summary(result["metrics"], "questions")]
    lines += [_summary(m, f"{side} questions") for side, m in result.get("splits", {}).items()]
    return "\n".join(lines)


def _summary(metrics: dict[str, Any], noun: str) -> str:
    m = {k: (0.0 if v is None else v) for k, v in metrics.items()}
    return (
        f"{m['questions']} {noun}: recall@5 {m.get('recall@5', 0):.3f}, citation recall {m['citation_recall']:.3f}, "
        f"key facts {m['key_fact_accuracy']:.3f}, bureaus {m['bureau_exact_match']:.3f}, abstention recall "
        f"{m['abstention_recall']:.3f}, false abstention {m['false_abstention']:.3f}, p50 {m['latency_p50_ms']} ms"
    )


def table(result: dict[str, Any], baseline: dict[str, Any] | None) -> str:
    """The compact terminal table: metric, now, baseline, change, then dev and test now."""
    old = (baseline or {}).get("metrics", {})
    splits = result.get("splits", {})
    rows = [f"{'metric':<22}{'now':>9}{'baseline':>10}{'change':>9}" + "".join(f"{side:>9}" for side in splits)]
    for key, _ in HEADLINE:
        if key not in result["metrics"]:
            continue
        now = result["metrics"][key]
        if now is None:
            rows.append(f"{key:<22}{'–':>9}")
            continue
        before = old.get(key)
        change = f"{now - before:+.3f}" if before is not None else ""
        sides = "".join(f"{_fmt(m.get(key)):>9}" for m in splits.values())
        rows.append(f"{key:<22}{_fmt(now):>9}{_fmt(before) if before is not None else '':>10}{change:>9}{sides}")
    return "\n".join(rows)


def markdown(result: dict[str, Any], baseline: dict[str, Any] | None, problems: list[str], chart_name: str, improved: list[str]) -> str:
    old = (baseline or {}).get("metrics", {})
    lines = [f"# planqa evaluation, {dt.datetime.now():%Y-%m-%d %H:%M}", "", summary_line(result), ""]
    if baseline is not None:
        lines += ["## What got worse against the baseline", ""]
        lines += [f"- {p}" for p in problems] or [
            "Nothing: no question lost its gold clause or a fact, none started or stopped abstaining."
        ]
        lines += ["", "## What got better", ""] + ([f"- {q}" for q in improved] or ["Nothing new passes."])
        lines.append("")
    splits = result.get("splits", {})
    lines += [
        "## Headline",
        "",
        "| metric | meaning | now | baseline |" + "".join(f" {side} |" for side in splits),
        "| --- | --- | ---: | ---: |" + " ---: |" * len(splits),
    ]
    for key, meaning in HEADLINE:
        if key in result["metrics"]:
            sides = "".join(f" {_fmt(m.get(key))} |" for m in splits.values())
            lines.append(f"| {key} | {meaning} | {_fmt(result['metrics'][key])} | {_fmt(old.get(key, ''))} |{sides}")
    for title, groups in (("By category", result["by_category"]), ("By language", result["by_language"])):
        lines += ["", f"## {title}", "", "| group | questions | recall@5 | citation recall | key facts | abstention recall | passed |"]
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, m in groups.items():
            lines.append(
                f"| {name} | {m['questions']} | {_fmt(m.get('recall@5'))} | {_fmt(m['citation_recall'])} | {_fmt(m['key_fact_accuracy'])} "
                f"| {_fmt(m['abstention_recall'])} | {_fmt(m['passed'])} |"
            )
    failing = [v for v in result["verdicts"] if not v["passed"]]
    lines += [
        "",
        f"## Questions not fully right ({len(failing)})",
        "",
        "| id | category | lang | question | what went wrong |",
        "| --- | --- | --- | --- | --- |",
    ]
    for v in failing:
        question = v.get("question", "").replace("|", "\\|")
        lines.append(f"| {v['id']} | {v['category']} | {v['lang']} | {question} | {_what_went_wrong(v)} |")
    lines += ["", f"![pass rate by category]({chart_name})", ""]
    return "\n".join(lines)


def _what_went_wrong(v: dict[str, Any]) -> str:
    if not v["answerable"]:
        return "answered a question the documents do not answer"
    if v["abstained"]:
        return "declined an answerable question"
    reasons = []
    if not v["gold_cited"]:
        reasons.append(f"cited {', '.join(v['cited_ids']) or 'nothing'}, not the gold clause")
    if len(v["facts_found"]) < v["facts_total"]:
        reasons.append(f"stated {len(v['facts_found'])} of {v['facts_total']} key facts")
    if v["bureaus_match"] is False:
        reasons.append("wrong responsible bureaus")
    return "; ".join(reasons)


def chart(result: dict[str, Any], baseline: dict[str, Any] | None) -> bytes:
    """Bars of pass rate and citation recall per category, now against the baseline."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    categories = list(result["by_category"])
    old = (baseline or {}).get("by_category", {})
    figure, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
    for axis, metric in zip(axes, ("passed", "citation_recall"), strict=True):
        now = [result["by_category"][c][metric] or 0 for c in categories]
        before = [old.get(c, {}).get(metric) or 0 for c in categories]
        positions = range(len(categories))
        if old:
            axis.bar([p - 0.2 for p in positions], before, width=0.4, label="baseline", color="#b0b7c3")
        axis.bar([p + (0.2 if old else 0) for p in positions], now, width=0.4, label="now", color="#2b6cb0")
        axis.set_xticks(list(positions), categories, rotation=35, ha="right")
        axis.set_title({"passed": "questions fully right", "citation_recall": "gold clauses cited"}[metric])
        axis.set_ylim(0, 1.05)
        axis.grid(axis="y", alpha=0.3)
    axes[0].legend(loc="lower left", framealpha=0.95)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return buffer.getvalue()
