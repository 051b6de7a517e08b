"""The documents every store backend is tested on, and plain-Python answers to compare with.

Written like the real thing: closure notices from city and district governments
(关于停止更新/注销……政务新媒体账号的公告), the accounts they close, Weibo posts and news
articles about the wave of closures, and netizen comments with sentiment, stance and IP
region. Deterministic: the same documents every run, so a failure reproduces.

Tests compute their expected answers from these lists with the helpers at the bottom
(substring search for Chinese, whole words for Latin), never from a store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

# (province, city, district or None, issuer)
PLACES = [
    ("云南省", "昆明市", None, "昆明市人民政府办公室"),
    ("云南省", "昆明市", "盘龙区", "昆明市盘龙区融媒体中心"),
    ("湖南省", "长沙市", None, "长沙市人民政府办公厅"),
    ("湖南省", "长沙市", "岳麓区", "长沙市岳麓区人民政府"),
    ("陕西省", "西安市", None, "西安市人民政府办公厅"),
    ("陕西省", "西安市", "雁塔区", "西安市雁塔区人民政府"),
    ("山东省", "青岛市", None, "青岛市人民政府办公厅"),
    ("江苏省", "苏州市", "张家港市", "张家港市人民政府办公室"),
    ("江苏省", "南京市", None, "南京市人民政府办公厅"),
    ("四川省", "成都市", "武侯区", "成都市武侯区人民政府"),
]

# Title patterns of real notices; {issuer} and {account} are filled in.
TITLES = [
    "关于停止更新部分政务新媒体账号的公告",
    "关于注销“{account}”微信公众号的公告",
    "关于关停{account}政务微博的通知",
    "{issuer}关于政务新媒体集约化整合的公告",
    "关于“{account}”抖音号停止运营的公告",
    "关于{account}APP停止服务的公告",
]

# Body paragraphs: opening, what closes, where information goes, why. Mixed so terms
# co-occur in some notices and not in others.
OPENINGS = [
    "为深入贯彻落实中央关于整治形式主义为基层减负的要求，进一步规范政务新媒体管理，",
    "根据《国务院办公厅关于推进政务新媒体健康有序发展的意见》和省网信办工作部署，",
    "为推进政务新媒体集约化建设，避免重复建设和资源浪费，",
    "经研究决定，",
]
ACTIONS = [
    "自{date}起，“{account}”微信公众号停止更新，不再发布信息。",
    "自{date}起，注销“{account}”政务微博账号。",
    "“{account}”抖音号自{date}起关停，原有内容不再维护。",
    "“{account}”APP将于{date}下线，相关办事功能已迁移至“政务服务网”。",
    "“{account}”今日头条号停止运营，账号将依法注销。",
]
AFTERWARDS = [
    "今后相关信息将通过“{issuer_short}发布”统一发布，欢迎广大市民关注。",
    "群众办事请登录政务服务网或拨打12345热线。",
    "部分账号更新不及时、阅读量低，存在“僵尸号”问题。",
    "",
]
ACCOUNT_NAMES = ["城市之窗", "便民服务", "文明创建", "平安社区", "美丽乡村", "青春志愿", "e办通", "掌上政务"]
PLATFORM_OF_ACTION = ["wechat", "weibo", "douyin", "app", "toutiao"]
THEMES_OF_OPENING = [["formalism", "grassroots_burden"], ["regulation"], ["consolidation", "duplication"], []]
THEMES_OF_AFTERWARD = [["consolidation"], ["service_access"], ["content_quality", "duplication"], []]
SENTIMENTS = [0.12, 0.35, 0.5, 0.62, 0.81, 0.93, 0.27, 0.55, 0.71]

N_ANNOUNCEMENTS = 36


def _label(score: float) -> str:
    return "positive" if score >= 0.6 else "negative" if score <= 0.4 else "neutral"


def _published(i: int) -> str | None:
    """Spread over May–July 2024 with the formats documents really carry."""
    if i == 5:
        return None  # a notice whose page states no date
    if i == 7:
        return "2024-05-11T00:30:00+08:00"  # local 11 May, UTC 10 May: dates compare on the local date
    day = date_of(i)
    return day if i % 3 == 0 else f"{day}T{9 + i % 8:02d}:{(i * 7) % 60:02d}:00+08:00"


def date_of(i: int) -> str:
    month = 5 + (i * 5) % 3
    return f"2024-{month:02d}-{1 + (i * 11) % 28:02d}"


def announcements() -> list[dict]:
    docs = []
    for i in range(N_ANNOUNCEMENTS):
        province, city, district, issuer = PLACES[i % len(PLACES)]
        account = ACCOUNT_NAMES[i % len(ACCOUNT_NAMES)]
        o, a, w = i % len(OPENINGS), (i // 2) % len(ACTIONS), (i // 3) % len(AFTERWARDS)
        pretty = date_of(i).replace("-0", "-").split("-")
        date_text = f"{pretty[0]}年{pretty[1]}月{pretty[2]}日"
        fill = {"account": account, "issuer": issuer, "issuer_short": (district or city).rstrip("市区"), "date": date_text}
        body = (
            OPENINGS[o].format(**fill) + ACTIONS[a].format(**fill) + AFTERWARDS[w].format(**fill)
            + f"\n特此公告。\n{issuer}\n{date_text}"
        )
        if i == 11:
            # Markup in text must come back escaped in highlights.
            body += "\n附件：<账号清单> & 联系方式 a<b>c"
        themes = sorted(set(THEMES_OF_OPENING[o] + THEMES_OF_AFTERWARD[w]))
        platforms = sorted({PLATFORM_OF_ACTION[a]} | ({"weibo"} if i % 4 == 1 else set()))
        score = SENTIMENTS[i % len(SENTIMENTS)]
        docs.append(
            {
                "id": f"ann-{i:03d}",
                "url": f"http://gov.example/{city}/notice/{i}.html",
                "title": TITLES[i % len(TITLES)].format(**fill),
                "body": body,
                "published_at": _published(i),
                "issuer": issuer,
                "province": province,
                "city": city,
                "district": district,
                "platforms": platforms,
                "themes": themes,
                "accounts": [{"name": account, "platform": PLATFORM_OF_ACTION[a]}],
                "sentiment": score if i % 10 != 9 else None,  # some texts were never scored
                "sentiment_label": _label(score) if i % 10 != 9 else None,
                "source": "contract",
                # History (crawler/history.py): most notices live, some edited or taken down.
                "status": ["live", "live", "edited", "taken_down"][i % 4],
            }
        )
    return docs


def accounts() -> list[dict]:
    actions = ["stop_updating", "deregister", "merge"]
    docs = []
    for i, ann in enumerate(announcements()[:14]):
        docs.append(
            {
                "id": f"{ann['id']}:0",
                "name": f"{ann['accounts'][0]['name']}" + ("" if i % 2 else "发布"),
                "platform": ann["accounts"][0]["platform"],
                "action": actions[i % 3],
                "announcement_id": ann["id"],
                "issuer": ann["issuer"],
                "province": ann["province"],
                "city": ann["city"],
                "effective_date": (ann["published_at"] or "")[:10] or None,
                "successor": "“{}发布”".format(ann["city"].rstrip("市")) if i % 3 == 2 else None,
                "reasons": ["formalism"] if i % 2 else [],
            }
        )
    return docs


POST_TEXTS = [
    ("政务号集中关停，是减负还是失联？", "多地政务新媒体账号宣布停止更新或注销，网友议论纷纷。有人认为这是整治形式主义的好事。"),
    (None, "#政务新媒体关停潮# 我们这里的政务抖音号也停了，以后办事找谁？"),
    ("僵尸号该清理了", "很多政务公众号一年不更新一次，阅读量个位数，早该关停了。"),
    (None, "昆明一口气注销了好几个政务微博，APP也合并了，支持集约化。"),
    ("基层干部：终于不用天天发稿了", "基层减负从关停僵尸号开始，点赞。Douyin 上的账号也不用每天拍视频了。"),
    (None, "政务服务不能因为关停账号而断档，希望统一平台尽快上线。"),
    ("整合后的政务APP好用吗", "长沙把十几个APP整合成一个，下载一个就够了。"),
    (None, "西安这波注销有点突然，提前公告时间太短。"),
]


def posts() -> list[dict]:
    docs = []
    for i, (title, text) in enumerate(POST_TEXTS):
        province, city, _, _ = PLACES[(i * 3) % len(PLACES)]
        score = SENTIMENTS[(i + 2) % len(SENTIMENTS)]
        docs.append(
            {
                "id": f"weibo:{4900000 + i}" if i % 3 else f"news:{i:04d}",
                "url": f"http://social.example/p/{i}",
                "platform": "news" if i % 3 == 0 else "weibo",
                "title": title,
                "text": text,
                "author_hash": f"author{i % 5}",
                "created_at": f"2024-06-{1 + i * 3:02d}T{8 + i:02d}:15:00+08:00",
                "province": province,
                "city": city,
                "themes": sorted({"formalism"} if "形式主义" in text or "僵尸号" in text else {"service_access"}),
                "sentiment": score,
                "sentiment_label": _label(score),
                "stance": ["support", "oppose", "neutral"][i % 3],
                "reposts": i * 4,
                "likes": i * 10,
                "comments_reported": 5,
                "comments_fetched": 5 if i % 4 else 3,
                "partial": i % 4 == 0,
            }
        )
    return docs


COMMENT_TEXTS = [
    "早该关停了，这些号根本没人看",
    "支持！形式主义害死人",
    "关停了以后去哪里查通知？",
    "注销可以，但办事入口要保留",
    "我们小区的公众号还挺有用的，可惜",
    "僵尸号清理得好",
    "基层终于可以减负了",
    "微博上的政务号我一个都没关注过",
    "APP太多了，合并是好事",
    "突然注销，连个过渡期都没有",
    "统一发布平台在哪里下载？",
    "<script>alert(1)</script> 广告号也该关停",
]
REGIONS = ["云南", "湖南", "陕西", "山东", "江苏", "广东", None]
N_COMMENTS = 40


def comments() -> list[dict]:
    post_docs = posts()
    docs = []
    for i in range(N_COMMENTS):
        post = post_docs[i % len(post_docs)]
        text = COMMENT_TEXTS[i % len(COMMENT_TEXTS)]
        score = SENTIMENTS[(i * 5) % len(SENTIMENTS)]
        docs.append(
            {
                "id": f"{post['platform']}:c{i:04d}",
                "post_id": post["id"],
                "platform": post["platform"],
                "text": text,
                "reply_to": f"{post['platform']}:c{i - 1:04d}" if i % 5 == 4 else None,
                "created_at": f"2024-06-{1 + (i * 3) % 28:02d}T{(i * 5) % 24:02d}:{i % 60:02d}:00+08:00",
                "likes": (i * 13) % 50,
                "author_hash": f"author{i % 9}",
                "author_region": REGIONS[i % len(REGIONS)],
                "province": post["province"],
                "city": post["city"],
                "themes": post["themes"],
                "sentiment": score,
                "sentiment_label": _label(score),
                "stance": ["support", "oppose", "neutral", None][i % 4],
            }
        )
    return docs


def crawl_runs() -> list[dict]:
    return [
        {"id": f"run-{i}", "spider": ["gov", "weibo"][i % 2], "started_at": f"2024-07-0{1 + i}T02:00:00+08:00",
         "status": ["finished", "partial", "failed"][i % 3], "counts": {"pages": 10 * i}, "errors": [], "args": {}}
        for i in range(5)
    ]


def alerts() -> list[dict]:
    return [
        {"id": f"comment_spike:{city}:2024-05-{10 + i:02d}", "rule": "comment_spike", "kind": "comment",
         "day": f"2024-05-{10 + i:02d}", "message": f"{city}: spike", "city": city, "value": 100.0 + i,
         "baseline": 10.0, "threshold": 30.0, "document_id": None, "created_at": "2024-05-20T00:00:00+00:00",
         "run_id": f"run-{i}", "delivered": bool(i % 2)}
        for i, city in enumerate(["昆明市", "西安市", "昆明市"])
    ]


def pages() -> list[dict]:
    return [
        {"id": f"page-{i}", "url": f"http://www.km.gov.cn/zwgk/tzgg/t{i}.html", "etag": f'"e{i}"' if i % 2 else None,
         "last_modified": "Sun, 05 May 2024 01:00:00 GMT", "fetched_at": "2024-05-20T00:00:00+00:00",
         "checked_at": f"2024-05-2{i}T00:00:00+00:00", "source": "kunming"}
        for i in range(3)
    ]


def many_comments(n: int) -> list[dict]:
    """Plenty of comments for deep paging; some share a timestamp, so ties must be broken."""
    return [
        {
            "id": f"weibo:deep{i:05d}",
            "post_id": "weibo:4900001",
            "platform": "weibo",
            "text": f"第{i}条评论：政务号关停{'支持' if i % 2 else '反对'}",
            "created_at": f"2024-08-{1 + i % 28:02d}T{(i // 28) % 24:02d}:00:00+08:00" if i % 17 else "2024-08-01T00:00:00+08:00",
            "sentiment": (i % 10) / 10,
            "sentiment_label": _label((i % 10) / 10),
        }
        for i in range(n)
    ]


ALL: dict[str, Callable[[], list[dict]]] = {
    "announcement": announcements,
    "account": accounts,
    "post": posts,
    "comment": comments,
    "crawl_run": crawl_runs,
    "alert": alerts,
    "page": pages,
}


@dataclass
class Loaded:
    docs: dict[str, list[dict]]

    def by_id(self, kind: str) -> dict[str, dict]:
        return {d["id"]: d for d in self.docs[kind]}


def load(store) -> Loaded:
    docs = {kind: build() for kind, build in ALL.items()}
    for kind, batch in docs.items():
        report = store.upsert(kind, batch)
        assert report.errors == [], report.errors
        assert report.inserted == len(batch)
    return Loaded(docs)


# --- independent answers ----------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff]")


def contains_term(text: str | None, term: str) -> bool:
    """What a reader means by "the document contains the term": a Chinese term anywhere
    (case and width aside); a Latin word or number as a whole word."""
    if not text:
        return False
    import unicodedata

    text = unicodedata.normalize("NFKC", text).lower()
    term = unicodedata.normalize("NFKC", term).lower()
    if _CJK.search(term):
        return term in text
    return re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", text) is not None


def matching(docs: list[dict], fields: tuple[str, ...], term: str) -> set[str]:
    return {d["id"] for d in docs if any(contains_term(d.get(f), term) for f in fields)}


def day_of(doc: dict, field: str) -> str | None:
    value = doc.get(field)
    return value[:10] if value else None
