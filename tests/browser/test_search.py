"""Searching as a journalist does: type a term, read highlighted hits, open the source."""

from __future__ import annotations

from tests.browser.actions import search
from tests.browser.expected import matches
from tests.browser.page_reading import hits, shown_total

SOURCE_SITE = "http://127.0.0.1:8765/**"  # where the factory corpus says the notices live


def test_two_character_term_finds_and_highlights_the_announcements(visit, corpus):
    visit.open("/")
    search(visit, "关停")
    expected = [d for d in corpus.announcements if matches(d, "关停")]
    assert 0 < len(expected) < len(corpus.announcements)
    assert shown_total(visit.page) == len(expected)
    found = hits(visit.page)
    assert sorted(h.url for h in found) == sorted(d["url"] for d in expected)
    for hit in found:
        assert "关停" in hit.marks, hit.url
        assert set(hit.marks) <= {"关停"}, hit.url  # nothing else lit up
    assert visit.page.get_by_role("searchbox").input_value() == "关停"  # the query stays in the box
    assert "关停" in visit.page.title()


def test_submitted_url_is_short_and_shareable(visit):
    """Empty filters are left out of the URL, so a link pasted into a chat stays readable."""
    visit.open("/")
    visit.page.get_by_role("searchbox").fill("注销")
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="搜索").click()
    query = visit.page.url.split("?", 1)[1]
    names = {pair.split("=")[0] for pair in query.split("&")}
    assert names == {"q"}  # nor the default sort


def test_a_hit_links_to_its_source_page(visit, corpus):
    first = next(d for d in corpus.announcements if matches(d, "关停"))
    # The source sites are not running; answer for them so the new tab has a page to show.
    visit.page.context.route(SOURCE_SITE, lambda route: route.fulfill(
        content_type="text/html; charset=utf-8", body=f"<title>{first['title']}</title>"))
    visit.open("/")
    search(visit, "关停")
    hit = visit.page.locator("li.hit", has=visit.page.locator(f'a.source[href="{first["url"]}"]'))
    assert hit.locator("h3").inner_text() == first["title"]
    link = hit.get_by_role("link", name="原文")
    with visit.page.context.expect_page() as opened:
        link.click()
    source = opened.value
    source.wait_for_load_state()
    assert source.url == first["url"]
    assert visit.page.url.startswith(visit.base_url)  # the results stay open in their own tab


def test_markup_inside_a_notice_is_shown_as_text_and_never_run(visit, corpus):
    dialogs: list[str] = []
    visit.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    doc = next(d for d in corpus.announcements if "<script>" in d["body"])
    visit.open("/")
    search(visit, "不是标签")
    found = hits(visit.page)
    assert [h.url for h in found] == [doc["url"]]
    assert "<script>alert(1)</script>" in found[0].snippets
    assert dialogs == []


def test_slash_key_jumps_to_the_search_box(visit):
    visit.open("/")
    visit.page.locator("#summary").click()
    assert visit.page.evaluate("document.activeElement.name") != "q"
    visit.page.keyboard.press("/")
    assert visit.page.evaluate("document.activeElement.name") == "q"
    assert visit.page.get_by_role("searchbox").input_value() == ""  # the "/" was not typed in
