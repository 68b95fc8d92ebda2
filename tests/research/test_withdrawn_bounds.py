"""A copy of a withdrawn member's words is found inside sentences, not across the seams between them
(tests/research/data/name_forms/withdrawn_bounds.tsv, written from the independent check's families before the
rule and kept fixed):

- neighbours: another member's own sentences that begin or end like two neighbouring sentences of theirs ("…性价比
  一般。这款面霜的…") stay: the words that match run across a sentence's end and cover neither sentence;
- short: an everyday sentence too short to be anyone's own stays even where the start of their next sentence follows
  it;
- reply_own: the same in a reply to their post, where their commonplaces leave too;
- copy: their sentences pasted whole (two short ones in a row as well), mid-line, half of one, or in quotation marks
  still leave.

Each row gives the withdrawn member's text, whether the text is a reply to their post, someone else's text and what
an export keeps of it."""
from __future__ import annotations

import pytest

from app.research.withdrawn_words import WithdrawnWords
from tests.research.name_books import read_tsv

CASES = [(row["family"], row["theirs"], row["reply"] == "1", row["text"], row["expected"])
         for row in read_tsv("withdrawn_bounds.tsv")]
FAMILIES = ("neighbours", "short", "reply_own", "copy")


def _kept(theirs: str, reply: bool, text: str) -> str:
    words = WithdrawnWords()
    words.learn(theirs, at=10)
    return words.remove(text, commonplaces=reply)


def test_report(capsys):
    """Prints cases passing per family; the per-line tests below are what fail."""
    lines = []
    for family in FAMILIES:
        rows = [row for row in CASES if row[0] == family]
        right = sum(_kept(theirs, reply, text) == expected for _f, theirs, reply, text, expected in rows)
        lines.append(f"{family}: {right}/{len(rows)}")
    with capsys.disabled():
        print("\nwithdrawn words across sentence ends: " + "; ".join(lines))


@pytest.mark.parametrize("theirs, reply, text, expected", [
    pytest.param(*row[1:], id=f"{row[0]}-{number}") for number, row in enumerate(CASES, start=2)])
def test_copies_are_found_inside_sentences_not_across_their_ends(theirs, reply, text, expected):
    assert _kept(theirs, reply, text) == expected
