"""Handles in the forms the independent check attack10 found kept (written from its families):

- a handle whose last piece holds digits (lemon_tree88, coco_li2020) written joined (lemontree88) as well as with
  its separator, from the display name and from the email's local part ("lemontree88 said …");
- the Chinese a handle is called by: a doubled pinyin syllable (默默 of momo1998, 嘟嘟 of dudu_2021), xiao with a
  syllable (小萌 of xiaomeng), a translated piece (柠檬 of lemon_tree88), in a person's context; the same
  characters used as words stay."""
from __future__ import annotations

import re

import pytest

from app.research.member_names import MemberNames
from tests.research.name_books import angle_label, deidentified


@pytest.fixture(scope="module")
def book() -> MemberNames:
    names = MemberNames()
    names.add(1, "lemon_tree88")
    names.add(2, "小雨")
    names.add_email(2, "coco_li2020@qq.com")
    names.add(3, "Bella.W2")
    return names


@pytest.mark.parametrize("text, expected", [
    ("lemontree88 said the new formula smells different.", "<1> said the new formula smells different."),
    ("lemontree88's routine is so simple.", "<1>'s routine is so simple."),
    ("同意lemontree88的观点", "同意<1>的观点"),
    ("lemon_tree88 说得对", "<1> 说得对"),
    ("cocoli2020 推荐的那款我也买了", "<2> 推荐的那款我也买了"),
    ("thanks to bellaw2 for the tip", "thanks to <3> for the tip"),
])
def test_a_handle_with_digits_is_found_joined(book, text, expected):
    # which label a form carries (<1>, or <None> for a form several members could share) does not matter in an
    # export: every name in running text reads [member]
    assert re.sub(r"<\w+>", "<1>", deidentified(book, None, text)) == re.sub(r"<\w+>", "<1>", expected)


@pytest.mark.parametrize("text", [
    "买了 88 元的柠檬茶",
    "tree88 is not anyone's whole handle",
    "订单号 lemon88 已发货",
])
def test_pieces_alone_stay(book, text):
    assert deidentified(book, None, text) == text


@pytest.fixture(scope="module")
def sounds_book() -> MemberNames:
    names = MemberNames()
    names.add(1, "momo1998")
    names.add(2, "晴天")
    names.add_email(2, "dudu_2021@163.com")
    names.add(3, "xiaomeng")
    names.add(4, "lemon_tree88")
    names.add(5, "baba_77")
    return names


@pytest.mark.parametrize("text, expected", [
    ("默默上次说干皮要先上精华油再上面霜", "<1>上次说干皮要先上精华油再上面霜"),
    ("莫莫你上次推荐的那款面霜在哪买的？", "<1>你上次推荐的那款面霜在哪买的？"),
    ("嘟嘟上次说的那家店关门了", "<2>上次说的那家店关门了"),
    ("谢谢嘟嘟的推荐！", "谢谢<2>的推荐！"),
    ("小萌的护肤步骤我抄作业了", "<3>的护肤步骤我抄作业了"),
    ("#小萌安利清单# 第三弹来了", "#<3>安利清单# 第三弹来了"),
    ("柠檬，你上次说的那家专柜在哪个商场？", "<4>，你上次说的那家专柜在哪个商场？"),
])
def test_a_pinyin_handle_is_found_in_the_chinese_it_is_called_by(sounds_book, text, expected):
    """The Chinese a handle is called by (默默 of momo1998, 小萌 of xiaomeng, 柠檬 of lemon_tree88), in a person's
    context; attack10 found these kept (4 of 4)."""
    assert re.sub(r"<\w+>", "<1>", deidentified(sounds_book, None, text)) == re.sub(r"<\w+>", "<1>", expected)


@pytest.mark.parametrize("text", [
    "他默默地走了，什么也没说",
    "默默无闻地工作了十年",
    "柠檬水很好喝，夏天必备",
    "我爸爸说这款面霜很好用",
    "小梦想也是梦想",
    "嘟嘟囔囔说了半天",
])
def test_the_same_characters_as_words_stay(sounds_book, text):
    assert deidentified(sounds_book, None, text) == text
