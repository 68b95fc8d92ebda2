"""Families of name uses a member's name alone does not show (second independent check): nicknames built from a
name, one-character names in a person's context, usernames and hyphenated spellings, whole digit names, names at
the start of a sentence before a verb; the ordinary text that must stay (words inside longer Chinese words,
lower-case English words, product names); inline quotes; and a withdrawn member's words copied in part."""
from __future__ import annotations

import pytest

from app.research.member_names import MemberNames
from app.research.quotes import inline_quotes
from app.research.withdrawn_words import WithdrawnWords
from tests.research.name_books import angle_label, book_of

MEMBERS = ["周佳琪", "Benjamin Hart", "Rosie Lam", "Li Na", "黄建华", "欧阳晓雯", "kelly_w", "Ana-Maria Pop",
           "Niamh O'Neill", "5201", "Faith", "陈静", "Jack", "陆小红", "Penny Shaw", "Momo小桃"]


@pytest.fixture
def book(app) -> MemberNames:
    return book_of(MEMBERS)


@pytest.mark.parametrize("text, expected", [
    # Chinese nicknames: the given name's last character doubled, 小/阿/老 before it, 哥/姐 after
    ("琪琪推荐的那款我也买了", "<None>推荐的那款我也买了"), ("小琪你好", "<None>你好"), ("老周说得对", "<None>说得对"),
    ("华哥的帖子很有用", "<None>的帖子很有用"), ("桃桃说这个色号显白", "<None>说这个色号显白"), ("同意静静的看法", "同意<None>的看法"), ("阿静上次发的", "<None>上次发的"), ("雯雯说这个不错", "<None>说这个不错"),
    # English diminutives, by the table and by rule
    ("Thanks Ben, that helped", "Thanks <None>, that helped"), ("Benny said the same", "<None> said the same"),
    ("ask Rose about it", "ask <None> about it"),
    # one character, where the sentence needs a person
    ("刚才黄提到的面霜", "刚才<None>提到的面霜"), ("**静**:\n> 用了会闷痘", "**<None>**:\n> 用了会闷痘"), ("谢谢静的推荐", "谢谢<None>的推荐"), ("同意周的看法", "同意<None>的看法"),
    # usernames, hyphens and apostrophes
    ("kelly said so", "<None> said so"), ("AnaMaria and Anamaria", "<None> and <None>"), ("ONeill wrote it", "<None> wrote it"),
    # a whole digit name, a sentence-start name before a verb
    ("Thanks 5201, and 5201的口红也好看", "Thanks <None>, and <None>的口红也好看"), ("Faith is right about the SPF.", "<None> is right about the SPF."),
    ("Penny told me to patch test", "<None> told me to patch test"),
])
def test_derived_and_contextual_names_are_replaced(book, text, expected):
    assert book.replace(text, angle_label) == expected


HAM = [
    "jack up the price and they still sell out", "小红书上看到的测评", "小红帽的故事", "明明白白写着成分",
    "这家店周末人多", "The Rose collection smells of tea", "a Jack-o-lantern palette", "faith in this brand", "Jack strength formula, twice a day",
    "静静地等它吸收", "黄金比例的配方", "我和朋友一起去的", "老周末也开门吗", "I have faith it will work",
    "penny for your thoughts", "5201314 是个网络用语", "桃桃乌龙茶很好喝",
]


@pytest.mark.parametrize("text", HAM)
def test_ordinary_text_beside_those_names_stays(book, text):
    assert book.replace(text, angle_label) == text


@pytest.fixture
def withdrawn_book(book) -> MemberNames:
    book.withdrawn = {3, 12}  # Rosie Lam and 陈静 withdrew
    return book


@pytest.mark.parametrize("text, dropped, kept", [
    ('As Ben said, "double cleanse every night". Works for me.', "double cleanse", "Works for me."),
    ("琪琪 说：“这个防晒搓泥”，我倒没遇到", "搓泥", "我倒没遇到"),
    ("老周說「用完皮膚很乾」", "很乾", "老周"),
    ("引用 黄建华 的话：油皮慎入\n我是干皮没问题", "油皮慎入", "我是干皮没问题"),
    ("Quoting kelly: the tint fades fast\nmine lasted all day", "fades fast", "mine lasted all day"),
    ("Originally posted by Penny: too glittery\nagree", "too glittery", "agree"),
    ("回复 小琪：哪里买的\n楼下专柜", "哪里买的", "楼下专柜"),
])
def test_inline_quotes_are_dropped_when_asked(book, text, dropped, kept):
    assert inline_quotes(text, book, drop=False) == text
    result = inline_quotes(text, book, drop=True)
    assert dropped not in result and kept in result


@pytest.mark.parametrize("text, dropped", [
    ('Like Rosie said: "gel texture, no white cast at all"', "white cast"),
    ("静静说：“敏感肌用了会刺痛”", "刺痛"), ("阿静 wrote: skip the toner step\nok", "toner"),
])
def test_a_withdrawn_members_inline_quote_always_leaves(withdrawn_book, text, dropped):
    assert dropped not in inline_quotes(text, withdrawn_book, drop=False)


def test_a_withdrawn_members_sentence_copied_inside_or_in_half_leaves():
    words = WithdrawnWords([("My barrier finally recovered after I stopped using the exfoliating pads every single "
                             "morning."), "换季的时候我只用最简单的保湿霜和温和的洗面奶，皮肤反而稳定了很多。"])
    embedded = ("Funny, a friend told me her barrier finally recovered after I stopped using the exfoliating pads "
                "every single morning, which sounds like you. What do you think")
    assert "exfoliating pads" not in words.remove(embedded) and "What do you think" in words.remove(embedded)
    half = "有人说换季的时候我只用最简单的保湿霜和温和的洗面奶就够了"
    assert words.remove(half) == ""  # the whole sentence a copy stands in leaves: no "有人说" left dangling
    assert words.remove("I stopped using toner in the morning") == "I stopped using toner in the morning"
