"""The command line: JSON output, lookups, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import shutil

import pytest

from planqa.cli import main

from .conftest import CORPUS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_chunks_json_lists_all_measures_with_fields(capsys):
    code, out, _ = run(capsys, "--corpus", str(CORPUS), "chunks", "--json")
    assert code == 0
    chunks = {c["id"]: c for c in json.loads(out)}
    for n in range(1, 17):
        chunk = chunks[f"bj-2024#{n}"]
        assert chunk["text"] and chunk["bureaus"] and all(b["zh"] and b["en"] for b in chunk["bureaus"])
    for n in range(1, 13):
        assert chunks[f"national-2024#{n}"]["text"].startswith(f"({n})")
    assert set(chunks["bj-2024#7"]) >= {"id", "doc_id", "lang", "clause", "heading", "section", "text", "bureaus", "aligned_id", "span"}


def test_chunks_of_one_document(capsys):
    code, out, _ = run(capsys, "--corpus", str(CORPUS), "chunks", "--doc", "national-2024")
    assert code == 0 and "national-2024#12" in out and "bj-2024#1" not in out


def test_bureaus_directory_and_lookup(capsys):
    code, out, _ = run(capsys, "--corpus", str(CORPUS), "bureaus")
    assert code == 0 and "市科委中关村管委会 — Beijing Municipal Science and Technology Commission" in out
    code, out, _ = run(capsys, "--corpus", str(CORPUS), "bureaus", "教委", "--json")
    (entry,) = json.loads(out)
    assert entry["en"] == "Beijing Municipal Education Commission"
    assert [c["id"] for c in entry["clauses"]] == ["bj-2024#4", "bj-2024#5", "bj-2024#6", "bj-2024#12"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["chunks", "--doc", "shanghai-2024"], "unknown document 'shanghai-2024'"),
        (["bureaus", "Ministry of Magic"], "no bureau matches 'Ministry of Magic'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, "--corpus", str(CORPUS), *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: (d / "national-2024.md").write_text("no front matter\n", encoding="utf-8"), "national-2024.md: missing front matter"),
        (lambda d: shutil.copy(d / "bj-2024.md", d / "bj-2024-copy.md"), "duplicate document id 'bj-2024'"),
        (
            lambda d: (d / "bj-2024.md").write_text(
                (d / "bj-2024.md").read_text(encoding="utf-8").replace("lang: zh", "lang: [zh"), encoding="utf-8"
            ),
            "bj-2024.md: broken YAML front matter",
        ),
    ],
)
def test_damaged_corpus_is_one_line_and_exit_2(capsys, corpus_copy, damage, message):
    damage(corpus_copy)
    code, _, err = run(capsys, "--corpus", str(corpus_copy), "chunks")
    assert code == 2 and message in err and err.count("\n") == 1


def test_start_up_stays_light():
    """`planqa --help`, `chunks` and `bureaus` must not pull in models, LangChain or the web app."""
    import subprocess
    import sys

    heavy = "{'torch', 'sentence_transformers', 'gradio', 'faiss', 'langchain_core'}"
    code = f"import sys, planqa.cli; print(sorted({heavy} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_public_api_exposes_the_assistant():
    import planqa
    from planqa.chain import Assistant

    assert planqa.Assistant is Assistant and "Assistant" in planqa.__all__
