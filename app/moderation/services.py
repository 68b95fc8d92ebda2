"""Moderation actions on posts: flags, the review queue, hide / restore / spam, and the audited purge."""
from __future__ import annotations

import hashlib
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
from app.moderation.models import Flag, FlagReason, PostTombstone, ReviewItem, ReviewKind
from app.moderation.queue import claim_post, close_items, open_item
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


def _resolve_flags(post: Post, *, by: User, now: datetime) -> None:
    db.session.execute(sa.update(Flag).where(Flag.post_id == post.id, Flag.resolved_at.is_(None))
                       .values(resolved_at=now, resolved_by_id=by.id))


ACTIONS = ("approve", "restore", "dismiss", "hide", "spam")


def check_action(action: str, *, by: User, reason: str | None, allowed: tuple[str, ...] = ACTIONS) -> None:
    """Refuse a moderation request that no host may make, before anything is locked."""
    if not policy.can_moderate(by):
        raise DomainError(_("Only hosts can moderate posts."))
    if action not in allowed:
        raise DomainError(_("Unknown action."))
    if action == "hide" and not (reason or "").strip():
        raise DomainError(_("Give a reason for hiding."), "reason")


def moderate_post(post: Post, action: str, *, by: User, reason: str | None = None, now: datetime | None = None,
                  seen_version: int | None = None) -> bool:
    """approve | hide | spam | restore | dismiss a post as the host saw it (``seen_version``; None: as it is now).

    The post's row is locked for the action; a post that changed since the host's page was drawn is refused
    (``queue.StaleAction``). Closes its review item; audited.
    """
    check_action(action, by=by, reason=reason)
    claim_post(post, seen_version)
    return apply_action(post, action, by=by, reason=reason, now=now, seen_version=seen_version)


def apply_action(post: Post, action: str, *, by: User, reason: str | None, now: datetime | None = None,
                 seen_version: int | None = None, item: ReviewItem | None = None) -> bool:
    """The action on a post already claimed (``queue.claim_post``): its state, flags, review item and audit."""
    now = now or utcnow()
    before, version = post.state, post.moderation_version
    item_version = item.version if item is not None else None
    target = {"approve": PUBLISHED, "restore": PUBLISHED, "dismiss": before, "hide": HIDDEN, "spam": SPAM}
    if action == "dismiss" and before == HIDDEN:
        target["dismiss"] = PUBLISHED  # flags were unfounded: bring the post back
    new_state = target[action]
    if new_state != before:
        _set_state(post, new_state, now=now, by=by, reason=(reason or "").strip() or action)
    if action in ("approve", "restore", "dismiss"):
        _resolve_flags(post, by=by, now=now)
    closed = close_items(post, by_id=by.id, action=action, now=now)
    if new_state == before and not closed:
        return False
    post.moderation_version = max(post.moderation_version, version + 1)
    # ``before`` is what the host was shown: the locked row matched the version their page named.
    seen = {"state": before, "version": version if seen_version is None else seen_version}
    if item is not None:
        seen["item"], seen["item_version"] = item.id, item_version
    audit.record(by, f"post.{action}", post, reason=reason, before=seen,
                 after={"state": new_state, "version": post.moderation_version})
    return True


def purge_spam(now: datetime, *, by: User | None, retention_days: int | None = None) -> int:
    """Delete posts that have been spam for longer than the retention period, each leaving a tombstone."""
    days = int(retention_days if retention_days is not None else setting("spam.retention_days"))
    cutoff = now - timedelta(days=days)
    doomed = sa.select(Post.id).where(Post.state == SPAM, Post.hidden_at.is_not(None), Post.hidden_at < cutoff)
    ids = list(db.session.scalars(doomed))
    if not ids:
        return 0
    reason = _("Spam for longer than %(days)d days", days=days)
    entomb(ids, by=by, job=None if by else "purge_spam", reason=reason, now=now)
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
    audit.record(by, "spam.purge", None, job=None if by else "purge_spam", reason=reason,
                 after={"posts": len(ids), "threads": len(emptied), "post_ids": ids[:1000],
                        "thread_ids": [t.id for t in emptied][:1000], "tombstones": len(ids)})
    return len(ids)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def entomb(post_ids: list[int], *, by: User | None, job: str | None, reason: str, now: datetime) -> None:
    """Before posts go: close their flags and review items as purged and write each one's tombstone."""
    flags: dict[int, list] = {}
    for flag in db.session.scalars(sa.select(Flag).where(Flag.post_id.in_(post_ids)).order_by(Flag.id)):
        outcome = "resolved" if flag.resolved_at else "purged"
        flags.setdefault(flag.post_id, []).append(
            {"id": flag.id, "by": flag.user_id, "reason": flag.reason, "note": flag.note, "weight": flag.weight,
             "at": _iso(flag.created_at), "outcome": outcome, "resolved_at": _iso(flag.resolved_at or now),
             "resolved_by": flag.resolved_by_id if flag.resolved_at else getattr(by, "id", None)})
    items: dict[int, list] = {}
    for item in db.session.scalars(sa.select(ReviewItem).where(ReviewItem.post_id.in_(post_ids))
                                   .order_by(ReviewItem.id)):
        items.setdefault(item.post_id, []).append(
            {"id": item.id, "kind": item.kind, "score": item.score, "reasons": item.reasons,
             "queued_at": _iso(item.created_at), "action": item.action or "purged",
             "handled_at": _iso(item.handled_at or now),
             "handled_by": item.handled_by_id if item.handled_at else getattr(by, "id", None)})
    rows = db.session.execute(sa.select(Post.id, Post.author_id, Post.author_name, Post.thread_id, Post.created_at,
                                        Post.body, Thread.title).join(Thread, Post.thread_id == Thread.id)
                              .where(Post.id.in_(post_ids))).all()
    who = f"job:{job}" if job else getattr(by, "display_name", "system")
    for row in rows:
        db.session.add(PostTombstone(
            post_id=row.id, author_id=row.author_id, author_name=row.author_name, thread_id=row.thread_id,
            thread_title=row.title, posted_at=row.created_at, purged_at=now, purged_by_id=getattr(by, "id", None),
            purged_by_name=who, reason=reason[:500], content_sha256=hashlib.sha256(row.body.encode()).hexdigest(),
            flags=flags.get(row.id, []), review_items=items.get(row.id, [])))
    db.session.flush()


def _uncount(model, column: str, gone: Counter) -> None:
    """Take purged rows off the counters that counted them (counters count every state, so they counted these)."""
    for row_id, number in gone.items():
        db.session.execute(sa.update(model).where(model.id == row_id)
                           .values({column: sa.case((getattr(model, column) > number, getattr(model, column) - number),
                                                    else_=0)}))
