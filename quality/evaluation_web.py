"""A held-out check: the offline web's gold data (``demo/web/gov/*/expected.yaml``).

The closure notices of the offline web were written, and their ``expected.yaml`` labelled, by
someone other than the authors of ``analysis/``, and the analysis rules were never tuned on
them. Each page is fetched over HTTP from a running :class:`demo.server.OfflineWeb`, read with
the crawler's own extraction (``crawler.extraction.article.extract_article``, as the gov spider
does), and the result is scored with :func:`quality.evaluation.score_announcements`, so the
figures cover extraction and analysis together, as a crawl would.

Where the gold data's conventions differ from issue 13's (see ``demo/sites.py``):

- ``platforms`` there lists every platform a notice names, closed or not (also the successor's);
  here, as in issue 13, an announcement's platforms are those of the accounts it closes, so the
  gold platforms are taken from its accounts.
- ``successor``: "a website alone is no successor" there; issue 13 only rules out a hotline.
  The gold data is scored as written, so a predicted website counts as an error (reported).
- ``effective_date`` for 自即日起 is the publication date there, the signature date in issue 13;
  on these pages the two are the same day.
- No themes are labelled, so themes are not scored.

Not called at analysis time.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.request import urlopen

from scrapy.http import HtmlResponse

from analysis.enrich import AnalysisOptions
from quality.evaluation import AnnouncementScores, score_announcements

# Seconds to wait for one page of the local offline web: it answers in milliseconds.
FETCH_TIMEOUT = 10


@dataclass(frozen=True)
class ExtractedNotice:
    """One gold closure notice as the crawler reads it, with its labels in tests/data's shape."""

    item: dict  # id, issuer, title, published_at, body, expect


def _gold_expect(entry) -> dict:
    return {
        "province": entry.province,
        "city": entry.city,
        "district": entry.district,
        "accounts": [{"name": a.name, "platform": a.platform, "action": a.action,
                      "effective_date": a.effective_date, "successor": a.successor} for a in entry.accounts],
    }


def load_offline_web_notices(base_url: str) -> list[ExtractedNotice]:
    """Every gold closure notice, fetched from the offline web at ``base_url`` and extracted."""
    from crawler.extraction.article import extract_article
    from crawler.extraction.rules import load_rules
    from demo.sites import all_expected

    rules = load_rules()
    out = []
    for entry in all_expected():
        if not entry.closure:
            continue
        url = base_url.rstrip("/") + entry.path
        with urlopen(url, timeout=FETCH_TIMEOUT) as reply:  # noqa: S310 - a local URL we built
            response = HtmlResponse(url, body=reply.read(), headers=dict(reply.headers.items()))
        article = extract_article(response.text, url, rules)
        out.append(ExtractedNotice({
            "id": entry.path, "issuer": article.issuer, "title": article.title,
            "published_at": article.published_at, "body": article.body, "wechat_account": article.wechat_account,
            "expect": _gold_expect(entry),
        }))
    return out


def score_offline_web(notices: list[ExtractedNotice], options: AnalysisOptions | None = None) -> AnnouncementScores:
    return score_announcements([n.item for n in notices], options, with_themes=False)
