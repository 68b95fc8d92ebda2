"""A names book of given members (ids from 1 in order) and the label the name tests read replacements by."""
from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest

from app.research.member_names import MemberNames


def book_of(members: list[str]) -> MemberNames:
    names = MemberNames()
    for user_id, name in enumerate(members, start=1):
        names.add(user_id, name)
    return names


def angle_label(user_id: int | None) -> str:
    """<3> for member 3, <None> for a part several members share."""
    return f"<{user_id}>"


# The name-form case files (data/name_forms/<round>_members.tsv and <round>_cases.tsv), read the same way by each
# round's tests.
NAME_FORMS = Path(__file__).parent / "data" / "name_forms"


def read_tsv(name: str) -> list[dict]:
    """The rows of data/name_forms/<name> (a TSV with a header line)."""
    with open(NAME_FORMS / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@cache
def round_book(round_name: str) -> MemberNames:
    """The names book of a round's members (their ids and display names from <round>_members.tsv, and where the file
    has them their real names and emails, in the order ``load_member_names`` adds them), built once."""
    names = MemberNames()
    rows = read_tsv(f"{round_name}_members.tsv")
    for row in rows:
        names.add(int(row["id"]), row["display_name"])
        if (row.get("real_name") or "").strip():
            names.add(int(row["id"]), row["real_name"].strip())
    for row in rows:
        if row.get("email"):
            names.add_email(int(row["id"]), row["email"])
    return names


def round_cases(round_name: str) -> list[tuple[str, int | None, str, str]]:
    """(family, author or None, text, expected) of each row of <round>_cases.tsv; \\n in the file is a newline."""
    return [(row["family"], int(row["author"]) or None, row["text"].replace("\\n", "\n"),
             row["expected"].replace("\\n", "\n")) for row in read_tsv(f"{round_name}_cases.tsv")]


def deidentified(book: MemberNames, author: int | None, text: str) -> str:
    """The text as an export writes it: the author's signature dropped, every member's name replaced."""
    return book.replace(book.drop_signature(text, author=author), angle_label, author=author)


def family_report(book: MemberNames, cases: list, families: tuple[str, ...]) -> str:
    """"family: right/total" for each family, joined by "; "."""
    lines = []
    for family in families:
        rows = [(author, text, expected) for name, author, text, expected in cases if name == family]
        right = sum(deidentified(book, author, text) == expected for author, text, expected in rows)
        lines.append(f"{family}: {right}/{len(rows)}")
    return "; ".join(lines)


def round_params(round_name: str, known_misses: dict[str, str]) -> list:
    """One pytest param (round, author, text, expected) per row of <round>_cases.tsv, named round-family-line; a text
    in ``known_misses`` is a strict xfail for the reason given."""
    return [pytest.param(round_name, author, text, expected, id=f"{round_name}-{family}-{number}",
                         marks=pytest.mark.xfail(text in known_misses, reason=known_misses.get(text, ""), strict=True))
            for number, (family, author, text, expected) in enumerate(round_cases(round_name), start=2)]
