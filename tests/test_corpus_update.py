"""A readable corpus diff, the gated `corpus update` with its atomic swap, and the progress of long commands."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from planqa.catalog import Catalog
from planqa.cli import main
from planqa.corpus import corpus_files
from planqa.corpus_update import check_candidate, swap
from planqa.corpusdiff import diff_corpora, render_ops, text_diff
from planqa.errors import UpdateError
from planqa.progress import Progress

from .conftest import CORPUS, ROOT, drop_measure_seven

BASELINE = ROOT / "eval" / "baseline.json"
QUESTIONS = ROOT / "eval" / "questions.jsonl"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- the diff ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "lang", "ops"),
    [
        ("给予3000元补贴", "给予5000元补贴", "zh", (("=", "给予"), ("-", "3"), ("+", "5"), ("=", "000元补贴"))),
        ("train 10 engineers a year", "train 20 skilled engineers a year", "en",
         (("=", "train "), ("-", "10"), ("+", "20 skilled"), ("=", " engineers a year"))),
        ("same", "same", "en", (("=", "same"),)),
        ("", "新增", "zh", (("+", "新增"),)),
        ("😀 emoji", "😀 emoji!", "en", (("=", "😀 emoji"), ("+", "!"))),
    ],
)  # fmt: skip
def test_text_diff_by_character_or_word(old, new, lang, ops):
    assert text_diff(old, new, lang) == ops
    assert "".join(p for t, p in ops if t != "+") == old and "".join(p for t, p in ops if t != "-") == new  # both texts come back


def test_render_cuts_long_unchanged_stretches():
    ops = text_diff("甲" * 40 + "3000元" + "乙" * 40, "甲" * 40 + "5000元" + "乙" * 40, "zh")
    plain = render_ops(ops, "zh", color=False)
    assert plain == "…" + "甲" * 12 + "[-3-]{+5+}" + "000元" + "乙" * 8 + "…"
    coloured = render_ops(ops, "zh", color=True)
    assert "\x1b[31m3\x1b[0m\x1b[32m5\x1b[0m" in coloured and "[-" not in coloured


def test_diff_shows_changed_text_and_warns_about_a_rendering_left_behind(corpus_copy, capsys):
    edit(corpus_copy / "bj-2024.md", "（七）强化数字技能人才培养载体建设。", "（七）强化数字技能人才培养基地建设。")
    diff = diff_corpora(Catalog.load(CORPUS), Catalog.load(corpus_copy))
    (change,) = diff.changes
    assert change.id == "bj-2024#7" and ("-", "载体") in change.ops and ("+", "基地") in change.ops
    assert diff.warnings == ["bj-2024#7 changed but its rendering bj-2024-rendering-en#7 did not; update the rendering to match"]
    code, out, _ = run(capsys, "corpus", "diff", str(CORPUS), str(corpus_copy))
    assert code == 0 and "[-载体-]{+基地+}" in out and "\x1b[" not in out  # plain in a pipe
    assert "! bj-2024#7 changed but its rendering" in out and "0 added, 0 removed, 1 changed" in out
    code, out, _ = run(capsys, "corpus", "diff", str(CORPUS), str(corpus_copy), "--json")
    data = json.loads(out)
    assert data["counts"] == {"added": 0, "removed": 0, "changed": 1} and data["warnings"]
    assert ["-", "载体"] in data["changes"][0]["text_diff"]


def test_no_warning_when_the_rendering_changed_too(corpus_copy):
    edit(corpus_copy / "bj-2024.md", "（七）强化数字技能人才培养载体建设。", "（七）强化数字技能人才培养基地建设。")
    rendering = corpus_copy / "bj-2024-rendering-en.md"
    rendering.write_text(re.sub(r"(\n\(7\) [^\n]*?)\.", r"\1 (bases).", rendering.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    diff = diff_corpora(Catalog.load(CORPUS), Catalog.load(corpus_copy))
    assert {c.id for c in diff.changes} == {"bj-2024#7", "bj-2024-rendering-en#7"} and diff.warnings == []


# --- the update -----------------------------------------------------------------------------


def test_candidate_must_be_a_separate_directory(tmp_path):
    live = tmp_path / "corpus"
    live.mkdir()
    with pytest.raises(UpdateError, match="is not a directory"):
        check_candidate(tmp_path / "missing", live)
    with pytest.raises(UpdateError, match="is the live corpus or inside it"):
        check_candidate(live, live)
    (live / "next").mkdir()
    with pytest.raises(UpdateError, match="is the live corpus or inside it"):
        check_candidate(live / "next", live)


@pytest.mark.parametrize("exchange", [True, False])
def test_swap_keeps_the_old_corpus_as_a_dated_backup(tmp_path, monkeypatch, exchange):
    import datetime as dt

    if not exchange:
        monkeypatch.setattr("planqa.corpus_update._exchange", lambda a, b: False)
    live, candidate = tmp_path / "corpus", tmp_path / "next"
    live.mkdir()
    candidate.mkdir()
    (live / "a.md").write_text("old", encoding="utf-8")
    (candidate / "a.md").write_text("new", encoding="utf-8")
    (candidate / "b.md").write_text("added", encoding="utf-8")
    backup = swap(live, candidate, now=dt.datetime(2026, 1, 2, 3, 4, 5))
    assert backup == tmp_path / "corpus.backup-20260102-030405"
    assert (live / "a.md").read_text(encoding="utf-8") == "new" and (live / "b.md").is_file()
    assert (backup / "a.md").read_text(encoding="utf-8") == "old" and not (backup / "b.md").exists()
    assert (candidate / "a.md").read_text(encoding="utf-8") == "new"  # the candidate is copied, not consumed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "corpus.backup-20260102-030405", "next"]  # no staging left


def test_update_with_nothing_changed_needs_no_evaluation(corpus_copy, tmp_path, capsys):
    candidate = tmp_path / "next"
    shutil.copytree(corpus_copy, candidate)
    argv = ["--corpus", str(corpus_copy), "corpus", "update", str(candidate), "--baseline", str(BASELINE), "--questions", str(QUESTIONS)]
    code, out, _ = run(capsys, *argv, "--apply")
    assert code == 0 and "gate: nothing to update" in out and "applied" not in out


def test_update_needs_a_baseline(corpus_copy, tmp_path, capsys):
    code, _, err = run(capsys, "--corpus", str(corpus_copy), "corpus", "update", str(corpus_copy), "--baseline", str(tmp_path / "no.json"))
    assert code == 2 and "needs a baseline" in err


# --- progress -------------------------------------------------------------------------------


def test_progress_is_one_line_per_stage_off_a_terminal():
    stream = io.StringIO()
    stages = Progress(stream=stream, tty=False)
    stages.done("loading the model")
    with stages.bar(3, "asking", unit="question") as tick:
        for _ in range(3):
            tick(1)
    lines = stream.getvalue().splitlines()
    assert lines[:2] == ["planqa: loading the model", "planqa: asking 3 questions…"]
    assert re.fullmatch(r"planqa: asking done \(3 questions in \d+\.\d s\)", lines[2]) and len(lines) == 3


def test_progress_is_a_bar_with_time_left_on_a_terminal():
    stream = io.StringIO()
    with Progress(stream=stream, tty=True).bar(4, "asking", unit="question") as tick:
        tick(2)
        tick(2)
    assert "asking: 100%" in stream.getvalue() and "4/4" in stream.getvalue() and "<" in stream.getvalue()  # elapsed<remaining


def test_quiet_progress_prints_nothing():
    stream = io.StringIO()
    stages = Progress(enabled=False, stream=stream, tty=True)
    stages.done("x")
    with stages.bar(2, "asking") as tick:
        tick(2)
    assert stream.getvalue() == ""


# --- slow: the real gate on a candidate -----------------------------------------------------------


@pytest.mark.slow
def test_update_refuses_a_candidate_that_fails_the_gate(corpus_copy, tmp_path, capsys, cache_dir, monkeypatch):
    monkeypatch.setenv("PLANQA_CACHE", str(cache_dir))
    candidate = tmp_path / "next"
    shutil.copytree(corpus_copy, candidate)
    drop_measure_seven(candidate)
    before = {p.name: p.read_bytes() for p in corpus_copy.iterdir()}
    argv = ["--corpus", str(corpus_copy), "corpus", "update", str(candidate), "--baseline", str(BASELINE), "--questions", str(QUESTIONS)]
    argv += ["--reports", str(tmp_path / "r")]
    code, out, _ = run(capsys, *argv, "--apply")
    assert code == 1 and "- bj-2024#7" in out and "gate: FAILED" in out and "not applied" in out
    assert any(line.startswith("WORSE q") for line in out.splitlines())
    assert {p.name: p.read_bytes() for p in corpus_copy.iterdir()} == before
    assert not list(tmp_path.glob("corpus.backup-*"))


@pytest.mark.slow
def test_update_applies_a_passing_candidate_and_reindexes(corpus_copy, tmp_path, capsys, cache_dir, monkeypatch):
    monkeypatch.setenv("PLANQA_CACHE", str(cache_dir))
    monkeypatch.setenv("PLANQA_INDEX", str(tmp_path / "index"))
    candidate = tmp_path / "next"
    shutil.copytree(corpus_copy, candidate)
    edit(candidate / "bj-2024.md", "published: 2024-07-17", "published: 2024-07-17  # as reposted")  # no clause changes
    argv = ["--corpus", str(corpus_copy), "corpus", "update", str(candidate), "--baseline", str(BASELINE), "--questions", str(QUESTIONS)]
    argv += ["--reports", str(tmp_path / "r")]
    code, out, _ = run(capsys, *argv, "--apply", "--json")
    data = json.loads(out)
    assert code == 0 and data["gate"] == "passed" and data["applied"] and data["worse"] == []
    assert "# as reposted" in (corpus_copy / "bj-2024.md").read_text(encoding="utf-8")
    backup = Path(data["backup"])
    assert backup.name.startswith("corpus.backup-") and "# as reposted" not in (backup / "bj-2024.md").read_text(encoding="utf-8")
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["corpus_files"] == corpus_files(corpus_copy)  # the index was rebuilt from the new corpus
