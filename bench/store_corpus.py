"""Documents for the store benchmark: many comments and notices, recombined from the project's
hand-written text with a seeded generator, so every run indexes the same documents.

Comments are built the way the offline web's generator builds its threads
(``demo/data/commentary/fragments.yaml``: an opener, a body of one stance group, a tail, an
emoji, with the city's accounts and places filled in), plus replies, the hand-written comments
of ``posts.yaml`` and the contract corpus, and Weibo-style reposts that quote a post
(``转发理由//@网友:原文``), which is where most comments that name 关停 come from.
Notices are stitched from the contract corpus's titles and paragraphs
(``tests/contract/corpus.py``) with several closed accounts each and the boilerplate real notices
carry, ~300–500 characters.

Cities are drawn with Zipf-like weights (a few cities dominate the real coverage), so city
summaries have a long tail rather than equal groups. Labels (themes, stance, sentiment) follow
the comment's stance group; they are plausible, not analysed: the benchmark measures the
store, not the analysis.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import asdict
from typing import Iterator

from quality.sentiment_samples import NOTICE_FRAGMENTS
from demo.data.commentary.corpus import read_yaml
from demo.data.commentary.markup import plain_text
from core.schema import Announcement, Comment
from tests.contract import corpus as contract

COMMENTS_PER_POST = 40
# Province of each subject city of fragments.yaml (its ``cities`` keys, without 市).
PROVINCES = {
    "昆明": "云南省", "长沙": "湖南省", "西安": "陕西省", "青岛": "山东省", "张家港": "江苏省",
    "苏州": "江苏省", "南京": "江苏省", "成都": "四川省", "郑州": "河南省", "杭州": "浙江省", "贵阳": "贵州省",
}
REGIONS = ["云南", "湖南", "陕西", "山东", "江苏", "四川", "河南", "浙江", "贵州", "北京", "广东", None]
# Stance group of fragments.yaml -> (themes, stance, mean sentiment) of its comments.
GROUP_LABELS = {
    "support": (["consolidation"], "support", 0.7),
    "opposition": (["access_to_information"], "oppose", 0.3),
    "sarcasm": (["formalism"], "support", 0.35),
    "question": (["access_to_information"], "neutral", 0.45),
    "grassroots": (["grassroots_workload"], "support", 0.6),
    "formalism": (["formalism"], "neutral", 0.4),
    "waste": (["duplication_waste"], "support", 0.3),
    "neutral": ([], "neutral", 0.5),
}
STATEMENT_GROUPS = ("support", "opposition", "grassroots", "formalism", "waste")
EXTRA_THEMES = ["content_quality", "regulation", "consolidation", "duplication_waste"]
# Contract corpus theme names -> the taxonomy's (analysis/themes.yaml).
THEME_NAMES = {"grassroots_burden": "grassroots_workload", "duplication": "duplication_waste",
               "service_access": "access_to_information"}
PLATFORM_WORDS = {"wechat": "微信公众号", "weibo": "政务微博", "douyin": "抖音号", "app": "APP", "toutiao": "今日头条号"}
_LINK = re.compile(r"\{link:[^}]*\}")
ENDINGS = "。！？…」”"
# Boilerplate of NOTICE_FRAGMENTS that a notice carries once, at its end, not mid-body.
_SIGN_OFF = frozenset({"特此公告", "县人民政府办公室"})
BODY_FRAGMENTS = [f for f in NOTICE_FRAGMENTS if f not in _SIGN_OFF]


def _label(score: float) -> str:
    return "positive" if score >= 0.6 else "negative" if score <= 0.4 else "neutral"


class TextSource:
    """The hand-written pieces, loaded once."""

    def __init__(self) -> None:
        fragments = read_yaml("fragments.yaml")
        posts = read_yaml("posts.yaml")
        self.openers: list[str] = fragments["openers"]
        self.tails: list[str] = fragments["tails"]
        self.emoji: dict[str, list[str]] = fragments["emoji"]
        self.bodies: dict[str, list[str]] = fragments["bodies"]
        self.replies: list[str] = [r for group in fragments["replies"].values() for r in group]
        self.names: list[str] = [a + b for a in fragments["names"]["first"] for b in fragments["names"]["second"]]
        self.cities: dict[str, dict] = fragments["cities"]
        self.city_names = list(self.cities)
        self.city_weights = [1 / (rank + 1) for rank in range(len(self.city_names))]
        self.own = [text for p in posts for text, _ in p.get("own") or []] + list(contract.COMMENT_TEXTS)
        self.post_texts = [plain_text(_LINK.sub("", " ".join(p["text"].split()))) for p in posts]
        self.post_texts += [f"{title or ''}{text}" for title, text in contract.POST_TEXTS]

    def fill(self, text: str, city: str, rng: random.Random) -> str:
        local = self.cities[city]
        return text.format(city=city, acct=rng.choice(local["accounts"]), place=rng.choice(local["places"]),
                           n=rng.randint(2, 30))


def _comment_text(src: TextSource, city: str, rng: random.Random) -> tuple[str, str]:
    """A comment's text and its stance group."""
    roll = rng.random()
    if roll < 0.10:
        return f"回复@{rng.choice(src.names)}:{src.fill(rng.choice(src.replies), city, rng)}", "neutral"
    if roll < 0.16:
        return rng.choice(src.own), "neutral"
    group = rng.choice(list(src.bodies))
    text = src.fill(rng.choice(src.bodies[group]), city, rng)
    if group in STATEMENT_GROUPS and rng.random() < 0.3:
        text = src.fill(rng.choice(src.openers), city, rng) + text
    if rng.random() < 0.15:
        other = rng.choice(list(src.bodies))
        text += "，" + src.fill(rng.choice(src.bodies[other]), city, rng)
    if rng.random() < 0.5 and text[-1] not in ENDINGS:
        text += rng.choice(src.tails)
    if rng.random() < 0.4:
        text += rng.choice(src.emoji[group])
    if roll > 0.90:  # a repost: the reason, then the quoted post
        text = f"{text}//@{rng.choice(src.names)}:{rng.choice(src.post_texts)}"
    return text, group


def comments(count: int, seed: int, src: TextSource | None = None) -> Iterator[dict]:
    """``count`` comment documents (schema-shaped), the same ones for the same seed."""
    src = src or TextSource()
    rng = random.Random(seed)
    city = src.city_names[0]
    for i in range(count):
        if i % COMMENTS_PER_POST == 0:
            city = rng.choices(src.city_names, src.city_weights)[0]
        post = i // COMMENTS_PER_POST
        platform = "weibo" if post % 3 else "news"
        text, group = _comment_text(src, city, rng)
        themes, stance, mean = GROUP_LABELS[group]
        if rng.random() < 0.2:
            themes = sorted(set(themes) | {rng.choice(EXTRA_THEMES)})
        score = min(0.99, max(0.01, rng.gauss(mean, 0.2)))
        yield asdict(Comment(
            id=f"{platform}:c{seed}-{i:07d}", post_id=f"{platform}:p{seed}-{post:06d}", platform=platform,
            text=text, created_at=f"2024-{rng.randint(5, 8):02d}-{rng.randint(1, 28):02d}T"
                                  f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+08:00",
            likes=int(rng.paretovariate(1.5)) - 1,
            author_hash=hashlib.sha256(f"{seed}:{rng.randint(0, count // 3)}".encode()).hexdigest()[:16],
            author_region=rng.choice(REGIONS), province=PROVINCES[city], city=f"{city}市",
            themes=list(themes), sentiment=round(score, 4), sentiment_label=_label(score),
            stance=stance if rng.random() < 0.9 else None,
        ))


def _places() -> list[tuple[str, str, str | None, str]]:
    from tests.api import factories

    extra = [(p, c, d, f"{c}{d}人民政府办公室") for p, c, d in factories.PLACES]
    return list(contract.PLACES) + extra


def announcements(count: int, seed: int) -> Iterator[dict]:
    """``count`` closure notices, each closing one to four accounts."""
    rng = random.Random(seed)
    places = _places()
    for i in range(count):
        province, city, district, issuer = rng.choice(places)
        day = f"2024-{rng.randint(3, 9):02d}-{rng.randint(1, 28):02d}"
        y, m, d = (int(x) for x in day.split("-"))
        date_text = f"{y}年{m}月{d}日"
        names = rng.sample(contract.ACCOUNT_NAMES, rng.randint(1, 4))
        fill = {"issuer": issuer, "issuer_short": (district or city).rstrip("市区"), "date": date_text}
        opening = rng.randrange(len(contract.OPENINGS))
        afterward = rng.randrange(len(contract.AFTERWARDS))
        actions = [rng.randrange(len(contract.ACTIONS)) for _ in names]
        paragraphs = [contract.OPENINGS[opening].format(**fill)]
        paragraphs += [contract.ACTIONS[a].format(account=n, **fill) for a, n in zip(actions, names)]
        paragraphs += [contract.AFTERWARDS[afterward].format(**fill)]
        paragraphs += [f + "。" for f in rng.sample(BODY_FRAGMENTS, 3)]
        paragraphs += ["附件：停止更新账号清单"] + [
            f"{k + 1}. “{n}”{PLATFORM_WORDS[contract.PLATFORM_OF_ACTION[a]]}，主办单位：{issuer}，{date_text}起停止更新"
            for k, (a, n) in enumerate(zip(actions, names))
        ]
        body = "\n".join(p for p in paragraphs if p) + f"\n特此公告。\n{issuer}\n{date_text}"
        platforms = sorted({contract.PLATFORM_OF_ACTION[a] for a in actions})
        themes = contract.THEMES_OF_OPENING[opening] + contract.THEMES_OF_AFTERWARD[afterward]
        score = min(0.99, max(0.01, rng.gauss(0.55, 0.2)))
        yield asdict(Announcement(
            id=f"ann{seed}-{i:06d}", url=f"http://gov.example/{city}/notice/{seed}/{i}.html",
            title=rng.choice(contract.TITLES).format(account=names[0], **fill), body=body,
            published_at=f"{day}T{rng.randint(8, 18):02d}:00:00+08:00", issuer=issuer,
            province=province, city=city, district=district, platforms=platforms,
            themes=sorted({THEME_NAMES.get(t, t) for t in themes}),
            accounts=[{"name": n, "platform": contract.PLATFORM_OF_ACTION[a]} for a, n in zip(actions, names)],
            sentiment=round(score, 4), sentiment_label=_label(score), source="bench",
        ))
