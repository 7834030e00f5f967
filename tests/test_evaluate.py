"""The evaluation suite: the question set, metrics, reports, the corpus-update gate and corpus diff."""

from __future__ import annotations

import json
import re

from planqa.catalog import Catalog
from planqa.cli import main
from planqa.corpusdiff import diff_catalogs
from planqa.evaluate import check_set, compare, load_questions

from .conftest import CORPUS, ROOT, drop_measure_seven

QUESTIONS = ROOT / "eval" / "questions.jsonl"
BASELINE = ROOT / "eval" / "baseline.json"


def test_question_set_is_valid_and_large_enough(catalog):
    items = load_questions(QUESTIONS)
    assert check_set(items, catalog) == []
    assert len(items) >= 150 and sum(not i["answerable"] for i in items) >= 30
    assert {i["category"] for i in items} >= {"fact", "bureau", "bureau_list", "eligibility", "title_route", "numbers",
                                              "metadata", "cross_lingual", "unanswerable"}  # fmt: skip


def test_check_set_rejects_bad_items(catalog):
    bad = [
        {"id": "x1", "question": "q", "lang": "zh", "category": "fact", "gold": ["bj-2024#99"], "alternates": [],
         "facts": [], "bureaus": [], "answerable": True},
        {"id": "x2", "question": "q", "lang": "zh", "category": "fact", "gold": ["bj-2024#7"], "alternates": [],
         "facts": [["火星基地"]], "bureaus": ["市教委"], "answerable": True},
    ]  # fmt: skip
    problems = check_set(bad, catalog)
    assert any("x1: clause bj-2024#99 does not exist" in p for p in problems)
    assert any("x2: fact ['火星基地'] is not in its gold clauses" in p for p in problems)
    assert any("x2: bureau 市教委 is not printed" in p for p in problems)


def _verdict(qid, **changes):
    base = {"id": qid, "category": "fact", "lang": "zh", "gold_cited": True, "cited_ids": ["bj-2024#7"], "facts_found": [0, 1],
            "abstained": False, "bureaus_match": None, "answerable": True}  # fmt: skip
    return {**base, **changes}


def test_compare_names_every_kind_of_regression():
    before = {"metrics": {"recall@5": 0.96, "false_abstention": 0.02}, "verdicts": [_verdict(f"q{i}") for i in range(4)]}
    now = {
        "metrics": {"recall@5": 0.90, "false_abstention": 0.02},
        "verdicts": [_verdict("q0", gold_cited=False, cited_ids=[]), _verdict("q1", facts_found=[0]), _verdict("q2", abstained=True),
                     _verdict("q3")],
    }  # fmt: skip
    problems = compare(now, before, {"recall@5": 0.01})
    assert [p.split(" ")[0] for p in problems] == ["q0", "q1", "q2", "metric"]
    assert "lost its gold clause" in problems[0] and "lost fact(s) [1]" in problems[1] and "started abstaining" in problems[2]
    assert compare(before, before, {}) == []
    declined = {"metrics": {}, "verdicts": [_verdict("q9", answerable=False, abstained=True)]}
    assert compare(declined, {"metrics": {}, "verdicts": [_verdict("q9", answerable=False)]}, {}) == []  # an improvement
    assert "stopped abstaining" in compare({"metrics": {}, "verdicts": [_verdict("q9", answerable=False)]}, declined, {})[0]


def test_committed_baseline_passes_the_gate(capsys, tmp_path, built_index_dir, monkeypatch):
    monkeypatch.setenv("PLANQA_INDEX", str(built_index_dir))
    code = main(["--corpus", str(CORPUS), "eval", "--baseline", str(BASELINE), "--gate", "--reports", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "gate: passed" in out
    report = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert "## What got worse against the baseline" in report and "## By category" in report
    assert next(tmp_path.glob("*.png")).stat().st_size > 10_000
    data = json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))
    metrics = data["metrics"]
    assert metrics["recall@5"] >= 0.95 and metrics["false_abstention"] <= 0.05
    assert {"recall@1", "recall@10", "mrr", "ndcg@10", "citation_precision", "bureau_exact_match", "latency_p95_ms"} <= set(metrics)


def test_gate_fails_on_a_damaged_corpus_and_names_the_questions(capsys, tmp_path, corpus_copy, cache_dir, monkeypatch):
    drop_measure_seven(corpus_copy)
    official = corpus_copy / "bj-2024.md"
    official.write_text(
        official.read_text(encoding="utf-8").replace("（市教委、市人力资源社会保障局）", "（市人力资源社会保障局）"), encoding="utf-8"
    )
    monkeypatch.setenv("PLANQA_CACHE", str(cache_dir))
    index_before = sorted(p.name for p in (ROOT / "index").glob("*")) if (ROOT / "index").exists() else None

    code = main(["eval", "--corpus", str(corpus_copy), "--baseline", str(BASELINE), "--gate", "--quiet", "--reports", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1 and "gate: FAILED" in out
    items = {i["id"]: i for i in load_questions(QUESTIONS)}
    worse = {line.split()[1] for line in out.splitlines() if line.startswith("WORSE ") and line.split()[1] in items}
    right_before = {v["id"] for v in json.loads(BASELINE.read_text(encoding="utf-8"))["verdicts"] if v["passed"]}
    gone = {"bj-2024#7", "bj-2024-rendering-en#7"}  # questions that another document's clause can still answer may pass
    dropped = {qid for qid, i in items.items() if i["gold"] == ["bj-2024#7"] and set(i["alternates"]) <= gone and qid in right_before}
    rebureaued = {qid for qid, i in items.items() if i["bureaus"] and "bj-2024#4" in i["gold"] and qid in right_before}
    assert dropped and dropped <= worse
    assert rebureaued and rebureaued & worse
    if index_before is not None:  # the live index was not touched
        assert sorted(p.name for p in (ROOT / "index").glob("*")) == index_before


def test_corpus_diff(corpus_copy, capsys):
    text = (corpus_copy / "bj-2024.md").read_text(encoding="utf-8")
    text = text.replace("（市教委、市人力资源社会保障局）", "（市人力资源社会保障局）")
    text = re.sub(r"\n（十六）[^\n]*\n", "\n", text)
    (corpus_copy / "bj-2024.md").write_text(text, encoding="utf-8")
    rendering = corpus_copy / "bj-2024-rendering-en.md"
    rendering.write_text(re.sub(r"\n\(16\) [^\n]*\n", "\n", rendering.read_text(encoding="utf-8")), encoding="utf-8")
    changes = diff_catalogs(Catalog.load(CORPUS), Catalog.load(corpus_copy))
    assert ("removed", "bj-2024#16") in {(c.kind, c.id) for c in changes}
    (changed,) = [c for c in changes if c.id == "bj-2024#4"]
    assert changed.kind == "changed" and any("bureaus 市教委、市人力资源社会保障局 -> 市人力资源社会保障局" in d for d in changed.details)
    assert main(["corpus", "diff", str(CORPUS), str(corpus_copy)]) == 0
    out = capsys.readouterr().out
    assert "- bj-2024#16" in out and "~ bj-2024#4" in out


def test_eval_without_baseline_cannot_gate(capsys, tmp_path):
    assert main(["--corpus", str(CORPUS), "eval", "--baseline", str(tmp_path / "none.json"), "--gate"]) == 2
    assert "--gate needs a baseline" in capsys.readouterr().err
