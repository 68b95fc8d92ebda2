"""The identifier corpora in tests/text/data/families: one TSV per family (text, expected; a ham file may hold text
alone), read the same way by each round's tests, and the caught/untouched count that each round prints."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.text.scrub import scrub_contacts

DATA = Path(__file__).parent / "data" / "families"


def corpus_lines(name: str, data: Path = DATA) -> list[tuple[str, str]]:
    """(text, expected) of each line of data/<name>.tsv; a file with no expected column expects the text unchanged."""
    with open(data / f"{name}.tsv", encoding="utf-8", newline="") as handle:
        return [(row["text"], row.get("expected", row["text"]))
                for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]


def family_report(families: tuple[str, ...], ham: str) -> str:
    """"phone: 86/86 caught; …; ham: 40/40 untouched" for the families and the near-miss ham file."""
    lines = []
    for name in (*families, ham):
        pairs = corpus_lines(name)
        right = sum(scrub_contacts(text) == expected for text, expected in pairs)
        lines.append(f"{name}: {right}/{len(pairs)} {'untouched' if name == ham else 'caught'}")
    return "; ".join(lines)


def identifier_params(families: tuple[str, ...]) -> list:
    """One pytest param (text, expected) per line of each family's corpus, named by family and line."""
    return [pytest.param(text, expected, id=f"{name}-{number}") for name in families
            for number, (text, expected) in enumerate(corpus_lines(name), start=2)]


def ham_params(ham: str) -> list:
    """One pytest param (text) per line of a near-miss ham corpus, named by its file and line."""
    return [pytest.param(text, id=f"{ham}-{number}") for number, (text, _expected) in enumerate(corpus_lines(ham), start=2)]
