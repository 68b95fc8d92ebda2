"""The review queue's rules of its own: one open item per post, and actions that name what they were shown.

A post has at most one open item, whatever brought it there: held on write, flagged, quarantined by the sweep
(or anything else that queues it). Every path that queues a post goes through ``open_item``, which merges the
new kind's score and reasons into the item already waiting; the database keeps it too (a partial unique index
over the open items, migration 0019).

Items and posts carry versions. A host's action names the version its page showed; ``claim_post`` locks the
post's row for the action (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite, whose writers take turns anyway, a
conditional ``UPDATE … WHERE moderation_version = :seen``) and refuses the action when the post has moved on,
saying who handled it and when.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _

from app.audit.models import AuditEvent
from app.core.exceptions import DomainError
from app.extensions import db
from app.forum.models import Post
from app.moderation.models import ReviewItem, ReviewKind

# When kinds merge, the item shows the strongest: a quarantine outranks a hold, a hold outranks flags.
KIND_RANK = {ReviewKind.FLAGGED.value: 0, ReviewKind.PENDING.value: 1, ReviewKind.SPAM.value: 2}


class StaleAction(DomainError):
    """The post or item changed after the host's page was drawn: their action would undo someone else's."""


def _merge(kinds: dict) -> tuple[str, float, list]:
    """The item's shown kind, score and reasons from what each kind said (strongest kind first)."""
    order = sorted(kinds, key=lambda kind: -KIND_RANK.get(kind, -1))
    reasons: list = []
    for kind in order:
        reasons += [reason for reason in kinds[kind]["reasons"] if reason not in reasons]
    return order[0], kinds[order[0]]["score"], reasons


def open_item(post: Post, kind: ReviewKind, *, score: float, reasons: list, now: datetime) -> ReviewItem:
    """Queue ``post`` for review as ``kind``, or merge this kind's score and reasons into its open item."""
    existing = db.session.scalar(sa.select(ReviewItem).where(ReviewItem.post_id == post.id,
                                                             ReviewItem.handled_at.is_(None)))
    said = {"score": float(score), "reasons": list(reasons)}
    if existing is None:
        item = ReviewItem(post_id=post.id, kind=kind.value, score=float(score), reasons=list(reasons),
                          kind_reasons={kind.value: said}, created_at=now, version=1)
        db.session.add(item)
        return item
    kinds = dict(existing.kind_reasons or {existing.kind: {"score": existing.score,
                                                           "reasons": list(existing.reasons or [])}})
    if kinds.get(kind.value) == said:
        return existing
    kinds[kind.value] = said
    existing.kind_reasons = kinds
    existing.kind, existing.score, existing.reasons = _merge(kinds)
    existing.version = (existing.version or 1) + 1  # a host looking at the older reasons must look again
    return existing


def close_items(post: Post, *, by_id: int | None, action: str, now: datetime) -> list[ReviewItem]:
    """Mark the post's open item handled (by ``by_id``, with ``action``); returns what was closed."""
    items = db.session.scalars(sa.select(ReviewItem).where(ReviewItem.post_id == post.id,
                                                           ReviewItem.handled_at.is_(None))).all()
    for item in items:
        item.handled_at, item.handled_by_id, item.action = now, by_id, action
        item.version = (item.version or 1) + 1
    return items


def _last_handler(post_id: int) -> tuple[str, datetime | None]:
    """Who last moderated the post and when, from the audit log."""
    event = db.session.execute(
        sa.select(AuditEvent.actor_name, AuditEvent.created_at)
        .where(AuditEvent.target_type == "post", AuditEvent.target_id == post_id,
               sa.or_(AuditEvent.verb.startswith("post."), AuditEvent.verb.startswith("review.")))
        .order_by(AuditEvent.id.desc()).limit(1)).first()
    return (event.actor_name, event.created_at) if event else (_("someone else"), None)


def stale(who: str, when: datetime | None) -> StaleAction:
    """The refusal a host sees when another action got there first."""
    if when is None:
        return StaleAction(_("This was already handled by %(who)s; nothing was changed. Look at it again.",
                             who=who))
    return StaleAction(_("This was already handled by %(who)s at %(when)s; nothing was changed. Look at it again.",
                         who=who, when=format_datetime(when, "short")))


def claim_post(post: Post, seen_version: int | None) -> None:
    """Lock the post's row for this action and check it is still the version the host saw (None: any version).

    After this the post is re-read, so the action sees what the transaction before it left.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        current = db.session.scalar(sa.select(Post.moderation_version).where(Post.id == post.id).with_for_update())
        fresh = seen_version is None or current == seen_version
    else:
        # SQLite ignores FOR UPDATE; the conditional UPDATE is the check and takes the write lock in one step.
        claim = sa.update(Post).where(Post.id == post.id).values(moderation_version=Post.moderation_version)
        if seen_version is not None:
            claim = claim.where(Post.moderation_version == seen_version)
        fresh = db.session.execute(claim.execution_options(synchronize_session=False)).rowcount == 1
    db.session.refresh(post)
    if not fresh:
        raise stale(*_last_handler(post.id))


def check_item(item: ReviewItem, seen_version: int | None) -> None:
    """After ``claim_post``: refuse when the item was handled or changed since the host's page showed it."""
    db.session.refresh(item)
    if item.handled_at is not None:
        who = item.handled_by.display_name if item.handled_by else _last_handler(item.post_id)[0]
        raise stale(who, item.handled_at)
    if seen_version is not None and item.version != seen_version:
        who, when = _last_handler(item.post_id)
        if when is not None and when >= item.created_at:  # e.g. the spam sweep quarantined the held post
            raise stale(who, when)
        raise StaleAction(_("New reasons reached this item since your page was drawn; nothing was changed. "
                            "Look at it again."))
