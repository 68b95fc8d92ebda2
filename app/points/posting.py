"""Points for posting and for replies received, kept in line with each post's moderation state."""
from __future__ import annotations

from datetime import UTC, datetime, time

import sqlalchemy as sa

from app.db import ContentState, utcnow
from app.extensions import db
from app.forum.models import Post, Thread
from app.members.models import User
from app.points import badges
from app.points.models import PointEvent
from app.points.rules import setting
from app.points.services import award_points, follow_state
from app.security.activity_policy import earns_points

POSTING_REASONS = ("post", "thread")


def _day_start(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(UTC).date(), time.min, tzinfo=UTC)


def _earned_today(user_id: int, reasons: tuple[str, ...], now: datetime) -> int:
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(PointEvent.amount), 0)).where(
        PointEvent.user_id == user_id, PointEvent.reason.in_(reasons), PointEvent.amount > 0,
        PointEvent.created_at >= _day_start(now))) or 0


def _capped(user_id: int, amount: int, reasons: tuple[str, ...], cap_key: str, now: datetime) -> int:
    """What is left of the daily cap, at most ``amount``."""
    return max(0, min(amount, int(setting(cap_key)) - _earned_today(user_id, reasons, now)))


def reconcile_post(post: Post, *, now: datetime | None = None) -> None:
    """Posting points follow the post's state: earned when published, taken back when hidden or spam.

    Idempotent: it compares the post's net points in the ledger with what its state deserves.
    """
    now = now or utcnow()
    live = post.state == ContentState.PUBLISHED.value
    _follow_replies_received(post, live, now)
    author = db.session.get(User, post.author_id) if post.author_id else None
    if author is None or not earns_points(author):
        return
    earned = follow_state(author, ref_type="post", ref_id=post.id, live=live, removed="post_removed",
                          restored="post_restored", now=now)
    if live and not earned:
        reason = "thread" if post.number == 1 else "post"
        amount = _capped(author.id, int(setting(f"points.{reason}")), POSTING_REASONS, "points.post_daily_cap", now)
        award_points(author, amount, reason, ref_type="post", ref_id=post.id, now=now)
        _award_reply_received(post, author, now)
    if live:
        badges.check_first_post(author)


def _follow_replies_received(post: Post, live: bool, now: datetime) -> None:
    """Points others earned from this reply (thread author, quoted author) follow its state too."""
    select = sa.select(PointEvent.user_id).where(PointEvent.ref_type == "post", PointEvent.ref_id == post.id)
    if post.author_id is not None:
        select = select.where(PointEvent.user_id != post.author_id)
    for user_id in db.session.scalars(select.distinct().order_by(PointEvent.user_id)).all():
        recipient = db.session.get(User, user_id)
        if recipient is not None:
            follow_state(recipient, ref_type="post", ref_id=post.id, live=live, removed="reply_removed",
                         restored="reply_restored", now=now)


def _award_reply_received(post: Post, replier: User, now: datetime) -> None:
    """The thread's author and a quoted author earn a point per distinct member replying, once per thread."""
    if post.number == 1:
        return
    recipients = {db.session.scalar(sa.select(Thread.author_id).where(Thread.id == post.thread_id))}
    if post.quoted_post_id:
        recipients.add(db.session.scalar(sa.select(Post.author_id).where(Post.id == post.quoted_post_id)))
    for user_id in sorted(r for r in recipients if r and r != replier.id):
        recipient = db.session.get(User, user_id)
        if recipient is None:
            continue
        amount = _capped(user_id, int(setting("points.reply_received")), ("reply_received",),
                         "points.reply_received_daily_cap", now)
        award_points(recipient, amount, "reply_received", ref_type="post", ref_id=post.id,
                     key=f"reply_received:thread:{post.thread_id}:from:{replier.id}", now=now)
