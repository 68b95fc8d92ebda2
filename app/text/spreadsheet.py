"""Cells that are safe to open in a spreadsheet: text a spreadsheet would run as a formula is neutralised."""
from __future__ import annotations

INVISIBLE_PREFIX = "\ufeff\u200b\u200c\u200d\u2060\x00"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
RISKY_FIRST = frozenset(INVISIBLE_PREFIX + "".join(FORMULA_START))  # a cheap first look, once per cell


def neutralise(value):
    """Spreadsheet-safe cell: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if (isinstance(value, str) and value[:1] in RISKY_FIRST
            and value.lstrip(INVISIBLE_PREFIX).startswith(FORMULA_START)):
        return "'" + value
    return value
