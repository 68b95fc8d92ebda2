"""The shipped Chinese and English stop-word lists (researchers' edits to them live in ``term_dictionary``)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The built-in stop words, both languages (folded: lower case)."""
    words = set()
    for name in ("stopwords_en.txt", "stopwords_zh.txt"):
        words.update((_HERE / name).read_text(encoding="utf-8").split())
    return frozenset(words)
