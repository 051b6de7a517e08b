"""Page furniture shared by the layouts: nav bar, breadcrumb, sidebars, 友情链接, footer.

Written from what surrounds the notice list on real portal pages: nav items can be as long
as a short headline (优化营商环境, 政府信息公开年报); sidebars hold hot or related items that
look exactly like notices (headline text, an article-shaped URL of another column, sometimes
a date); 友情链接 and the footer link to other governments and to the site's own pages.
``style`` picks one of several markups for each, so that no layout is recognised by a class
name alone.
"""

from __future__ import annotations

NAV_ITEMS = [("首页", ""), ("政务公开", "zwgk/"), ("政务服务", "zwfw/"), ("互动交流", "hdjl/"),
             ("优化营商环境", "yshj/"), ("政府信息公开年报", "zwgk/ndbg/"), ("走进本区", "zjbq/")]

SIDE_ITEMS = ["区政府召开第十二次常务会议研究部署重点工作", "我区举办2024年民营企业招聘月专场活动",
              "全区安全生产工作会议召开强调压实责任", "区领导调研重点项目建设推进情况",
              "我区开展防汛应急演练提升处置能力"]

FRIENDS = [("中华人民共和国中央人民政府", "http://www.gov.cn/"), ("省人民政府门户网站", "http://www.example-prov.gov.cn/"),
           ("市人民政府门户网站", "links/shizf.html"), ("全国政务服务平台", "links/zwfw.html")]


def nav(root: str, style: int) -> str:
    items = "".join(f'<li><a href="{root}{href}">{label}</a></li>' for label, href in NAV_ITEMS)
    if style % 3 == 0:
        return f'<div class="nav"><ul>{items}</ul></div>'
    if style % 3 == 1:
        links = " | ".join(f'<a href="{root}{href}" target="_blank">{label}</a>' for label, href in NAV_ITEMS)
        return f'<table width="1000" class="menu"><tr><td>{links}</td></tr></table>'
    return f'<nav id="mainNav" class="navbar"><ul class="navbar-nav">{items}</ul></nav>'


def breadcrumb(root: str, column: str, column_href: str, style: int) -> str:
    sep = " &gt; " if style % 2 else " » "
    trail = f'<a href="{root}">首页</a>{sep}<a href="{root}zwgk/">政务公开</a>{sep}<a href="{column_href}">{column}</a>'
    if style % 3 == 0:
        return f'<div class="position">当前位置：{trail}</div>'
    if style % 3 == 1:
        return f'<div class="crumb"><span>您现在的位置：</span>{trail}</div>'
    return f'<ol class="breadcrumb"><li>{trail}</li></ol>'


def sidebar(root: str, style: int, dated: bool) -> str:
    """A box of hot/related items pointing at article-shaped URLs of other columns."""
    rows = []
    for n, text in enumerate(SIDE_ITEMS):
        href = f"{root}xwdt/202405/t202405{n + 1:02d}_90{n:04d}.html"
        date = f"<span>2024-05-{n + 1:02d}</span>" if dated else ""
        rows.append(f'<li><a href="{href}" title="{text}">{text}</a>{date}</li>')
    body = "".join(rows)
    if style % 4 == 0:
        return f'<div class="sidebar"><h3>热点信息</h3><ul>{body}</ul></div>'
    if style % 4 == 1:
        return f'<div class="right_box"><div class="tit">相关链接</div><ul>{body}</ul></div>'
    if style % 4 == 2:
        return f'<div class="col-md-3"><div class="panel-heading">推荐阅读</div><ul class="list-unstyled">{body}</ul></div>'
    return f'<aside><h4>图片新闻</h4><ul>{body}</ul></aside>'


def column_menu(root: str, style: int) -> str:
    """A left menu of sibling columns (short and headline-length labels)."""
    cols = [("通知公告", "tzgg/"), ("政策文件", "zcwj/"), ("政策解读", "zcjd/"),
            ("人事信息", "rsxx/"), ("财政预决算信息公开", "czyjs/"), ("重大建设项目批准和实施", "zdxm/")]
    items = "".join(f'<li><a href="{root}{href}">{label}</a></li>' for label, href in cols)
    cls = "left_nav" if style % 2 else "sub-menu"
    return f'<div class="{cls}"><h2>政务公开</h2><ul>{items}</ul></div>'


def friends(root: str, style: int) -> str:
    links = [(label, href if href.startswith("http") else root + href) for label, href in FRIENDS]
    if style % 2 == 0:
        items = "".join(f'<li><a href="{href}" target="_blank">{label}</a></li>' for label, href in links)
        return f'<div class="yqlj"><span>友情链接：</span><ul>{items}</ul></div>'
    items = "".join(f'<a href="{href}" target="_blank">{label}</a>' for label, href in links)
    return f'<div class="links"><div class="links-title">友情链接</div><p>{items}</p></div>'


def footer(root: str, style: int) -> str:
    links = (f'<a href="{root}about/wzdt.html">网站地图</a> | <a href="{root}about/lxwm.html">联系我们</a> | '
             f'<a href="{root}about/smsm.html">隐私声明与使用帮助</a>')
    text = ("主办单位：某某区人民政府办公室　承办单位：某某区大数据中心　地址：某某区政府路1号　"
            "联系电话：0871-12345678　网站标识码：5301020001　ICP备案号：滇ICP备05000001号")
    if style % 2 == 0:
        return f'<div class="footer"><p>{links}</p><p>{text}</p></div>'
    return f'<footer id="foot"><div class="foot-links">{links}</div><div class="copyright">{text}</div></footer>'


def page(title: str, head_extra: str, body: str, charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="{charset}">'
            f'<meta http-equiv="X-UA-Compatible" content="IE=edge"><title>{title}</title>{head_extra}</head>\n'
            f'<body>\n{body}\n</body></html>\n')
