"""Names in free text, third check's families: every member's name and the forms others call them by (given name
alone, surname and a title such as 王姐, 陈老师, 张总, English first names and diminutives, names that wear an
emoji such as "Kiki🌸"), in the places people write them (before 说 or "said", after thanks or an @, before 的推荐,
at a line's start), each replaced whole, emoji included; and the ordinary text around such names that must stay."""
from __future__ import annotations

import pytest

from app.research.member_names import MemberNames
from tests.research.name_books import angle_label, book_of

MEMBERS = ["Kiki🌸", "王丽", "陈明", "张伟", "Emily Watson", "Grace", "小鹿🦌", "Sophie_Lin", "Daniel", "李秀英",
           "Amanda Lee", "🍑桃子", "Coco", "Jessica Wu", "刘洋", "Mia✨", "Chloe", "Lucas", "杨雪", "欧阳娜娜"]

# How others call each member (all must go).
CALLED = {
    1: ["Kiki🌸", "Kiki", "kiki🌸", "KIKI", "Ｋｉｋｉ", "Kiki 🌸"], 2: ["王丽", "王姐", "王老师", "丽姐", "王总"],
    3: ["陈明", "陈老师", "陈哥", "陈总", "明哥"], 4: ["张伟", "张总", "张老师", "张姐", "伟哥"],
    5: ["Emily Watson", "Emily", "Em", "Watson", "EmilyWatson"], 6: ["Grace", "Gracie"], 7: ["小鹿🦌", "小鹿"],
    8: ["Sophie_Lin", "Sophie", "Sophie Lin"], 9: ["Daniel", "Dan", "Danny"], 10: ["李秀英", "秀英", "李姐", "李老师", "英英"],
    11: ["Amanda Lee", "Amanda", "Mandy"], 12: ["🍑桃子", "桃子"], 13: ["Coco"], 14: ["Jessica Wu", "Jessica", "Jess"],
    15: ["刘洋", "刘老师", "洋洋", "刘总"], 16: ["Mia✨", "Mia"], 17: ["Chloe"], 18: ["Lucas"], 19: ["杨雪", "杨老师", "雪雪", "杨姐"],
    20: ["欧阳娜娜", "娜娜", "欧阳老师", "欧阳"],
}
# Every form found in the text leaves as [member] (label None), not as the member's pseudonym, so that a wrong guess
# links nobody; only an @mention keeps the pseudonym (README, "What a pseudonymised export holds").
# Where people name each other; {n} is the name.
PLACES = ["{n}说这个防晒不搓泥", "谢谢{n}的推荐", "同意{n}的看法", "@{n} 你用过这款吗", "{n}推荐的面霜我也买了",
          "Thanks {n}, that helped", "{n} said it works on oily skin", "as {n} said, patch test first", "问问{n}吧",
          "{n}:\n我也觉得", "cc @{n}", "{n}上次发的那个链接"]


def _cases():
    for user_id, forms in CALLED.items():
        for form in forms:
            for place in PLACES:
                label = f"<{user_id}>" if place.startswith(("@", "cc @")) else "<None>"
                yield pytest.param(place.format(n=form), place.format(n=label), id=f"{user_id}-{form}-{place[:6]}")


@pytest.fixture
def book(app) -> MemberNames:
    return book_of(MEMBERS)


@pytest.mark.parametrize("text, expected", list(_cases()))
def test_every_form_of_a_name_in_every_place_is_replaced_whole(book, text, expected):
    assert book.replace(text, angle_label) == expected


@pytest.mark.parametrize("text, expected", [
    ("grace knows best", "<None> knows best"), ("emily is right about this", "<None> is right about this"),
    ("王丽姐推荐的", "<None>姐推荐的"), ("张伟老师说的", "<None>老师说的"), ("李老师们好", "<None>们好"),
    ("🏆 “夏日防晒” by Kiki🌸 — 12 votes", "🏆 “夏日防晒” by <None> — 12 votes"), ("谢谢小鹿🦌", "谢谢<None>"),
    ("Mia✨说得对", "<None>说得对"), ("@🍑桃子 在吗", "@<12> 在吗"),
])
def test_names_in_other_shapes(book, text, expected):
    assert book.replace(text, angle_label) == expected


HAM = ["我买了桃子味的身体乳", "小鹿斑比的发夹", "Grace period is 7 days", "by the grace of god", "coco oil for hair",
       "小雪节气快到了", "刘总结了一下", "周总结写完了", "王总监说要开会", "李姐妹们都来了", "张总是迟到", "各位老师好",
       "老师说的对", "王老吉凉茶", "陈皮泡水", "张家界的风景", "刘海剪短了", "杨梅很甜", "李子熟了", "小王子的故事",
       "明明白白写着", "英国的代购", "欧阳修的诗", "雪雪白白的", "the em dash",
       "我姐推荐的", "大姐说的对", "表姐买的", "老师傅手艺好", "一点点"]


@pytest.mark.parametrize("text", HAM)
def test_ordinary_text_stays(book, text):
    assert book.replace(text, angle_label) == text


DECORATED = ["Coco🐱Lin", "🌸Kiki🌸", "Bella🌸🌸", "小美✨Amy", "Jenny_88", "A-Lin", "阿May", "Ruby 💄", "💋Vivian", "Sunny☀️"]


@pytest.mark.parametrize("text, expected", [
    ("Coco🐱Lin 说得对", "<None> 说得对"), ("谢谢 🌸Kiki🌸", "谢谢 <None>"), ("🌸Kiki🌸 推荐的", "<None> 推荐的"),
    ("Bella🌸🌸的帖子", "<None>的帖子"), ("小美✨Amy 推荐", "<None> 推荐"), ("Amy说", "<None>说"), ("Jenny_88 推荐的", "<None> 推荐的"),
    ("阿May说", "<None>说"), ("Ruby 💄 说", "<None> 说"), ("💋Vivian 推荐", "<None> 推荐"), ("Sunny☀️ 的推荐", "<None> 的推荐"),
    ("@Sunny☀️ 在吗", "@<10> 在吗"), ("sunny day today", "sunny day today"),
])
def test_a_name_that_wears_emoji_anywhere_leaves_with_them(app, text, expected):
    assert book_of(DECORATED).replace(text, angle_label) == expected
