"""Finding members' names in free text: whole names, any case for Latin scripts, inside Chinese text, and very short
or common-word names only where they cannot be ordinary words."""
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
    ("I agree with Emily Chen.", "I agree with <1>."),
    ("emily chen and EMILY CHEN", "<1> and <1>"),
    ("Emily said hi", "<2> said hi"),  # the longest name wins where both could match
    ("Emilys and ReEmily stay", "Emilys and ReEmily stay"),  # never inside another word
    ("大伟说好", "<3>说好"),
    ("伟大的茶", "伟大的茶"),  # a one-character name is ordinary text ...
    ("谢谢 @伟", "谢谢 @<4>"),  # ... except in a mention
    ("Jo came, jo did not, Joanna neither", "<5> came, jo did not, Joanna neither"),
    ("I will ask Will", "I will ask <6>"),
    ("@will knows", "@<6> knows"),
    ("Mary-Jane Watson and mary jane watson", "<7> and <7>"),
    ("Mary-Jane\nWatson", "Mary-Jane\nWatson"),  # not across lines
    ("I paid 88 yuan, thanks @88", "I paid 88 yuan, thanks @<8>"),
    ("ＥＭＩＬＹ ＣＨＥＮ and zoë laurent", "<1> and <9>"),
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
    assert book.replace("Tea Lover", _label) == "<1>"


def test_member_emails_are_replaced_by_their_owner(db, user_factory):
    owner = user_factory(email="emily.chen@example.test", display_name="Emily Chen")
    book = MemberNames()
    text = "mail Emily.Chen@Example.test or stranger@example.test"
    assert book.replace(text, _label) == f"mail <{owner.id}> or stranger@example.test"
