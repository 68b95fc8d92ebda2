"""Visibility, built once: every list of threads or posts a member sees goes through here."""
from __future__ import annotations

import sqlalchemy as sa

from app.db import ContentState
from app.forum.models import Post, Thread
from app.security import policy

PUBLISHED = ContentState.PUBLISHED.value
PENDING = ContentState.PENDING.value


def _visible(model, user) -> sa.ColumnElement[bool]:
    if policy.can_moderate(user):
        return sa.true()
    own_pending = sa.and_(model.state == PENDING, model.author_id == user.id)
    return sa.or_(model.state == PUBLISHED, own_pending)


def visible_threads(user) -> sa.Select:
    """Threads the member may see: published ones, their own pending ones, everything for hosts."""
    return sa.select(Thread).where(_visible(Thread, user))


def visible_posts(user, thread: Thread) -> sa.Select:
    """Posts of a thread the member may see, in order."""
    return sa.select(Post).where(Post.thread_id == thread.id, _visible(Post, user)).order_by(Post.number)


def thread_order(sort: str):
    """Ordering for thread lists: pinned first, then by latest activity or by upvotes."""
    if sort == "top":
        return (Thread.is_pinned.desc(), Thread.reaction_count.desc(), Thread.last_post_at.desc())
    return (Thread.is_pinned.desc(), Thread.last_post_at.desc())


def visible_posts_by(user, author) -> sa.Select:
    """An author's posts the member may see, in threads the member may see."""
    return (
        sa.select(Post).join(Thread, Post.thread_id == Thread.id)
        .where(Post.author_id == author.id, _visible(Post, user), _visible(Thread, user))
    )
