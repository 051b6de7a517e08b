"""Unknown filter values where a vocabulary exists answer 422 listing the allowed values,
instead of 200 with nothing found (which reads as "no such reaction")."""

from __future__ import annotations

import pytest

from core.vocabulary import CRAWL_STATUSES, PLATFORM_IDS, SOURCE_PLATFORMS
from tests.api.test_errors import assert_envelope


@pytest.mark.parametrize("path,parameter,allowed", [
    ("/announcements?platform=myspace", "platform", PLATFORM_IDS),
    ("/accounts?platform=myspace", "platform", PLATFORM_IDS),
    ("/comments?platform=wechat", "platform", SOURCE_PLATFORMS),
    ("/announcements?theme=nonsense", "theme", ("formalism", "consolidation")),
    ("/summary/cities?kind=comment&theme=nonsense", "theme", ("formalism",)),
    ("/crawl-runs?status=bogus", "status", CRAWL_STATUSES),
    ("/crawl-runs?spider=twitter", "spider", ("gov", "weibo", "news")),
    ("/export/announcement?platform=myspace", "platform", PLATFORM_IDS),
])
def test_unknown_value_is_422_listing_the_allowed(client, path, parameter, allowed):
    error = assert_envelope(client.get(path), 422, "invalid_parameters")
    (row,) = [r for r in error["detail"] if r["parameter"] == parameter]
    assert row["code"] == "not_allowed"
    for value in allowed:
        assert value in row["reason"]


@pytest.mark.parametrize("path", ["/announcements?platform=wechat", "/announcements?theme=formalism",
                                  "/comments?platform=weibo", "/crawl-runs?status=finished",
                                  "/announcements?platform=wechat&platform=weibo"])
def test_known_values_still_filter(client, path):
    assert client.get(path).status_code == 200


def test_every_bad_value_is_named_at_once(client):
    error = assert_envelope(client.get("/announcements?platform=myspace&theme=nonsense"), 422, "invalid_parameters")
    assert {r["parameter"] for r in error["detail"]} == {"platform", "theme"}
