"""The back button, a browser without JS, a phone's screen, a keyboard and a screen reader."""

from __future__ import annotations

import pytest

from tests.browser.actions import choose, search
from tests.browser.conftest import PHONE
from tests.browser.expected import matches
from tests.browser.page_reading import hits, shown_total


def test_back_button_shows_the_form_as_its_results(visit, corpus):
    """Chromium restores edited fields on back; the page resets them to what its URL says,
    so the filters shown always match the results under them."""
    visit.open("/")
    search(visit, "关停")
    docs = [d for d in corpus.announcements if matches(d, "关停")]
    city = sorted({d["city"] for d in docs if d["city"]})[0]
    choose(visit, "city", city)
    assert shown_total(visit.page) == sum(d["city"] == city for d in docs)
    visit.page.go_back()
    visit.page.wait_for_url("**/?q=*")
    assert shown_total(visit.page) == len(docs)
    assert visit.page.locator("select[name=city]").input_value() == ""
    assert visit.page.get_by_role("searchbox").input_value() == "关停"
    # Searching on from the restored page starts from what it shows.
    choose(visit, "platform", "weibo")
    assert "city=" not in visit.page.url
    assert shown_total(visit.page) == sum("weibo" in d["platforms"] for d in docs)


@pytest.mark.parametrize("visit", [{"java_script_enabled": False}], indirect=True)
def test_search_and_filters_work_without_javascript(visit, corpus):
    visit.open("/")
    visit.page.get_by_role("searchbox").fill("注销")
    visit.page.locator("select[name=city]").select_option("南京市")  # nothing happens until the button
    assert visit.page.url.endswith("/")
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="搜索").click()
    docs = [d for d in corpus.announcements if matches(d, "注销") and d["city"] == "南京市"]
    assert shown_total(visit.page) == len(docs) > 0
    assert sorted(h.url for h in hits(visit.page)) == sorted(d["url"] for d in docs)
    assert "date_from=" in visit.page.url  # the plain form sends empty fields; they mean "any"


@pytest.mark.parametrize("visit", [{"viewport": PHONE, "is_mobile": True, "has_touch": True}], indirect=True)
def test_pages_fit_a_phone_screen(visit, corpus):
    doc = corpus.announcements[0]
    for path in ("/?q=%E5%85%B3%E5%81%9C", f"/announcement/{doc['id']}", "/reaction"):
        visit.open(path)
        overflow = visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    visit.open("/?q=%E5%85%B3%E5%81%9C")
    # Results come first on a phone; a link jumps to the summary below them.
    assert visit.page.locator("li.hit").first.bounding_box()["y"] < PHONE["height"]
    visit.page.get_by_role("link", name="看概览").click()
    visit.page.wait_for_url("**#summary")
    assert visit.page.locator("#summary h2").is_visible()


def test_every_control_is_labelled_and_reachable_by_keyboard(visit):
    for path in ("/", "/reaction"):
        visit.open(path)
        unlabelled = visit.page.evaluate("""[...document.querySelectorAll("input, select, button")]
            .filter(el => !el.hidden && !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
                          && !(el.tagName === "BUTTON" && el.innerText.trim()))
            .map(el => el.outerHTML)""")
        assert unlabelled == [], path
    # Tab from the top reaches the skip link first, which moves focus to the content.
    # (On "/" the search box takes the focus at once; the reaction page starts at the top.)
    visit.page.keyboard.press("Tab")
    assert visit.page.evaluate("document.activeElement.className") == "skip"
    visit.page.keyboard.press("Enter")
    assert visit.page.evaluate("location.hash") == "#content"
    visit.open("/")
    # Typing "/" into a date or select field is not taken over by the search shortcut.
    visit.page.get_by_label("起始日期").focus()
    visit.page.keyboard.press("/")
    assert visit.page.evaluate("document.activeElement.name") == "date_from"
