"""The closure decision: positives from real wordings, and the hard negatives."""

from __future__ import annotations

import pytest
import yaml

from crawler.extraction import decide_closure
from crawler.extraction.rules import RULES_FILE, RulesError, load_rules, parse_rules, reset_rules


@pytest.mark.parametrize("title, body", [
    ("关于“五华发布”微信公众号停止更新的公告", "感谢关注。"),
    ("公告", "各位网友：“商洛政务发布”新浪微博将于即日起停止发布信息，并启动注销关停程序。"),
    ("告别，是为了更好地出发", "亲爱的粉丝：本公众号将于2024年5月31日起停止更新，相关内容迁移至“雁塔发布”。"),
    ("关于“青岛交通”APP停止运营的公告", "特此公告。"),
    ("上城区关于“上城政务”APP下架的公告", "特此公告。"),
    ("关于“杭州林水”微信公众号并入“杭州发布”的公告", "特此公告。"),
    ("关于部分政务新媒体账号关停整合的公告", "经研究决定，对以下账号予以关停。"),
    ("说明", "“南京文旅”快手号和哔哩哔哩账号自6月10日起不再更新。"),
])
def test_closures_are_recognised(rules, title, body):
    decision = decide_closure(title, body, rules.closure)
    assert decision.closure, decision
    assert decision.platform_term and decision.action_term


@pytest.mark.parametrize("title, body, why", [
    ("关于“昆明民政”抖音号正式开通的公告", "原“昆明民政”微博同步停止更新。", "excluded: new_account"),
    ("关于五华区部分区域计划停水的通知", "停水期间请关注“昆明自来水”微信公众号，我们将停止供水……", "excluded: utility_outage"),
    ("2024年第一季度政府网站和政务新媒体检查情况通报", "对无力维护的政务新媒体账号要及时关停整合。", "excluded: inspection_report"),
    ("《成都市进一步加强政务新媒体管理的实施意见》政策解读", "对长期不更新的账号由主办单位申请关停、注销。", "excluded: policy_document"),
    ("政务新媒体运营服务采购项目中标公告", "服务内容：公众号、微博代运营，含账号迁移。", "excluded: recruitment_and_procurement"),
    ("关于开展安全生产大检查的通知", "各单位要认真开展自查。", "no platform term"),
    ("关于“昆明发布”微信公众号获评优秀政务新媒体的喜讯", "感谢广大网友支持。", "no closure action"),
])
def test_hard_negatives_are_rejected(rules, title, body, why):
    decision = decide_closure(title, body, rules.closure)
    assert not decision.closure
    assert decision.reason.startswith(why), decision


def test_terms_must_share_a_sentence(rules):
    body = "欢迎关注我们的微信公众号。本周末道路施工，部分路段关闭。"
    decision = decide_closure("温馨提示", body, rules.closure)
    assert not decision.closure and decision.reason == "platform and action never in one sentence"


def test_only_the_opening_sentences_are_read(rules):
    filler = "。".join(f"第{n}项工作进展顺利" for n in range(rules.closure.max_sentences + 2))
    late = decide_closure("工作总结", filler + "。部分公众号已停止更新。", rules.closure)
    early = decide_closure("工作总结", "部分公众号已停止更新。" + filler, rules.closure)
    assert not late.closure and early.closure


def test_rules_file_errors_name_the_problem(tmp_path):
    raw = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    raw["dates"]["value_patterns"] = ["(unclosed"]
    with pytest.raises(RulesError, match="dates.value_patterns"):
        parse_rules(raw)
    del raw["closure"]
    with pytest.raises(RulesError, match="closure"):
        parse_rules(raw)
    broken = tmp_path / "rules.yaml"
    broken.write_text("meta: [", encoding="utf-8")
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(broken)
    reset_rules()
