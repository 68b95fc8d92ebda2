"""Whether a Latin word is an ordinary English word, for rules that must tell a person's name from a word.

A word counts as English when the web2 dictionary (``english-words``) lists it in lower case and it is not first of
all a given name: the dictionary also lists "mary" and "alice" (as names it capitalises), so a word it capitalises
too counts only when it is very common (Zipf frequency 5 or more in ``wordfreq``: "may", "will", "news"), and any
other only when it is in common use (3.3 or more: "login" is a word, the dictionary's "momo" is not).
"""
from __future__ import annotations

from functools import cache


@cache
def english_dictionary() -> frozenset[str]:
    """The web2 word list: lower-case words, and the names and places it capitalises."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2"], lower=False, alpha=True))


@cache
def is_english_word(word: str) -> bool:
    """True for "news", "sign", "in", "was"; False for "alice", "mary", "xiaoyu"."""
    word = word.casefold()
    if word not in english_dictionary():
        return False
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= (5.0 if word.capitalize() in english_dictionary() else 3.3)
