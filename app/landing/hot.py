"""The hot score (in the spirit of Discourse's), counting distinct members only."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.core.settings import get_setting
from app.db import ContentState
from app.extensions import db
from app.forum.models import Category, Post, Reaction, Thread
from app.members.models import User
from app.members.queries import members_only

DEFAULTS = {"hot.gravity": 1.2, "hot.window_days": 7, "hot.panel_size": 10}
PUBLISHED = ContentState.PUBLISHED.value


def window(select: sa.Select, name: str) -> sa.CTE:
    """The rows of the time window, computed first (``MATERIALIZED``), then joined.

    Without it SQLite's planner may drive the join from the low-selectivity state index and read all of history;
    reading the window through its time index first keeps the cost proportional to recent activity on
    SQLite and PostgreSQL alike.
    """
    return select.cte(name).prefix_with("MATERIALIZED")


def hot_setting(key: str):
    return get_setting(key, DEFAULTS[key])


@dataclass
class ThreadHeat:
    thread_id: int
    title: str
    category: str
    created_at: datetime
    replies: int = 0          # member replies in the window
    posters: int = 0          # distinct members posting in the window
    reactions: int = 0        # distinct member upvotes in the window
    first_recent_at: datetime | None = None
    score: float = 0.0

    def as_panel(self) -> dict:
        row = asdict(self)
        row["created_at"] = self.created_at.isoformat()
        row["first_recent_at"] = self.first_recent_at.isoformat() if self.first_recent_at else None
        row["score"] = round(self.score, 4)
        return row


def hot_score(*, reactions: int, posters: int, hours_since_first_recent: float, age_hours: float,
              gravity: float, window_hours: float) -> float:
    """(recent reactions + recent posters - 1) / (hours since first recent post + 2)^g
    + reactions if the thread is young / (age + 2)^g."""
    score = max(reactions + posters - 1, 0) / (hours_since_first_recent + 2) ** gravity
    if age_hours <= window_hours:
        score += reactions / (age_hours + 2) ** gravity
    return score


def _window_activity(since: datetime) -> tuple[list, dict[int, int]]:
    """Per thread, from the window only: (distinct member posters, member replies, first post time) rows, and
    distinct member upvoters."""
    member = members_only()
    recent_posts = window(sa.select(Post.thread_id, Post.author_id, Post.number, Post.created_at, Post.state)
                          .where(Post.created_at >= since), "recent_posts")
    posts = db.session.execute(
        sa.select(recent_posts.c.thread_id, sa.func.count(sa.distinct(recent_posts.c.author_id)),
                  sa.func.sum(sa.case((recent_posts.c.number > 1, 1), else_=0)),
                  sa.func.min(recent_posts.c.created_at))
        .join(User, recent_posts.c.author_id == User.id)
        .where(recent_posts.c.state == PUBLISHED, member)
        .group_by(recent_posts.c.thread_id)).all()
    recent_reactions = window(sa.select(Reaction.post_id, Reaction.user_id).where(Reaction.created_at >= since),
                              "recent_reactions")
    reactions = dict(db.session.execute(
        sa.select(Post.thread_id, sa.func.count(sa.distinct(recent_reactions.c.user_id)))
        .select_from(recent_reactions)
        .join(Post, recent_reactions.c.post_id == Post.id).join(User, recent_reactions.c.user_id == User.id)
        .where(Post.state == PUBLISHED, member)
        .group_by(Post.thread_id)).all())
    return posts, reactions


def thread_heat(now: datetime, *, gravity: float | None = None, window_days: float | None = None) -> list[ThreadHeat]:
    """Every thread with member activity in the window, with its score components (reads only the window)."""
    gravity = float(gravity if gravity is not None else hot_setting("hot.gravity"))
    window_days = float(window_days if window_days is not None else hot_setting("hot.window_days"))
    since = now - timedelta(days=window_days)
    posts, reactions = _window_activity(since)
    active = {row[0] for row in posts} | set(reactions)
    if not active:
        return []
    threads = {row.id: row for row in db.session.execute(
        sa.select(Thread.id, Thread.title, Thread.created_at, Category.name)
        .join(Category, Thread.category_id == Category.id)
        .where(Thread.id.in_(active), Thread.state == PUBLISHED)).all()}
    heat: dict[int, ThreadHeat] = {}
    for thread_id, posters, replies, first in posts:
        if thread_id in threads:
            t = threads[thread_id]
            heat[thread_id] = ThreadHeat(thread_id, t.title, t.name, t.created_at, int(replies or 0), posters, 0, first)
    for thread_id, count in reactions.items():
        if thread_id in threads:
            t = threads[thread_id]
            item = heat.setdefault(thread_id, ThreadHeat(thread_id, t.title, t.name, t.created_at))
            item.reactions = count
    window_hours = window_days * 24
    for item in heat.values():
        first = item.first_recent_at or now
        item.score = hot_score(reactions=item.reactions, posters=item.posters,
                               hours_since_first_recent=(now - first).total_seconds() / 3600,
                               age_hours=(now - item.created_at).total_seconds() / 3600, gravity=gravity,
                               window_hours=window_hours)
    return sorted(heat.values(), key=lambda h: (-h.score, -h.thread_id))
