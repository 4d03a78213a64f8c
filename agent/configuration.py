"""Agent configuration: one pydantic-settings object (environment variables FMCGM_*)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FMCGM_", extra="ignore")

    backend: Literal["offline"] = Field(default="offline", description="reasoning backend")
    recursion_limit: int = Field(default=24, ge=4, le=500,
                                 description="most graph steps per question (LangGraph's own default is no guard)")
