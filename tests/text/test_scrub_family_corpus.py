"""The third identifier corpus (tests/text/data/families), written for the third independent check's families:
resident IDs with an X check digit or split in three to five groups or in full-width digits, 15-digit IDs; Luhn
card numbers of 16 to 19 digits in groups of four; mobiles after +86, 0086 or 86-, split by spaces, dashes, dots,
underscores or emoji, in Chinese numerals (一三八…, 幺) and full-width digits; landlines and 400 lines;
international numbers (+44, +1, +852, +886…); WeChat, QQ and Weibo handles behind 加V, V:, vx, wx, 薇, 威信, 卫星,
绿泡泡, 扣扣, 企鹅 and full-width letters; emails spelled with at/dot, (at), [at], ＠ and 艾特; plates with a dot,
a space or none, new-energy plates of eight characters; and near-miss ham (orders, prices, dates, percentages,
SPF, volumes, batch and product codes, versions, times, talk of numbers without one) that must stay as written.
Card and ID numbers carry right check digits (computed when the corpus was written). Each family reports
caught/total; each line is a test."""
from __future__ import annotations

import pytest

from app.text.scrub import scrub_contacts
from tests.text.families import corpus_lines, family_report, ham_params, identifier_params

FAMILIES = ("id_number", "bank_card", "phone", "handle", "email", "plate")


def test_report_per_family(capsys):
    """Prints e.g. 'phone: 86/86 caught'; the per-line tests below are what fail."""
    with capsys.disabled():
        print("\nfamily corpus: " + family_report(FAMILIES, "ham"))
    assert all(expected != text for name in FAMILIES for text, expected in corpus_lines(name))
    assert all(expected == text for text, expected in corpus_lines("ham"))


@pytest.mark.parametrize("text, expected", identifier_params(FAMILIES))
def test_identifier_is_replaced_by_its_placeholder(text, expected):
    assert scrub_contacts(text) == expected


@pytest.mark.parametrize("text", ham_params("ham"))
def test_near_miss_ham_stays_as_written(text):
    assert scrub_contacts(text) == text
