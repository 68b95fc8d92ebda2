"""Near-duplicates across accounts: MinHash signatures (datasketch) of the judged text, banded for LSH in the database.

Each judged post of some length gets a 64-permutation MinHash over the set of its Chinese character pairs and its
Latin words and numbers (judged text: emoji, spacing and homophones already folded). A set forgets order, so the same
ad with its clauses shuffled, words added or emoji strewn in stays close (0.6 and up) while two members' own words on
the same subject stay apart (0.4 and less). The signature is cut into 16 bands of 4 and each band's hash is stored,
indexed. Posts that
share a band key are candidates; the signatures' estimated Jaccard similarity decides. Fingerprints older than the
window are deleted by the sweep, so the tables hold days of posts, not years.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from app.extensions import db
from app.moderation.spam_models import FingerprintBand, PostFingerprint

if TYPE_CHECKING:
    from datasketch import MinHash

PERMUTATIONS, BANDS = 64, 16
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are read back with the same
ROWS = PERMUTATIONS // BANDS
SIMILAR = 0.6          # estimated Jaccard similarity from which two texts are the same ad
MIN_CHARS = 20         # shorter texts ("+1", "谢谢分享") are alike by nature
WINDOW = timedelta(days=3)
_NOISE = re.compile(r"[\W_]+", re.UNICODE)
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z0-9_]{2,}")
_LOOKUP_CHUNK = 500  # post ids a statement asks for at once (a wave of one ad shares its keys)


def shingles(judged: str) -> set[str]:
    """What a text is compared by: its Chinese character pairs (a lone character as itself) and Latin words and
    numbers, as a set."""
    found = set(_WORD.findall(judged))
    for run in _CJK_RUN.findall(judged):
        found |= {run[i:i + 2] for i in range(len(run) - 1)} if len(run) > 1 else {run}
    return found


def minhash(judged: str) -> MinHash | None:
    """The text's MinHash, or None when it is too short to compare."""
    if len(_NOISE.sub("", judged)) < MIN_CHARS:
        return None
    from datasketch import MinHash  # with NumPy and SciPy: imported by the first post judged, not with the app

    signature = MinHash(num_perm=PERMUTATIONS, seed=7, scheme=SCHEME)
    signature.update_batch([shingle.encode() for shingle in sorted(shingles(judged))])
    return signature


def _band_keys(signature: MinHash) -> list[int]:
    values = signature.hashvalues.astype("uint32")
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(values[band * ROWS:(band + 1) * ROWS].tobytes() + bytes([band]), digest_size=8)
        keys.append(int.from_bytes(digest.digest(), "big") >> 1)  # fits a signed 64-bit column
    return keys


def _from_bytes(data: bytes) -> MinHash:
    import numpy as np
    from datasketch import MinHash

    return MinHash(num_perm=PERMUTATIONS, seed=7, scheme=SCHEME, hashvalues=np.frombuffer(data, dtype=np.uint32))


def remember(post_id: int, author_id: int | None, created_at: datetime, signature: MinHash) -> None:
    """Store a post's fingerprint and band keys (flushes)."""
    db.session.add(PostFingerprint(post_id=post_id, author_id=author_id, created_at=created_at,
                                   signature=signature.hashvalues.astype("uint32").tobytes()))
    db.session.flush()
    db.session.add_all([FingerprintBand(post_id=post_id, band=band, key=key)
                        for band, key in enumerate(_band_keys(signature))])
    db.session.flush()


def copies(signature: MinHash, *, author_id: int | None, since: datetime, until: datetime,
           exclude_post: int | None = None) -> dict[int, int]:
    """Posts by other accounts in [since, until] whose text is nearly the same: post id -> author id.

    Two lookups, each by an index, never a join: the posts sharing a band key (``key``), then those posts by their
    primary key, the window and the author checked here. A join let PostgreSQL start from the window instead
    (statistics taken while the tables were small, or a generic prepared plan, say the window holds one row) and
    probe the bands once per post in it: every post then cost time in proportion to the whole window, and
    clear_spam's re-check of each new post with it."""
    candidates = set(db.session.scalars(
        sa.select(FingerprintBand.post_id).where(FingerprintBand.key.in_(_band_keys(signature)))))
    candidates.discard(exclude_post)
    found = {}
    ordered = sorted(candidates)
    for start in range(0, len(ordered), _LOOKUP_CHUNK):
        rows = db.session.execute(
            sa.select(PostFingerprint.post_id, PostFingerprint.author_id, PostFingerprint.created_at,
                      PostFingerprint.signature)
            .where(PostFingerprint.post_id.in_(ordered[start:start + _LOOKUP_CHUNK]))).all()
        found.update({post_id: author for post_id, author, created_at, data in rows
                      if since <= created_at <= until and author != author_id
                      and signature.jaccard(_from_bytes(data)) >= SIMILAR})
    return found


def fingerprint_of(post_id: int) -> MinHash | None:
    data = db.session.scalar(sa.select(PostFingerprint.signature).where(PostFingerprint.post_id == post_id))
    return _from_bytes(data) if data else None


def forget_before(cutoff: datetime) -> int:
    """Delete fingerprints older than ``cutoff`` (their bands first, for databases without cascades)."""
    old = sa.select(PostFingerprint.post_id).where(PostFingerprint.created_at < cutoff)
    db.session.execute(sa.delete(FingerprintBand).where(FingerprintBand.post_id.in_(old)))
    return db.session.execute(sa.delete(PostFingerprint).where(PostFingerprint.created_at < cutoff)).rowcount or 0
