"""Display names that cannot pass for someone else's: look-alike keys (Unicode TR39 skeletons) and host marks.

``Lеo (host)`` with a Cyrillic е, full-width ``Ｍｅｉ``, ``阿傑`` for ``阿杰`` or ``Lily`` followed by an invisible blank
look exactly like another member. A name is reduced to a key that keeps only what a reader can tell apart:

1. NFKC folds compatibility forms (full-width letters, circled digits); OpenCC folds traditional characters to
   simplified ones; ICU's TR39 skeleton maps look-alike characters to one prototype.
2. Accents go, other scripts' letters are transliterated (small capitals ``ʜᴏsᴛ``, enclosed ``🅷🅾🆂🆃``), digits that
   stand for letters (``h0st``, ``Adm1n``) become those letters, and everything but letters and digits goes.

The skeleton depends on case (capital I looks like l, Cyrillic capitals like Latin ones, their small forms less so),
so each name gets two keys, one through lower case and one through upper case; two names clash when either key does.
"""
from __future__ import annotations

import re
import unicodedata

import icu
import opencc
from anyascii import anyascii

_SPOOF_CHECKER = icu.SpoofChecker()  # getSkeleton only reads the checker's tables: one per process will do
_TO_SIMPLIFIED = opencc.OpenCC("t2s")

# Marks a member's name may not carry, because names with them read as staff: Latin ones as whole words,
# Chinese ones anywhere in the name. Compared in the same folded form as the names.
HOST_WORDS = ("host", "hosts", "mod", "mods", "moderator", "moderators", "admin", "admins", "administrator",
              "staff", "official")
HOST_PHRASES = ("主持", "版主", "管理员", "官方", "客服", "小编", "工作人员")

KEY_LENGTH = 160  # the width of the key columns on User

_DIGITS_AS_LETTERS = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"})
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SEPARATORS = re.compile(r"[^\w]+|_+")
_EAST_ASIAN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002ffff]")


def _fold_character(char: str) -> str:
    if char.isascii() or _EAST_ASIAN.match(char):
        return char
    return anyascii(char)


def _folded(name: str, case) -> str:
    """The name through one case, with look-alikes, accents and scripts folded; separators become spaces."""
    text = case(unicodedata.normalize("NFKC", name))
    text = _SPOOF_CHECKER.getSkeleton(0, _TO_SIMPLIFIED.convert(text))
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    text = "".join(_fold_character(ch) for ch in text).casefold().translate(_DIGITS_AS_LETTERS)
    return _SEPARATORS.sub(" ", text).strip()


def name_keys(name: str) -> tuple[str, str]:
    """The two look-alike keys (through upper case, through lower case): letters and digits only, at most
    KEY_LENGTH characters (transliterated emoji are long)."""
    upper, lower = _folded(name, str.upper), _folded(name, str.casefold)
    return (upper.replace(" ", "") or name)[:KEY_LENGTH], (lower.replace(" ", "") or name)[:KEY_LENGTH]


def _words(folded: str) -> set[str]:
    """Whole words, with spelled-out letters joined again ("h o s t" reads "host")."""
    words, letters = set(), []
    for word in folded.split():
        if len(word) == 1:
            letters.append(word)
            continue
        words.add(word)
        words.add("".join(letters)), letters.clear()
    words.add("".join(letters))
    return words


def has_host_mark(name: str) -> bool:
    """True when the name carries a word or phrase that makes it read as a host or staff account."""
    split = _CAMEL.sub(" ", unicodedata.normalize("NFKC", name))  # "MeiHost" reads "Mei Host"
    for case in (str.upper, str.casefold):
        folded = _folded(split, case)
        if _words(folded) & _HOST_WORD_KEYS or any(p in folded.replace(" ", "") for p in _HOST_PHRASE_KEYS):
            return True
    return False


_HOST_WORD_KEYS = frozenset(_folded(word, str.casefold) for word in HOST_WORDS)
_HOST_PHRASE_KEYS = tuple(_folded(phrase, str.casefold) for phrase in HOST_PHRASES)
