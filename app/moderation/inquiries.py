"""Members' questions waiting for a host: threads in "ask the hosts" categories and @mentions of hosts.

An inquiry is answered by the first published post of a host (a role that may moderate) in the same thread
after it. Nothing is stored: the moderators' page and the median are computed from the posts.
"""
from __future__ import annotations

import statistics
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.core.settings import get_setting
from app.db import ContentState
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.forum.notify import mention_candidates
from app.members.models import User
from app.security.roles import Permission, Role, role_has

PUBLISHED = ContentState.PUBLISHED.value
MEDIAN_DAYS = 30
PAGE_LIMIT = 200
PROMISE_SETTING = "inquiry_promise_hours"  # how soon the community promises a host's answer (admin setting)
DEFAULT_PROMISE_HOURS = 4.0


@dataclass(frozen=True)
class Inquiry:
    kind: str  # "thread" (opened in an inquiry category) | "mention" (a post that @mentions a host)
    post: Post
    thread: Thread
    asked_at: datetime
    answered_at: datetime | None

    def waiting(self, now: datetime) -> timedelta:
        """How long the member waited (or has been waiting) for a host."""
        return (self.answered_at or now) - self.asked_at


def promise_hours() -> float:
    """The community's promise: a host answers a member's question within this many hours."""
    return float(get_setting(PROMISE_SETTING, DEFAULT_PROMISE_HOURS))


def _hosts() -> dict[int, str]:
    """Host ids and their casefolded display names (roles, not permissions: a suspended host is still one)."""
    roles = [role.value for role in Role if role_has(role, Permission.MODERATE)]
    return dict(db.session.execute(sa.select(User.id, User.display_name_key).where(User.role.in_(roles))).all())


def _by_member(host_ids: list[int]):
    return sa.or_(Post.author_id.is_(None), Post.author_id.not_in(host_ids))


def _questions(select: sa.Select, host_ids: list[int], since: datetime | None,
               unanswered_at: datetime | None) -> sa.Select:
    """Published member posts in published threads, asked since ``since``; with ``unanswered_at``, only those
    no host had answered by then (in SQL, so answered questions are never loaded)."""
    select = select.join(Thread, Post.thread_id == Thread.id).where(
        Post.state == PUBLISHED, Thread.state == PUBLISHED, _by_member(host_ids))
    if since is not None:
        select = select.where(Post.created_at >= since)
    if unanswered_at is not None:
        answer = aliased(Post)
        select = select.where(~sa.exists().where(
            answer.thread_id == Post.thread_id, answer.author_id.in_(host_ids), answer.state == PUBLISHED,
            answer.created_at > Post.created_at, answer.created_at <= unanswered_at))
    return select


def _inquiry_threads(host_ids: list[int], **window) -> list[tuple[Post, Thread]]:
    select = (_questions(sa.select(Post, Thread), host_ids, **window)
              .join(Category, Thread.category_id == Category.id)
              .where(Category.is_inquiry.is_(True), Post.number == 1))
    return [(post, thread) for post, thread in db.session.execute(select)]


def _mentions(hosts: dict[int, str], **window) -> list[tuple[Post, Thread]]:
    """Members' posts that @mention a host by display name (a SQL pre-filter, then exact name matching)."""
    names = set(hosts.values())
    if not names:
        return []
    lowered = sa.func.lower(Post.body)
    select = _questions(sa.select(Post, Thread), list(hosts), **window).where(
        sa.or_(*(lowered.contains(f"@{name.lower()}", autoescape=True) for name in names)))
    return [(post, thread) for post, thread in db.session.execute(select)
            if mention_candidates(post.body) & names]


def _host_post_times(thread_ids: set[int], host_ids: list[int]) -> dict[int, list[datetime]]:
    times: dict[int, list[datetime]] = {}
    ids = sorted(thread_ids)
    for start in range(0, len(ids), 500):
        rows = db.session.execute(
            sa.select(Post.thread_id, Post.created_at).where(
                Post.thread_id.in_(ids[start:start + 500]), Post.author_id.in_(host_ids), Post.state == PUBLISHED)
            .order_by(Post.created_at))
        for thread_id, created_at in rows:
            times.setdefault(thread_id, []).append(created_at)
    return times


def collect(*, since: datetime | None = None, unanswered_at: datetime | None = None) -> list[Inquiry]:
    """Member inquiries asked since ``since`` (or ever), only those unanswered at ``unanswered_at`` if given,
    each with when a host first answered it; oldest first."""
    hosts = _hosts()
    host_ids = list(hosts) or [-1]
    window = {"since": since, "unanswered_at": unanswered_at}
    found: dict[int, tuple[str, Post, Thread]] = {}
    for post, thread in _mentions(hosts, **window):
        found[post.id] = ("mention", post, thread)
    for post, thread in _inquiry_threads(host_ids, **window):
        found[post.id] = ("thread", post, thread)  # an opening post that also mentions a host counts once
    answers = _host_post_times({thread.id for _, _, thread in found.values()}, host_ids)
    inquiries = []
    for kind, post, thread in found.values():
        times = answers.get(thread.id, [])
        after = bisect_right(times, post.created_at)
        inquiries.append(Inquiry(kind, post, thread, post.created_at, times[after] if after < len(times) else None))
    return sorted(inquiries, key=lambda i: (i.asked_at, i.post.id))


def waiting(now: datetime) -> list[Inquiry]:
    """Inquiries no host has answered yet (however old), oldest first."""
    return [i for i in collect(unanswered_at=now) if i.answered_at is None or i.answered_at > now]


def median_first_response(now: datetime, *, days: int = MEDIAN_DAYS) -> timedelta | None:
    """Median time from a member's inquiry to the first host post after it, over answered inquiries asked in
    the last ``days``; None when there are none."""
    since = now - timedelta(days=days)
    times = [i.answered_at - i.asked_at for i in collect(since=since)
             if i.asked_at <= now and i.answered_at is not None and i.answered_at <= now]
    return statistics.median(times) if times else None
