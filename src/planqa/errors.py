"""The error family: every message names the bad value and says how to fix it.

Errors are raised deep inside the package and turned into one-line messages only
at the edges (the CLI and the app).
"""

from __future__ import annotations


class PlanqaError(Exception):
    """Base of every error planqa reports to a user; `exit_code` is what the CLI returns."""

    exit_code = 2


class ConfigError(PlanqaError):
    """A setting, environment variable or planqa.toml value is invalid."""


class CorpusError(PlanqaError):
    """A corpus file is missing, malformed, or inconsistent with the rest of the corpus."""


class UnknownDocumentError(PlanqaError):
    """A document id that is not in the corpus."""


class UnknownBureauError(PlanqaError):
    """A bureau name that matches no responsible unit."""


class IndexStateError(PlanqaError):
    """The search index is missing, stale or corrupted and may not be rebuilt here."""


class ModelUnavailableError(PlanqaError):
    """An embedding or chat model cannot be loaded on this machine."""


class QuestionError(PlanqaError):
    """A question that cannot be asked: empty, too long, or containing control characters."""


class IngestError(PlanqaError):
    """A file that cannot become a corpus document: unknown type, too big, no text, locked, or not fitting the corpus."""


class UpdateError(PlanqaError):
    """A corpus update that cannot go ahead: a bad candidate directory or a failed swap."""
