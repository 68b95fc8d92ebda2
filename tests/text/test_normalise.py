"""The one normaliser: what it folds, joins and canonicalises, and that every character points back to the
stretch of the original it came from."""
from __future__ import annotations

import pytest

from app.text.normalise import QQ, WECHAT, WEIBO, normalise


def original_of(text: str, fragment: str) -> str:
    """The original text behind ``fragment`` of the normalised text."""
    normalised = normalise(text)
    start = normalised.text.index(fragment)
    begin, end = normalised.original_span(start, start + len(fragment))
    return text[begin:end]


def test_full_width_forms_and_case_fold_one_character_for_one():
    normalised = normalise("ＡＢＣ１２３＠ｑｑ．ｃｏｍ")
    assert normalised.text == "abc123@qq.com"
    assert normalised.starts == list(range(13)) and normalised.ends == list(range(1, 14))


@pytest.mark.parametrize("text, digits", [
    ("一三八零零一三八零零零", "13800138000"), ("幺三八 幺二三四 五六七八", "13812345678"),
    ("壹叁叁陆柒捌玖壹贰叁肆", "13367891234"), ("138 一二三四 5678", "13812345678"), ("𝟏𝟑𝟖①②③", "138123"),
])
def test_numbers_spelled_in_chinese_or_other_digit_forms_become_digits(text, digits):
    assert normalise(text).text == digits


@pytest.mark.parametrize("text", ["一个人用了两三次", "三四天就好了", "身份证号 440301690812023（一代证）", "十一月"])
def test_a_numeral_that_is_a_word_stays_a_word(text):
    assert normalise(text).text == text.replace("（", "(").replace("）", ")")


@pytest.mark.parametrize("text", ["138 0013 8000", "138-0013-8000", "138.0013.8000", "138🌸0013🌸8000",
                                  "1 3 8 0 0 1 3 8 0 0 0", "138\u200b0013\u200b8000", "1️⃣3️⃣8️⃣0️⃣0️⃣1️⃣3️⃣8️⃣0️⃣0️⃣0️⃣"])
def test_separators_between_digits_go_and_the_number_maps_back_to_all_of_it(text):
    assert normalise(f"电话 {text} 谢谢").text == "电话 13800138000 谢谢"
    assert original_of(f"电话 {text} 谢谢", "13800138000") == text


@pytest.mark.parametrize("text", ["1,380,013,800", "13:45", "2024年11月13日", "¥1,047"])
def test_thousands_commas_times_and_words_between_digits_stay(text):
    assert normalise(text).text == text


@pytest.mark.parametrize("text, word, canonical", [
    ("加V meiyan888", "加V", WECHAT), ("V: meiyan888", "V", WECHAT), ("➕薇 a_ling888", "➕薇", WECHAT),
    ("威❤信：kiki0101", "威❤信", WECHAT), ("卫星号 xiaoyu1996", "卫星", WECHAT), ("vx tina_makeup", "vx", WECHAT),
    ("ＶＸ：momo_shop", "ＶＸ", WECHAT), ("绿泡泡 luoluo_777", "绿泡泡", WECHAT), ("加🛰 star_xx_99", "加🛰", WECHAT),
    ("扣扣：2876543210", "扣扣", QQ), ("企鹅号1234567", "企鹅号", QQ), ("Q 413527890", "Q", QQ),
    ("围脖@小桃子", "围脖", WEIBO), ("wb：lala_beauty", "wb", WEIBO),
])
def test_messenger_homophones_become_one_canonical_word_over_what_was_written(text, word, canonical):
    assert canonical in normalise(text).text
    assert original_of(text, canonical) == word


@pytest.mark.parametrize("text", ["这件V领毛衣显瘦", "vivo X100 Pro", "微笑着说", "卫星电视", "卡扣了两次款", "Part V: Introduction",
                                  "V 脸神器是骗人的"])
def test_weak_messenger_words_without_an_id_nearby_stay_as_written(text):
    normalised = normalise(text).text
    assert WECHAT not in normalised and QQ not in normalised


def test_messenger_words_can_be_left_alone_by_a_caller_that_does_not_need_them():
    assert normalise("加V meiyan888", messenger_words=False).text == "加v meiyan888"
