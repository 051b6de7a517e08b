"""The accounts registry, precision first (issue 18): only names that look like names, only accounts
the notice closes, 本公众号 resolved to the page's own account, confidence and evidence on each."""

import pytest

from analysis.accounts import extract_accounts


def _keys(result):
    return {(a.name, a.platform) for a in result.accounts}


def test_references_before_a_platform_word_are_not_names():
    body = ("“东湖城管”抖音号自7月1日起停止更新。停更后，我们会把力气放到本公众号上，"
            "而同名视频号也会继续更新。\n东湖区城市管理局\n2024年6月20日")
    assert _keys(extract_accounts("停更说明", body)) == {("东湖城管", "douyin")}


def test_a_bare_name_needs_the_shape_of_an_organisation_or_place():
    got = _keys(extract_accounts("关于停止更新部分账号的公告", "沙坪区档案馆微信公众号自即日起停止更新；"
                                 "大家好久不见微信公众号里的老朋友们也请放心。"))
    assert got == {("沙坪区档案馆", "wechat")}


def test_follow_instead_accounts_are_never_closed():
    body = ("“南湖交警”快手号将于8月1日起停止更新。\n以后看交通资讯，认准“南湖交警”微信公众号就对了！\n"
            "公交查询等服务已接入“悦南湖”APP。")
    result = extract_accounts("南湖交警快手号停更通知", body)
    assert _keys(result) == {("南湖交警", "kuaishou")}


def test_an_account_only_near_a_closure_title_is_not_closed():
    # The title closes something, but this sentence only mentions a channel: not a closure.
    body = "欢迎大家继续通过“平江发布”微信公众号了解政务信息，“平江旅游”抖音号也在持续更新。"
    assert extract_accounts("关于政务新媒体停止更新的公告", body).accounts == ()


def test_self_reference_on_a_wechat_article_is_the_articles_account():
    body = "感谢大家的陪伴！根据集约化要求，本公众号将于2024年9月30日起停止更新，今后请关注“江城发布”微信公众号。"
    [acc] = extract_accounts("关于本公众号停止更新的公告", body, wechat_account="江城市场监管",
                             issuer="江城市市场监督管理局").accounts
    assert (acc.name, acc.platform, acc.action) == ("江城市场监管", "wechat", "stop_updating")
    assert "本公众号" in acc.evidence and acc.successor == "江城发布"


def test_self_reference_falls_back_to_the_issuer_with_low_confidence():
    [acc] = extract_accounts(None, "本公众号自即日起停止更新并注销。", issuer="江城市统计局").accounts
    assert (acc.name, acc.platform, acc.action) == ("江城市统计局", "wechat", "deregister")
    assert acc.confidence < 0.6


def test_self_reference_in_reported_speech_is_the_speaking_account():
    body = "3月5日，抖音账号“北岸消防”发布说明称，“接上级通知，本账号将注销，感谢大家的陪伴。”"
    [acc] = extract_accounts(None, body, issuer="某某新闻网").accounts
    assert (acc.name, acc.platform, acc.action) == ("北岸消防", "douyin", "deregister")


def test_self_reference_next_to_the_named_account_adds_nothing():
    body = "我局政务新媒体账号“西岭税务”微信公众号将于2024年5月1日起停止发布信息，并启动注销程序。"
    [acc] = extract_accounts(None, body, issuer="西岭区税务局").accounts
    assert (acc.name, acc.platform, acc.action) == ("西岭税务", "wechat", "deregister")


def test_a_cited_notice_title_does_not_speak_for_the_page():
    body = "记者注意到，《关于本公众号停止更新的公告》近日在多个平台流传。"
    assert extract_accounts(None, body, issuer="某某日报").accounts == ()


def test_several_names_in_one_pair_of_quotes_share_the_platform_word():
    body = "经研究，注销「北岭县文化馆、北岭县图书馆、北岭县科协」等3个微信公众号。"
    got = extract_accounts(None, body)
    assert _keys(got) == {("北岭县文化馆", "wechat"), ("北岭县图书馆", "wechat"), ("北岭县科协", "wechat")}
    assert {a.action for a in got.accounts} == {"deregister"}


def test_traditional_characters_are_read_as_simplified():
    [acc] = extract_accounts("關於「灣區文體」微信公眾號停止更新的公告", "「灣區文體」微信公眾號自即日起停止更新。").accounts
    assert (acc.name, acc.platform, acc.action) == ("湾区文体", "wechat", "stop_updating")


def test_confidence_follows_the_names_shape_and_where_the_closure_was_read():
    body = "“临川人社”微信公众号自6月1日起停止更新。临川区水利局微信公众号自6月1日起停止更新。"
    got = {a.name: a for a in extract_accounts(None, body).accounts}
    assert got["临川人社"].confidence > got["临川区水利局"].confidence > 0
    assert got["临川人社"].evidence == "“临川人社”微信公众号自6月1日起停止更新。"


def test_kept_accounts_named_before_the_closed_ones_stay_open():
    body = "经梳理，保留“河西发布”微信公众号、“河西发布”微博，注销“河西科技”微信公众号。"
    assert _keys(extract_accounts(None, body)) == {("河西科技", "wechat")}
    listed = "一、继续运营的账号：“河西发布”抖音号。\n二、停止更新的账号：“河西文联”抖音号。"
    assert _keys(extract_accounts(None, listed)) == {("河西文联", "douyin")}


def test_ben_inside_a_word_is_no_self_reference():
    body = "“东城政务”APP将于8月1日下线，旧版本号不再更新。"
    got = extract_accounts(None, body, wechat_account="东城发布")
    assert _keys(got) == {("东城政务", "app")}


# --- shapes met in real news text (issue 18, the 2026-12-07 tuning set); examples written here ---


def test_pinyin_glosses_of_reposting_sites_are_dropped_before_reading():
    body = "“河西發(fā)布”公眾號(hào)自5月1日起正式停止運(yùn)營(yíng)。"
    [acc] = extract_accounts(None, body).accounts
    assert (acc.name, acc.platform, acc.action) == ("河西发布", "wechat", "stop_updating")


def test_a_channel_named_after_a_pointer_or_a_keep_word_is_not_part_of_a_bare_name():
    body = ("骑行服务已全面接入优行APP，原有账号可通过优行微信小程序登录。"
            "全市公安系统只保留市级公安局微信公众号，其余一律关停。")
    assert extract_accounts("关于账号整合的说明", body).accounts == ()


def test_a_count_or_an_office_type_alone_is_no_name():
    body = ("今年以来，全县8个乡镇公安局微信公众号已陆续停止更新，交警大队微信公众号也暂停更新。"
            "停运数量占到全县微信公众号的六成。")
    assert extract_accounts(None, body).accounts == ()


def test_a_short_bare_name_opening_its_clause_is_an_account():
    body = "集团决定整合旗下客户端，晨光客户端、夜航客户端同步停止更新。"
    got = {(a.name, a.platform, a.action, a.confidence) for a in extract_accounts(None, body).accounts}
    assert got == {("晨光", "app", "stop_updating", 0.5), ("夜航", "app", "stop_updating", 0.5)}


def test_a_clause_opening_word_that_is_no_name_stays_out():
    body = "按照集团安排，目前客户端已停止更新，但是微信公众号继续运营。"
    assert extract_accounts(None, body).accounts == ()


@pytest.mark.parametrize("body", ["通知如下，相关单位公众号停止更新。", "通知如下，官方晨光客户端停止更新。"])
def test_a_clause_opening_run_with_a_generic_word_in_front_is_no_short_name(body):
    assert extract_accounts(None, body).accounts == ()


@pytest.mark.parametrize("body", ["发出微信公众号停止更新的公告后，他终于可以准点下班。",
                                  "关注微信公众号即可查看，本微博停止更新。", "扫码APP下载后注销账号。"])
def test_a_verb_opening_its_clause_before_a_platform_word_is_no_name(body):
    assert not {a.name for a in extract_accounts(None, body).accounts} & {"发出", "关注", "扫码"}


def test_prose_far_from_a_closure_does_not_take_an_earlier_sentences_verb():
    body = ("关停不是目的，优化服务才是目标。"
            "一些贴近群众的政务新媒体，如“东城卫健”微信公众号、“西岭办事”APP等，都以其实用性赢得了口碑。")
    assert extract_accounts(None, body).accounts == ()


def test_a_list_item_still_takes_the_action_introducing_the_list():
    body = "现决定关停以下账号：\n1. 微信公众号：北塘文旅\n2. “北塘教育”抖音号（2018年开通）"
    assert _keys(extract_accounts(None, body)) == {("北塘文旅", "wechat"), ("北塘教育", "douyin")}


def test_a_colon_ending_a_line_does_not_name_the_next_line():
    body = "去年二月，她自己注销了自己的微信公众号：\n另一个号也被同时注销。"
    assert extract_accounts(None, body).accounts == ()


def test_news_shorthand_and_vague_counts_after_a_quoted_name():
    body = "5月30日，“南岸规划监察”等数十个政务公号发出停更公告。新闻社停办“晚风”客户端。"
    got = {(a.name, a.platform, a.action) for a in extract_accounts(None, body).accounts}
    assert got == {("南岸规划监察", "wechat", "stop_updating"), ("晚风", "app", "deregister")}


def test_a_contrast_ends_the_reach_of_a_successor_cue():
    body = "三大报纸将共同使用全新的上观新闻客户端，而文汇客户端和新民客户端将停止更新。"
    assert _keys(extract_accounts(None, body)) == {("文汇", "app"), ("新民", "app")}


@pytest.mark.parametrize("body,closed", [
    ("即日起请使用“滨江发布”微信公众号，“滨江政务”微博停止更新。", {("滨江政务", "weibo")}),
    ("今后请下载“i城东”APP，原“城东通”APP同时停止运营。", {("城东通", "app")}),
    # Still the successor: in the cue's own clause, or with no closure verb of its own.
    ("“城南发布”微信公众号停止更新，请关注“城南政务”微信公众号。", {("城南发布", "wechat")}),
    ("“城西发布”微博注销，相关信息迁移至“城西政务”微信公众号，“城西政务”将持续更新。", {("城西发布", "weibo")}),
])
def test_a_name_in_a_later_clause_with_its_own_closure_verb_is_out_of_a_successor_cues_reach(body, closed):
    assert _keys(extract_accounts(None, body)) == closed


def test_quoted_names_counted_as_clients_merge():
    body = "“浙江新闻”“天目新闻”“小时新闻”三端合一而成的潮新闻客户端正式上线。"
    got = {(a.name, a.platform, a.action) for a in extract_accounts(None, body).accounts}
    assert got == {(n, "app", "merge") for n in ("浙江新闻", "天目新闻", "小时新闻")}


@pytest.mark.parametrize("body", ["业界新闻客户端合并的案例不少。", "用户仍可随时进入美团APP申请退款，摩拜APP停止服务。"])
def test_a_field_or_a_pointer_before_a_platform_word_is_no_name(body):
    assert not {a.name for a in extract_accounts(None, body).accounts} & {"业界新闻", "仍可随时进入美团", "美团"}
