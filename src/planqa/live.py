"""A served assistant that follows the corpus: an edited document is re-indexed and answers switch to it.

    live = LiveAssistant(assistant, loader=lambda: Assistant.load(settings))
    live.start()          # a daemon thread compares the corpus files with the index manifest every POLL_S
    live.current.ask(q)   # the assistant current at this moment
    live.banner_html()    # what the app shows while reloading, after a reload, or when a reload failed

Without this, a running server kept answering from the old text after a corpus file changed, with no warning.
A reload that fails (say, broken front matter) keeps the previous assistant and says why in the banner.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from planqa.corpus import corpus_files
from planqa.errors import PlanqaError

log = logging.getLogger("planqa.live")


class LiveAssistant:
    """Holds the current assistant; `check()` reloads it when the corpus on disk differs from its index."""

    POLL_S = 3.0

    def __init__(self, assistant: Any, loader: Callable[[], Any], interval: float = POLL_S):
        self.current = assistant
        self.loader = loader
        self.interval = interval
        self.status = "current"  # current | reloading | reloaded | failed
        self.message = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failed_on: dict[str, str] | None = None

    def changed(self) -> bool:
        """True when the corpus files differ from those the current index was built from (and from a failed reload's)."""
        now = corpus_files(self.current.settings.corpus_dir)
        return now != self.current.retriever.index.manifest.get("corpus_files") and now != self._failed_on

    def check(self) -> bool:
        """Reload if the corpus changed; True if the current assistant was replaced."""
        files = corpus_files(self.current.settings.corpus_dir)
        if files == self.current.retriever.index.manifest.get("corpus_files"):
            if self.status == "failed":  # the broken edit was undone
                self.status, self.message, self._failed_on = "current", "", None
            return False
        if files == self._failed_on:
            return False
        self.status, self.message = "reloading", ""
        try:
            fresh = self.loader()
        except PlanqaError as exc:
            self.status, self.message, self._failed_on = "failed", str(exc), files
            log.warning("corpus changed but could not be reloaded: %s", exc)
            return False
        except Exception as exc:  # keep serving the previous text whatever went wrong
            self.status, self.message, self._failed_on = "failed", f"{type(exc).__name__}: {exc}", files
            log.exception("corpus reload failed")
            return False
        self.current, self._failed_on = fresh, None
        self.status, self.message = "reloaded", dt.datetime.now().strftime("%H:%M:%S")
        return True

    def start(self) -> LiveAssistant:
        self._thread = threading.Thread(target=self._watch, name="planqa-corpus-watch", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except OSError as exc:  # the corpus directory is being replaced; try again at the next poll
                log.warning("cannot read the corpus: %s", exc)

    def banner_html(self) -> str:
        from planqa.render import esc

        if self.status == "reloading":
            text = "文件已更改，正在重新加载… · The documents changed; reloading…"
        elif self.status == "reloaded":
            text = (
                f"文件已于 {esc(self.message)} 更新，回答已使用新文本（其他标签页在重启后更新）· The documents changed at "
                f"{esc(self.message)}; answers now use the new text (the other tabs refresh on restart)."
            )
        elif self.status == "failed":
            text = (
                "文件已更改但无法重新加载，回答仍使用旧文本 · The documents changed but could not be reloaded; answers still use "
                f"the previous text: {esc(self.message)}"
            )
        else:
            return ""
        return f'<div class="pq-note pq-banner" role="status">{text}</div>'
