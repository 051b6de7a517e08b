"""Small factories for API tests: schema-shaped documents and one deterministic corpus.

Each factory goes through the schema dataclass (``core.schema``), so a document the tests
store has exactly the fields the crawler's pipelines produce. The corpus is varied enough
that every filter, summary and paging path has something to find and something to leave
out, and small enough to build in well under a second.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone

from core.schema import Account, Announcement, Comment, CrawlRun, Post, pseudonymise, url_id

# (province, city, district): real places from the closure news, one county-level city.
PLACES = [
    ("云南省", "昆明市", "五华区"),
    ("湖南省", "长沙市", "岳麓区"),
    ("陕西省", "西安市", "雁塔区"),
    ("山东省", "青岛市", "市南区"),
    ("江苏省", "苏州市", "张家港市"),
    ("江苏省", "南京市", "鼓楼区"),
]
PLATFORMS = ["wechat", "weibo", "douyin", "app"]
THEMES = ["formalism", "duplication_waste", "consolidation", "grassroots_workload",
          "access_to_information", "content_quality", "regulation"]
ACTIONS = ["stop_updating", "deregister", "merge"]
STANCES = ["support", "oppose", "neutral"]
REGIONS = ["云南", "湖南", "北京", "广东", None]  # None: the platform showed no IP location
PLATFORM_NAMES = {"wechat": "微信公众号", "weibo": "微博", "douyin": "抖音号", "app": "客户端"}
POSITIVE, NEGATIVE = 0.6, 0.4  # the Settings defaults


def sentiment_label(score: float) -> str:
    return "positive" if score >= POSITIVE else "negative" if score <= NEGATIVE else "neutral"


def announcement(**fields) -> dict:
    url = fields.pop("url", "http://127.0.0.1:8765/gov/test/1.html")
    values = dict(id=url_id(url), url=url, title="关于停止更新政务新媒体账号的公告",
                  body="为推进政务新媒体集约化建设，本单位微信公众号自2024年6月1日起停止更新。")
    values.update(fields)
    return asdict(Announcement(**values))


def account(announcement_doc: dict, n: int, **fields) -> dict:
    values = dict(id=f"{announcement_doc['id']}:{n}", name=f"测试发布{n}", platform="wechat",
                  action="stop_updating", announcement_id=announcement_doc["id"],
                  issuer=announcement_doc.get("issuer"), province=announcement_doc.get("province"),
                  city=announcement_doc.get("city"))
    values.update(fields)
    return asdict(Account(**values))


def post(**fields) -> dict:
    values = dict(id="weibo:1", url="http://127.0.0.1:8765/weibo/1", platform="weibo",
                  text="政务号说关就关，以后去哪里看通知？")
    values.update(fields)
    return asdict(Post(**values))


def comment(**fields) -> dict:
    values = dict(id="weibo:c1", post_id="weibo:1", platform="weibo", text="早就该关了")
    values.update(fields)
    return asdict(Comment(**values))


def crawl_run(**fields) -> dict:
    values = dict(id="gov:2024-06-01T00:00:00+00:00", spider="gov", started_at="2024-06-01T00:00:00+00:00")
    values.update(fields)
    return asdict(CrawlRun(**values))


@dataclass
class Corpus:
    announcements: list[dict] = field(default_factory=list)
    accounts: list[dict] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    crawl_runs: list[dict] = field(default_factory=list)

    def by_kind(self) -> dict[str, list[dict]]:
        return {"announcement": self.announcements, "account": self.accounts, "post": self.posts,
                "comment": self.comments, "crawl_run": self.crawl_runs}


ANNOUNCEMENTS = 36
POSTS = 6
COMMENTS_PER_POST = 11
FIRST_DAY = date(2024, 1, 3)


def _score(i: int) -> float:
    # Spread over [0.05, 0.95] without a pattern that lines up with the city cycle.
    return round(0.05 + ((i * 37) % 91) / 100, 2)


def build_corpus() -> Corpus:
    c = Corpus()
    for i in range(ANNOUNCEMENTS):
        province, city, district = PLACES[i % len(PLACES)]
        platforms = [PLATFORMS[i % 4]] + ([PLATFORMS[(i + 1) % 4]] if i % 3 == 0 else [])
        themes = [THEMES[i % 7]] + ([THEMES[(i + 3) % 7]] if i % 2 == 0 else [])
        verb = "停止更新" if i % 2 == 0 else "注销"
        accounts_named = "、".join(PLATFORM_NAMES[p] for p in platforms)
        body = (f"{city}{district}人民政府办公室：根据政务新媒体集约化要求，经研究决定，"
                f"“{city[:-1]}发布”{accounts_named}自2024年{1 + i % 9}月{1 + i % 27}日起{verb}。")
        if i % 3 == 0:
            body += "此次关停旨在减少重复建设，相关信息请关注政府门户网站。"
        if i == 7:
            body += "附：<script>alert(1)</script> 不是标签。"  # markup in text must stay text
        score = _score(i)
        place = dict(province=province, city=city, district=district)
        if i == ANNOUNCEMENTS - 1:
            # One notice whose place could not be settled: summaries by city leave it out.
            place = dict(province=None, city=None, district=None, place_ambiguous=True)
        doc = announcement(
            url=f"http://127.0.0.1:8765/gov/{i}/content_{1000 + i}.html",
            title=f"关于“{city[:-1]}发布”政务新媒体账号{verb}的公告",
            body=body,
            published_at=(FIRST_DAY + timedelta(days=7 * i)).isoformat(),
            issuer=f"{city}{district}人民政府办公室",
            **place,
            platforms=platforms, themes=themes, sentiment=score, sentiment_label=sentiment_label(score),
            sentiment_model="snownlp", source="test",
        )
        c.announcements.append(doc)
        for n, platform in enumerate(platforms):
            c.accounts.append(account(
                doc, n, name=f"{city[:-1]}发布{PLATFORM_NAMES[platform]}", platform=platform,
                action=ACTIONS[(i // len(PLACES) + n) % 3],  # varies within each city
                effective_date=(FIRST_DAY + timedelta(days=7 * i + 10)).isoformat(),
                successor=f"{city}人民政府门户网站" if n == 0 else None,
                reasons=themes[:1],
                # Accounts stored before issue 18 have neither: every other one stays without.
                evidence=body.splitlines()[0] if n == 0 else None, confidence=0.95 if n == 0 else None,
            ))
    for p in range(POSTS):
        province, city, _ = PLACES[p % len(PLACES)]
        platform = "weibo" if p % 2 == 0 else "news"
        reported = 12 + p
        c.posts.append(post(
            id=f"{platform}:{9000 + p}", url=f"http://127.0.0.1:8765/{platform}/{9000 + p}", platform=platform,
            title=None if platform == "weibo" else f"{city}关停多个政务新媒体账号",
            text=f"{city}一口气关停了好几个政务号，网友怎么看？#政务新媒体# 第{p}条",
            author_hash=f"{p:016x}", created_at=f"2024-05-{10 + p:02d}T09:00:00+08:00",
            province=province, city=city, region=REGIONS[p % 4], themes=[THEMES[p % 7]],
            sentiment=_score(p + 50), sentiment_label=sentiment_label(_score(p + 50)),
            stance=STANCES[p % 3], likes=10 * p, reposts=p,
            comments_reported=reported, comments_fetched=COMMENTS_PER_POST,
            partial=p in (1, 4), partial_reason={1: "blocked: captcha", 4: "page limit"}.get(p),
            keyword="政务新媒体",
        ))
    n = 0
    start = datetime(2024, 5, 10, 12, 0, tzinfo=timezone(timedelta(hours=8)))
    for post_doc in c.posts:
        for k in range(COMMENTS_PER_POST):
            score = _score(n + 100)
            texts = ["早就该关了，一年发不了几条，纯属浪费资源", "关了以后去哪里查通知？",
                     "关得好啊，以后政策变了咱们就靠猜了[微笑]", "集约化是好事，信息统一发布更方便",
                     "基层减负，支持"]
            c.comments.append(comment(
                id=f"{post_doc['platform']}:c{n}", post_id=post_doc["id"], platform=post_doc["platform"],
                text=f"{texts[n % 5]}（{n}）", reply_to=f"{post_doc['platform']}:c{n - 1}" if k % 4 == 3 else None,
                created_at=(start + timedelta(days=n % 40, hours=n)).isoformat(), likes=n % 7,
                # As the crawler's pseudonyms are: one commenter per (platform, user).
                author_hash=pseudonymise(post_doc["platform"], n % 23, "factory"), author_region=REGIONS[n % 5],
                province=post_doc["province"], city=post_doc["city"],
                themes=[THEMES[n % 7]] if n % 5 else [],
                sentiment=score, sentiment_label=sentiment_label(score), sentiment_model="snownlp",
                stance=STANCES[(n // 2) % 3],
            ))
            n += 1
    for r, (spider, status) in enumerate([("gov", "finished"), ("weibo", "partial"), ("news", "finished"),
                                          ("gov", "failed")]):
        started = f"2024-06-0{r + 1}T08:00:00+00:00"
        c.crawl_runs.append(crawl_run(
            id=f"{spider}:{started}", spider=spider, started_at=started, finished_at=f"2024-06-0{r + 1}T08:30:00+00:00",
            status=status, counts={"yuqing/stored/announcement/inserted": 10 * r, "response_received_count": 5 + r},
            errors=["weibo:c1: rejected"] if status == "failed" else [],
        ))
    return c


def filled_store(store_url: str, corpus: Corpus):
    """A real store at ``store_url`` holding every document of ``corpus`` (caller closes it)."""
    from store import open_store

    s = open_store(store_url)
    for kind, docs in corpus.by_kind().items():
        report = s.upsert(kind, docs)
        assert report.errors == [] and report.inserted == len(docs), (kind, report)
    return s
