"""Finding members' names in free text: whole names, any case for Latin scripts, inside Chinese text, and very short
or common-word names only where they cannot be ordinary words; parts of names, joined spellings, look-alike,
full-width, traditional and invisible-character spellings; and the ordinary-word uses that must stay."""
from __future__ import annotations

import pytest

from app.research.member_names import MemberNames


@pytest.fixture
def names(app) -> MemberNames:
    book = MemberNames()
    for user_id, name in enumerate(["Emily Chen", "Emily", "大伟", "伟", "Jo", "Will", "Mary-Jane Watson", "88",
                                    "Zoë Laurent"], start=1):
        book.add(user_id, name)
    return book


def _label(user_id: int) -> str:
    return f"<{user_id}>"


@pytest.mark.parametrize("text, expected", [
    ("I agree with Emily Chen.", "I agree with <None>."),
    ("emily chen and EMILY CHEN", "<None> and <None>"),
    ("Emily said hi", "<None> said hi"),  # the longest name wins where both could match
    ("Emilys and ReEmily stay", "Emilys and ReEmily stay"),  # never inside another word
    ("大伟说好", "<None>说好"),
    ("伟大的茶", "伟大的茶"),  # a one-character name is ordinary text ...
    ("谢谢 @伟", "谢谢 @<4>"),  # ... except in a mention
    ("Jo came, jo did not, Joanna neither", "<None> came, jo did not, Joanna neither"),
    ("I will ask Will", "I will ask <None>"),
    ("@will knows", "@<6> knows"),
    ("Mary-Jane Watson and mary jane watson", "<None> and <None>"),
    ("Mary-Jane\nWatson", "<None>-<None>\n<None>"),  # not whole across lines, but each part is the member's
    ("I paid 88 yuan, thanks @88", "I paid 88 yuan, thanks @<8>"),
    ("ＥＭＩＬＹ ＣＨＥＮ and zoë laurent", "<None> and <None>"), ("Zoe Laurent", "<None>"),
    ("write to emily@example.com", "write to emily@example.com"),  # the start of an address is not the name
])
def test_names_are_replaced_whole_and_sensibly(names, text, expected):
    assert names.replace(text, _label) == expected


def test_a_whole_string_names_a_member_whatever_its_case(names):
    assert names.find("emily chen") == 1 and names.find("伟") == 4 and names.find("Nobody") is None


def test_the_first_member_to_claim_a_name_keeps_it(app):
    book = MemberNames()
    book.add(1, "Tea Lover")
    book.add(2, "tea lover")  # an old name of another member never takes a current name away
    assert book.replace("Tea Lover", _label) == "<None>" and book.members_in("Tea Lover") == [1]


def test_member_emails_read_member_and_a_strangers_email_stays(db, user_factory):
    """[member], not the owner's pseudonym: whoever knows a member's email would otherwise learn their pseudonym."""
    user_factory(email="emily.chen@example.test", display_name="Emily Chen")
    book = MemberNames()
    text = "mail Emily.Chen@Example.test or stranger@example.test"
    assert book.replace(text, _label) == "mail <None> or stranger@example.test"


@pytest.fixture
def parts_book(app) -> MemberNames:
    book = MemberNames()
    for user_id, name in enumerate(["Emily Chen", "Zhang Wei 张伟", "Rose", "May Tan", "Will", "Jo", "李晓明", "美丽",
                                    "Ivy Stone", "Priya Raman", "欧阳娜娜", "Sunny Park"], start=1):
        book.add(user_id, name)
    return book


@pytest.mark.parametrize("text, expected", [
    # a first or a last name alone, in any case
    ("Emily said hi", "<None> said hi"), ("ask chen about it", "ask <None> about it"),
    ("PRIYA and raman", "<None> and <None>"), ("Zhang, wei", "<None>, <None>"),
    # joined spellings
    ("EmilyChen, emily_chen, emily.chen, emily-chen, ChenEmily, chen_emily", "<None>, <None>, <None>, <None>, <None>, <None>"),
    # the Chinese part of a mixed name, its traditional form, and a given name after a surname
    ("张伟说好，張偉說好", "<None>说好，<None>說好"), ("晓明说的对，李晓明也是", "<None>说的对，<None>也是"), ("问问娜娜", "问问<None>"),
    # invisible characters, look-alike letters, full-width forms
    ("Em\u200bily and Ch\u200den", "<None> and <None>"), ("Еmily (Cyrillic Е), Εmily (Greek Ε), Сhen", "<None> (Cyrillic Е), <None> (Greek Ε), <None>"),
    ("ＥＭＩＬＹ said, ｃｈｅｎ agreed", "<None> said, <None> agreed"), ("Priуa (Cyrillic у)", "<None> (Cyrillic у)"),
    ("Émily, Rámán", "<None>, <None>"),  # accents added or dropped
    # ordinary words used as a name: after a greeting, @, "by", 谢谢, before "said"/说, a line's colon, a capital
    ("Thanks Rose! I asked Rose; rose said so; @rose; by rose", "Thanks <None>! I asked <None>; <None> said so; @<3>; by <None>"),
    ("谢谢May，I met May Tan", "谢谢<None>，I met <None>"), ("I will ask Will.\nWill: agreed", "I will ask <None>.\n<None>: agreed"),
    ("谢谢美丽！美丽说好", "谢谢<None>！<None>说好"), ("Ivy said so, and Sunny too", "<None> said so, and <None> too"),
    ("then ask IVY about it", "then ask <None> about it"),  # in capitals among lower-case words
    # short names: with a capital anywhere, in any case where used as a name
    ("Jo came, thanks jo, JO wrote, @jo", "<None> came, thanks <None>, <None> wrote, @<6>"),
])
def test_parts_and_spellings_of_names_are_replaced(parts_book, text, expected):
    assert parts_book.replace(text, _label) == expected


def test_a_part_two_members_share_is_replaced_without_naming_either(app):
    book = MemberNames()
    book.add(1, "Emily Chen")
    book.add(2, "Emily Stone")
    assert book.replace("Emily Stone met emily and Chen", _label) == "<None> met <None> and <None>"
    assert book.members_in("Emily Stone met emily and Chen") == [2, 1]  # the shared part names neither
    assert book.find("emily") is None and book.find("Chen") == 1


# Ordinary-word uses of the names in parts_book (Rose, May, Will, Jo, 美丽, Ivy, Sunny, Tan, Stone, Park): none may
# be taken for a member.
ORDINARY_USES = [
    "This rose toner smells lovely.", "Prices rose again this week.", "Rose water first, then serum.",
    "May I ask which shade?", "You may like the lighter one.", "It may be too oily for me.",
    "Will it suit oily skin?", "I will try it tomorrow.", "Will do!", "Good will goes a long way.",
    "jo malone dupes anyone?", "她很美丽。", "美丽的包装", "保持美丽需要时间",
    "ivy leaf extract calms my skin", "A sunny day calls for SPF 50.", "sunny side up",
    "tan lines after the beach", "Self tan streaks, help!", "a stone facial roller", "the park near my office",
    "I stone-washed it", "Parking was free.", "Rosewater and mayonnaise", "willpower is everything",
    "I WILL BUY IT AGAIN", "MAY I ASK WHICH SHADE", "SUNNY DAYS AHEAD",
]


def test_ordinary_uses_of_name_words_stay(parts_book, capsys):
    kept = [text for text in ORDINARY_USES if parts_book.replace(text, _label) == text]
    with capsys.disabled():
        print(f"\nordinary-word uses kept: {len(kept)}/{len(ORDINARY_USES)}")
    assert kept == ORDINARY_USES


def test_a_chinese_name_is_found_by_its_pinyin_too(app):
    book = MemberNames()
    book.add(1, "张伟")
    book.add(2, "李晓明")
    text = "Zhang Wei said so, zhangwei agreed, Wei Zhang too; ask Xiaoming Li, xiaoming or LiXiaoming. wei is a word"
    assert book.replace(text, _label) == ("<None> said so, <None> agreed, <None> too; ask <None>, <None> or <None>. "
                                            "wei is a word")
    assert book.members_in(text) == [1, 1, 1, 2, 2, 2]


@pytest.fixture
def everyday_names(app) -> MemberNames:
    book = MemberNames()
    for user_id, name in enumerate(["静静", "晴天", "可乐", "糖糖", "rose"], start=1):
        book.add(user_id, name)
    return book


@pytest.mark.parametrize("text, expected", [
    ("静静's routine, explained", "<None>'s routine, explained"),
    ("晴天’s haul from Tmall is huge", "<None>’s haul from Tmall is huge"),
    ("thanks to 可乐's tip my skin calmed down", "thanks to <None>'s tip my skin calmed down"),
    ("I tried 糖糖's toner order", "I tried <None>'s toner order"),
    ("Loved 静静's review of the serum", "Loved <None>'s review of the serum"),
    # Ordinary words stay where no possessive makes them someone.
    ("可乐 is my favourite drink", "可乐 is my favourite drink"),
    ("It's 晴天 today, finally", "It's 晴天 today, finally"),
    ("今天晴天，心情好", "今天晴天，心情好"),
    ("the rose's petals dried out", "the rose's petals dried out"),
    ("糖糖的口感我不太喜欢", "糖糖的口感我不太喜欢"),
])
def test_an_english_possessive_makes_an_everyday_chinese_name_someone(everyday_names, text, expected):
    assert everyday_names.replace(text, _label) == expected
