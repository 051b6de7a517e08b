"""After each crawl run: evaluate the alert rules on the store, keep new alerts, POST them.

A Scrapy extension on ``spider_closed``, connected after the crawl-run recorder (which flushes
the run's documents), so the rules see everything the run stored. The series come from the
store's own day timelines per city (``analysis/alerts.py`` does the arithmetic); an alert
already stored is left as it is, so a spike is announced once however many runs see it.

A webhook (``YUQING_ALERT_WEBHOOK_URL``) gets each new alert as ``{"alert": {...}}``, retried
with exponential backoff; its URL is never logged (it often carries a token).
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import asdict

from scrapy import signals
from scrapy.exceptions import NotConfigured

from analysis.alerts import AlertRules, DaySeries, evaluate
from core.schema import Alert, now_iso
from crawler.project import yuqing_settings
from crawler.storage import CrawlStorage
from store.base import Query, Store
from store.errors import StoreError

logger = logging.getLogger(__name__)

# Seconds before the first webhook retry; doubled each time (1, 2, 4 s by default).
WEBHOOK_BACKOFF_S = 1.0
WEBHOOK_TIMEOUT_S = 10.0
# Cities evaluated per run at most (by comment count): keeps a national store's evaluation to seconds.
MAX_CITIES = 200


def comment_series(store: Store, max_cities: int = MAX_CITIES) -> list[DaySeries]:
    """Each city's comments per day, with the negative and opposing ones."""
    series = []
    for group in store.summarize("comment", "city", top=1)[:max_cities]:
        one = DaySeries(group.key)
        for bucket in store.timeline("comment", "day", Query(filters={"city": group.key})):
            one.total[bucket.start] = bucket.count
            one.negative[bucket.start] = bucket.labels.get("negative", 0)
        for bucket in store.timeline("comment", "day", Query(filters={"city": group.key, "stance": "oppose"})):
            one.oppose[bucket.start] = bucket.count
        series.append(one)
    return series


def watched_notices(store: Store, cities: tuple[str, ...]) -> list[dict]:
    if not cities:
        return []
    return list(store.iterate("announcement", Query(filters={"city": list(cities)})))


def post_webhook(url: str, alert: dict, retries: int, backoff_s: float = WEBHOOK_BACKOFF_S) -> bool:
    """POST one alert; True once the endpoint answered 2xx."""
    body = json.dumps({"alert": alert}, ensure_ascii=False).encode("utf-8")
    for attempt in range(retries + 1):
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_S) as response:
                if 200 <= response.status < 300:
                    return True
                why = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            why = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            why = type(exc).__name__
        logger.warning("alert webhook: attempt %d of %d failed (%s)", attempt + 1, retries + 1, why)
        if attempt < retries:
            time.sleep(backoff_s * 2 ** attempt)
    return False


class AlertEvaluator:
    def __init__(self, storage: CrawlStorage, rules: AlertRules, stats, webhook_url: str | None = None,
                 webhook_retries: int = 3):
        self.storage = storage
        self.rules = rules
        self.stats = stats
        self.webhook_url = webhook_url
        self.webhook_retries = webhook_retries

    @classmethod
    def from_crawler(cls, crawler):
        settings = yuqing_settings(crawler)
        if not crawler.settings.getbool("YUQING_ALERTS", settings.alerts):
            raise NotConfigured("alerts are off")
        rules = AlertRules(spike_factor=settings.alert_spike_factor, spike_window_days=settings.alert_window_days,
                           min_count=settings.alert_min_count, share_jump=settings.alert_share_jump,
                           watched_cities=tuple(settings.alert_watched_cities))
        url = settings.alert_webhook_url.get_secret_value() if settings.alert_webhook_url else None
        ext = cls(CrawlStorage.of(crawler), rules, crawler.stats, url, settings.alert_webhook_retries)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider, reason):
        self.storage.flush()
        try:
            new = self.evaluate(run_id=self.storage.run_id)
        except StoreError as exc:
            logger.warning("alerts not evaluated, the store did not answer: %s", exc)
            return
        for alert in new:
            logger.warning("ALERT %s: %s", alert["rule"], alert["message"])

    def evaluate(self, run_id: str | None = None) -> list[dict]:
        """Evaluate the rules on the store; store and deliver the alerts not seen before."""
        store = self.storage.store
        findings = evaluate(comment_series(store), watched_notices(store, self.rules.watched_cities), self.rules)
        new = []
        for finding in findings:
            if self.storage.get("alert", finding.id) is not None:
                continue
            alert = asdict(Alert(id=finding.id, rule=finding.rule, kind="announcement" if finding.document_id
                                 else "comment", day=finding.day, message=finding.message, city=finding.city,
                                 value=finding.value, baseline=finding.baseline, threshold=finding.threshold,
                                 document_id=finding.document_id, created_at=now_iso(), run_id=run_id))
            if self.webhook_url:
                alert["delivered"] = post_webhook(self.webhook_url, alert, self.webhook_retries)
            new.append(alert)
        if new:
            self.storage.write("alert", new)
            self.stats.inc_value("yuqing/alerts/new", len(new))
        return new
