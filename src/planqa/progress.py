"""Progress of a long command: a tqdm bar with time left on a terminal, one line per stage otherwise.

stages = Stages()                     # stderr is a terminal -> bars; a pipe or a log -> plain lines
stages.note("loading the model")      # "planqa: loading the model"
with stages.bar(196, "asking") as tick:
    for item in items: …; tick(1)     # a bar with rate and ETA, or "planqa: asking 196 … done in 31.2 s"
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO


class Stages:
    """Reports the stages of one command on `stream` (stderr), quietly when asked."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False, tty: bool | None = None):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = self.stream.isatty() if tty is None else tty

    def note(self, message: str) -> None:
        if not self.quiet:
            print(f"planqa: {message}", file=self.stream, flush=True)

    @contextmanager
    def bar(self, total: int, label: str, unit: str = "question") -> Iterator[Callable[[int], None]]:
        """Yields `tick(n)`; a bar on a terminal, else a line at the start and one at the end."""
        if self.quiet:
            yield lambda n: None
            return
        if self.tty:
            from tqdm import tqdm

            with tqdm(total=total, desc=label, unit=unit, file=self.stream) as progress:
                yield progress.update
            return
        started = time.perf_counter()
        self.note(f"{label}: {total} {unit}s …")
        yield lambda n: None
        self.note(f"{label}: done in {time.perf_counter() - started:.1f} s")
