"""crawler/sources.yaml: its contents and the selection of sources."""

from __future__ import annotations

import pytest

from crawler.sources import SourcesError, load_sources, select_sources
from demo.sites import gov_sites


def test_shipped_sources_are_well_formed():
    sources = load_sources()
    live = [s for s in sources if s.group == "live"]
    assert len(live) >= 6
    assert all(s.url.startswith(("http://", "https://")) and ".gov.cn" in s.url for s in live)
    # Nothing is verified until a live crawl has fetched it.
    assert not any(s.verified for s in live)
    cities = {s.city for s in live}
    assert {"昆明市", "长沙市", "西安市", "青岛市", "南京市", "苏州市"} <= cities


def test_demo_sources_point_at_every_offline_site():
    demo = {s.path for s in load_sources() if s.group == "demo"}
    assert demo == {site.list_path for site in gov_sites()}


def test_selection_by_id_and_by_group():
    sources = load_sources()
    assert [s.id for s in select_sources(sources, ["xian-gsgg"])] == ["xian-gsgg"]
    demo = select_sources(sources, ["demo"])
    assert demo and all(s.group == "demo" for s in demo)
    assert demo[0].start_url("http://127.0.0.1:8765/").startswith("http://127.0.0.1:8765/gov/")


def test_unknown_ids_and_missing_base_url_are_clear_errors():
    sources = load_sources()
    with pytest.raises(SourcesError, match="unknown source.*nope"):
        select_sources(sources, ["nope"])
    demo = select_sources(sources, ["demo"])[0]
    with pytest.raises(SourcesError, match="base_url"):
        demo.start_url(None)


def test_malformed_sources_files_are_refused(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text("live:\n  - {id: a, name: A, city: 甲市, cms: trs}\n", encoding="utf-8")
    with pytest.raises(SourcesError, match=r"live\[0\] lacks url"):
        load_sources(bad)
    bad.write_text("live:\n  - {id: a, name: A, city: 甲市, cms: wordpress, url: 'http://a.gov.cn/'}\n", encoding="utf-8")
    with pytest.raises(SourcesError, match="cms"):
        load_sources(bad)
    bad.write_text("other: []\n", encoding="utf-8")
    with pytest.raises(SourcesError, match="groups"):
        load_sources(bad)
