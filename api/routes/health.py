"""GET /health: is the store reachable, how much is in it, which version answers."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ProviderDep
from api.models.health import HealthPublic
from core import __version__

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", response_model=HealthPublic, summary="Store status, document counts and version")
def health(provider: ProviderDep) -> dict:
    """Always answers 200 while the API runs; ``status`` is ``degraded`` and ``store.detail``
    says why when the store is down, so a dashboard can tell "API down" from "store down"."""
    h = provider.health()
    return {
        "status": "ok" if h.ok else "degraded",
        "version": __version__,
        "store": {"ok": h.ok, "backend": h.backend, "detail": h.detail},
        "counts": h.counts,
    }
