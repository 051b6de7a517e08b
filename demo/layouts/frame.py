"""What every layout shares: the family record, one list page's context, and the page frame
(nav, breadcrumb, column menu, main block, sidebar, 友情链接, footer) around a layout's list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from demo.layouts import Row
from demo.layouts.chrome import breadcrumb, column_menu, footer, friends, nav, page, sidebar


@dataclass(frozen=True)
class ListContext:
    root: str  # "/layouts/trs-ul/r20/"
    rows: list[Row]  # this page's rows
    page_no: int  # 0-based
    pages: int  # how many list pages the column has
    total_rows: int
    style: int
    family: Family

    def page_href(self, n: int) -> str:
        """Absolute path of page ``n`` (0-based) of this column."""
        return self.root + self.family.page_path(n)

    def href(self, row: Row) -> str:
        return self.root + row.path


@dataclass(frozen=True)
class Family:
    id: str
    cms: str  # the CMS family the layout is modelled on
    description: str
    article_path: Callable[[int, str], str]  # (row number, date) -> site-relative path
    page_path: Callable[[int], str]  # page number (0-based) -> site-relative path, with query
    render: Callable[[ListContext], str]
    article_template: int
    held_out: bool = False
    encoding: str = "utf-8"
    paged: bool = True  # False: every row on one page whatever the variant (a 专题 page)
    # Pages after the first, when the CMS serves them differently (JCMS: dataproxy.jsp XML).
    render_later: Callable[[ListContext], str] | None = None


def frame(ctx: ListContext, main: str, *, title: str = "通知公告", head: str = "", charset: str = "utf-8",
          sidebar_first: bool = False, dated_sidebar: bool | None = None) -> str:
    """``main`` (the list block and its pager) inside a whole portal page."""
    s = ctx.style
    dated = (s % 2 == 1) if dated_sidebar is None else dated_sidebar
    side = sidebar(ctx.root, s, dated)
    menu = column_menu(ctx.root, s)
    content = f'<div class="main-content">{main}</div>'
    columns = (side + menu + content) if sidebar_first else (menu + content + side)
    body = (f'<div class="header"><div class="logo"><a href="{ctx.root}"><img src="{ctx.root}images/logo.png" alt="某某区人民政府"></a></div></div>'
            f'{nav(ctx.root, s)}{breadcrumb(ctx.root, title, ctx.page_href(0), s)}'
            f'<div class="container">{columns}</div>{friends(ctx.root, s)}{footer(ctx.root, s)}')
    return page(f"{title}_某某区人民政府", head, body, charset)


def cn_date(date: str) -> str:
    y, m, d = date.split("-")
    return f"{y}年{int(m)}月{int(d)}日"
