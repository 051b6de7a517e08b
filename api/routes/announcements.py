"""GET /announcements (search with highlights) and GET /announcements/{id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.announcement_accounts import stored_accounts
from api.deps import SettingsDep, StoreDep
from api.errors import NotFound
from api.listing import envelope, search_page, excerpt, hit_fields
from api.models.announcements import AnnouncementHit, AnnouncementPublic
from api.models.common import ERROR_RESPONSES, NOT_FOUND_RESPONSE, ListEnvelope
from api.params import AnnouncementParams, to_query
from store.base import Hit

router = APIRouter(prefix="/announcements", tags=["announcements"])


def announcement_hit(hit: Hit) -> dict:
    fields = hit_fields(hit)
    fields["excerpt"] = excerpt(hit.doc.get("body"))
    return fields


@router.get("", response_model=ListEnvelope[AnnouncementHit], responses=ERROR_RESPONSES,
            summary="Search closure announcements")
def list_announcements(params: Annotated[AnnouncementParams, Query()], store: StoreDep, settings: SettingsDep) -> dict:
    """Full-text search and filters; each hit carries its highlighted snippets (``<mark>``).
    Example: ``/announcements?q=停止更新&city=昆明市&date_from=2024-01-01``"""
    query = to_query(params, "announcement", settings)
    return envelope(search_page(store, "announcement", query), query, announcement_hit)


@router.get("/{doc_id}", response_model=AnnouncementPublic, responses={**ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
            summary="One announcement with its body and closed accounts")
def get_announcement(doc_id: Annotated[str, Path(description="Announcement id (16 hex digits).")],
                     store: StoreDep) -> dict:
    doc = store.get("announcement", doc_id)
    if doc is None:
        raise NotFound(f"no announcement with id {doc_id!r}", {"id": doc_id})
    return {**doc, "accounts": stored_accounts(store, doc_id)}
