"""GET /health (readiness): is the store reachable, how much is in it, which version answers;
GET /health/live (liveness): the process answers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import ProviderDep
from api.models.health import HealthPublic, LivePublic
from core import __version__

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", response_model=HealthPublic, summary="Readiness: store status, document counts and version",
            responses={503: {"model": HealthPublic, "description": "The store is unreachable (same body, "
                             "``status`` is ``degraded`` and ``store.detail`` says why)."}})
def health(provider: ProviderDep):
    """200 when the store answers; 503 with the same body when it does not, so a load balancer
    stops sending traffic to an instance that can answer nothing, while a dashboard still reads
    why (``store.detail``). Whether the process itself runs: ``/health/live``."""
    h = provider.health()
    body = {
        "status": "ok" if h.ok else "degraded",
        "version": __version__,
        "store": {"ok": h.ok, "backend": h.backend, "detail": h.detail},
        "counts": h.counts,
    }
    if h.ok:
        return body
    return JSONResponse(HealthPublic.model_validate(body).model_dump(), status_code=503,
                        headers={"Retry-After": "30"})


@router.get("/live", response_model=LivePublic, summary="Liveness: the process answers (never touches the store)")
def live() -> dict:
    return {"status": "ok", "version": __version__}
