"""Tables and bracketed platforms in closure notices (analysis.tables, through extract_accounts)."""

from analysis.accounts import extract_accounts
from analysis.tables import layouts_as_sentences, rows_as_sentences

TABLE_NOTICE = """为深化政务新媒体集约化建设，我区决定对以下政务新媒体账号进行调整，自2024年6月1日起施行：
| 序号 | 账号名称 | 所属平台 | 主办单位 | 调整方式 |
|---|---|---|---|---|
| 1 | 某某教育 | 新浪微博 | 某某区教育局 | 停止更新 |
| 2 | 某某街道 | 微信公众号 | 某某街道办事处 | 并入“某某发布” |
调整后，相关信息统一在“某某发布”发布。
某某区人民政府办公室
2024年5月22日"""


def test_a_table_row_becomes_a_sentence_with_name_platform_and_action():
    out = rows_as_sentences(TABLE_NOTICE)
    assert "“某某教育”新浪微博停止更新。" in out
    assert "|---" not in out and "| 序号" not in out


def test_accounts_in_a_table_get_action_date_and_successor():
    found = {(a.name, a.platform): a for a in extract_accounts("关于部分政务新媒体调整的公告", TABLE_NOTICE).accounts}
    assert set(found) == {("某某教育", "weibo"), ("某某街道", "wechat")}
    assert found[("某某教育", "weibo")].action == "stop_updating"
    assert found[("某某街道", "wechat")].action == "merge"
    assert {a.effective_date for a in found.values()} == {"2024-06-01"}
    assert found[("某某街道", "wechat")].successor == "某某发布"


def test_a_table_without_name_and_platform_columns_is_left_alone():
    text = "| 项目 | 金额 |\n| 运维 | 5万元 |"
    assert rows_as_sentences(text) == text


def test_bracketed_platforms_in_a_numbered_list():
    body = ("以下账号自6月1日起停止更新：\n（一）某某教育（新浪微博）；\n（二）某某人社（今日头条），内容并入“某某发布”。\n"
            "某某市人民政府办公室\n2024年5月20日")
    assert "“某某教育”新浪微博" in layouts_as_sentences(body)
    found = {(a.name, a.platform): a for a in extract_accounts(None, body).accounts}
    assert set(found) == {("某某教育", "weibo"), ("某某人社", "toutiao")}
    assert found[("某某教育", "weibo")].effective_date == "2024-06-01"  # year from the signature


def test_a_start_date_in_a_sentence_without_an_account_is_the_notices_date():
    body = "“某某交通”微信公众号整合并入“某某发布”，原账号注销。自2024-06-01起生效。"
    [acc] = extract_accounts(None, body).accounts
    assert (acc.action, acc.effective_date, acc.successor) == ("merge", "2024-06-01", "某某发布")


def test_attention_is_not_a_pointer_to_a_successor():
    body = ("对长期不更新、关注度低的“僵尸号”予以注销：“某某文旅”抖音号自即日起注销。今后信息通过“某某发布”发布。\n"
            "某某区人民政府\n2024年5月14日")
    [acc] = extract_accounts(None, body).accounts
    assert acc.successor == "某某发布"
    assert acc.effective_date == "2024-05-14"
