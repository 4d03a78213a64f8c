"""Agent configuration: one pydantic-settings object.

Sources, highest first: explicit values (CLI flags), environment variables
``FMCGM_*``, an optional JSON or TOML file (``--config PATH`` or ``FMCGM_CONFIG``),
then the defaults below.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from fmcgm.errors import ConfigError


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FMCGM_", extra="ignore")

    backend: Literal["offline", "ollama", "openai", "llamacpp"] = Field(default="offline",
                                                                       description="reasoning backend")
    model: str = Field(default="", description="model name for ollama / openai backends")
    model_path: str = Field(default="", description="GGUF model file for the llamacpp backend (run in process)")
    base_url: str = Field(default="", description="server URL (default: http://localhost:11434 for ollama, "
                                                  "the OpenAI API for openai)")
    api_key: str = Field(default="", description="API key for OpenAI-compatible servers (many local ones ignore it)")
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    timeout: float = Field(default=60.0, gt=0, description="seconds per model call")
    max_retries: int = Field(default=2, ge=0, le=10, description="retries of a failed model call, with backoff")
    retry_backoff: float = Field(default=1.0, ge=0.0, description="first backoff in seconds (doubles each retry)")
    num_ctx: int = Field(default=16384, ge=2048,
                         description="context window (ollama, llamacpp): tools and prompts must fit")
    max_tokens: int | None = Field(default=None, ge=16,
                                   description="most tokens per model reply (llamacpp: 512 when unset)")
    recursion_limit: int = Field(default=40, ge=4, le=500,
                                 description="most graph steps per question (LangGraph's own default is no guard)")
    max_critique_rounds: int = Field(default=3, ge=1, le=20, description="graph revisions the critique allows")
    max_repeated_calls: int = Field(default=2, ge=1, description="identical tool calls allowed before stopping")
    max_empty_replies: int = Field(default=2, ge=0, description="empty model replies tolerated (each re-prompted)")
    max_uncomputed_nudges: int = Field(default=2, ge=0, le=10,
                                       description="times a model that ends without a computed answer is sent back")
    trace_db: str = Field(default=".fmcgm/traces.sqlite", description="SQLite file of the checkpointed traces")
    data_path: str = Field(default="", description="optional CSV of observations for the critique's independence tests")
    data_budget_s: float = Field(default=60.0, ge=1, le=3600,
                                 description="seconds for one answer from data (discovery, its resamples, the estimate)")

    @model_validator(mode="after")
    def _model_file(self) -> Settings:
        if self.backend == "llamacpp":
            from agent.llamacpp_model import check_model_file

            check_model_file(self.model_path)  # a precise FMCGMError (not a pydantic one) before anything loads
        return self

    def server_url(self) -> str:
        if self.base_url:
            return self.base_url
        return {"ollama": "http://localhost:11434", "openai": "https://api.openai.com/v1"}.get(self.backend, "")


def read_config_file(p: Path) -> dict[str, Any]:
    """The settings of a JSON or TOML file; a folder, an unreadable file or an unknown key is an FMCGMError naming it."""
    if p.is_dir():
        raise ConfigError(f"config file {p} is a folder, not a file", "pass a JSON or TOML file to --config")
    if not p.is_file():
        raise ConfigError(f"config file {p} not found", "pass an existing JSON or TOML file to --config")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"config file {p} is not UTF-8 text", "save it as UTF-8") from None
    except OSError as e:
        raise ConfigError(f"config file {p} cannot be read: {e.strerror or e}", "make it readable") from None
    try:
        values = tomllib.loads(text) if p.suffix == ".toml" else json.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"config file {p} is not valid: {e}", "fix the file's syntax") from None
    if not isinstance(values, dict):
        raise ConfigError(f"config file {p} is not a table of settings (it holds a {type(values).__name__})",
                         'write an object of name: value pairs, e.g. {"backend": "ollama"}')
    unknown = sorted(set(values) - set(Settings.model_fields))
    if unknown:
        raise ConfigError(f"config file {p} has unknown setting(s): {', '.join(map(str, unknown))}",
                         "known settings: " + ", ".join(Settings.model_fields))
    return values


def load_settings(config_path: str | None = None, **overrides: Any) -> Settings:
    """Settings from a config file (JSON or TOML), the environment and explicit overrides."""
    path = config_path or os.environ.get("FMCGM_CONFIG", "")
    values: dict[str, Any] = {}
    if path:
        values = read_config_file(Path(path))
    env_keys = {k[len("FMCGM_"):].lower() for k in os.environ if k.startswith("FMCGM_")}
    values = {k: v for k, v in values.items() if k not in env_keys}  # the environment beats the file
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
