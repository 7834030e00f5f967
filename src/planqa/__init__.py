"""planqa: grounded, bilingual question answering over digital-talent policy documents."""

from planqa.catalog import Catalog
from planqa.errors import PlanqaError
from planqa.records import Bureau, Chunk, Document
from planqa.settings import Settings

__all__ = ["Bureau", "Catalog", "Chunk", "Document", "PlanqaError", "Settings"]
__version__ = "0.1.0"
