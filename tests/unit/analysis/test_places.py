"""Places: issuer first, county-level cities keep their parent, shared names stay ambiguous."""

from analysis.places import place_of_name, resolve_announcement, resolve_text


def test_county_level_city_keeps_its_prefecture_and_province():
    place = resolve_announcement("张家港市城市管理局", None, None)
    assert (place.province, place.city, place.district, place.admin_code) == ("江苏省", "苏州市", "张家港市", "320582")
    assert not place.ambiguous


def test_district_only_issuer_resolves_when_the_name_is_unique():
    place = resolve_announcement("雁塔区人民政府", "关于停止更新的公告", "本区部分账号停止更新。")
    assert (place.city, place.district, place.source) == ("西安市", "雁塔区", "issuer")


def test_shared_district_name_is_ambiguous_when_nothing_settles_it():
    place = resolve_announcement("鼓楼区人民政府办公室", "关于部分账号停止更新的公告", "经区政府同意，以下账号停止更新。")
    assert place.ambiguous
    assert place.city is None and place.province is None and place.admin_code is None
    assert place.district == "鼓楼区"
    assert set(place.candidates) == {"320106", "320302", "350102", "410204"}  # 南京 徐州 福州 开封


def test_shared_district_name_is_settled_by_the_body():
    place = resolve_announcement("西湖区城市管理局", None, "杭州市西湖区城市管理相关动态将在发布号发布。")
    assert (place.province, place.city, place.district) == ("浙江省", "杭州市", "西湖区")
    assert not place.ambiguous


def test_issuer_context_settles_shared_name():
    place = resolve_announcement("南京市鼓楼区人民政府", None, None)
    assert (place.city, place.admin_code) == ("南京市", "320106")


def test_municipality_is_its_own_city():
    place = resolve_announcement("北京市朝阳区人民政府", None, None)
    assert (place.province, place.city, place.district) == ("北京市", "北京市", "朝阳区")


def test_traditional_characters():
    place = resolve_announcement(None, "關於停止更新“天心城管”的公告", "長沙市天心區城市管理相關信息")
    assert (place.city, place.district) == ("长沙市", "天心区")


def test_no_place_at_all():
    place = resolve_announcement("某某局", "", "")
    assert not place.found and place.city is None


def test_empty_inputs():
    assert resolve_text("").city is None
    assert place_of_name(None).city is None


def test_common_word_short_forms_do_not_count_in_running_text():
    # 合作 (cooperation), 江山 (landscape), 安宁 (peace) are also county-level cities.
    assert resolve_text("加强合作，守护江山安宁").city is None
    assert resolve_announcement("合作市人民政府", None, None).city == "甘南藏族自治州"


def test_poster_region_only_settles_shared_names():
    assert resolve_text("今天天气不错", region="江苏").city is None
    assert resolve_text("鼓楼区又关了几个号", region="福建").city == "福州市"


def test_subject_city_hint_wins_over_text_for_posts():
    assert resolve_text("看看人家张家港", hint="昆明").city == "昆明市"
