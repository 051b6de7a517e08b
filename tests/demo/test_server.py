"""The offline web server: static files, 404s, robots.txt, request log, apps, failure injection."""

from __future__ import annotations

import urllib.request

import pytest
from typer.testing import CliRunner

from demo.apps import App, DemoResponse, discover_apps, route
from demo.server import OfflineWeb
from demo.server import main as server_main
from yuqing.cli import app as cli_app
from demo.sites import gov_sites
from tests.demo.conftest import fetch


def test_start_stop_and_context_manager_free_the_port():
    web = OfflineWeb().start()
    url = web.url("/robots.txt")
    assert fetch(url).status == 200
    web.stop()
    try:
        urllib.request.urlopen(url, timeout=2)
        reachable = True
    except OSError:
        reachable = False
    assert not reachable
    with OfflineWeb() as again:
        assert again.base_url.startswith("http://127.0.0.1:") and again.port != 0


def test_gov_start_urls_are_list_pages_that_answer(web):
    urls = web.gov_start_urls()
    assert len(urls) == len(gov_sites()) >= 4
    for url in urls:
        assert url.startswith(web.base_url + "/gov/")
        assert fetch(url).status == 200, url


def test_unknown_path_gets_a_404_page(web):
    page = fetch(web.url("/gov/kunming/zwgk/tzgg/202405/t20240501_0.html"))
    assert page.status == 404
    assert page.headers["Content-Type"].startswith("text/html")
    assert "页面不存在" in page.body.decode("utf-8")


def test_gold_and_source_files_are_never_served(web):
    for path in ("/gov/kunming/expected.yaml", "/gov/kunming/_site.yaml", "/gov/yuelu/_asp/list_12_1.html",
                 "/gov/nanjing/_jpage/1465.yaml", "/gov/../demo/server.py"):
        assert fetch(web.url(path)).status == 404, path


def test_folder_without_slash_redirects_and_folder_serves_index(web):
    moved = fetch(web.url("/gov/kunming/zwgk/tzgg"))
    assert moved.status == 301 and moved.headers["Location"] == "/gov/kunming/zwgk/tzgg/"
    page = fetch(web.url("/gov/kunming/zwgk/tzgg/"))
    assert page.status == 200 and "createPageHTML(" in page.body.decode("utf-8")


def test_robots_txt_disallows_a_path_the_lists_link_to(web):
    robots = fetch(web.url("/robots.txt"))
    assert robots.status == 200 and robots.headers["Content-Type"].startswith("text/plain")
    rules = robots.body.decode("utf-8")
    assert "Disallow: /gov/kunming/internal/" in rules
    first_list = fetch(web.url("/gov/kunming/zwgk/tzgg/")).body.decode("utf-8")
    assert 'href="/gov/kunming/internal/' in first_list
    # The trap page exists: a crawler ignoring robots.txt would get a closure-like page.
    trap = first_list.split('href="/gov/kunming/internal/', 1)[1].split('"', 1)[0]
    assert fetch(web.url("/gov/kunming/internal/" + trap)).status == 200


def test_requests_records_every_path_with_its_query(web):
    web.clear_requests()
    fetch(web.url("/gov/yuelu/list.asp?classid=12&page=2"))
    fetch(web.url("/nowhere"))
    assert web.requests == ["/gov/yuelu/list.asp?classid=12&page=2", "/nowhere"]
    snapshot = web.requests
    snapshot.append("/tampered")
    assert "/tampered" not in web.requests


def test_injected_failures_answer_then_recover(web):
    path = "/gov/xian/xxgk/tzgg/index.html"
    web.fail("/gov/xian/", status=503, times=2)
    assert [fetch(web.url(path)).status for _ in range(3)] == [503, 503, 200]


def test_shipped_apps_are_discovered_by_prefix():
    apps = {app.name: app for app in discover_apps()}
    assert {"jcms", "asp"} <= set(apps)
    jcms_sites = [s for s in gov_sites() if s.style == "jcms"]
    assert jcms_sites
    for site in jcms_sites:
        path = f"/gov/{site.id}/module/web/jpage/dataproxy.jsp"
        assert route(list(apps.values()), path) is apps["jcms"]
    assert route(list(apps.values()), "/gov/kunming/zwgk/tzgg/index.html") is None


def test_longest_prefix_wins_and_a_failing_app_is_a_500(web):
    def broken(request):
        raise RuntimeError("backend down")

    def inner(request):
        return DemoResponse(200, {"Content-Type": "text/plain"}, request.path.encode())

    extra = [App("outer", ("/x/",), broken), App("inner", ("/x/y/",), inner)]
    web.apps.extend(extra)
    try:
        assert fetch(web.url("/x/y/z")).body == b"/x/y/z"
        assert fetch(web.url("/x/other")).status == 500
    finally:
        for app in extra:
            web.apps.remove(app)


def test_a_taken_port_is_a_clear_message_not_a_traceback(web, capsys):
    with pytest.raises(SystemExit) as exited:
        server_main(["--port", str(web.port)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"127.0.0.1:{web.port}" in err and "--port 0" in err and "Traceback" not in err


def test_yuqing_demo_on_a_taken_web_port_says_which_option_to_change(web, tmp_path):
    result = CliRunner().invoke(cli_app, ["demo", "--web-port", str(web.port), "--no-serve",
                                          "--store", f"sqlite:///{tmp_path / 'demo.db'}"])
    assert result.exit_code == 2
    assert "--web-port 0" in " ".join(result.output.replace("│", " ").split())
    assert not (tmp_path / "demo.db").exists()  # nothing was crawled
