"""Dependencies as ``Annotated`` aliases, so route signatures read as types.

``create_app`` puts the settings and the store provider on ``app.state``; routes ask for
``SettingsDep`` / ``StoreDep`` and never reach for globals. ``StoreDep`` raises
``StoreUnavailable`` (→ 503 envelope) when the store cannot be opened.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from api.store_provider import StoreProvider
from store.base import Store
from core.config import Settings


# Async where nothing blocks: FastAPI runs a plain ``def`` dependency in its thread pool,
# a hand-off per dependency per request that cost more than the look-ups themselves.
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_provider(request: Request) -> StoreProvider:
    return request.app.state.store_provider


async def get_store(request: Request) -> Store:
    """The open store; opening it (the first request, or again after a failure) may block,
    so that happens in the thread pool."""
    provider: StoreProvider = request.app.state.store_provider
    return provider.opened or await run_in_threadpool(provider.get)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ProviderDep = Annotated[StoreProvider, Depends(get_provider)]
StoreDep = Annotated[Store, Depends(get_store)]
