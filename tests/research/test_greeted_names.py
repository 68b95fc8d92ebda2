"""An English greeting or meeting before a member's name written in Chinese characters or capitalised is a person's
context ("Morning 小鹿!", "I met 熊猫 at the pop-up store": the independent check attack10 found these kept);
lowercase English words after the same words stay ("every morning will be better", "meet may be")."""
from __future__ import annotations

import pytest

from app.research.member_names import MemberNames
from tests.research.name_books import book_of, deidentified


@pytest.fixture(scope="module")
def book() -> MemberNames:
    return book_of(["小鹿", "熊猫", "Rose", "Will", "大白"])


@pytest.mark.parametrize("text, name", [
    ("Morning 小鹿! Did the package arrive?", "小鹿"),
    ("Good morning 小鹿, did it arrive?", "小鹿"),
    ("Good evening 大白～", "大白"),
    ("Good night Rose!", "Rose"),
    ("I met 熊猫 at the pop-up store last weekend, so fun.", "熊猫"),
    ("Can't wait to meet Will tomorrow at the counter", "Will"),
    ("Every morning Will sends us the deals", "Will"),
])
def test_a_name_greeted_or_met_in_english_is_replaced(book, text, name):
    assert name not in deidentified(book, None, text)


@pytest.mark.parametrize("text", [
    "my morning rose water toner",
    "every morning will be better with this serum",
    "We will meet may be tomorrow",
    "I met the deadline for the contest",
    "evening primrose oil is good for dry skin",
    "熊猫 is so cute at the zoo",
    "morning dew on the leaves",
])
def test_english_words_after_a_greeting_stay(book, text):
    assert deidentified(book, None, text) == text
