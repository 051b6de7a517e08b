"""GET /posts (Weibo posts, news articles, with thread coverage) and GET /posts/{id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import SettingsDep, StoreDep
from api.errors import NotFound
from api.listing import envelope, search_page
from api.models.common import ERROR_RESPONSES, NOT_FOUND_RESPONSE, ListEnvelope
from api.models.posts import PostDetail, PostPublic
from api.params import PostParams, to_query
from store.base import Query as StoreQuery

router = APIRouter(prefix="/posts", tags=["posts"])


@router.get("", response_model=ListEnvelope[PostPublic], responses=ERROR_RESPONSES,
            summary="Posts and articles discussing closures")
def list_posts(params: Annotated[PostParams, Query()], store: StoreDep, settings: SettingsDep) -> dict:
    """Each post says how complete its comment thread is: ``comments_reported`` (the
    platform's count), ``comments_fetched``, ``partial`` and ``partial_reason``.
    Example: ``/posts?city=长沙市&partial=true``"""
    query = to_query(params, "post", settings)
    return envelope(search_page(store, "post", query), query)


@router.get("/{doc_id}", response_model=PostDetail, responses={**ERROR_RESPONSES, **NOT_FOUND_RESPONSE},
            summary="One post with its thread coverage")
def get_post(doc_id: Annotated[str, Path(description="Post id, e.g. weibo:5012345678.")], store: StoreDep) -> dict:
    doc = store.get("post", doc_id)
    if doc is None:
        raise NotFound(f"no post with id {doc_id!r}", {"id": doc_id})
    stored = store.count("comment", StoreQuery(filters={"post_id": doc_id}))
    return {**doc, "comments_stored": stored}
