"""GET /: the server-rendered search page (works without JS: a plain form GET)."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class Page(HTMLParser):
    """The parts of the page the tests look at: hits, their links, options, tables."""

    def __init__(self, html: str):
        super().__init__()
        self.hit_links: list[str] = []
        self.options: dict[str, list[str]] = {}
        self.forms: list[dict] = []
        self.table_cells: list[str] = []
        self._select: str | None = None
        self._in_hit_h3 = False
        self._in_td = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(a)
        elif tag == "select":
            self._select = a.get("name")
            self.options[self._select] = []
        elif tag == "option" and self._select and a.get("value"):
            self.options[self._select].append(a["value"])
        elif tag == "h3":
            self._in_hit_h3 = True
        elif tag == "a" and self._in_hit_h3:
            self.hit_links.append(a["href"])
        elif tag == "td":
            self._in_td = True
            self.table_cells.append("")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "h3":
            self._in_hit_h3 = False
        elif tag == "td":
            self._in_td = False

    def handle_data(self, data):
        if self._in_td:
            self.table_cells[-1] += data.strip()


def total_shown(html: str) -> int:
    return int(re.search(r"共 (\d+) 条", html).group(1))


def test_page_lists_announcements_with_filters_and_summaries(client, corpus):
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    assert page.forms[0]["method"] == "get" and page.forms[0]["action"] == "/"
    assert total_shown(response.text) == len(corpus.announcements)
    assert len(page.hit_links) == 20  # one page
    assert set(page.options["city"]) == {d["city"] for d in corpus.announcements if d["city"]}
    assert set(page.options["theme"]) == {t for d in corpus.announcements for t in d["themes"]}
    assert set(page.options["platform"]) == {p for d in corpus.announcements for p in d["platforms"]}
    kunming = sum(d["city"] == "昆明市" for d in corpus.announcements)
    i = page.table_cells.index("昆明市")
    assert page.table_cells[i + 1] == str(kunming)
    assert "形式主义" in response.text  # theme ids shown with their Chinese labels


def test_search_highlights_and_links_to_sources(client, corpus):
    response = client.get("/", params={"q": "关停"})
    expected = [d for d in corpus.announcements if "关停" in d["title"] + d["body"]]
    assert total_shown(response.text) == len(expected)
    assert response.text.count("<mark>关停</mark>") >= len(expected)
    page = Page(response.text)
    assert set(page.hit_links) == {d["url"] for d in expected}


def test_filters_without_js(client, corpus):
    # A form submits untouched fields empty: they mean "any".
    response = client.get("/", params={"q": "", "city": "长沙市", "platform": "", "theme": "", "date_from": "",
                                       "date_to": "", "sort": "date_desc"})
    assert response.status_code == 200
    expected = [d for d in corpus.announcements if d["city"] == "长沙市"]
    assert total_shown(response.text) == len(expected)
    assert set(Page(response.text).hit_links) == {d["url"] for d in expected}
    assert re.search(r'<option value="长沙市"\s+selected>', response.text)


def test_paging_links(client, corpus):
    everything = client.get("/").text
    next_url = re.search(r'rel="next" href="([^"]+)"', everything).group(1).replace("&amp;", "&")
    second = client.get(next_url)
    assert "page=2" in next_url and second.status_code == 200
    assert len(Page(second.text).hit_links) == len(corpus.announcements) - 20
    assert not set(Page(second.text).hit_links) & set(Page(everything).hit_links)


def test_markup_in_documents_and_queries_stays_text(client):
    found = client.get("/", params={"q": "不是标签"}).text
    assert "<script>alert(1)</script>" not in found and "&lt;script&gt;" in found
    reflected = client.get("/", params={"q": '"><script>alert(2)</script>'})
    assert reflected.status_code == 400
    assert "<script>alert(2)" not in reflected.text
    assert "搜索语法有误" in reflected.text


def test_bad_parameters_are_shown_on_the_page(client):
    response = client.get("/", params={"date_from": "2024-13-01"})
    assert response.status_code == 422
    assert "date_from" in response.text and 'role="alert"' in response.text


def test_static_assets(client):
    assert "addEventListener" in client.get("/static/app.js").text
    assert "mark" in client.get("/static/style.css").text


def test_theme_labels_follow_the_users_taxonomy(tmp_path, store, store_url):
    from fastapi.testclient import TestClient

    from analysis.themes import DEFAULT_THEMES_FILE
    from api.app import create_app
    from tests.api.conftest import make_settings

    edited = tmp_path / "themes.yaml"
    edited.write_text(DEFAULT_THEMES_FILE.read_text(encoding="utf-8").replace("label: 形式主义", "label: 形式主义（自定义）"),
                      encoding="utf-8")
    with TestClient(create_app(make_settings(store_url, themes_file=edited), store)) as client:
        assert "形式主义（自定义）" in client.get("/", params={"theme": "formalism"}).text
