"""The closed-accounts registry: names, platforms, actions, dates, successors, reasons."""

from analysis.accounts import extract_accounts


def _by_key(result):
    return {(a.name, a.platform): a for a in result.accounts}


def test_quoted_name_action_date_successor_and_reasons():
    body = ("为推进政务新媒体集约化建设，切实为基层减负，自2024年6月1日起，“张家港城管”微信公众号停止更新。"
            "今后，相关信息将通过“张家港发布”微信公众号发布。如有问题请拨打12345热线。\n张家港市城市管理局\n2024年5月20日")
    result = extract_accounts("关于“张家港城管”微信公众号停止更新的公告", body)
    [acc] = result.accounts
    assert (acc.name, acc.platform, acc.action) == ("张家港城管", "wechat", "stop_updating")
    assert acc.effective_date == "2024-06-01"
    assert acc.successor == "张家港发布"
    assert {"consolidation", "grassroots_workload"} <= set(acc.reasons)
    assert result.platforms == ("wechat",)


def test_several_accounts_one_name_several_platforms_and_precedence():
    body = "“渝中城管”微信公众号、微博停止更新并注销，“渝中交通”抖音号并入“重庆渝中”抖音号。\n2024年4月2日"
    got = _by_key(extract_accounts(None, body))
    assert set(got) == {("渝中城管", "wechat"), ("渝中城管", "weibo"), ("渝中交通", "douyin")}
    assert got[("渝中城管", "wechat")].action == "deregister"  # 注销 wins over 停止更新
    assert got[("渝中交通", "douyin")].action == "merge"
    assert got[("渝中交通", "douyin")].successor == "重庆渝中"


def test_bare_names_list_items_and_handles():
    body = ("开福区以下账号将于5月10日关停：\n微信公众号：开福城管\n抖音号：开福应急管理\n"
            "@开福司法 政务微博同步注销。\n2024年5月2日")
    got = _by_key(extract_accounts(None, body))
    assert set(got) == {("开福城管", "wechat"), ("开福应急管理", "douyin"), ("开福司法", "weibo")}
    assert got[("开福城管", "wechat")].action == "deregister"
    assert got[("开福城管", "wechat")].effective_date == "2024-05-10"  # year from the signature


def test_bare_name_before_platform_word():
    got = _by_key(extract_accounts("关于停止更新顺德区档案馆微信公众号的公告", "自6月1日起停止更新。", "2024-05-13"))
    assert ("顺德区档案馆", "wechat") in got
    assert got[("顺德区档案馆", "wechat")].effective_date == "2024-06-01"  # year from publication date


def test_today_is_the_signature_date():
    body = "“城阳统计”微信公众号自即日起停止更新。\n青岛市城阳区人民政府办公室\n2024年5月8日"
    [acc] = extract_accounts(None, body, "2024-05-09").accounts
    assert acc.effective_date == "2024-05-08"


def test_unknown_date_stays_null():
    [acc] = extract_accounts(None, "“宜兴水利”微信公众号停止运营。").accounts
    assert acc.effective_date is None


def test_hotline_alone_is_not_a_successor():
    [acc] = extract_accounts(None, "“江宁环保”微信公众号于2024年4月1日注销。群众咨询请拨打12345热线。").accounts
    assert acc.successor is None


def test_website_successor():
    body = "“仙桃交通”微信公众号自2024年8月15日起停止更新，交通出行信息请通过仙桃市人民政府门户网站查询。"
    [acc] = extract_accounts(None, body).accounts
    assert acc.successor == "仙桃市人民政府门户网站"


def test_kept_accounts_are_not_closed():
    body = "“金水教育”微信公众号继续运营；“金水城建”微信公众号自2024年9月15日起停止更新。"
    got = _by_key(extract_accounts(None, body))
    assert set(got) == {("金水城建", "wechat")}
    assert got[("金水城建", "wechat")].successor is None


def test_same_name_closed_on_one_platform_successor_on_another():
    body = "“昆山人社”微博将于2024年3月1日停止更新，相关信息将通过“昆山人社”微信公众号继续发布。"
    [acc] = extract_accounts(None, body).accounts
    assert (acc.platform, acc.successor) == ("weibo", "昆山人社")


def test_purpose_clause_is_not_the_action():
    body = "@呈贡发改、@呈贡工信 两个政务微博账号关注人数较少，为整合资源，于2024年6月5日注销。"
    assert {a.action for a in extract_accounts(None, body).accounts} == {"deregister"}


def test_ordinary_notice_closes_nothing():
    body = "请各单位于2024年3月1日前通过政务新媒体管理平台填报所属账号信息，包括微信公众号、微博、抖音号等。"
    result = extract_accounts("关于开展政务新媒体普查工作的通知", body)
    assert result.accounts == ()
    assert set(result.platforms) == {"wechat", "weibo", "douyin"}


def test_traditional_characters():
    [acc] = extract_accounts(None, "“天心城管”微信公眾號自2024年5月20日起停止更新。").accounts
    assert (acc.name, acc.platform) == ("天心城管", "wechat")


def test_empty():
    assert extract_accounts(None, None).accounts == ()
    assert extract_accounts("", "").platforms == ()


def test_a_date_without_a_year_takes_the_signature_year_else_the_publication_year():
    signed = "“某某教育”微博将于6月1日起注销。\n某某区教育局\n2024年5月20日"
    [acc] = extract_accounts(None, signed, published_at="2023-12-30").accounts
    assert acc.effective_date == "2024-06-01"  # the signature wins over the publication date
    [acc] = extract_accounts(None, "“某某教育”微博将于6月1日起注销。", published_at="2023-12-30").accounts
    assert acc.effective_date == "2023-06-01"
    [acc] = extract_accounts(None, "“某某教育”微博将于6月1日起注销。").accounts
    assert acc.effective_date is None
