"""The scrubber's cheap looks before its lists of words (scrub.GUARDED_CLUES) never hide a match: a list is skipped
only where its pattern could not have matched."""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest

from app.text import scrub
from tests.text.typical_posts import typical_posts

DATA = Path(__file__).resolve().parent / "data"


def _corpus() -> list[str]:
    texts = []
    for path in sorted(DATA.rglob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                      if row.get("text")]
    return texts


TRICKY = [
    "İG: lily_88", "find me on İnstagram.com/lily", "ıg lily_88", "my ınstagram.Com page", "FB lily.88", "fb",
    "Facebook.COM/lily", "x.com/lily", "X.Com", "RED号 lily88", "red", "小红书 lily88", "B站 uid 123456",
    "视频号：一只猫", "PASSPORT E12345678", "ID NO. 1234", "HK ID A123456(7)", "hkid", "card#1234",
    "身份證 A123456789", "證件號", "銀行卡 6222", "ſocial", "twitter", "TikTok @lily", "douyin.Cn",
    "I did not know", "a red dress", "the big night", "inside", "already done", "discard it",
]


def test_only_three_characters_pass_for_a_latin_letter_that_lower_case_does_not_make_one():
    letter = re.compile("(?i)[a-z]")
    odd = "".join(char for char in map(chr, range(128, sys.maxunicode + 1))
                  if letter.fullmatch(char) and not ("a" <= char.lower() <= "z" and len(char.lower()) == 1))
    assert odd == scrub.CASE_ODD


@pytest.mark.parametrize(("family", "look", "pattern"), scrub.GUARDED_CLUES,
                         ids=[f"{family}-{index}" for index, (family, *_rest) in enumerate(scrub.GUARDED_CLUES)])
def test_a_guarded_clue_finds_what_its_pattern_finds(family, look, pattern):
    clue, search = scrub._guarded(look, pattern), re.compile(pattern).search
    texts = _corpus() + typical_posts(400, seed=3) + TRICKY
    texts += [text.upper() for text in texts] + [text.title() for text in TRICKY]
    assert len(texts) > 2000
    found = [text for text in texts if search(text)]
    assert found, "the corpus names no such thing"
    assert [text for text in texts if clue(text)] == found
