"""Dates are written YYYY-MM-DD; a blank one means no bound (an HTML form's untouched field)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("value", ["0", "20240501", "1717200000", "2024-5-1", "2024-06-01T00:00:00"])
def test_a_date_not_written_as_a_day_is_refused(client, value):
    for path in ("/announcements", "/summary/timeline", "/comments"):
        response = client.get(path, params={"date_to": value})
        assert response.status_code == 422, (path, value)
        (problem,) = response.json()["error"]["detail"]
        assert problem["parameter"] == "date_to" and "YYYY-MM-DD" in problem["reason"]


def test_blank_dates_and_filters_mean_no_bound(client):
    everything = client.get("/announcements", params={"size": 5}).json()["count"]
    assert everything > 0
    blank = client.get("/announcements?date_to=&date_from=%20&city=&size=5")
    assert blank.status_code == 200 and blank.json()["count"] == everything
    assert client.get("/summary/cities?format=").status_code == 200
    assert client.get("/posts?stance=").json()["count"] == client.get("/posts").json()["count"]
