"""One announcement on its own page: the full text, the accounts it closes, how to cite it.

The citation follows GB/T 7714-2015 for online documents (电子公告 [EB/OL]), the form
Chinese journals and newsrooms expect: issuer. title[EB/OL]. (published)[accessed]. URL.
The accessed date is when yuqing fetched the page (``crawled_at``), since that is the
version the text here comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from api.announcement_accounts import stored_accounts
from api.version_diff import history
from api.web.form import url_with
from api.web.highlight import mark_terms
from api.web.notice_text import Block, blocks
from api.web.search_view import ClosedAccount, as_closed_account, place_of
from store.base import Store
from store.querystring import parse
from store.errors import QuerySyntaxError


@dataclass(frozen=True)
class DetailView:
    id: str
    url: str
    title: str
    issuer: str
    published_at: str
    crawled_at: str
    place: str
    site_name: str
    platforms: list[str]
    themes: list[str]
    sentiment: float | None
    sentiment_label: str | None
    paragraphs: list[Markup]
    blocks: list[Block]  # the full text: paragraphs and tables (markdown tables rendered)
    accounts: list[ClosedAccount]
    citation: str
    # History (api/version_diff.py): live | edited | taken_down, and each version's changes.
    status: str = "live"
    missing_since: str = ""
    missing_reason: str = ""
    diffs: tuple = ()
    versions: tuple = ()
    comments_url: str = ""  # 网友反应: comments about the notice's city since it was published
    reaction_url: str = ""  # the numbers of that reaction
    reaction_city: str = ""  # the city those links filter by


def citation(doc: dict) -> str:
    issuer = doc.get("issuer") or doc.get("site_name") or "佚名"
    published = (doc.get("published_at") or "")[:10]
    crawled = (doc.get("crawled_at") or "")[:10]
    dates = (f"({published})" if published else "") + (f"[{crawled}]" if crawled else "")
    return f"{issuer}. {doc.get('title') or ''}[EB/OL]. {dates + '. ' if dates else ''}{doc.get('url') or ''}"


def search_terms(q: str | None) -> list[str]:
    """The words to mark in the full text; a search that does not parse marks nothing
    (the reader came from a link, not from the search box)."""
    try:
        parsed = parse(q)
    except QuerySyntaxError:
        return []
    return [t.text for t in parsed.positive_terms] if parsed else []


def build(store: Store, doc_id: str, q: str | None) -> DetailView | None:
    doc = store.get("announcement", doc_id)
    if doc is None:
        return None
    accounts = stored_accounts(store, doc_id)
    terms = search_terms(q)
    body = doc.get("body") or ""
    past = history(doc)
    return DetailView(
        id=doc_id, url=doc.get("url") or "", title=doc.get("title") or "", issuer=doc.get("issuer") or "",
        published_at=(doc.get("published_at") or "")[:10], crawled_at=doc.get("crawled_at") or "",
        place=place_of(doc), site_name=doc.get("site_name") or "",
        platforms=doc.get("platforms") or [], themes=doc.get("themes") or [],
        sentiment=doc.get("sentiment"), sentiment_label=doc.get("sentiment_label"),
        paragraphs=[mark_terms(p.strip(), terms) for p in body.splitlines() if p.strip()],
        blocks=blocks(body, terms),
        accounts=[as_closed_account(a) for a in accounts],
        citation=citation(doc),
        status=doc.get("status") or "live", missing_since=(doc.get("missing_since") or "")[:10],
        missing_reason=doc.get("missing_reason") or "",
        diffs=tuple(past["diffs"]), versions=tuple(past["versions"]),
        **reaction_links(doc),
    )


def reaction_links(doc: dict) -> dict[str, str]:
    """Where the reaction to a notice is: comments about its city from its publication on
    (comments name the city their post is about, not the notice they answer)."""
    if not doc.get("city"):
        return {}
    since = (doc.get("published_at") or "")[:10]
    where = {"city": doc["city"], **({"date_from": since} if since else {})}
    return {"comments_url": url_with("/reaction/comments", where), "reaction_url": url_with("/reaction", where),
            "reaction_city": doc["city"]}
