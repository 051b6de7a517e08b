"""The pipeline's entry point: every label per kind, batching, caches."""

from pathlib import Path

import pytest

from analysis.enrich import AnalysisOptions, enrich, enrich_many, reset_caches
from core.config import Settings

OPTIONS = AnalysisOptions()
ANNOUNCEMENT = {
    "id": "a1", "url": "http://127.0.0.1/a1", "issuer": "昆明市五华区人民政府办公室",
    "title": "五华区关于注销部分政务新媒体账号的公告", "published_at": "2024-04-28",
    "body": "因长期未更新，“五华文旅”微信公众号、“五华应急”抖音号于2024年5月10日注销。\n2024年4月28日",
}


def test_options_from_settings(tmp_path):
    themes = tmp_path / "t.yaml"
    s = Settings(sentiment_positive=0.7, sentiment_negative=0.2, themes_file=themes)
    opts = AnalysisOptions.from_settings(s)
    assert (opts.sentiment_positive, opts.sentiment_negative, opts.themes_file) == (0.7, 0.2, Path(themes))


def test_announcement_labels():
    doc = enrich("announcement", ANNOUNCEMENT, OPTIONS)
    assert doc["id"] == "a1" and doc["body"] == ANNOUNCEMENT["body"]  # input kept
    assert (doc["province"], doc["city"], doc["district"], doc["admin_code"]) == ("云南省", "昆明市", "五华区", "530102")
    assert doc["place_ambiguous"] is False
    assert doc["platforms"] == ["wechat", "douyin"]
    assert {a["name"] for a in doc["accounts"]} == {"五华文旅", "五华应急"}
    assert all(set(a) == {"name", "platform", "action", "effective_date", "successor", "reasons", "confidence",
                          "evidence"} for a in doc["accounts"])
    assert all(0 < a["confidence"] <= 1 and a["name"] in a["evidence"] for a in doc["accounts"])
    assert "content_quality" in doc["themes"]
    # Issue 18 changed this deliberately: a notice keeps snownlp's raw score, but no tone label
    # (snownlp scores formal notices near 0 or 1 whatever they say).
    assert doc["sentiment_label"] is None
    assert 0 <= doc["sentiment"] <= 1 and doc["sentiment_model"]
    assert "stance" not in doc


def test_enrich_is_pure():
    before = dict(ANNOUNCEMENT)
    enrich("announcement", ANNOUNCEMENT, OPTIONS)
    assert ANNOUNCEMENT == before


def test_post_takes_the_subject_city_hint():
    doc = enrich("post", {"id": "weibo:1", "text": "各地都在关政务号，你怎么看？"}, OPTIONS, subject_city="长沙")
    assert (doc["province"], doc["city"]) == ("湖南省", "长沙市")
    assert doc["stance"] == "neutral"


def test_post_city_from_text():
    doc = enrich("post", {"id": "weibo:2", "text": "张家港关停了一批政务新媒体"}, OPTIONS)
    assert doc["city"] == "苏州市"


def test_comment_city_is_the_posts():
    doc = enrich("comment", {"id": "weibo:3", "text": "早该关了，浪费资源"}, OPTIONS, subject_city="西安市")
    assert (doc["province"], doc["city"], doc["stance"]) == ("陕西省", "西安市", "support")
    assert "duplication_waste" in doc["themes"]


def test_a_posts_comment_without_subject_city_has_none():
    """A crawled comment is about its post's place, settled from the post, never its own words."""
    doc = enrich("comment", {"id": "weibo:4", "post_id": "weibo:0", "text": "张家港的也关了"}, OPTIONS)
    assert doc.get("city") is None


def test_a_text_with_no_post_is_about_the_place_it_names():
    """`yuqing analyze` and POST /analyze label a caller's own text: its place is the one it names."""
    doc = enrich("comment", {"text": "张家港的微信公众号也关了"}, OPTIONS)
    assert (doc["province"], doc["city"], doc["district"]) == ("江苏省", "苏州市", "张家港市")
    assert doc["platforms"] == ["wechat"]


def test_thresholds_come_from_options():
    strict = AnalysisOptions(sentiment_positive=0.999, sentiment_negative=0.001)
    assert enrich("comment", {"text": "挺好的"}, strict)["sentiment_label"] == "neutral"


@pytest.mark.parametrize("kind", ["comment", "post"])
def test_enrich_many_matches_enrich(kind):
    """enrich_many reads a batch's stance and themes in one call of each model; the labels are
    those of enrich, one document at a time."""
    texts = [{"text": t, "title": "关停" if kind == "post" else None}
             for t in ("早该关了", "以后去哪看通知", "", "關得好", "一个街道三个号，花钱找公司代运营，纯属浪费")]
    many = enrich_many(kind, texts, OPTIONS, subject_city="昆明")
    one = [enrich(kind, t, OPTIONS, subject_city="昆明") for t in texts]
    assert many == one
    assert {"duplication_waste"} <= set(many[-1]["themes"]) and many[0]["stance"] == "support"


def test_unknown_kind():
    import pytest

    with pytest.raises(ValueError, match="unknown kind"):
        enrich("tweet", {"text": "x"}, OPTIONS)


def test_user_taxonomy_and_cache_reset(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text("themes:\n  cost:\n    label: 成本\n    keywords: [外包]\n", encoding="utf-8")
    opts = AnalysisOptions(themes_file=path)
    assert enrich("comment", {"text": "外包公司赚麻了"}, opts)["themes"] == ["cost"]
    path.write_text("themes:\n  money:\n    label: 钱\n    keywords: [外包]\n", encoding="utf-8")
    reset_caches()
    assert enrich("comment", {"text": "外包公司赚麻了"}, opts)["themes"] == ["money"]
