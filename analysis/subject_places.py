"""A post's subject place from the announcement it links to; a comment's from its post.

The crawl settles places as documents go by (``crawler/pipelines/places.py``); when the store
was down the announcements could not be looked up, so ``yuqing index load`` and ``yuqing
reanalyze`` settle them again later (``yuqing/settling.py``). One rule for all three: the
first linked announcement that has a city gives the post its province and city. Pure: the
caller says how to find an announcement by id.
"""

from __future__ import annotations

from typing import Callable, Mapping

from core.schema import url_id

Place = tuple[str | None, str | None]  # (province, city)


def place_from_links(post: Mapping, announcement_of: Callable[[str], Mapping | None]) -> Place | None:
    """(province, city) of the first announcement the post links to that has a city; None if none."""
    for link in post.get("links") or []:
        announcement = announcement_of(url_id(link))
        if announcement and announcement.get("city"):
            return announcement.get("province"), announcement["city"]
    return None


def lacks_place(doc: Mapping) -> bool:
    return not doc.get("city")
