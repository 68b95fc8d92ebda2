"""The review queue's one rule of its own: a post has at most one open item of each kind.

The database keeps it too (a unique index over the open items, migration 0013); every path that queues a post
goes through ``open_item``, which brings an open item up to date instead of adding a second one.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.forum.models import Post
from app.moderation.models import ReviewItem, ReviewKind


def open_item(post: Post, kind: ReviewKind, *, score: float, reasons: list, now: datetime) -> ReviewItem:
    """Queue ``post`` for review as ``kind``, or update the score and reasons of its item already waiting."""
    existing = db.session.scalar(sa.select(ReviewItem).where(
        ReviewItem.post_id == post.id, ReviewItem.kind == kind.value, ReviewItem.handled_at.is_(None)))
    if existing:
        existing.score, existing.reasons = score, reasons
        return existing
    item = ReviewItem(post_id=post.id, kind=kind.value, score=score, reasons=reasons, created_at=now)
    db.session.add(item)
    return item
