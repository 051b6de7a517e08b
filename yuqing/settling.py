"""Settle the places a crawl could not: posts from the announcements they link to, comments
from their posts, against what the store holds now.

A crawl whose store was down spills posts and comments without a place (the announcement a
post links to could not be looked up). ``yuqing index load`` calls this for the posts and
threads it loaded, once their announcements are stored too; ``yuqing reanalyze`` for every
post and comment. The rule is ``analysis/subject_places.py``'s, the crawl's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from analysis.subject_places import Place, lacks_place, place_from_links
from store.base import Query, Store
from yuqing.commands.batches import batched

# Posts whose threads are read in one comment query (a filter of this many ids).
THREAD_BATCH = 200
WRITE_BATCH = 500


@dataclass
class Settled:
    posts: int = 0
    comments: int = 0


def settle_places(st: Store, post_ids: Iterable[str] | None = None) -> Settled:
    """Give every post lacking a place its linked announcement's, and every comment lacking
    one its post's. ``post_ids``: only these posts and their threads (None: the whole store)."""
    settled = Settled()
    announcements: dict[str, dict | None] = {}

    def announcement_of(doc_id: str) -> dict | None:
        if doc_id not in announcements:
            announcements[doc_id] = st.get("announcement", doc_id)
        return announcements[doc_id]

    if post_ids is None:
        posts: Iterable[dict] = st.iterate("post")
    else:
        wanted = list(dict.fromkeys(post_ids))
        posts = (p for p in (st.get("post", i) for i in wanted) if p is not None)
    places: dict[str, Place] = {}
    amended: list[dict] = []
    for post in posts:
        if lacks_place(post):
            place = place_from_links(post, announcement_of)
            if place:
                post = {**post, "province": place[0], "city": place[1]}
                amended.append(post)
        if not lacks_place(post):
            places[post["id"]] = (post.get("province"), post.get("city"))
    for batch in batched(amended, WRITE_BATCH):
        st.upsert("post", batch)
    settled.posts = len(amended)

    comments = st.iterate("comment") if post_ids is None else _threads(st, list(places))
    fixed = ({**c, "province": places[c["post_id"]][0], "city": places[c["post_id"]][1]}
             for c in comments if lacks_place(c) and c.get("post_id") in places)
    for batch in batched(fixed, WRITE_BATCH):
        st.upsert("comment", batch)
        settled.comments += len(batch)
    return settled


def _threads(st: Store, post_ids: list[str]) -> Iterable[dict]:
    for ids in batched(post_ids, THREAD_BATCH):
        yield from st.iterate("comment", Query(filters={"post_id": list(ids)}, highlight=False))
