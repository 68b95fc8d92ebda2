"""The independent identifier corpus (tests/text/data/identifiers, written without seeing the scrubber): every line
must come out exactly as its ``expected`` column says; each family is reported as caught/total, ham as untouched.
address.tsv and the lines after the first blind ones in phone.tsv (numbers in pieces, a trailing Chinese numeral),
email.tsv (a plain "at" before a mail provider) and ham.tsv were added with the scrubber's second round."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.text.scrub import scrub_contacts
from tests.text import families

DATA = Path(__file__).parent / "data" / "identifiers"
FAMILIES = ("id_number", "bank_card", "phone", "handle", "email", "plate", "address")
KNOWN_MISSES: dict[str, str] = {}  # corpus text -> why the scrubber cannot get it right yet (marked xfail)


def corpus_lines(name: str) -> list[tuple[str, str]]:
    return families.corpus_lines(name, DATA)


def failures(name: str) -> list[str]:
    return [f"{text!r}\n   got {scrub_contacts(text)!r}\n  want {expected!r}"
            for text, expected in corpus_lines(name) if scrub_contacts(text) != expected]


def test_report_per_family_recall_and_ham_precision(capsys):
    """Prints e.g. 'phone: 62/62 caught, 23/23 look-alikes untouched'; the per-line tests below are what fail."""
    lines = []
    for name in (*FAMILIES, "ham"):
        scrubbed = [(text, expected, scrub_contacts(text)) for text, expected in corpus_lines(name)]
        holding = [got == expected for text, expected, got in scrubbed if expected != text]
        plain = [got == text for text, expected, got in scrubbed if expected == text]
        caught = f"{sum(holding)}/{len(holding)} caught, " if holding else ""
        lines.append(f"{name}: {caught}{sum(plain)}/{len(plain)} untouched")
    with capsys.disabled():
        print("\nidentifier corpus: " + "; ".join(lines))
    assert all(corpus_lines(name) for name in (*FAMILIES, "ham"))


def _params(name: str):
    return [pytest.param(text, expected, id=f"{name}-{number}",
                         marks=[pytest.mark.xfail(reason=KNOWN_MISSES[text], strict=True)] if text in KNOWN_MISSES else [])
            for number, (text, expected) in enumerate(corpus_lines(name), start=2)]


@pytest.mark.parametrize("text, expected", [param for name in FAMILIES for param in _params(name)])
def test_identifier_lines_are_scrubbed_as_the_corpus_expects(text, expected):
    assert scrub_contacts(text) == expected


@pytest.mark.parametrize("text, expected", _params("ham"))
def test_ham_lines_are_left_untouched(text, expected):
    assert text == expected  # the corpus says so for every ham line
    assert scrub_contacts(text) == text
