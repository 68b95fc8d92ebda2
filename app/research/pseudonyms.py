"""Pseudonyms for exports and research views: P- and 13 base32 characters (65 bits) of an HMAC of the user id.

65 bits keep a million members under any key apart in practice (the chance of one shared pseudonym is about one
in 10^7); every export still checks that no two members share one and stops rather than merge two people.

Records get references the same way (``reference``): a thread, post, task, poll, competition, answer, ballot or
entry id in an export would let anyone with forum access open ``/t/<id>`` or ``/p/<id>`` and read the author's name,
so exports carry a letter for the kind and an HMAC of the id instead (``T-…`` for a thread, ``M-…`` for a post).
They are stable across exports and formats under the same key, so a researcher can join two exports, and cannot be
turned back into ids without the community's secret key.
"""
from __future__ import annotations

import hmac

from flask import current_app
from flask_babel import gettext as _

from app.core.exceptions import DomainError

PSEUDONYM_CHARS = 13
# Base32 has no 0, so this marker (an author whose account is gone) can never equal a member's pseudonym.
UNKNOWN_AUTHOR = "P-" + "0" * PSEUDONYM_CHARS
WITHDRAWN = "[member]"  # what a withdrawn member is called in others' words: no pseudonym, no name


class PseudonymCollision(DomainError):
    """Two members would share a pseudonym: the export must stop instead of merging them."""


def member_message(user_id: int) -> bytes:
    """What is signed for a member: their id, in a namespace of its own."""
    return b"member:%d" % user_id


_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648's alphabet
_PAIRS = [first + second for first in _BASE32 for second in _BASE32]  # ten bits -> two characters


def base32_head(digest: bytes) -> str:
    """``base64.b32encode(digest[:10])[:13]``, the first 65 bits as 13 characters, without building the rest (an
    export derives a million of these)."""
    bits = int.from_bytes(digest[:9], "big") >> 7
    return (_PAIRS[bits >> 55] + _PAIRS[(bits >> 45) & 1023] + _PAIRS[(bits >> 35) & 1023]
            + _PAIRS[(bits >> 25) & 1023] + _PAIRS[(bits >> 15) & 1023] + _PAIRS[(bits >> 5) & 1023]
            + _BASE32[bits & 31])


def derive_pseudonym(key: bytes, user_id: int) -> str:
    """The pseudonym of one member under one key: base32 of the HMAC's first 65 bits."""
    return "P-" + base32_head(hmac.digest(key, member_message(user_id), "sha256"))


# The letter that starts each kind of record's reference ("P" is the members').
REFERENCE_KINDS = {"thread": "T", "post": "M", "task": "K", "poll": "Q", "competition": "C", "submission": "S",
                   "ballot": "B", "entry": "E"}


def derive_reference(key: bytes, kind: str, record_id: int) -> str:
    """A record's reference under one key: its kind's letter and 13 base32 characters of an HMAC of kind and id."""
    return REFERENCE_KINDS[kind] + "-" + base32_head(hmac.digest(key, b"%s:%d" % (kind.encode("ascii"), record_id),
                                                                "sha256"))


def reference(kind: str, record_id: int | None) -> str | None:
    """The stable reference of one record in this community's exports (None stays None)."""
    if record_id is None:
        return None
    return derive_reference(current_app.config["SECRET_KEY"].encode(), kind, record_id)


def pseudonym(user_id: int | None) -> str:
    """A member's stable pseudonym in this community (the key is the community's secret key)."""
    if user_id is None:
        return UNKNOWN_AUTHOR
    return derive_pseudonym(current_app.config["SECRET_KEY"].encode(), user_id)


class PseudonymBook:
    """Pseudonyms handed out during one export, cached and checked: one pseudonym never stands for two members."""

    def __init__(self) -> None:
        self.by_user: dict[int | None, str] = {}
        self.by_pseudonym: dict[str, int | None] = {}

    def __call__(self, user_id: int | None) -> str:
        found = self.by_user.get(user_id)
        if found is None:
            found = self.by_user[user_id] = pseudonym(user_id)
            self.claim(user_id, found)
        return found

    def claim(self, user_id: int | None, given: str) -> None:
        """Record that ``given`` stands for this member (a parallel export's workers report theirs); a pseudonym
        already standing for another member stops the export."""
        if self.by_pseudonym.setdefault(given, user_id) != user_id:
            raise PseudonymCollision(_("Two members share a pseudonym; export stopped."))
