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
from tests.research.name_books import deidentified

# Handles in the text, from display names and emails' local parts
MEMBERS = {1: ("lemon_tree88", None), 2: ("小雨", "coco_li2020@qq.com"), 3: ("Bella.W2", None),
           4: ("momo1998", None), 5: ("晴天", "dudu_2021@163.com"), 6: ("xiaomeng", None), 7: ("baba_77", None)}


@pytest.fixture(scope="module")
def book() -> MemberNames:
    names = MemberNames()
    for user_id, (name, email) in MEMBERS.items():
        names.add(user_id, name)
        if email:
            names.add_email(user_id, email)
    return names


def _labels_alike(text: str) -> str:
    """Which label a form carries (<1>, or <None> for a form several members could share) does not matter in an
    export: every name in running text reads [member]."""
    return re.sub(r"<\w+>", "<member>", text)


@pytest.mark.parametrize("text, expected", [
    ("lemontree88 said the new formula smells different.", "<1> said the new formula smells different."),
    ("lemontree88's routine is so simple.", "<1>'s routine is so simple."),
    ("同意lemontree88的观点", "同意<1>的观点"),
    ("lemon_tree88 说得对", "<1> 说得对"),
    ("cocoli2020 推荐的那款我也买了", "<2> 推荐的那款我也买了"),
    ("thanks to bellaw2 for the tip", "thanks to <3> for the tip"),
    # the Chinese a handle is called by
    ("默默上次说干皮要先上精华油再上面霜", "<4>上次说干皮要先上精华油再上面霜"),
    ("莫莫你上次推荐的那款面霜在哪买的？", "<4>你上次推荐的那款面霜在哪买的？"),
    ("嘟嘟上次说的那家店关门了", "<5>上次说的那家店关门了"),
    ("谢谢嘟嘟的推荐！", "谢谢<5>的推荐！"),
    ("小萌的护肤步骤我抄作业了", "<6>的护肤步骤我抄作业了"),
    ("#小萌安利清单# 第三弹来了", "#<6>安利清单# 第三弹来了"),
    ("柠檬，你上次说的那家专柜在哪个商场？", "<1>，你上次说的那家专柜在哪个商场？"),
])
def test_a_handle_is_found_joined_and_in_the_chinese_it_is_called_by(book, text, expected):
    assert _labels_alike(deidentified(book, None, text)) == _labels_alike(expected)


@pytest.mark.parametrize("text", [
    "买了 88 元的柠檬茶",
    "tree88 is not anyone's whole handle",
    "订单号 lemon88 已发货",
    "他默默地走了，什么也没说",
    "默默无闻地工作了十年",
    "柠檬水很好喝，夏天必备",
    "我爸爸说这款面霜很好用",
    "小梦想也是梦想",
    "嘟嘟囔囔说了半天",
])
def test_pieces_and_the_same_characters_as_words_stay(book, text):
    assert deidentified(book, None, text) == text
