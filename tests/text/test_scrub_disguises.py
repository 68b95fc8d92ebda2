"""Contact details in the disguises the fourth independent check used (tests/text/data/families/disguise.tsv): Weibo
as 围脖, wb, wb搜, 微bo, 薇博; Instagram as ins, IG, insta; LINE (and 賴 in Taiwan); 小红书 as 红薯 and 小红薯, with a
Chinese or Latin account name; emails with AT/DOT in capitals and no spaces (xATqqDOTcom) or 圈 for @; plates with
no separator, including a Q that is no QQ. Near-miss ham (disguise_ham.tsv: a scarf called 围脖, "ins风", an
eyeliner's line, a roast sweet potato, 朋友圈 and 黑眼圈, ATM, 京东618, a grade-A scenic spot) stays as written.
Written before the rules, and kept fixed."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.text.scrub import scrub_contacts

DATA = Path(__file__).parent / "data" / "families"


def _rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


CASES = [(row["text"], row["expected"]) for row in _rows("disguise.tsv")]
HAM = [row["text"] for row in _rows("disguise_ham.tsv")]


def test_report(capsys):
    """Prints 'disguise: caught n/N, ham untouched m/M'; the per-line tests below are what fail."""
    caught = sum(scrub_contacts(text) == expected for text, expected in CASES)
    kept = sum(scrub_contacts(text) == text for text in HAM)
    with capsys.disabled():
        print(f"\ndisguise: caught {caught}/{len(CASES)}, ham untouched {kept}/{len(HAM)}")


@pytest.mark.parametrize("text, expected", [pytest.param(t, e, id=f"disguise-{n}") for n, (t, e) in
                                            enumerate(CASES, start=2)])
def test_a_disguised_contact_is_replaced(text, expected):
    assert scrub_contacts(text) == expected


@pytest.mark.parametrize("text", [pytest.param(t, id=f"ham-{n}") for n, t in enumerate(HAM, start=2)])
def test_near_miss_ham_stays(text):
    assert scrub_contacts(text) == text
