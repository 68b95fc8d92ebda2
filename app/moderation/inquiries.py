"""Members' questions waiting for a host: inquiry-category threads and @mentions of hosts."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.db import ContentState
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.members.models import User
from app.security.roles import Role

HOST_ROLES = (Role.MODERATOR.value, Role.ADMIN.value)
PUBLISHED = ContentState.PUBLISHED.value


@dataclass
class Inquiry:
    kind: str  # "thread" | "mention"
    post: Post
    thread: Thread
    asked_at: datetime
    answered_at: datetime | None

    def waiting(self, now: datetime) -> timedelta:
        return (self.answered_at or now) - self.asked_at


def _hosts() -> dict[int, str]:
    return dict(db.session.execute(sa.select(User.id, User.display_name).where(User.role.in_(HOST_ROLES))).all())


def _first_host_post_after(thread_id: int, after: datetime, host_ids) -> datetime | None:
    return db.session.scalar(sa.select(sa.func.min(Post.created_at)).where(
        Post.thread_id == thread_id, Post.author_id.in_(host_ids), Post.created_at > after,
        Post.state == PUBLISHED))


def collect(now: datetime, *, days: int = 60) -> list[Inquiry]:
    """Every member inquiry of the last ``days`` with when (if ever) a host first answered it."""
    hosts = _hosts()
    host_ids = list(hosts) or [-1]
    since = now - timedelta(days=days)
    found: list[Inquiry] = []
    openers = db.session.execute(
        sa.select(Post, Thread).join(Thread, Post.thread_id == Thread.id).join(Category, Thread.category_id == Category.id)
        .where(Category.is_inquiry.is_(True), Post.number == 1, Thread.state == PUBLISHED,
               Post.author_id.not_in(host_ids), Post.created_at >= since)).all()
    for post, thread in openers:
        found.append(Inquiry("thread", post, thread, post.created_at,
                             _first_host_post_after(thread.id, post.created_at, host_ids)))
    if hosts:
        mentions = db.session.execute(
            sa.select(Post, Thread).join(Thread, Post.thread_id == Thread.id)
            .where(Post.body.contains("@"), Post.author_id.not_in(host_ids), Post.state == PUBLISHED,
                   Thread.state == PUBLISHED, Post.created_at >= since)).all()
        names = [f"@{name}".casefold() for name in hosts.values()]
        for post, thread in mentions:
            if any(name in post.body.casefold() for name in names):
                found.append(Inquiry("mention", post, thread, post.created_at,
                                     _first_host_post_after(thread.id, post.created_at, host_ids)))
    return found


def waiting(now: datetime) -> list[Inquiry]:
    """Unanswered inquiries, oldest first."""
    return sorted((i for i in collect(now) if i.answered_at is None), key=lambda i: i.asked_at)


def median_first_response(now: datetime, *, days: int = 30) -> timedelta | None:
    """Median time from a member's inquiry to the first host reply, over inquiries of the last ``days``."""
    since = now - timedelta(days=days)
    times = [(i.answered_at - i.asked_at).total_seconds() for i in collect(now, days=days)
             if i.answered_at is not None and i.asked_at >= since]
    return timedelta(seconds=statistics.median(times)) if times else None
