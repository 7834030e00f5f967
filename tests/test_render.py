"""The app's HTML, straight from typed records on the real corpus: escaping, bureaus, profile, documents, reports."""

from __future__ import annotations

import json

from planqa import render
from planqa.profile import ClauseTags


def test_escape_covers_html_markdown_and_templates():
    shown = render.esc("<b>x</b> **y** [z](javascript:alert(1)) ${7*7} `c`")
    assert "<" not in shown and "*" not in shown and "[" not in shown and "$" not in shown and "`" not in shown
    assert render.highlight("甲乙<丙>丁", ["<丙>"]) == "甲乙<mark>&#60;丙&#62;</mark>丁"
    assert render.highlight("abc", ["zz", ""]) == "abc"


def test_bureau_search(catalog):
    html = render.bureau_search_html("教委", catalog)
    assert "Beijing Municipal Education Commission" in html
    assert all(f'data-clause="bj-2024&#35;{n}"' in html for n in (4, 5, 6, 12))
    assert "Beijing Municipal Human Resources and Social Security Bureau" in render.bureau_search_html("HRSS", catalog)
    missing = render.bureau_search_html("Ministry of <b>Magic</b>", catalog)
    assert "No bureau matches" in missing and "<b>" not in missing


def test_measure_lists_its_bureaus(catalog):
    html = render.measure_html("bj-2024#9", catalog)
    assert html.count("<li>") == 5 and "市委网信办" in html
    assert len(render.measures(catalog)) == 16


def test_profile_tab_matches(catalog):
    tags = ClauseTags.load(catalog)
    html = render.match_profile(tags, "individual", None, None, ["returnees"])
    assert 'data-clause="bj-2024&#35;1"' in html and "Returnee founders" in html and "pq-why" in html
    assert "Choose what kind" in render.match_profile(tags, None, None, None, [])


def test_documents_and_chunks(catalog):
    html = render.documents_html(catalog)
    assert all(render.esc(d.id) in html for d in catalog.documents)
    assert render.chunks_html("national-2024", catalog).count('class="pq-card"') == 13


def test_evaluation_panel(tmp_path):
    assert "planqa eval" in render.evaluation_html(tmp_path / "missing")
    old = {"metrics": {"questions": 3, "recall@5": 0.1}, "by_category": {}}
    new = {"metrics": {"questions": 196, "recall@5": 0.958}, "by_category": {"fact": {"questions": 36, "passed": 0.8}}}
    (tmp_path / "2026-01-01T00-00-00.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "2026-02-01T00-00-00.json").write_text(json.dumps(new), encoding="utf-8")
    html = render.evaluation_html(tmp_path)
    assert "2026-02-01T00-00-00.json" in html and "0.958" in html and "fact" in html and "0.1<" not in html


def test_evaluation_panel_compares_with_the_baseline_and_shows_worse_questions_and_chart(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    baseline = {"metrics": {"questions": 196, "recall@5": 0.958, "false_abstention": 0.013}}
    (tmp_path / "baseline.json").write_text(json.dumps(baseline), encoding="utf-8")
    report = {
        "metrics": {"questions": 196, "recall@5": 0.9, "false_abstention": 0.02},
        "by_category": {},
        "gate_findings": ["q012 (fact, zh) “首席数据官由谁聘任？<b>”: lost its gold clause"],
    }
    (reports / "2026-02-01T00-00-00.json").write_text(json.dumps(report), encoding="utf-8")
    (reports / "2026-02-01T00-00-00.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    html = render.evaluation_html(reports)
    assert "<th>baseline</th><th>change</th>" in html
    assert '<td>0.958</td><td class="pq-worse">-0.058</td>' in html  # recall fell: worse
    assert '<td>0.013</td><td class="pq-worse">+0.007</td>' in html  # false abstention rose: worse too
    assert "Worse than the baseline (1)" in html and "q012" in html and "&#60;b&#62;" in html  # escaped
    assert 'src="data:image/png;base64,iVBORw0KGgpmYWtl"' in html
    report["gate_findings"] = []
    (reports / "2026-02-01T00-00-00.json").write_text(json.dumps(report), encoding="utf-8")
    assert "Nothing got worse against the baseline" in render.evaluation_html(reports)
