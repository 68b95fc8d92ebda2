"""Scrubbing by family on cases written from how members really write (the independent corpus is
test_scrub_corpus.py): each identifier becomes its typed placeholder, the member's other words stay as written,
look-alike numbers stay, and long hostile text is scrubbed in linear time."""
from __future__ import annotations

import time

import pytest

from app.text.scrub import find_identifiers, scrub_contacts
from tests.text.typical_posts import typical_posts

SCRUBBED = [
    ("身份证 11010519491231002X", "身份证 [id-number]"), ("身份证 110105 1949 1231 002x 谢谢", "身份证 [id-number] 谢谢"),
    ("加V meiyan888", "加V [wechat]"), ("V: meiyan888", "V: [wechat]"), ("v：meiyan888 备注", "v：[wechat] 备注"),
    ("加薇 meiyan888", "加薇 [wechat]"), ("➕vx：meiyan888", "➕vx：[wechat]"), ("卫星号：meiyan888", "卫星号：[wechat]"),
    ("薇❤信 meiyan888", "薇❤信 [wechat]"), ("ｗｅｃｈａｔ：ｍｅｉｙａｎ８８８", "ｗｅｃｈａｔ：[wechat]"),
    ("微信号是meiyan888哦", "微信号是[wechat]哦"), ("wechat id: meiyan_888", "wechat id: [wechat]"),
    ("微 信 meiyan888", "微 信 [wechat]"), ("Wechat：Meiyan888，QQ：12345678", "Wechat：[wechat]，QQ：[qq]"),
    ("扣扣 一二三四五六七八", "扣扣 [qq]"), ("球球 12345678 晚上在", "球球 [qq] 晚上在"), ("V\u202e: meiyan888", "V\u202e: [wechat]"), ("QQ：壹贰叁肆伍陆柒捌", "QQ：[qq]"), ("Q号：12345678", "Q号：[qq]"),
    ("微博 @meiyan888", "微博 @[weibo]"), ("关注我的微博：美妍小仙女", "关注我的微博：[weibo]"),
    ("我的微博是 meiyan888", "我的微博是 [weibo]"), ("微博叫meiyan888", "微博叫[weibo]"),
    ("电话 138-0013-8000 9点后打", "电话 [phone] 9点后打"), ("手机 一三八 零零一三 八零零零", "手机 [phone]"),
    ("手机 幺三八零零幺三八零零零", "手机 [phone]"), ("电话 1\u200b3\u200b8\u200b0\u200b0\u200b1\u200b3\u200b8\u200b0\u200b0\u200b0", "电话 [phone]"),
    ("tel: +1-415-555-0132", "tel: [phone]"), ("+44 (0)20 7946 0958", "[phone]"), ("(+86)138 0013 8000 找我", "[phone] 找我"),
    ("卡号 6222 0212 3456 7890 128", "卡号 [bank-card]"), ("mail: ｂｏｂ＠ｅｘａｍｐｌｅ．ｃｏｍ", "mail: [email]"),
    ("send to jenny dot li at gmail dot com", "send to [email]"), ("京A·12345", "[plate]"), ("沪A 88888 挡路", "[plate] 挡路"),
    # other platforms' accounts and identity documents (independent privacy check, M3)
    ("小红书号 95271234", "小红书号 [handle]"), ("抖音号：dy_lily2020", "抖音号：[handle]"), ("IG: @lily.makeup", "IG: @[handle]"),
    ("ins lily_beauty_88", "ins [handle]"), ("my ig is lily.rose88", "my ig is [handle]"),
    ("小红书号：桃子爱护肤", "小红书号：[handle]"), ("小红书id: peachy_girl", "小红书id: [handle]"),
    ("passport E12345678", "passport [id-number]"), ("护照号码是G12345678", "护照号码是[id-number]"),
    ("香港身份证 A123456(7)", "香港身份证 [id-number]"),
    # a number announced as a card or an ID is one whatever its check digit (second independent check)
    ("卡号 6222 0212 3456 7890 123", "卡号 [bank-card]"),
]
UNTOUCHED = [
    "Part V: Introduction", "我们在微博上看到的", "微博是个好平台", "微博叫什么来着", "微博搜一下就知道了", "QQ音乐会员 12 个月", "Vitamin V: 100mg",
    "订单号 2024111312345678902", "订单号：20241113123456789", "价格 ¥1,380,013,800", "三四天就好了，一两次",
    "一二三四五六七八九十", "V领 毛衣 size123", "V: 2.0 released", "ISO 9001:2015", "微信支付 ¥99.00", "加微信群一起聊",
    "尺码 135 140 145 150 155", "日期 2024.11.13 时间 13:45", "身高 165cm 体重 52kg 年龄 28", "会员号 A1380013800",
    "iPhone 15 Pro Max 256G 13800", "电话会议 10:00-11:30", "温度 36.5 37.2 38.0 37.5 36.8", "快递单号 SF1234567890123",
    "体重 50.5 → 49.8 → 48.9 kg", "SPF50+ PA++++ 防晒 50ml ¥199", "烟酰胺 5% 玻尿酸 2.5%", "京东自营 A12345 款已下架",
    "ins and outs of skincare", "我在抖音上看到的", "小红书上很多人推荐", "IG上很火", "follow me on instagram!", "护照办好了",
    "ig account is great", "抖音 2024.11.11 大促", "小红书上3.5折", "b站up主推荐", "tiktok v2.0 update",
]


@pytest.mark.parametrize("text, expected", SCRUBBED)
def test_identifiers_in_every_disguise_become_their_typed_placeholder(text, expected):
    assert scrub_contacts(text) == expected


@pytest.mark.parametrize("text", UNTOUCHED)
def test_numbers_and_words_that_only_look_like_identifiers_stay(text):
    assert scrub_contacts(text) == text


def test_found_spans_point_into_the_original_text_around_the_identifier_only():
    text = "我的电话 138🌸0013🌸8000，微信 meiyan888，谢谢"
    spans = find_identifiers(text)
    assert [(text[start:end], placeholder) for start, end, placeholder in spans] == [
        ("138🌸0013🌸8000", "[phone]"), ("meiyan888", "[wechat]")]


@pytest.mark.parametrize("text", [
    "1 " * 25000, "1🌸" * 25000, "(1) " * 12500, "13-" * 16000, "一 " * 25000, "一" * 50000, "v: " * 16000, "加v" * 25000,
    "微信 " * 16000, "微信 a b c " * 8000, "qq " * 16000, "微博:" * 16000, "a@" * 25000, "京A" * 25000, "1️⃣" * 16000,
    "１" * 50000, "x at " + "a点" * 12000 + "1", "口红颜色很好看" * 7000 + " 1",
    # addresses, numbers in pieces, a plain "at"
    "区" * 30000 + "路1号", "上海市" * 10000 + "路1号", "区路1" * 15000, "花园3栋" * 8000, "12 Baker Street, " * 3000,
    "1 Abc " * 8000 + "Street", "138，" * 10000, "138 then " * 6000, "1零" * 20000, "a at gmail.com " * 3000,
], ids=lambda text: repr(text[:8]))
def test_scrubbing_a_post_at_the_size_cap_of_hostile_text_takes_linear_time(text):
    started = time.perf_counter()
    scrub_contacts(text)
    assert time.perf_counter() - started < 3.0  # about 0.6 s here; quadratic matching would take minutes


def test_typical_posts_are_scrubbed_fast_enough_for_a_million_post_export():
    posts = typical_posts(20_000)
    started = time.perf_counter()
    changed = sum(scrub_contacts(post) != post for post in posts)
    assert time.perf_counter() - started < 12.0  # about 0.6 s here (python -m tests.text.bench_scrub measures)
    assert changed >= 150  # the posts with a contact detail in them (one in a hundred) were scrubbed
