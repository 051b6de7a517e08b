"""Health response model."""

from __future__ import annotations

from pydantic import BaseModel, Field


class StoreStatus(BaseModel):
    ok: bool
    backend: str
    detail: str = Field("", description="Why the store is down, when it is.")


class HealthPublic(BaseModel):
    status: str = Field(description="ok, or degraded when the store is down (then the answer is 503).")
    version: str
    store: StoreStatus
    counts: dict[str, int] = Field(description="Documents per kind.")


class LivePublic(BaseModel):
    status: str = Field(description="Always ok: the process answers.")
    version: str
