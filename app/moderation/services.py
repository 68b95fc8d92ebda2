"""Moderation actions on posts: flags, the review queue, hide / restore / spam, and the audited purge."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app import audit
from app.core.exceptions import DomainError
from app.db import ContentState, lock_row, utcnow
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.members.models import User
from app.moderation.models import Flag, FlagReason, ReviewItem, ReviewKind
from app.moderation.queue import open_item
from app.moderation.spam import setting
from app.search.index import forget_many
from app.security import policy

PUBLISHED, PENDING, HIDDEN, SPAM = (s.value for s in ContentState)


def flag_weight(user: User) -> int:
    """Members weigh 1, VIPs 2; a host's flag hides at once (weight reaches any threshold)."""
    if policy.can_moderate(user):
        return 1_000
    return 2 if user.is_vip else 1


def flag_post(post: Post, *, by: User, reason: str, note: str | None = None, now: datetime | None = None) -> Flag:
    """Record a member's flag; at the weighted threshold the post is hidden pending review."""
    now = now or utcnow()
    # Flags on one post take turns (a row lock on PostgreSQL; SQLite writes one at a time anyway), and each reads
    # the post as the one before left it: members flagging at once add up into one review item, and once their
    # flags have hidden it the later ones are refused like any flag on a hidden post.
    lock_row(db.session, Post, post.id)
    db.session.refresh(post)
    if not policy.can_flag(by, post):
        raise DomainError(_("You cannot flag this post."))
    if reason not in {r.value for r in FlagReason}:
        raise DomainError(_("Choose a reason."), "reason")
    if reason == FlagReason.OTHER.value and not (note or "").strip():
        raise DomainError(_("Please say what is wrong."), "note")
    if db.session.scalar(sa.select(Flag.id).where(Flag.post_id == post.id, Flag.user_id == by.id)):
        raise DomainError(_("You have already flagged this post."))
    flag = Flag(post_id=post.id, user_id=by.id, reason=reason, note=(note or "").strip() or None,
                weight=flag_weight(by), created_at=now)
    db.session.add(flag)
    db.session.flush()
    total = db.session.scalar(sa.select(sa.func.sum(Flag.weight))
                              .where(Flag.post_id == post.id, Flag.resolved_at.is_(None))) or 0
    reasons = sorted(set(db.session.scalars(sa.select(Flag.reason).where(Flag.post_id == post.id,
                                                                         Flag.resolved_at.is_(None)))))
    # Every flag puts the post in front of the hosts; the weighted threshold also hides it meanwhile.
    open_item(post, ReviewKind.FLAGGED, score=float(total), reasons=[f"flag-weight:{total}", *reasons], now=now)
    if total >= int(setting("flags.hide_threshold")) and post.state == PUBLISHED:
        _set_state(post, HIDDEN, now=now, by=by if policy.can_moderate(by) else None,
                   reason=_("Flagged: %(reason)s", reason=reason))
        audit.record(by if policy.can_moderate(by) else None, "post.hide_by_flags", post,
                     job=None if policy.can_moderate(by) else "flags", reason=reason, after={"weight": total})
    return flag


def _set_state(post: Post, state: str, *, now: datetime, by: User | None, reason: str | None) -> None:
    """Change a post's state; an opening post carries its thread along."""
    post.state = state
    if state == PUBLISHED:
        post.hidden_at = post.hidden_by_id = post.hide_reason = None
    else:
        post.hidden_at, post.hidden_by_id, post.hide_reason = now, getattr(by, "id", None), reason
    if post.number == 1:
        thread = db.session.get(Thread, post.thread_id)
        thread.state, thread.hidden_at = state, post.hidden_at
        thread.hidden_by_id, thread.hide_reason = post.hidden_by_id, post.hide_reason


def _close_items(post: Post, *, by: User, action: str, now: datetime) -> int:
    items = db.session.scalars(sa.select(ReviewItem).where(ReviewItem.post_id == post.id,
                                                           ReviewItem.handled_at.is_(None))).all()
    for item in items:
        item.handled_at, item.handled_by_id, item.action = now, by.id, action
    return len(items)


def _resolve_flags(post: Post, *, by: User, now: datetime) -> None:
    db.session.execute(sa.update(Flag).where(Flag.post_id == post.id, Flag.resolved_at.is_(None))
                       .values(resolved_at=now, resolved_by_id=by.id))


def moderate_post(post: Post, action: str, *, by: User, reason: str | None = None,
                  now: datetime | None = None) -> bool:
    """approve | hide | spam | restore | dismiss a post; closes its review items; audited."""
    if not policy.can_moderate(by):
        raise DomainError(_("Only hosts can moderate posts."))
    now = now or utcnow()
    target = {"approve": PUBLISHED, "restore": PUBLISHED, "dismiss": post.state, "hide": HIDDEN, "spam": SPAM}
    if action not in target:
        raise DomainError(_("Unknown action."))
    if action == "hide" and not (reason or "").strip():
        raise DomainError(_("Give a reason for hiding."), "reason")
    before = post.state
    if action == "dismiss" and before == HIDDEN:
        target["dismiss"] = PUBLISHED  # flags were unfounded: bring the post back
    new_state = target[action]
    if new_state != before:
        _set_state(post, new_state, now=now, by=by, reason=(reason or "").strip() or action)
    if action in ("approve", "restore", "dismiss"):
        _resolve_flags(post, by=by, now=now)
    closed = _close_items(post, by=by, action=action, now=now)
    if new_state == before and not closed:
        return False
    audit.record(by, f"post.{action}", post, reason=reason, before={"state": before}, after={"state": new_state})
    return True


def purge_spam(now: datetime, *, by: User | None, retention_days: int | None = None) -> int:
    """Delete posts that have been spam for longer than the retention period; audited with counts."""
    days = int(retention_days if retention_days is not None else setting("spam.retention_days"))
    cutoff = now - timedelta(days=days)
    doomed = sa.select(Post.id).where(Post.state == SPAM, Post.hidden_at.is_not(None), Post.hidden_at < cutoff)
    ids = list(db.session.scalars(doomed))
    if not ids:
        return 0
    posts = db.session.execute(sa.select(Post.thread_id, Post.author_id, Thread.category_id)
                               .join(Thread, Post.thread_id == Thread.id).where(Post.id.in_(ids))).all()
    forget_many(db.session.connection(), ids)
    db.session.execute(sa.delete(Post).where(Post.id.in_(ids)))
    emptied = db.session.execute(sa.select(Thread.id, Thread.author_id, Thread.category_id).where(
        Thread.id.in_({p.thread_id for p in posts}), ~sa.exists().where(Post.thread_id == Thread.id))).all()
    if emptied:
        db.session.execute(sa.delete(Thread).where(Thread.id.in_([t.id for t in emptied])))
    _uncount(Category, "post_count", Counter(p.category_id for p in posts))
    _uncount(User, "post_count", Counter(p.author_id for p in posts if p.author_id))
    _uncount(Category, "thread_count", Counter(t.category_id for t in emptied))
    _uncount(User, "thread_count", Counter(t.author_id for t in emptied if t.author_id))
    audit.record(by, "spam.purge", None, job=None if by else "purge_spam",
                 reason=f"spam older than {days} days", after={"posts": len(ids), "threads": len(emptied)})
    return len(ids)


def _uncount(model, column: str, gone: Counter) -> None:
    """Take purged rows off the counters that counted them (counters count every state, so they counted these)."""
    for row_id, number in gone.items():
        db.session.execute(sa.update(model).where(model.id == row_id)
                           .values({column: sa.case((getattr(model, column) > number, getattr(model, column) - number),
                                                    else_=0)}))
