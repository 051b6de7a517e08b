"""The commentary corpus: Weibo posts and news articles with their comment threads.

Loaded once from the YAML files next to this module (posts.yaml, articles.yaml,
fragments.yaml) and expanded deterministically by :mod:`demo.data.commentary.generate`, whose
:func:`~demo.data.commentary.generate.load_corpus` builds it once per process.
The offline web (demo/apps/weibo.py, demo/apps/news.py) serves it; the crawl tests count
against it, so a number in a test always comes from here, never from a literal.

Text is kept as *markup*: plain text with ``[表情]`` emoji markers, ``#话题#`` topics and
``{link:URL}`` link cards. Each app renders it the way its platform does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent


@dataclass
class User:
    id: int
    screen_name: str


@dataclass
class Comment:
    id: int | str
    user: User
    created: datetime
    text: str  # markup
    likes: int
    region: str  # IP location, province level
    group: str  # support | opposition | sarcasm | question | … | own | answer | agree | disagree
    replies: list[Comment] = field(default_factory=list)
    reply_to_user: User | None = None  # a reply answering another reply ("回复@…:")
    parent_id: int | str | None = None  # set on replies

    def thread_size(self) -> int:
        """This comment and its replies."""
        return 1 + len(self.replies)


@dataclass(frozen=True)
class Failure:
    """A failure shape the offline web attaches to one request of a thread."""

    at: str  # hotflow | child | extend | comments (news)
    page: int  # 1-based page of that request sequence
    kind: str


@dataclass
class WeiboPost:
    id: str
    user: User
    created: datetime
    city: str
    region: str
    text: str  # markup
    comments: list[Comment]
    hidden: int = 0
    reposts: int = 0
    likes: int = 0
    failure: Failure | None = None

    @property
    def comments_count(self) -> int:
        """What Weibo reports: every comment and reply, including ones it no longer serves."""
        return self.served_count + self.hidden

    @property
    def served_count(self) -> int:
        return sum(c.thread_size() for c in self.comments)


@dataclass
class Article:
    site: str
    id: str
    title: str
    city: str
    published: datetime
    body: list[str]
    comments: list[Comment]
    off_topic: bool = False
    failure: Failure | None = None

    @property
    def comment_total(self) -> int:
        return sum(c.thread_size() for c in self.comments)


@dataclass
class Site:
    key: str
    name: str
    articles: list[Article]

    def article(self, article_id: str) -> Article | None:
        return next((a for a in self.articles if a.id == article_id), None)


@dataclass
class Corpus:
    posts: list[WeiboPost]
    sites: dict[str, Site]

    def post(self, post_id: str) -> WeiboPost | None:
        return next((p for p in self.posts if p.id == post_id), None)

    def all_comments(self) -> list[Comment]:
        """Every comment and reply, on Weibo and the news sites."""
        threads = [c for p in self.posts for c in p.comments]
        threads += [c for s in self.sites.values() for a in s.articles for c in a.comments]
        return [x for c in threads for x in (c, *c.replies)]

    def users(self) -> list[User]:
        """Every author (posts and comments): the names a store must never contain."""
        found = {p.user.id: p.user for p in self.posts}
        for c in self.all_comments():
            found.setdefault(c.user.id, c.user)
        return list(found.values())


def read_yaml(name: str):
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)
