"""Dates as notices write them."""

from analysis.dates import find_dates, iso_date, signature_date


def test_forms():
    got = [(d.year, d.month, d.day) for d in find_dates("2024年6月1日、2024-06-02、6月3日起、二〇二四年五月二十日")]
    assert got == [(2024, 6, 1), (2024, 6, 2), (None, 6, 3), (2024, 5, 20)]


def test_year_less_after_jinnian():
    assert [(d.year, d.month) for d in find_dates("将于今年10月8日停止更新")] == [(None, 10)]


def test_signature_date_in_chinese_numerals():
    assert signature_date("……停止更新。\n仙桃市交通运输局\n二〇二四年八月十二日") == "2024-08-12"


def test_no_signature():
    assert signature_date("自2024年6月1日起停止更新，相关信息请关注发布号，感谢大家一直以来的关注和支持，再见。") is None


def test_iso_date():
    assert iso_date("2024-03-18 09:30") == "2024-03-18"
    assert iso_date("2024-02-30") is None
    assert iso_date(None) is None
