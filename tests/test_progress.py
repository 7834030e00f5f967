"""Progress on stderr: a bar with time left on a terminal, one line per stage otherwise, nothing when disabled."""

from __future__ import annotations

import io

from planqa.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_with_time_left():
    stream = Terminal()
    with Progress(stream=stream).bar(40, "embedding") as tick:
        for _ in range(4):
            tick(10)
    out = stream.getvalue()
    assert "planqa: embedding" in out and "100%" in out and "40/40" in out and "<00:00" in out  # elapsed<remaining


def test_a_log_gets_one_line_per_stage():
    stream = io.StringIO()
    progress = Progress(stream=stream)
    progress.stage("indexing 40 texts")
    with progress.bar(40, "embedding") as tick:
        tick(40)
    progress.done("index written")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "planqa: indexing 40 texts…" and lines[1] == "planqa: embedding 40 texts…"
    assert lines[2].startswith("planqa: embedding done (40 texts in") and lines[3] == "planqa: index written"


def test_disabled_progress_is_silent():
    stream = Terminal()
    progress = Progress(enabled=False, stream=stream)
    progress.stage("x")
    with progress.bar(3, "embedding") as tick:
        tick(3)
    assert stream.getvalue() == ""
