"""Stable ids and pseudonyms: what makes re-crawls update instead of duplicating."""

from core.schema import canonical_url, content_hash, pseudonymise, url_id


def test_canonical_url_drops_fragment_tracking_and_default_port():
    a = canonical_url("HTTP://Www.Km.gov.cn:80/art/2024/5/10/art_1.html?utm_source=wx&spm=1#top")
    assert a == "http://www.km.gov.cn/art/2024/5/10/art_1.html"


def test_canonical_url_keeps_identity_parameters_in_sorted_order():
    assert canonical_url("http://x.cn/list.asp?page=2&classid=9&id=7") == "http://x.cn/list.asp?id=7&page=2"


def test_url_id_is_stable_across_spellings_and_distinct_across_pages():
    assert url_id("http://a.cn/p.html#x") == url_id("http://A.cn:80/p.html")
    assert url_id("http://a.cn/p.html") != url_id("http://a.cn/q.html")
    assert len(url_id("http://a.cn/")) == 16


def test_pseudonymise_depends_on_salt_and_hides_the_id():
    h1 = pseudonymise("weibo", 123456, "salt-a")
    assert h1 == pseudonymise("weibo", "123456", "salt-a")
    assert h1 != pseudonymise("weibo", 123456, "salt-b")
    assert "123456" not in h1


def test_content_hash_changes_with_any_part():
    assert content_hash("t", "b") != content_hash("t", "b2")
    assert content_hash("tb", "") != content_hash("t", "b")
