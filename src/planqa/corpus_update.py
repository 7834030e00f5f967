"""`planqa corpus update CANDIDATE [--apply]`: diff, evaluate in a temporary index, gate, then swap and re-index.

Nothing touches the live corpus unless `--apply` is given *and* the gate passes. The swap
exchanges the two directories in one step (Linux `renameat2(RENAME_EXCHANGE)`; elsewhere two
renames, undone if the second fails), so readers see the old corpus or the new one, never a mix;
the old corpus stays beside it as `corpus.backup-YYYYMMDD-HHMMSS`.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planqa.errors import UpdateError


@dataclass
class UpdateResult:
    diff: Any
    problems: list[str] = field(default_factory=list)
    result: dict[str, Any] | None = None
    applied: bool = False
    backup: Path | None = None
    report: Path | None = None

    @property
    def passed(self) -> bool:
        return self.result is not None and not self.problems


def check_candidate(candidate: Path, live: Path) -> None:
    """The candidate must be a separate, loadable corpus directory."""
    candidate, live = Path(candidate).resolve(), Path(live).resolve()
    if not candidate.is_dir():
        raise UpdateError(f"candidate corpus {candidate} is not a directory; copy the corpus there and edit it ('cp -r corpus /tmp/next')")
    if candidate == live or live in candidate.parents:
        raise UpdateError(f"the candidate {candidate} is the live corpus or inside it; work on a copy outside {live}")


def swap(live: Path, candidate: Path, now: dt.datetime | None = None) -> Path:
    """Put a copy of `candidate` where `live` is; the old corpus is kept as a dated backup, returned."""
    live = Path(live)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    backup = live.with_name(f"{live.name}.backup-{stamp}")
    incoming = live.with_name(f".{live.name}.incoming-{stamp}")
    if backup.exists() or incoming.exists():
        raise UpdateError(f"{backup.name} or {incoming.name} already exists; wait a second and try again")
    shutil.copytree(candidate, incoming, ignore=shutil.ignore_patterns(".*"))  # same filesystem as live, so renames are atomic
    try:
        if _exchange(incoming, live):
            os.rename(incoming, backup)  # `incoming` now holds the old corpus
        else:
            os.rename(live, backup)
            try:
                os.rename(incoming, live)
            except OSError:
                os.rename(backup, live)
                raise
    except OSError as exc:
        shutil.rmtree(incoming, ignore_errors=True)
        raise UpdateError(f"could not swap {candidate} into {live}: {exc.strerror}; the live corpus is unchanged") from None
    return backup


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with renameat2(RENAME_EXCHANGE); False where the system has no such call."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this filesystem cannot exchange; fall back
        return False
    raise OSError(errno, os.strerror(errno))


def run_update(
    settings: Any,
    candidate: Path,
    items: list[dict[str, Any]],
    baseline: dict[str, Any],
    tolerances: dict[str, float],
    reports_dir: Path,
    *,
    apply: bool = False,
    stages: Any = None,
) -> UpdateResult:
    """The diff, the candidate's evaluation against the baseline, and (if asked and it passed) the swap and re-index."""
    from planqa.catalog import Catalog
    from planqa.corpus import corpus_files
    from planqa.corpus_add import DRAFT_FILE
    from planqa.corpusdiff import diff_corpora
    from planqa.evaluate import compare, evaluate_corpus, improvements
    from planqa.progress import Progress
    from planqa.report import write_reports

    stages = stages or Progress(enabled=False)
    live = settings.corpus_dir
    check_candidate(candidate, live)
    update = UpdateResult(diff_corpora(Catalog.load(live), Catalog.load(candidate)))
    draft = Path(candidate) / DRAFT_FILE
    if draft.is_file():
        update.diff.warnings.append(f"{draft} proposes bureau entries: review them, move them to bureaus.yaml (unused until then)")
    if corpus_files(live) == corpus_files(candidate):
        update.result = {"metrics": {}, "verdicts": []}
        return update
    from planqa.split import load_split

    split = load_split(settings.corpus_dir.parent / "eval" / "split.json")["questions"]
    update.result = evaluate_corpus(settings, items, Path(candidate), stages, split=split)
    update.result["corpus_dir"] = str(candidate)
    update.problems = compare(update.result, baseline, tolerances)
    stages.done("writing reports")
    paths = write_reports(update.result, baseline, update.problems, reports_dir, improvements(update.result, baseline))
    update.report = paths["md"]
    if apply and update.passed:
        from planqa.embeddings import load_embeddings
        from planqa.index import build_index

        stages.done(f"swapping {candidate} into {live}")
        update.backup = swap(live, candidate)
        update.applied = True
        stages.done("re-indexing the new corpus")
        catalog = Catalog.load(live)
        build_index(catalog, load_embeddings(settings.embedder), settings.index_dir, settings.cache_dir, show_progress=stages.terminal)
    return update
