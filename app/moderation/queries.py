"""Reads the moderation pages and the reply boxes need: canned replies, review items, open flags."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db, read_connection
from app.forum.models import Post, Thread
from app.moderation.models import CannedReply, Flag, PostTombstone, ReviewItem, ReviewKind


def _offered_to(user_id: int | None) -> sa.ColumnElement[bool]:
    return sa.or_(CannedReply.is_shared.is_(True), CannedReply.owner_id == user_id)


def canned_replies(locale: str, user_id: int | None = None) -> list[tuple[str, str]]:
    """Active canned replies offered to the host ``user_id`` (shared ones and their own) as (title, text in
    ``locale``) for the reply boxes."""
    replies = db.session.scalars(sa.select(CannedReply).where(CannedReply.archived_at.is_(None),
                                                              _offered_to(user_id))
                                 .order_by(CannedReply.title, CannedReply.id))
    return [(reply.title, reply.body_for(locale)) for reply in replies]


def manageable_canned_replies(user_id: int, *, every: bool) -> list[CannedReply]:
    """The canned replies a host's page lists (shared ones and their own; ``every``: all, for admins), by title,
    archived ones last."""
    select = sa.select(CannedReply).options(joinedload(CannedReply.owner))
    if not every:
        select = select.where(_offered_to(user_id))
    return db.session.scalars(select.order_by(CannedReply.archived_at.is_not(None), CannedReply.title,
                                              CannedReply.id)).all()


def tombstones(limit: int = 100) -> list[PostTombstone]:
    """The latest purged posts' tombstones, newest first."""
    return db.session.scalars(sa.select(PostTombstone).order_by(PostTombstone.id.desc()).limit(limit)).all()
_FLAGGED = sa.select(Flag.post_id).where(Flag.user_id == sa.bindparam("user_id"),
                                         Flag.post_id.in_(sa.bindparam("post_ids", expanding=True)))


def flagged_check(post_id: sa.ColumnElement) -> sa.ColumnElement[bool]:
    """The member bound as ``user_id`` has flagged the post ``post_id`` (the thread page reads it per post)."""
    return sa.select(Flag.id).where(Flag.post_id == post_id, Flag.user_id == sa.bindparam("user_id")).exists()


def flagged_among(user, post_ids: list[int]) -> set[int]:
    """Which of these posts the member has flagged (answered or not: one flag per member and post)."""
    return set(read_connection().scalars(_FLAGGED, {"user_id": user.id, "post_ids": list(post_ids)}))


def has_flagged(user, post: Post) -> bool:
    return bool(flagged_among(user, [post.id]))


@dataclass(frozen=True)
class QueueFilter:
    """What the review queue pages are narrowed to (each None: no filter)."""

    kind: str | None = None
    category_id: int | None = None
    member: str | None = None
    start: datetime | None = None
    end: datetime | None = None


def _filtered(select: sa.Select, chosen: QueueFilter) -> sa.Select:
    if chosen.kind in {k.value for k in ReviewKind}:
        select = select.where(ReviewItem.kind == chosen.kind)
    if chosen.category_id:
        select = select.where(Thread.category_id == chosen.category_id)
    if chosen.member:
        select = select.where(Post.author_name.ilike(f"%{chosen.member}%"))
    if chosen.start:
        select = select.where(ReviewItem.created_at >= chosen.start)
    if chosen.end:
        select = select.where(ReviewItem.created_at <= chosen.end)
    return select


def _items() -> sa.Select:
    return (sa.select(ReviewItem).join(Post, ReviewItem.post_id == Post.id).join(Thread, Post.thread_id == Thread.id)
            .options(joinedload(ReviewItem.post).joinedload(Post.thread)))


def open_items(chosen: QueueFilter) -> sa.Select:
    """Open review items matching the filter, oldest first."""
    return _filtered(_items().where(ReviewItem.handled_at.is_(None)), chosen).order_by(ReviewItem.created_at)


def handled_items(chosen: QueueFilter) -> sa.Select:
    """Handled review items matching the filter, most recently handled first, with who handled them."""
    return (_filtered(_items().where(ReviewItem.handled_at.is_not(None)), chosen)
            .options(joinedload(ReviewItem.handled_by)).order_by(ReviewItem.handled_at.desc()))


def open_flags_by_post(post_ids: list[int]) -> dict[int, list[Flag]]:
    """The unresolved flags of these posts, with their flaggers, grouped by post."""
    flags: dict[int, list[Flag]] = {}
    for flag in db.session.scalars(sa.select(Flag).where(Flag.post_id.in_(post_ids), Flag.resolved_at.is_(None))
                                   .options(joinedload(Flag.user))):
        flags.setdefault(flag.post_id, []).append(flag)
    return flags


def open_counts_by_kind() -> dict[str, int]:
    return dict(db.session.execute(sa.select(ReviewItem.kind, sa.func.count())
                                   .where(ReviewItem.handled_at.is_(None)).group_by(ReviewItem.kind)).all())


def split_candidates(thread: Thread, limit: int) -> list[Post]:
    """The replies a host can split off a thread (everything after the opening post), in order."""
    return db.session.scalars(sa.select(Post).where(Post.thread_id == thread.id, Post.number > 1)
                              .order_by(Post.number).limit(limit)).all()


def items_among(ids: list[int]) -> list[ReviewItem]:
    """The review items with these ids (handled ones too: acting on them says who got there first)."""
    return db.session.scalars(sa.select(ReviewItem).where(ReviewItem.id.in_(ids)).order_by(ReviewItem.id)).all()
