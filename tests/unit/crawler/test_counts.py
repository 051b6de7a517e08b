"""Counts as the platforms write them."""

import pytest

from crawler.parsing.counts import count, count_or_none


@pytest.mark.parametrize("raw,expected", [(12, 12), ("12", 12), ("1.2万", 12_000), ("3亿", 300_000_000),
                                          ("10+", 10), (4.0, 4), (True, 1), ("", None), (None, None),
                                          ("很多", None)])
def test_count_or_none(raw, expected):
    assert count_or_none(raw) == expected


def test_count_is_zero_when_unreadable():
    assert count("很多") == 0 and count(None) == 0 and count("2万") == 20_000
