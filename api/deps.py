"""Dependencies as ``Annotated`` aliases, so route signatures read as types.

``create_app`` puts the settings and the store provider on ``app.state``; routes ask for
``SettingsDep`` / ``StoreDep`` and never reach for globals. ``StoreDep`` raises
``StoreUnavailable`` (→ 503 envelope) when the store cannot be opened.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.store_provider import StoreProvider
from store.base import Store
from core.config import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_provider(request: Request) -> StoreProvider:
    return request.app.state.store_provider


def get_store(request: Request) -> Store:
    return request.app.state.store_provider.get()


SettingsDep = Annotated[Settings, Depends(get_settings)]
ProviderDep = Annotated[StoreProvider, Depends(get_provider)]
StoreDep = Annotated[Store, Depends(get_store)]
