"""planqa: grounded, bilingual question answering over digital-talent policy documents.

    >>> from planqa import Assistant
    >>> answer = Assistant.load().ask("Who is responsible for chief data officers?")

`Assistant` is imported on first use, so `import planqa` (and `planqa --help`) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planqa.catalog import Catalog
from planqa.errors import PlanqaError
from planqa.records import Analysis, Answer, Bureau, Chunk, Citation, Document
from planqa.settings import Settings

if TYPE_CHECKING:
    from planqa.chain import Assistant

__all__ = ["Analysis", "Answer", "Assistant", "Bureau", "Catalog", "Chunk", "Citation", "Document", "PlanqaError", "Settings"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "Assistant":
        from planqa.chain import Assistant

        return Assistant
    raise AttributeError(f"module 'planqa' has no attribute {name!r}")
