"""The comments behind a reaction row, one by one: text, time, place, stance and the post
they answer (the source link), twenty a page, newest first.

Reached from every row of ``/reaction`` (the same filters narrowed to the row) and from a
notice page ("网友反应": comments about the notice's city since it was published). The
filters are the reaction page's, so a row's link and this list always count the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from api.listing import search_page
from api.params import CommentParams, to_query
from api.web.form import Chip, FormValues, Pager, pager, url_with
from core.config import Settings
from store.base import Store

FORM_FIELDS = ("q", "province", "city", "platform", "theme", "stance", "author_region", "post_id",
               "date_from", "date_to", "page")
LIST_FIELDS = ("province", "city", "platform", "theme", "stance", "author_region", "post_id")
PAGE_SIZE = 20


@dataclass(frozen=True)
class CommentRow:
    id: str
    text: str
    created_at: str
    place: str  # the city the post is about
    author_region: str  # the commenter's IP location (province)
    stance: str | None
    sentiment_label: str | None
    likes: int
    source_url: str  # the post the comment answers
    source_title: str


@dataclass
class CommentsView:
    total: int
    rows: list[CommentRow]
    pager: Pager
    reaction_url: str  # back to the numbers, same filters
    json_url: str
    chips: list[Chip] = field(default_factory=list)


def _post_sources(store: Store, post_ids: set[str]) -> dict[str, tuple[str, str]]:
    sources = {}
    for post_id in post_ids:  # at most PAGE_SIZE posts
        post = store.get("post", post_id)
        if post:
            sources[post_id] = (post.get("url") or "", post.get("title") or (post.get("text") or "")[:40])
    return sources


def build(store: Store, settings: Settings, values: FormValues) -> CommentsView:
    """Raises what ``problems`` explains (a bad date, an unknown stance…)."""
    page_no = values.get("page") if isinstance(values.get("page"), str) else "1"
    filters = {k: v for k, v in values.items() if k != "page"}
    params = CommentParams.model_validate({**filters, "page": page_no, "size": PAGE_SIZE, "sort": "date_desc"})
    query = to_query(params, "comment", settings)
    found = search_page(store, "comment", query)
    sources = _post_sources(store, {h.doc.get("post_id") for h in found.hits if h.doc.get("post_id")})
    rows = []
    for hit in found.hits:
        d = hit.doc
        url, title = sources.get(d.get("post_id") or "", ("", ""))
        rows.append(CommentRow(
            id=d["id"], text=d.get("text") or "", created_at=d.get("created_at") or "",
            place=d.get("city") or d.get("province") or "",
            author_region=d.get("author_region") or "", stance=d.get("stance"),
            sentiment_label=d.get("sentiment_label"), likes=d.get("likes") or 0,
            source_url=url, source_title=title,
        ))
    pages = -(-found.total // PAGE_SIZE)
    return CommentsView(total=found.total, rows=rows, pager=pager("/reaction/comments", filters, query.page, pages),
                        reaction_url=url_with("/reaction", filters), json_url=url_with("/comments", filters))
