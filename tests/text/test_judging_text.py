"""The spam filter's reading of a text (app.text.normalise.judging_text): addresses and contact words written to
dodge filters read as the plain forms; ordinary sentences, prices and numbers stay as they are."""
from __future__ import annotations

import pytest

from app.text.normalise import disguised_address, disguised_number, judging_text


@pytest.mark.parametrize("text, expected", [
    ("hongbao . vip 新人领红包", "hongbao.vip 新人领红包"),
    ("h t t p : / / red-pack . top", "http://red-pack.top"),
    ("h t t p s : / / free-hd . live", "https://free-hd.live"),
    ("www点lucky-gift点com", "www.lucky-gift.com"),
    ("w w w . prize-claim . top", "www.prize-claim.top"),
    ("visit example dot com now", "visit example.com now"),
    ("www。shop。top", "www.shop.top"),
    ("ｗｗｗ．ｃａｓｈ－ｆａｓｔ．ｃｏｍ", "www.cash-fast.com"),
])
def test_text_forms_of_addresses_read_as_addresses(text, expected):
    assert judging_text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("V❤: meiyan888", "微信 : meiyan888"),
    ("❤️免费❤️领取❤️加V❤️meiyan888❤️", "免费领取加微信 meiyan888"),  # "add" stays: an invitation, not a mention
    ("加我 v x：zhongyao_88", "加微信:zhongyao_88"),
    ("绿色泡泡 ： yuan⭐️yuan⭐️0⭐️8", "微信 : yuanyuan08"),  # emoji inside an id dropped
    ("微亻言：abc_123", "微信:abc_123"), ("威芯 meimei_88", "微信 meimei_88"),
    ("薇：８８６６ｋｋ 小样", "微信:8866kk 小样"),  # an id that starts with digits
    ("bit . ly / 3abc", "bit.ly / 3abc"),
    ("扣扣 一二三四五六七八", "qq 12345678"),
    ("企鹅 12345678", "qq 12345678"),
    ("兼 职 刷 单 日 结", "兼职刷单日结"),
    ("f o l l o w e r s cheap", "followers cheap"),
])
def test_contact_words_and_spelled_out_words_are_joined_and_canonical(text, expected):
    assert judging_text(text) == expected


@pytest.mark.parametrize("text", [
    "I said it. Com on, try it.",
    "价格是 ¥259，满 500 减 50",
    "早上8:00出门，11:30补一次",
    "我用微信支付付的款",
])
def test_ordinary_sentences_make_no_address(text):
    judged = judging_text(text)
    assert ".com" not in judged and "http" not in judged


@pytest.mark.parametrize("text, expected", [
    ("call 1-8O8-555-O142 now", "call 18085550142 now"),  # letters that look like digits, in a number
    ("+1 (888) 4O2-7711", "+18884027711"),
    ("预约 微 w a n g j i n g", "预约 微信 wangjing"),  # a weak messenger word before a spelled-out id
    ("v❤ he huo ren 2 0 2 4", "微信 he huo ren 2024"),  # a V dressed up with an emoji
    ("🛰️ 搜 yanyan丶520", "微信 搜 yanyan_520"),
    ("去找 ㄨ信 jiejie_916", "去找 微信 jiejie_916"),  # a bopomofo ㄨ for 微
    ("去我置顶找她的v", "去我置顶找她的微信"),  # someone's V is their WeChat
])
def test_numbers_and_ids_in_disguise_read_plainly(text, expected):
    assert judging_text(text) == expected


@pytest.mark.parametrize("text", ["lol 2000 likes", "vitamin b3 oil 10ml", "h2o and oil 100ml", "see you at 10 or 11",
                                  "Part V: Introduction"])
def test_words_next_to_numbers_stay_words(text):
    assert judging_text(text) == text.lower()


@pytest.mark.parametrize("text", ["电话0①⑦-⑧⑥⑤⑤③②①", "扣扣 一二三四五六七八", "1️⃣3️⃣8️⃣0️⃣0️⃣", "1🌸3🌸8🌸0🌸0🌸1",
                                  "¹²³⁴⁵⁶"])
def test_a_number_in_dressed_up_digits_is_disguised(text):
    assert disguised_number(text)


@pytest.mark.parametrize("text", ["①洁面 ②水 ③乳", "二〇二四年十一月", "订单号 4028 1735 6620", "第1️⃣步 洁面 第2️⃣步",
                                  "SPF50 PA++++ 30ml", "价格是 ¥259，满 500 减 50", "批号 ＡＢ１２３４５"])
def test_lists_dates_and_plain_numbers_are_not_disguised(text):
    assert not disguised_number(text)


@pytest.mark.parametrize("text, spelled", [
    ("clearskin dot shop", True), ("hongbao . vip 领红包", True), ("www点lucky点com", True),
    ("官网 qinyan-skin.cn", False), ("查 nmpa.gov.cn 备案", False), ("I said it. Com on", False), ("我的vip卡", False),
])
def test_an_address_spelled_out_is_told_from_one_written_plainly(text, spelled):
    assert disguised_address(text) is spelled
