"""GET /comments: netizen comments and replies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SettingsDep, StoreDep
from api.listing import envelope, search_page
from api.models.comments import CommentPublic
from api.models.common import ERROR_RESPONSES, ListEnvelope
from api.params import CommentParams, to_query

router = APIRouter(prefix="/comments", tags=["comments"])


@router.get("", response_model=ListEnvelope[CommentPublic], responses=ERROR_RESPONSES,
            summary="Comments and replies, with sentiment and stance")
def list_comments(params: Annotated[CommentParams, Query()], store: StoreDep, settings: SettingsDep) -> dict:
    """``count`` in the envelope is the total across pages. Example:
    ``/comments?city=昆明市&stance=oppose&sentiment_label=negative``"""
    query = to_query(params, "comment", settings)
    return envelope(search_page(store, "comment", query), query)
