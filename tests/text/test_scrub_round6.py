"""Identifiers in the forms the sixth independent check found surviving (tests/text/data/families, written before
the rules and kept fixed): international numbers with dots between their groups (+44 7700.900.123, 1.415.555.0134);
English street addresses with a letter on the house number (221B Baker Street), a flat before them and a town and
postcode after (Flat 3, 12 Rose Lane, Leeds LS1 4AB) or an apartment after (1234 Elm St Apt 5); phone numbers spelled
in words (one three eight…, oh seven seven double oh…), in Chinese numerals in groups (幺三八 一二三四 五六七八) or
mixed with digits; WeChat and QQ ids spelled out letter by letter after the messenger's name, itself spaced
("w x : t o m 1 2 3", "v x 号 t o m"); 小红书 and 抖音 written with emoji (小🍠, 🍠号, 抖🎵) or as 红薯号, 薯号.
Near-miss ham (round6_ham.tsv: prices, dotted dates and versions, order numbers, times, ingredient percentages,
"one two three" as counting, 一三五 as weekdays, 三八妇女节, a roast sweet potato, "抖🎵上看到的") stays as written."""
from __future__ import annotations

import pytest

from app.text.scrub import scrub_contacts
from tests.text.families import corpus_lines, family_report, ham_params, identifier_params

FAMILIES = ("phone_intl", "address_en", "spelled_phone", "spaced_handle", "platform_emoji")


def test_report_per_family(capsys):
    """Prints e.g. 'phone_intl: 26/26 caught'; the per-line tests below are what fail."""
    with capsys.disabled():
        print("\nround 6 corpus: " + family_report(FAMILIES, "round6_ham"))
    assert all(expected != text for name in FAMILIES for text, expected in corpus_lines(name))
    assert all(expected == text for text, expected in corpus_lines("round6_ham"))


@pytest.mark.parametrize("text, expected", identifier_params(FAMILIES))
def test_identifier_is_replaced_by_its_placeholder(text, expected):
    assert scrub_contacts(text) == expected


@pytest.mark.parametrize("text", ham_params("round6_ham"))
def test_near_miss_ham_stays_as_written(text):
    assert scrub_contacts(text) == text
