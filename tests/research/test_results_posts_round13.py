"""Round 13, results posts: a competition's results post carries each winner's pseudonym next to the title the
winner wrote ("P-… 的“小雨的空瓶记”"), so a title that names a member in any form the names book knows reads
[member] there even where running text would keep the word (小雨 the light rain, 熊猫 the animal); a title that names
no member stays as written. A withdrawn winner's title reads WITHDRAWN_ENTRY in every language's results line, never
an empty pair of quotation marks."""
from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from app.research.deidentify import Deidentifier
from app.research.pseudonyms import WITHDRAWN, PseudonymBook
from app.research.quotes import WITHDRAWN_ENTRY
from tests.research.name_books import book_of

MEMBERS = ["小雨", "晴天", "可乐", "熊猫", "阿伟来了", "Cherry", "Bella Lin", "芒果布丁", "静静", "Writer", "孙悦"]
REAL_NAMES = {5: "张伟", 11: "孙悦"}
WRITER, WITHDRAWN_MEMBER = 10, 11

# (winner, the title the winner wrote, the title in the export)
NAMED = [
    (1, "小雨的空瓶记", "[member]的空瓶记"),
    (2, "晴天的早餐桌", "[member]的早餐桌"),
    (3, "可乐的第一杯手冲", "[member]的第一杯手冲"),
    (4, "熊猫的护肤日记", "[member]的护肤日记"),
    (5, "跟老张学做饭", "跟[member]学做饭"),
    (6, "Cherry's morning tea", "[member]'s morning tea"),
    (7, "贝拉的下午茶", "[member]的下午茶"),
    (8, "芒果的阳台花园", "[member]的阳台花园"),
    (9, "静静的书桌", "[member]的书桌"),
    (WRITER, "写给小雨的信", "写给[member]的信"),
    (1, "小雨和晴天的周末", "[member]和[member]的周末"),
]
PLAIN = [
    (WRITER, "雨后的茶园"),
    (WRITER, "一杯热可可"),
    (WRITER, "窗边的绿萝"),
    (WRITER, "Blue willow"),
    (WRITER, "外婆的老茶壶"),
    (1, "周末的早餐"),
    (WRITER, "Morning light"),
]


@pytest.fixture
def deidentifier(app, db):
    names = book_of(MEMBERS)
    for user_id, real_name in REAL_NAMES.items():
        names.add(user_id, real_name)
    names.withdrawn.add(WITHDRAWN_MEMBER)
    return Deidentifier(identity="pseudonym", drop_quotes=False, clean=str, names=names)


def _results(locale: str, winner: int, title: str) -> str:
    with force_locale(locale):
        head = _("**Results of “%(title)s”**", title="Teacups")
        line = _("“%(title)s” by %(name)s — %(amount)s", title=title, name=MEMBERS[winner - 1], amount="39")
    return f"{head}\n\n1. 🏆 {line}\n"


def _expected(locale: str, name: str, title: str) -> str:
    with force_locale(locale):
        return _("“%(title)s” by %(name)s — %(amount)s", title=title, name=name, amount="39")


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
@pytest.mark.parametrize("winner, title, expected", NAMED)
def test_a_title_beside_a_pseudonym_names_no_member(deidentifier, locale, winner, title, expected):
    text = deidentifier.post_text(f"<p>{_results(locale, winner, title)}</p>")
    assert _expected(locale, PseudonymBook()(winner), expected) in text


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
@pytest.mark.parametrize("winner, title", PLAIN)
def test_a_title_that_names_no_member_stays(deidentifier, locale, winner, title):
    text = deidentifier.post_text(f"<p>{_results(locale, winner, title)}</p>")
    assert _expected(locale, PseudonymBook()(winner), title) in text


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
@pytest.mark.parametrize("title", ["孙悦的茶席", "小孙的茶席", "Sunscreen daily"])
def test_a_withdrawn_winners_title_reads_the_entry_placeholder(deidentifier, locale, title):
    text = deidentifier.post_text(f"<p>{_results(locale, WITHDRAWN_MEMBER, title)}</p>")
    assert _expected(locale, WITHDRAWN, WITHDRAWN_ENTRY) in text
    assert "孙" not in text and "Sunscreen" not in text
