"""Pseudonyms: P- and 13 base32 characters, stable per key, distinct for a million members, checked per export."""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets

import pytest

from app.research import exports, pseudonyms
from app.research.pseudonyms import (
    PSEUDONYM_CHARS,
    UNKNOWN_AUTHOR,
    derive_pseudonym,
    member_message,
    pseudonym,
)
from app.research.transcript_filter import TranscriptFilter


def test_pseudonym_is_p_and_thirteen_base32_characters_and_stable(app):
    first = pseudonym(42)
    assert re.fullmatch(r"P-[A-Z2-7]{13}", first) and PSEUDONYM_CHARS >= 12
    assert pseudonym(42) == first != pseudonym(43)
    assert derive_pseudonym(app.config["SECRET_KEY"].encode(), 42) == first


def test_pseudonym_depends_on_the_community_key(app, monkeypatch):
    before = pseudonym(7)
    monkeypatch.setitem(app.config, "SECRET_KEY", "another community's key")
    assert pseudonym(7) != before


def test_an_author_whose_account_is_gone_never_looks_like_a_member():
    assert UNKNOWN_AUTHOR == "P-" + "0" * PSEUDONYM_CHARS  # base32 has no 0
    assert pseudonym(None) == UNKNOWN_AUTHOR


def _prefixes(key: bytes, messages: list[bytes]) -> set[bytes]:
    """The HMAC-SHA256's first 64 bits per message, by RFC 2104's construction spelled out:
    SHA256((K ^ opad) + SHA256((K ^ ipad) + message)), the two keyed pad blocks hashed once and the hash states
    copied for every message (over three times as fast as hmac.digest, which sets the key up again each time; the
    test below checks it against hmac.digest and the product's derive_pseudonym)."""
    block = hashlib.sha256().block_size
    padded = (hashlib.sha256(key).digest() if len(key) > block else key).ljust(block, b"\0")
    inner_copy = hashlib.sha256(bytes(byte ^ 0x36 for byte in padded)).copy
    outer_copy = hashlib.sha256(bytes(byte ^ 0x5C for byte in padded)).copy
    found = set()
    for message in messages:
        inner = inner_copy()
        inner.update(message)
        outer = outer_copy()
        outer.update(inner.digest())
        found.add(outer.digest()[:8])
    return found


def test_a_pseudonym_spells_the_first_bits_of_the_members_hmac():
    for key in (secrets.token_bytes(32), secrets.token_bytes(64), secrets.token_bytes(100), b"k"):
        for user_id in (1, 2, 999, 123_456, 1_000_000):
            digest = hmac.digest(key, member_message(user_id), "sha256")
            assert derive_pseudonym(key, user_id) == "P-" + base64.b32encode(digest[:10]).decode()[:13]
            assert _prefixes(key, [member_message(user_id)]) == {digest[:8]}
    key = secrets.token_bytes(32)  # the collision test's own path, over many members at once
    messages = [member_message(user_id) for user_id in range(1, 5001)]
    assert _prefixes(key, messages) == {hmac.digest(key, message, "sha256")[:8] for message in messages}


@functools.cache
def _a_million_members() -> tuple[bytes, ...]:
    return tuple(member_message(user_id) for user_id in range(1, 1_000_001))


KEYS, KEY_BATCHES = 20, 4  # twenty keys in four tests of five, which the workers share (20 million HMACs)


@pytest.mark.slow
@pytest.mark.parametrize("batch", range(KEY_BATCHES))
def test_a_million_members_under_twenty_random_keys_never_share_a_pseudonym(batch):
    # A pseudonym spells the HMAC's first 65 bits (test above): when the first 64 bits of a million members
    # all differ, so do their pseudonyms.
    messages = _a_million_members()
    for _ in range(KEYS // KEY_BATCHES):
        assert len(_prefixes(secrets.token_bytes(32), messages)) == len(messages)


@pytest.fixture
def two_authors(db, category_factory, user_factory):
    from app.forum import services as forum

    alice, bob = user_factory(display_name="Alice Wong"), user_factory(display_name="Bob Marley")
    thread = forum.start_thread(category_factory(), author=alice, title="Tea", body="Green")
    forum.reply(thread, author=bob, body="Black")
    db.session.commit()
    return alice, bob


def test_an_export_stops_loudly_when_two_members_would_share_a_pseudonym(two_authors, researcher, monkeypatch):
    monkeypatch.setattr(pseudonyms, "pseudonym", lambda user_id: "P-SAMEFOREVERY")  # force the collision
    run = exports.execute_export(exports.queue_export(TranscriptFilter(), "csv", by=researcher))
    assert run.status == "failed" and run.error == "Two members share a pseudonym; export stopped."
    assert run.file_name is None


def test_the_cli_exits_with_the_collision_message(two_authors, runner, tmp_path, monkeypatch):
    monkeypatch.setattr(pseudonyms, "pseudonym", lambda user_id: "P-SAMEFOREVERY")
    out = tmp_path / "t.csv"
    result = runner.invoke(args=["export", "transcript", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 1 and "Two members share a pseudonym; export stopped." in result.output
    assert not out.exists()


def test_the_short_base32_is_the_first_thirteen_characters_of_rfc_4648_base32():
    """``base32_head`` (what pseudonyms and references use) spells the same as base64.b32encode, edge bits too."""
    digests = [secrets.token_bytes(32) for _ in range(5000)] + [bytes(32), b"\xff" * 32, b"\x80" + bytes(31),
                                                                  bytes(8) + b"\x80" + bytes(23)]
    for digest in digests:
        assert pseudonyms.base32_head(digest) == base64.b32encode(digest[:10]).decode("ascii")[:PSEUDONYM_CHARS]
