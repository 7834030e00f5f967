"""What a long step is doing, on stderr: a bar with time left on a terminal, one line per stage elsewhere.

    progress = Progress()
    progress.stage("loading the corpus")           # "planqa: loading the corpus…"
    with progress.bar(1200, "embedding") as tick:  # tqdm on a terminal; "planqa: embedding 1200 texts…" otherwise
        tick(16)

A build that takes a minute on a fresh machine must never look hung, in a terminal or in a log.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Progress:
    """Stage lines and progress bars on stderr (or nothing, when not `enabled`)."""

    def __init__(self, enabled: bool = True, stream=None, tty: bool | None = None):
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.tty = tty

    @property
    def terminal(self) -> bool:
        if self.tty is not None:
            return self.tty
        return bool(getattr(self.stream, "isatty", lambda: False)())

    def stage(self, message: str) -> None:
        """A step starting ("planqa: indexing 1200 texts…")."""
        if self.enabled:
            print(f"planqa: {message}…", file=self.stream, flush=True)

    def done(self, message: str) -> None:
        """A step finished ("planqa: index written to index/")."""
        if self.enabled:
            print(f"planqa: {message}", file=self.stream, flush=True)

    @contextmanager
    def bar(self, total: int, what: str, unit: str = "text") -> Iterator[Callable[[int], None]]:
        """Yield `tick(n)`; a tqdm bar (rate and time left) on a terminal, start and end lines otherwise."""
        if not self.enabled:
            yield lambda n: None
            return
        if self.terminal:
            from tqdm import tqdm

            # A terminal that reports its size as 0x0 (a pty under `script`, some CI runners) would show no bar at all.
            size = shutil.get_terminal_size((100, 24))
            shape = {"ncols": min(size.columns or 100, 120), "nrows": size.lines or 24}
            with tqdm(total=total, desc=f"planqa: {what}", unit=unit, file=self.stream, smoothing=0.1, **shape) as bar:
                yield bar.update
            return
        done = [0]
        started = time.perf_counter()

        def tick(n: int) -> None:
            done[0] += n

        self.stage(f"{what} {total} {unit}s")
        yield tick
        print(f"planqa: {what} done ({done[0]} {unit}s in {time.perf_counter() - started:.1f} s)", file=self.stream, flush=True)
