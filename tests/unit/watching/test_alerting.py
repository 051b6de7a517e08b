"""Alerts evaluated on a real SQLite store holding a generated comment series with known spikes,
stored once, and POSTed to a webhook that fails before it answers."""

from __future__ import annotations

import json
import random
import threading
from dataclasses import asdict
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from analysis.alerts import AlertRules
from core.schema import Comment
from crawler.alerting import AlertEvaluator, post_webhook
from crawler.storage import CrawlStorage
from store import open_store

START = date(2024, 4, 1)
SPIKES = {("昆明市", 25): 300, ("西安市", 40): 220}


class Stats:
    def __init__(self):
        self.values = {}

    def inc_value(self, key, n=1):
        self.values[key] = self.values.get(key, 0) + n


def _comments() -> list[dict]:
    rng = random.Random(7)
    docs = []
    for city in ("昆明市", "西安市"):
        for n in range(50):
            day = START + timedelta(days=n)
            for k in range(SPIKES.get((city, n), rng.randint(20, 35))):
                label = "negative" if rng.random() < 0.15 else "positive"
                docs.append(asdict(Comment(id=f"weibo:{city}:{n}:{k}", post_id=f"weibo:{city}", platform="weibo",
                                           text="关了也好", created_at=f"{day.isoformat()}T10:00:00+08:00",
                                           city=city, province="云南省" if city == "昆明市" else "陕西省",
                                           sentiment=0.5, sentiment_label=label, stance="support")))
    return docs


class Hook(BaseHTTPRequestHandler):
    failures = 1
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Hook.failures > 0:
            Hook.failures -= 1
            self.send_response(503)
            self.end_headers()
            return
        Hook.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def webhook():
    Hook.failures, Hook.received = 1, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook?token=secret"
    server.shutdown()


def test_the_known_spikes_become_alerts_once_and_reach_the_webhook(tmp_path, webhook, caplog):
    store = open_store(f"sqlite:///{tmp_path / 'alerts.db'}")
    store.upsert("comment", _comments())
    stats = Stats()
    evaluator = AlertEvaluator(CrawlStorage(store), AlertRules(), stats, webhook, webhook_retries=2)
    import crawler.alerting as alerting

    alerting.WEBHOOK_BACKOFF_S = 0.01
    new = evaluator.evaluate(run_id="gov:test")
    spikes = {(a["city"], a["day"]) for a in new if a["rule"] == "comment_spike"}
    assert spikes == {(city, (START + timedelta(days=n)).isoformat()) for city, n in SPIKES}
    assert all(a["delivered"] for a in new)
    assert sorted(r["alert"]["id"] for r in Hook.received) == sorted(a["id"] for a in new)
    assert "secret" not in caplog.text  # the webhook URL (with its token) is never logged
    assert evaluator.evaluate(run_id="gov:again") == []  # re-evaluated: nothing new
    assert store.count("alert") == len(new) and stats.values["yuqing/alerts/new"] == len(new)
    stored = store.get("alert", f"comment_spike:昆明市:{(START + timedelta(days=25)).isoformat()}")
    assert stored["value"] == 300 and stored["run_id"] == "gov:test"
    store.close()


def test_a_webhook_that_never_answers_is_retried_then_given_up(caplog):
    assert post_webhook("http://127.0.0.1:9/hook", {"id": "x"}, retries=2, backoff_s=0.01) is False
    assert caplog.text.count("alert webhook: attempt") == 3
