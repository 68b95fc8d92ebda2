"""A handle whose last piece holds digits (lemon_tree88, coco_li2020) is found written joined (lemontree88) as
well as with its separator, from the display name and from the email's local part; the attack10 check found
"lemontree88 said …" kept."""
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
