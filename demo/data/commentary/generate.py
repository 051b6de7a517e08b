"""Expand the hand-written YAML into full comment threads, deterministically.

Every thread gets its own ``random.Random`` seeded by the post or article id, so the corpus
is the same on every machine and adding a post does not change the others. A comment is a
hand-written body from fragments.yaml, sometimes with an opener, a tail and an emoji; a body
is used at most once per thread, so a thread reads like different people talking.
"""

from __future__ import annotations

import random
from functools import lru_cache
import re
from datetime import datetime, timedelta

from demo.data.commentary.corpus import Article, Comment, Corpus, Failure, Site, User, WeiboPost, read_yaml
from core.vocabulary import BEIJING

# How often each kind of opinion appears (share of generated top-level comments). Set by
# reading the comment sections under real closure announcements: support and jokes lead,
# then worries and "where do I look now" questions.
GROUP_WEIGHTS: dict[str, float] = {
    "support": 0.22, "opposition": 0.15, "sarcasm": 0.16, "question": 0.14,
    "grassroots": 0.10, "formalism": 0.08, "waste": 0.06, "neutral": 0.09,
}
# Groups whose bodies are statements, and so may take an opener ("说句实话，…").
STATEMENT_GROUPS = frozenset({"support", "opposition", "grassroots", "formalism", "waste"})
OPENER_SHARE = 0.3
TAIL_SHARE = 0.35
EMOJI_SHARE = 0.35
# Most commenters share the poster's province; the rest come from anywhere.
SAME_REGION_SHARE = 0.65
OTHER_REGIONS = ["北京", "上海", "广东", "浙江", "江苏", "四川", "湖北", "山东", "河南", "福建", "美国"]
# Replies: most questions get answered; some statements start an argument; a few threads
# run long enough (> 5 replies) to need several hotFlowChild pages.
QUESTION_ANSWERED_SHARE = 0.6
ARGUMENT_SHARE = 0.12
LONG_ARGUMENT_SHARE = 0.03
REPLY_TO_REPLY_SHARE = 0.3
# Regular commenters: a few accounts turn up under many posts (real threads have them, and
# without them "distinct commenters" would always equal "comments"). Weibo only, where a
# user id links them; drawn from their own random stream so the texts stay as they were.
REGULAR_COUNT = 40
REGULAR_SHARE = 0.15


def build_corpus(posts: list[dict], articles: dict, fragments: dict) -> Corpus:
    regulars = _regulars(fragments)
    weibo = [_weibo_post(p, fragments, regulars) for p in posts]
    sites = {key: Site(key, spec["name"], [_article(key, a, fragments) for a in spec["articles"]])
             for key, spec in articles.items()}
    return Corpus(weibo, sites)


# YAML folds a long post's lines with spaces; Chinese text has none between its characters.
_FOLD_SPACE = re.compile(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])")


def join_lines(text: str) -> str:
    return _FOLD_SPACE.sub("", " ".join(text.split()))


def parse_local(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=BEIJING)


def _regulars(fragments: dict) -> list[tuple[User, str]]:
    """(user, home province) of the accounts that comment under many posts."""
    rng = random.Random("weibo:regulars")
    names = fragments["names"]
    return [(User(rng.randint(8_000_000_000, 8_999_999_999),
                  f"{rng.choice(names['first'])}{rng.choice(names['second'])}_{rng.randint(10, 99999)}"),
             rng.choice(OTHER_REGIONS[:-1])) for _ in range(REGULAR_COUNT)]


def _weibo_post(spec: dict, fragments: dict, regulars: list[tuple[User, str]]) -> WeiboPost:
    rng = random.Random(f"weibo:{spec['id']}")
    created = parse_local(spec["created"])
    writer = _ThreadWriter(rng, fragments, spec["city"], spec["region"], created,
                           ids=_weibo_ids(int(spec["id"])), with_uid=True,
                           regulars=regulars, crowd_rng=random.Random(f"weibo:{spec['id']}:crowd"))
    comments = writer.thread(spec.get("own") or [], spec.get("comments", 0))
    # Weibo's hotflow lists the hottest first.
    comments.sort(key=lambda c: (-c.likes, str(c.id)))
    user_id, screen_name = spec["user"]
    return WeiboPost(
        id=str(spec["id"]), user=User(int(user_id), str(screen_name)), created=created,
        city=spec["city"], region=spec["region"], text=join_lines(str(spec["text"])),
        comments=comments, hidden=int(spec.get("hidden", 0)), reposts=int(spec.get("reposts", 0)),
        likes=int(spec.get("likes", 0)), failure=_failure(spec.get("failure")),
    )


def _article(site: str, spec: dict, fragments: dict) -> Article:
    article_id = str(spec["id"])
    rng = random.Random(f"news:{site}:{article_id}")
    published = parse_local(spec["published"])
    ids = _wp_ids(rng) if site == "pinglun" else _api_ids(article_id)
    writer = _ThreadWriter(rng, fragments, spec["city"], rng.choice(["云南", "江苏", "陕西"]), published,
                           ids=ids, with_uid=site != "pinglun")
    comments = writer.thread(spec.get("own") or [], spec.get("comments", 0))
    comments.sort(key=lambda c: c.created)  # news sites list oldest first
    failure = spec.get("failure")
    return Article(site=site, id=article_id, title=spec["title"], city=spec["city"], published=published,
                   body=list(spec["body"]), comments=comments, off_topic=bool(spec.get("off_topic")),
                   failure=Failure("comments", int(failure["page"]), failure["kind"]) if failure else None)


def _failure(spec: dict | None) -> Failure | None:
    return Failure(spec["at"], int(spec["page"]), spec["kind"]) if spec else None


def _weibo_ids(post_id: int):
    """Comment ids near the post's, like Weibo's time-ordered ids (unique across posts)."""
    n = 0
    while True:
        n += 1
        yield post_id + 1_000 + n * 7


def _wp_ids(rng: random.Random):
    n = rng.randint(1000, 9000)
    while True:
        n += rng.randint(1, 4)
        yield n


def _api_ids(article_id: str):
    n = 0
    while True:
        n += 1
        yield f"c{article_id[-4:]}{n:04d}"


class _ThreadWriter:
    """Writes one thread's comments; keeps track of which bodies it already used."""

    def __init__(self, rng: random.Random, fragments: dict, city: str, region: str, start: datetime,
                 ids, with_uid: bool, regulars: list[tuple[User, str]] | None = None,
                 crowd_rng: random.Random | None = None):
        self.rng = rng
        self.regulars = regulars or []
        self.crowd_rng = crowd_rng
        self.f = fragments
        self.city = city
        self.region = region
        self.start = start
        self.ids = ids
        self.with_uid = with_uid
        city_info = fragments["cities"].get(city) or {"accounts": [f"{city}发布"], "places": [city]}
        self.accounts = city_info["accounts"]
        self.places = city_info["places"]
        self.used: set[str] = set()

    def thread(self, own: list, generated: int) -> list[Comment]:
        comments = [self._comment(str(text), "own", region=str(region)) for text, region in own]
        groups = list(GROUP_WEIGHTS)
        weights = [GROUP_WEIGHTS[g] for g in groups]
        for _ in range(generated):
            group = self.rng.choices(groups, weights)[0]
            comments.append(self._comment(self._statement(group), group))
        for c in comments:
            c.replies = self._replies(c)
        return comments

    def _comment(self, text: str, group: str, region: str | None = None, after: datetime | None = None,
                 parent: Comment | None = None) -> Comment:
        base = after or self.start
        created = base + timedelta(minutes=self.rng.randint(3, 60 * 48 if parent is None else 60 * 6))
        comment = Comment(id=next(self.ids), user=self._user(), created=created, text=text,
                          likes=self._likes(), region=region or self._region(), group=group,
                          parent_id=parent.id if parent else None)
        if self.regulars and self.crowd_rng and self.crowd_rng.random() < REGULAR_SHARE:
            comment.user, home = self.crowd_rng.choice(self.regulars)
            comment.region = region or home
        return comment

    def _statement(self, group: str) -> str:
        body = self._pick(self.f["bodies"][group])
        if group in STATEMENT_GROUPS and self.rng.random() < OPENER_SHARE:
            body = self._fill(self.rng.choice(self.f["openers"])) + body
        if not body.endswith(("？", "?", "！")) and self.rng.random() < TAIL_SHARE:
            body += self.rng.choice(self.f["tails"])
        if self.rng.random() < EMOJI_SHARE:
            body += self.rng.choice(self.f["emoji"][group])
        return body

    def _replies(self, parent: Comment) -> list[Comment]:
        if parent.group == "question" and self.rng.random() < QUESTION_ANSWERED_SHARE:
            plan = ["answer"] + self.rng.choices(["agree", "answer"], k=self.rng.randint(0, 2))
        elif self.rng.random() < LONG_ARGUMENT_SHARE:
            plan = self.rng.choices(["agree", "disagree"], k=self.rng.randint(6, 8))
        elif self.rng.random() < ARGUMENT_SHARE:
            plan = self.rng.choices(["agree", "disagree"], k=self.rng.randint(1, 4))
        else:
            return []
        out: list[Comment] = []
        said: set[str] = set()
        when = parent.created
        for kind in plan:
            options = [r for r in self.f["replies"][kind] if r not in said] or self.f["replies"][kind]
            text = self.rng.choice(options)
            said.add(text)
            text = self._fill(text)
            reply = self._comment(text, kind, after=when, parent=parent)
            if out and self.rng.random() < REPLY_TO_REPLY_SHARE:
                reply.reply_to_user = self.rng.choice(out).user
            when = reply.created
            out.append(reply)
        return out

    def _pick(self, bodies: list[str]) -> str:
        fresh = [b for b in bodies if b not in self.used] or bodies
        body = self.rng.choice(fresh)
        self.used.add(body)
        return self._fill(body)

    def _fill(self, text: str) -> str:
        return text.format(city=self.city, acct=self.rng.choice(self.accounts),
                           place=self.rng.choice(self.places), n=self.rng.randint(2, 9))

    def _user(self) -> User:
        names = self.f["names"]
        name = f"{self.rng.choice(names['first'])}{self.rng.choice(names['second'])}_{self.rng.randint(10, 99999)}"
        uid = self.rng.randint(1_000_000_000, 7_999_999_999) if self.with_uid else 0
        return User(uid, name)

    def _likes(self) -> int:
        # Heavy-tailed like real threads: most comments get a handful, a few get hundreds.
        return min(int(self.rng.paretovariate(1.1)) - 1, 3000)

    def _region(self) -> str:
        return self.region if self.rng.random() < SAME_REGION_SHARE else self.rng.choice(OTHER_REGIONS)


@lru_cache(maxsize=1)
def load_corpus() -> Corpus:
    """The whole corpus (built once per process; :func:`reset` forgets it)."""
    return build_corpus(read_yaml("posts.yaml"), read_yaml("articles.yaml"), read_yaml("fragments.yaml"))


def reset() -> None:
    load_corpus.cache_clear()
