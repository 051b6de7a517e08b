"""Problems are explained on the page in Chinese, with the API's status, and hide the
figures that would otherwise read as "nothing found"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from parsel import Selector

from api.app import create_app
from tests.api.conftest import make_settings


def alert(response) -> str:
    return "".join(Selector(response.text).css("[role=alert] ::text").getall())


@pytest.mark.parametrize("params,status,expected", [
    ({"date_from": "2024-13-01"}, 422, "起始日期（date_from）：日期应写作 年-月-日，如 2024-05-01（收到“2024-13-01”）"),
    ({"date_from": "2024-06-01", "date_to": "2024-05-01"}, 422, "起始日期晚于截止日期"),
    ({"page": "0"}, 422, "页码（page）：页码应为从 1 开始的整数"),
    ({"page": "9999"}, 422, "页码太大"),
    ({"sort": "hot"}, 422, "排序（sort）：不是可选的值"),
    ({"q": '"停止更新'}, 400, "搜索语法有误"),
])
def test_bad_input_is_explained_and_no_figures_are_shown(client, params, status, expected):
    response = client.get("/", params=params)
    assert response.status_code == status
    assert expected in alert(response)
    page = Selector(response.text)
    # No "共 0 条", no empty tables: the error is the answer.
    assert not page.css("#results") and not page.css("#summary")
    # The form is still there, holding what the reader sent, to fix it.
    for name, value in params.items():
        if name in ("q", "date_from", "date_to"):
            assert page.css(f"input[name={name}]::attr(value)").get() == value


def test_store_down_is_a_503_page_that_says_so(tmp_path):
    broken = f"sqlite:///{tmp_path / 'missing-dir' / 'x' / 'y.db'}"
    (tmp_path / "missing-dir").write_text("a file where a directory should be")
    with TestClient(create_app(make_settings(broken))) as client:
        for path in ("/", "/reaction", "/announcement/0000000000000000"):
            response = client.get(path, params={"city": "昆明市"} if path == "/" else None)
            assert response.status_code == 503, path
            assert "数据库暂不可用" in alert(response), path
        # The reader's choice stays in the form although the store could not list the cities.
        page = Selector(client.get("/", params={"city": "昆明市"}).text)
        assert page.css("select[name=city] option[selected]::attr(value)").get() == "昆明市"
