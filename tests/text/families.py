"""The identifier corpora in tests/text/data/families: one TSV per family (text, expected), read the same way by
each round's tests, and the caught/untouched count that each round prints."""
from __future__ import annotations

import csv
from pathlib import Path

from app.text.scrub import scrub_contacts

DATA = Path(__file__).parent / "data" / "families"


def corpus_lines(name: str) -> list[tuple[str, str]]:
    with open(DATA / f"{name}.tsv", encoding="utf-8", newline="") as handle:
        return [(row["text"], row["expected"]) for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]


def family_report(families: tuple[str, ...], ham: str) -> str:
    """"phone: 86/86 caught; …; ham: 40/40 untouched" for the families and the near-miss ham file."""
    lines = []
    for name in (*families, ham):
        pairs = corpus_lines(name)
        right = sum(scrub_contacts(text) == expected for text, expected in pairs)
        lines.append(f"{name}: {right}/{len(pairs)} {'untouched' if name == ham else 'caught'}")
    return "; ".join(lines)
