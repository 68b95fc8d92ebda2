"""Display names that cannot pass for someone else's: confusable skeletons (Unicode TR39) and the host marks.

``Lеo (host)`` with a Cyrillic е, or full-width ``Ｍｅｉ (host)``, look exactly like a host's name. Names are
compared by ICU's TR39 skeleton, which maps look-alike characters to one prototype, after NFKC folds
compatibility forms (full-width letters, circled digits) that the skeleton leaves alone.
"""
from __future__ import annotations

import re
import unicodedata

import icu

_SPOOF_CHECKER = icu.SpoofChecker()  # getSkeleton only reads the checker's tables: one per process will do

# Marks a member's name may not carry, because names with them read as staff. Latin marks are whole words,
# Chinese ones anywhere in the name; both are compared after the same folding as the names.
HOST_WORDS = frozenset({"host", "hosts", "moderator", "moderators", "admin", "administrator", "staff", "official"})
HOST_PHRASES = ("主持", "版主", "管理员", "官方", "客服", "小编", "工作人员")
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def _skeleton(text: str) -> str:
    return _SPOOF_CHECKER.getSkeleton(0, text)


def _folded_skeleton(text: str) -> str:
    return _skeleton(unicodedata.normalize("NFKC", text).casefold()).casefold()


def name_keys(name: str) -> tuple[str, str]:
    """Two comparison keys, spaces ignored: the skeleton as written (``Ian`` = ``lan``) and casefolded
    (``LEO`` = ``Lеo`` = ``Ｌｅｏ``). Two names clash when either key is equal."""
    as_written = _skeleton(unicodedata.normalize("NFKC", name))
    return _SPACE.sub("", as_written), _SPACE.sub("", _folded_skeleton(name))


def has_host_mark(name: str) -> bool:
    """True when the name carries a word or phrase that makes it read as a host or staff account."""
    key = _folded_skeleton(name)
    if any(word in _HOST_WORD_KEYS for word in _WORD.findall(key)):
        return True
    return any(phrase in key for phrase in _HOST_PHRASE_KEYS)


_HOST_WORD_KEYS = frozenset(_folded_skeleton(word) for word in HOST_WORDS)  # "admin" reads "adrnin"
_HOST_PHRASE_KEYS = tuple(_folded_skeleton(phrase) for phrase in HOST_PHRASES)
