"""The values documents, filters, summaries and pages share, declared once.

Orders matter: every summary, CSV column set and page lists labels in the order given here.
"""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Literal, get_args

# Times that Chinese sites write without a zone are Beijing time (UTC+8, no daylight saving);
# the page shows every time in it.
BEIJING = timezone(timedelta(hours=8))

# The kinds the analysis labels (accounts are derived from announcements, crawl runs are bookkeeping).
AnalysedKind = Literal["announcement", "post", "comment"]
ANALYSED_KINDS: tuple[str, ...] = get_args(AnalysedKind)

SentimentLabel = Literal["positive", "neutral", "negative"]
SENTIMENT_LABELS: tuple[str, ...] = get_args(SentimentLabel)
# snownlp scores in [0, 1]; its own documentation calls > 0.6 positive and < 0.4 negative, and on
# the project's hand-labelled comments (BENCHMARKS.md) these cut-offs keep the neutral band
# narrow enough to hold ~30% of comments. Overridable per installation (YUQING_SENTIMENT_*).
SENTIMENT_POSITIVE_AT = 0.6
SENTIMENT_NEGATIVE_AT = 0.4

Stance = Literal["support", "oppose", "neutral"]
STANCES: tuple[str, ...] = get_args(Stance)

AccountAction = Literal["stop_updating", "deregister", "merge"]
ACCOUNT_ACTIONS: tuple[str, ...] = get_args(AccountAction)

# Platform ids of accounts and of platforms named in notices (analysis/platforms.py maps words to them).
Platform = Literal["wechat", "weibo", "douyin", "toutiao", "kuaishou", "bilibili", "app", "miniprogram"]
PLATFORM_IDS: tuple[str, ...] = get_args(Platform)

CrawlStatus = Literal["running", "finished", "partial", "failed", "interrupted"]
CRAWL_STATUSES: tuple[str, ...] = get_args(CrawlStatus)

# An announcement's history status (crawler/history.py): as first stored, changed since, gone.
AnnouncementStatus = Literal["live", "edited", "taken_down"]
ANNOUNCEMENT_STATUSES: tuple[str, ...] = get_args(AnnouncementStatus)

# Where posts and comments come from (their ``platform``): the Weibo and news spiders.
SourcePlatform = Literal["weibo", "news"]
SOURCE_PLATFORMS: tuple[str, ...] = get_args(SourcePlatform)

# The spiders a crawl run names.
Spider = Literal["gov", "weibo", "news"]
SPIDERS: tuple[str, ...] = get_args(Spider)
